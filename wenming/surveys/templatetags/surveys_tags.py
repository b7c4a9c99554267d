"""Formatting of scores and bands on the surveys pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from wenming.core.templatetags.wenming import thousands

from ..choices import Band

register = template.Library()

_TAG = {Band.GOOD: "tag-ok", Band.MIDDLE: "tag-soon", Band.WEAK: "tag-bad", Band.NONE: "tag-muted"}


def _num(value) -> float | None:
    """A number, or None for what a template gives for a missing value ("" or None)."""
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@register.filter
def score(value) -> str:
    """A 0–100 score with one decimal, or a dash."""
    v = _num(value)
    return "—" if v is None else f"{v:.1f}"


@register.filter
def signed(value) -> str:
    v = _num(value)
    return "—" if v is None else f"{v:+.1f}"


@register.filter
def bar_class(value) -> str:
    """Bar height class h0…h10 for a score, 50 → empty, 100 → full (no inline style under the CSP)."""
    v = _num(value)
    if v is None:
        return "empty h0"
    return f"h{max(1, min(10, round((v - 50) / 5)))}"


@register.simple_tag
def band_tag(band: str) -> str:
    return format_html('<span class="tag {}">{}</span>', _TAG.get(band, "tag-muted"), Band(band).label)


@register.simple_tag
def index_cells(row: Any, dimensions: list[Any]) -> dict[str, Any]:
    """The formatted figures of one index row (``selectors.IndexRow``), each computed once: sample size,
    score, 95 % interval, band tag and ``(label, score)`` per dimension. The index table lists up to 200
    rows, and a lookup through the template context per figure was most of the page's rendering."""
    sums = row.sums
    ci = sums.ci
    return {
        "n": thousands(sums.n),
        "mean": score(sums.mean),
        "ci": f"{score(ci[0])}–{score(ci[1])}" if ci else "—",
        "band": band_tag(row.band),
        "dims": list(zip(dimensions, map(score, row.dims), strict=True)),
    }
