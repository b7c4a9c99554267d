"""GB/T 2260 lookup for Liaoning (province → 14 cities → 100 counties), read once from a data file."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "liaoning-divisions.csv"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province | city | county
    parent_code: str


@cache
def _all() -> dict[str, Division]:
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        return {row["code"]: Division(**row) for row in csv.DictReader(fh)}


def division(code: str) -> Division | None:
    return _all().get((code or "").strip())


def division_name(code: str) -> str:
    d = division(code)
    return d.name if d else ""


def cities() -> list[Division]:
    return [d for d in _all().values() if d.level == "city"]


def counties_of(city_code: str) -> list[Division]:
    return [d for d in _all().values() if d.level == "county" and d.parent_code == city_code]


def is_county_of(county_code: str, city_code: str) -> bool:
    d = division(county_code)
    return d is not None and d.level == "county" and d.parent_code == city_code


def city_choices() -> list[tuple[str, str]]:
    return [(d.code, d.name) for d in cities()]


def county_choices(city_codes: list[str] | None = None) -> list[tuple[str, str]]:
    """County options; with several cities, grouped by city (optgroups)."""
    codes = city_codes if city_codes is not None else [c.code for c in cities()]
    if len(codes) == 1:
        return [(d.code, d.name) for d in counties_of(codes[0])]
    return [(division_name(c), [(d.code, d.name) for d in counties_of(c)]) for c in codes if counties_of(c)]
