"""A drawn round seal (SVG): red ring, five-pointed star, the issuing body's name along the upper arc.

Used when the issuing body has uploaded no seal image of its own (``organizations`` 出具印章); the
uploaded image always wins. The drawing is generated from the name alone, so it needs no file.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

RED = "#d7000f"


def _star(cx: float, cy: float, r: float) -> str:
    pts = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = math.radians(-90 + i * 36)
        pts.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return " ".join(pts)


def seal_svg(name: str, *, caption: str = "", size: int = 160) -> SafeString:
    """An ``<svg>`` seal for ``name`` (safe to put in a template: every text is escaped)."""
    c = size / 2
    ring = size * 0.035
    text_r = c - ring - size * 0.11  # baseline radius of the name
    chars = list(name.strip())[:24] or ["印"]
    font = min(size * 0.13, (math.radians(250) * text_r) / max(len(chars), 1) * 0.92)
    span = min(250.0, len(chars) * math.degrees(font / text_r) * 1.08)  # degrees the name covers
    glyphs = []
    for i, ch in enumerate(chars):
        angle = -span / 2 + (span * (i + 0.5) / len(chars)) if len(chars) > 1 else 0.0
        rad = math.radians(angle - 90)
        x, y = c + text_r * math.cos(rad), c + text_r * math.sin(rad)
        glyphs.append(
            f'<text x="0" y="0" transform="translate({x:.2f},{y:.2f}) rotate({angle:.2f})" '
            f'text-anchor="middle" dominant-baseline="central" font-size="{font:.2f}">{escape(ch)}</text>'
        )
    cap = ""
    if caption:
        cap = (
            f'<text x="{c:.2f}" y="{c + size * 0.27:.2f}" text-anchor="middle" '
            f'font-size="{size * 0.085:.2f}">{escape(caption[:12])}</text>'
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="seal-drawn" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="{escape(name)}">'
        f'<g fill="{RED}" stroke="none" font-family="Noto Serif CJK SC, Noto Sans CJK SC, serif" font-weight="bold" '
        f'opacity="0.88">'
        f'<circle cx="{c}" cy="{c}" r="{c - ring / 2 - 1:.2f}" fill="none" stroke="{RED}" stroke-width="{ring:.2f}"/>'
        f'<polygon points="{_star(c, c, size * 0.15)}"/>' + "".join(glyphs) + cap + "</g></svg>"
    )
    return mark_safe(svg)
