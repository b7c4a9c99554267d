from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join, json_script

register = template.Library()


@register.filter
def as_of(value: str) -> datetime | None:
    """The ISO time a summary was read (kept as text in the cache)."""
    return parse_datetime(value) if value else None


@register.simple_tag
def chart(specs: dict[str, Any], key: str, extra_class: str = "") -> str:
    """A chart: the canvas ECharts draws into, its spec as JSON, and the same numbers as a table."""
    spec = specs.get(key)
    if not spec:
        return ""
    dom_id = f"chart-{key.replace('_', '-')}"
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="num">{}</td></tr>',
        ((label, "–" if v is None else v) for label, v in spec["rows"]),
    )
    return format_html(
        '<figure class="db-chart {}"><div class="db-canvas" data-chart="{}-spec" aria-hidden="true"></div>{}'
        '<figcaption class="db-caption">{}</figcaption>'
        '<div class="table-wrap db-fallback"><table class="data"><caption class="sr-only">{}</caption>'
        "<tbody>{}</tbody></table></div></figure>",
        extra_class,
        dom_id,
        json_script(spec, f"{dom_id}-spec"),
        spec["title"],
        spec["title"],
        rows,
    )
