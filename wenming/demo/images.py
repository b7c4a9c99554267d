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
