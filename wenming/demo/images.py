"""Pictures of the demo data, drawn with Pillow: specimen seals (marked 样章) and activity scenes.

Nothing here may look like a flag or a real seal: seals carry 样章 across their face, and activity
pictures are scenes (sky, ground, buildings, a service counter, people, a banner naming the activity
and the unit), never a lone disc or stripes with a star.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SEAL_RED = (214, 32, 32)
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
)


@lru_cache(maxsize=32)
def cjk_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The Simplified Chinese face of the installed Noto CJK collection at ``size`` px."""
    for path in FONT_FILES:
        if not Path(path).exists():
            continue
        for index in range(10):
            try:
                font = ImageFont.truetype(path, size, index=index)
            except OSError:
                break
            if " SC" in font.getname()[0]:
                return font
    return ImageFont.load_default(size)


def _png(im: Image.Image) -> bytes:
    out = io.BytesIO()
    im.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + radius * math.cos(a), cy + radius * math.sin(a)))
    return pts


def specimen_seal_png(name: str, size: int = 480) -> bytes:
    """A round seal of ``name`` on white, stamped 样章 in large characters across its middle.

    The unit's name runs around the upper arc, a star sits above 样章, and 演示专用 is written at the
    foot, so the image cannot be taken for a real seal.
    """
    scale = 2  # drawn large, then reduced, for smooth edges
    s = size * scale
    im = Image.new("RGB", (s, s), "white")
    d = ImageDraw.Draw(im)
    ring = int(s * 0.035)
    d.ellipse([ring, ring, s - ring, s - ring], outline=SEAL_RED, width=ring)
    cx = cy = s / 2
    # the name along the upper arc, upright towards the centre
    chars = list(name)
    font = cjk_font(int(s * (0.115 if len(chars) <= 10 else 0.095)))
    span = min(250.0, 27.0 * len(chars))  # degrees covered by the name
    radius = s / 2 - ring * 2 - font.size * 0.62
    for i, ch in enumerate(chars):
        angle = -90 - span / 2 + span * (i + 0.5) / len(chars)  # degrees, 0 = east, clockwise on screen
        tile = Image.new("L", (font.size * 2, font.size * 2), 0)
        ImageDraw.Draw(tile).text((font.size, font.size), ch, font=font, fill=255, anchor="mm")
        tile = tile.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
        x = cx + radius * math.cos(math.radians(angle)) - tile.width / 2
        y = cy + radius * math.sin(math.radians(angle)) - tile.height / 2
        im.paste(Image.new("RGB", tile.size, SEAL_RED), (int(x), int(y)), tile)
    d.polygon(_star(cx, cy - s * 0.07, s * 0.12), fill=SEAL_RED)
    big = cjk_font(int(s * 0.2))
    d.text((cx, cy + s * 0.16), "样章", font=big, fill=SEAL_RED, anchor="mm")
    d.text((cx, cy + s * 0.33), "演示专用", font=cjk_font(int(s * 0.06)), fill=SEAL_RED, anchor="mm")
    return _png(im.resize((size, size), Image.Resampling.LANCZOS))


# --- activity scenes ---------------------------------------------------------------------------
SKIN = [(241, 204, 170), (226, 185, 150), (233, 196, 160)]
HAIR = (40, 32, 28)
CLOTHES = [(29, 95, 160), (0, 120, 80), (80, 80, 90), (200, 120, 40), (110, 70, 140), (30, 130, 150)]
UNIFORM = (0, 110, 70)  # postal green


def _fit_font(draw: ImageDraw.ImageDraw, text: str, max_w: int, start: int):
    size = start
    while size > 12:
        font = cjk_font(size)
        if draw.textlength(text, font=font) <= max_w:
            return font
        size -= 2
    return cjk_font(12)


