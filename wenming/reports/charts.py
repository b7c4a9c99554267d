"""Server-side charts, pure Python: one geometry (a list of shapes), two serialisers.

``bar_chart`` / ``line_chart`` lay a chart out once as primitive shapes; ``to_svg`` writes them as SVG
(embedded as vector graphics in the PDF) and ``to_png`` paints the same shapes with Pillow (for the
Word file: python-docx embeds raster images only). No browser, no cairo: cairosvg is not installed and
WeasyPrint 70 can no longer write PNG, so the PNG is drawn from the same geometry, not rasterised from
the SVG text; both carry the same bars, points and labels.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 320
PAD_L, PAD_R, PAD_T, PAD_B = 56, 16, 40, 56
COLOUR = "#1f7a4d"  # postal green
GRID = "#d0d7d3"
TEXT = "#222222"
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


@dataclass(frozen=True)
class Shape:
    kind: str  # rect | line | polyline | circle | text
    points: tuple[float, ...]
    fill: str = ""
    stroke: str = ""
    text: str = ""
    size: int = 12
    anchor: str = "middle"  # start | middle | end


@dataclass
class Chart:
    title: str
    shapes: list[Shape] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1
    import math

    mag = 10 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return step * mag
    return 10 * mag


def tick_label(v: float) -> str:
    """An axis value as written: 1,250 / 2.5 / 0.25 (never rounded to a different number)."""
    if float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _frame(chart: Chart, vmax: float) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = PAD_L, PAD_T, chart.width - PAD_R, chart.height - PAD_B
    chart.shapes.append(Shape("text", (chart.width / 2, 22), fill=TEXT, text=chart.title, size=15))
    for i in range(5):
        y = y1 - (y1 - y0) * i / 4
        chart.shapes.append(Shape("line", (x0, y, x1, y), stroke=GRID))
        chart.shapes.append(
            Shape("text", (x0 - 6, y + 4), fill=TEXT, text=tick_label(vmax * i / 4), size=11, anchor="end")
        )
    chart.shapes.append(Shape("line", (x0, y1, x1, y1), stroke=TEXT))
    return x0, y0, x1, y1


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float]) -> Chart:
    chart = Chart(title)
    vmax = _nice_max(max([float(v) for v in values] or [0]))
    x0, y0, x1, y1 = _frame(chart, vmax)
    n = max(1, len(labels))
    slot = (x1 - x0) / n
    for i, (label, v) in enumerate(zip(labels, values, strict=False)):
        h = (y1 - y0) * float(v) / vmax
        bx = x0 + slot * i + slot * 0.15
        chart.shapes.append(Shape("rect", (bx, y1 - h, slot * 0.7, h), fill=COLOUR))
        chart.shapes.append(Shape("text", (bx + slot * 0.35, y1 + 16), fill=TEXT, text=str(label), size=11))
    return chart


def line_chart(title: str, labels: Sequence[str], values: Sequence[float]) -> Chart:
    chart = Chart(title)
    vmax = _nice_max(max([float(v) for v in values] or [0]))
    x0, y0, x1, y1 = _frame(chart, vmax)
    n = max(1, len(labels))
    slot = (x1 - x0) / n
    pts: list[float] = []
    for i, (label, v) in enumerate(zip(labels, values, strict=False)):
        x = x0 + slot * (i + 0.5)
        y = y1 - (y1 - y0) * float(v) / vmax
        pts += [x, y]
        chart.shapes.append(Shape("text", (x, y1 + 16), fill=TEXT, text=str(label), size=11))
    if pts:
        chart.shapes.append(Shape("polyline", tuple(pts), stroke=COLOUR))
        for i in range(0, len(pts), 2):
            chart.shapes.append(Shape("circle", (pts[i], pts[i + 1], 3.5), fill=COLOUR))
    return chart


def to_svg(chart: Chart) -> str:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{chart.width}" height="{chart.height}" '
        f'viewBox="0 0 {chart.width} {chart.height}" font-family="Noto Sans CJK SC, sans-serif">',
        f"<title>{escape(chart.title)}</title>",
        f'<rect x="0" y="0" width="{chart.width}" height="{chart.height}" fill="#ffffff"/>',
    ]
    for s in chart.shapes:
        p = s.points
        if s.kind == "rect":
            out.append(f'<rect x="{p[0]:.1f}" y="{p[1]:.1f}" width="{p[2]:.1f}" height="{p[3]:.1f}" fill="{s.fill}"/>')
        elif s.kind == "line":
            out.append(f'<line x1="{p[0]:.1f}" y1="{p[1]:.1f}" x2="{p[2]:.1f}" y2="{p[3]:.1f}" stroke="{s.stroke}"/>')
        elif s.kind == "polyline":
            pts = " ".join(f"{p[i]:.1f},{p[i + 1]:.1f}" for i in range(0, len(p), 2))
            out.append(f'<polyline points="{pts}" fill="none" stroke="{s.stroke}" stroke-width="2"/>')
        elif s.kind == "circle":
            out.append(f'<circle cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="{p[2]:.1f}" fill="{s.fill}"/>')
        elif s.kind == "text":
            out.append(
                f'<text x="{p[0]:.1f}" y="{p[1]:.1f}" font-size="{s.size}" text-anchor="{s.anchor}" '
                f'fill="{s.fill}">{escape(s.text)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def _font(size: int):
    from PIL import ImageFont

    for path in CJK_FONTS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def to_png(chart: Chart, scale: int = 2) -> bytes:
    """The same shapes painted at ``scale``× (sharp when Word prints it)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (chart.width * scale, chart.height * scale), "#ffffff")
    d = ImageDraw.Draw(img)
    k = scale
    for s in chart.shapes:
        p = [v * k for v in s.points]
        if s.kind == "rect":
            d.rectangle((p[0], p[1], p[0] + p[2], p[1] + p[3]), fill=s.fill)
        elif s.kind == "line":
            d.line(p, fill=s.stroke, width=k)
        elif s.kind == "polyline":
            d.line(p, fill=s.stroke, width=2 * k)
        elif s.kind == "circle":
            d.ellipse((p[0] - p[2], p[1] - p[2], p[0] + p[2], p[1] + p[2]), fill=s.fill)
        elif s.kind == "text":
            font = _font(s.size * k)
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[s.anchor]
            d.text((p[0], p[1]), s.text, fill=s.fill, font=font, anchor=anchor)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()
