"""Chart specs: small JSON-able dicts the server builds and ``static/js/charts.js`` turns into ECharts
options. Every spec carries its rows too, so the page prints the same numbers as a table (the
accessible fallback, and what shows without script)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Spec = dict[str, Any]


def _rows(labels: Sequence[str], values: Sequence[Any]) -> list[list[Any]]:
    return [[str(label), value] for label, value in zip(labels, values, strict=True)]


def line(title: str, labels: Sequence[str], values: Sequence[float | int | None], *, unit: str = "") -> Spec:
    return {"type": "line", "title": title, "unit": unit, "rows": _rows(labels, values)}


def bar(
    title: str, labels: Sequence[str], values: Sequence[float | int | None], *, unit: str = "", horizontal: bool = False
) -> Spec:
    return {"type": "bar", "title": title, "unit": unit, "horizontal": horizontal, "rows": _rows(labels, values)}


def pie(title: str, labels: Sequence[str], values: Sequence[float | int], *, unit: str = "") -> Spec:
    return {"type": "pie", "title": title, "unit": unit, "rows": _rows(labels, values)}


def city_map(
    title: str, labels: Sequence[str], values: Sequence[float | int | None], *, geo_url: str, unit: str = ""
) -> Spec:
    """A map of Liaoning by city; ``labels`` are the city names of the GeoJSON features (沈阳市 …)."""
    return {
        "type": "map",
        "title": title,
        "unit": unit,
        "geo": geo_url,
        "map": "liaoning",
        "rows": _rows(labels, values),
    }