def _person(d: ImageDraw.ImageDraw, x: int, ground: int, h: int, clothes, skin, *, staff: bool = False) -> None:
    """A simple standing figure: legs, body, arms, neck, head with hair (feet on ``ground``)."""
    head = h // 6
    body_top = ground - h + head + 4
    body_bottom = ground - h * 45 // 100
    w = h // 4
    d.rectangle([x - w // 2 + 3, body_bottom, x - 3, ground], fill=(50, 55, 70))  # legs
    d.rectangle([x + 3, body_bottom, x + w // 2 - 3, ground], fill=(50, 55, 70))
    d.rounded_rectangle([x - w // 2, body_top, x + w // 2, body_bottom + 6], radius=w // 4, fill=clothes)
    d.line([x - w // 2 + 2, body_top + 6, x - w // 2 - 8, body_bottom - 4], fill=clothes, width=max(4, w // 6))
    d.line([x + w // 2 - 2, body_top + 6, x + w // 2 + 8, body_bottom - 4], fill=clothes, width=max(4, w // 6))
    if staff:  # a vest stripe of the uniform
        d.rectangle(
            [
                x - w // 2,
                body_top + (body_bottom - body_top) // 2,
                x + w // 2,
                body_top + (body_bottom - body_top) // 2 + 4,
            ],
            fill=(240, 200, 60),
        )
    d.ellipse([x - head // 2, body_top - head - 2, x + head // 2, body_top - 2], fill=skin)
    d.chord([x - head // 2, body_top - head - 4, x + head // 2, body_top - head // 3], 180, 360, fill=HAIR)


def _parcel(d: ImageDraw.ImageDraw, x: int, y: int, w: int, h: int) -> None:
    d.rectangle([x, y, x + w, y + h], fill=(196, 150, 100), outline=(150, 110, 70), width=2)
    d.line([x + w // 2, y, x + w // 2, y + h], fill=(230, 215, 180), width=3)


def _banner(d: ImageDraw.ImageDraw, box: tuple[int, int, int, int], text: str) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=(190, 30, 35))
    d.line([x0, y0 + 3, x1, y0 + 3], fill=(150, 20, 25), width=2)
    font = _fit_font(d, text, x1 - x0 - 24, (y1 - y0) * 2 // 3)
    d.text(((x0 + x1) // 2, (y0 + y1) // 2), text, font=font, fill="white", anchor="mm")


def _sign(d: ImageDraw.ImageDraw, box: tuple[int, int, int, int], text: str, max_w: int = 600) -> None:
    """A white name board centred on ``box``, widened (up to ``max_w``) so a long unit name stays legible."""
    x0, y0, x1, y1 = box
    cx = (x0 + x1) // 2
    start = (y1 - y0) * 2 // 3
    font = _fit_font(d, text, max(x1 - x0 - 12, min(max_w - 12, int(d.textlength(text, font=cjk_font(16))))), start)
    half = max((x1 - x0) // 2, int(d.textlength(text, font=font)) // 2 + 8)
    d.rectangle((cx - half, y0, cx + half, y1), fill=(250, 250, 245), outline=(120, 120, 120), width=2)
    d.text((cx, (y0 + y1) // 2), text, font=font, fill=(30, 30, 30), anchor="mm")


def activity_scene_jpeg(title: str, unit: str, variant: int = 0, *, seed: int = 0, size=(640, 480)) -> bytes:
    """A drawn picture of an activity: a scene with people, parcels and a banner naming it and the unit.

    ``variant`` 0 is an outdoor service stand in front of a building, 1 a service counter indoors.
    """
    import random

    rng = random.Random(f"{title}|{unit}|{variant}|{seed}")
    w, h = size
    im = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(im)
    ground = int(h * 0.86)
    if variant % 2 == 0:
        for y in range(int(h * 0.62)):  # sky, lighter towards the horizon
            t = y / (h * 0.62)
            d.line([0, y, w, y], fill=(int(150 + 80 * t), int(195 + 45 * t), int(235 + 15 * t)))
        d.rectangle([0, int(h * 0.62), w, h], fill=(196, 196, 190))  # pavement
        for i in range(3):  # buildings behind
            bx = 20 + i * 210 + rng.randint(-10, 10)
            top = int(h * rng.uniform(0.12, 0.3))
            colour = rng.choice([(228, 214, 190), (210, 200, 185), (200, 210, 220)])
            d.rectangle([bx, top, bx + 180, int(h * 0.62)], fill=colour)
            for wy in range(top + 14, int(h * 0.6) - 20, 30):
                for wx in range(bx + 14, bx + 170, 34):
                    d.rectangle([wx, wy, wx + 20, wy + 16], fill=(150, 180, 205))
        d.rectangle([0, int(h * 0.62) - 10, w, int(h * 0.62)], fill=(90, 140, 80))  # hedge
        # the stand: canopy, table with parcels, the unit's sign
        d.polygon([(90, 150), (w - 90, 150), (w - 60, 190), (60, 190)], fill=(40, 110, 180))
        d.rectangle([100, 190, 106, ground], fill=(120, 120, 120))
        d.rectangle([w - 106, 190, w - 100, ground], fill=(120, 120, 120))
        _banner(d, (110, 196, w - 110, 240), title)
        table_top = int(h * 0.66)
        for x in (rng.randint(200, 260), rng.randint(380, 440)):  # staff behind the table
            _person(d, x, table_top + 40, 112, UNIFORM, rng.choice(SKIN), staff=True)
        d.rectangle([150, table_top, w - 150, table_top + 12], fill=(235, 235, 235))
        d.rectangle([150, table_top + 12, w - 150, ground - 20], fill=(30, 110, 170))
        _sign(d, (w // 2 - 120, table_top + 22, w // 2 + 120, table_top + 56), unit)
        for px in range(170, w - 200, 70):
            _parcel(d, px, table_top - 28, 44, 28)
        for x in (40, w - 40, rng.randint(120, 140), rng.randint(w - 140, w - 120)):  # people in front
            _person(d, x, ground + rng.randint(0, 40), rng.randint(150, 190), rng.choice(CLOTHES), rng.choice(SKIN))
    else:
        d.rectangle([0, 0, w, int(h * 0.7)], fill=(236, 232, 222))  # wall
        d.rectangle([0, int(h * 0.7), w, h], fill=(205, 200, 190))  # floor
        _banner(d, (40, 24, w - 40, 74), title)
        for sy in (110, 170, 230):  # shelves of parcels
            d.rectangle([40, sy + 34, w - 40, sy + 40], fill=(140, 120, 100))
            x = 48
            while x < w - 90:
                bw = rng.randint(30, 56)
                _parcel(d, x, sy + 34 - rng.randint(20, 32), bw, rng.randint(18, 30))
                x += bw + rng.randint(6, 16)
        for x in (rng.randint(150, 220), rng.randint(400, 480)):  # staff behind the counter
            _person(d, x, int(h * 0.74), 170, UNIFORM, rng.choice(SKIN), staff=True)
        counter = int(h * 0.62)
        d.rectangle([20, counter, w - 20, counter + 14], fill=(245, 245, 245))
        d.rectangle([20, counter + 14, w - 20, ground - 10], fill=(0, 110, 70))
        _sign(d, (w // 2 - 130, counter + 24, w // 2 + 130, counter + 58), unit)
        _parcel(d, 80, counter - 30, 60, 30)
        for x in (rng.randint(60, 110), rng.randint(w - 110, w - 60)):  # customers in front
            _person(d, x, h - 6, rng.randint(180, 210), rng.choice(CLOTHES), rng.choice(SKIN))
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()
