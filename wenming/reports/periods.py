"""Report periods: a year, a quarter or a month, written as tokens ``2026``, ``2026Q1``, ``2026-03``."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ReportPeriod:
    kind: str  # year | quarter | month
    year: int
    part: int = 0  # quarter 1..4 or month 1..12

    @property
    def start(self) -> date:
        if self.kind == "year":
            return date(self.year, 1, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.part - 2, 1)
        return date(self.year, self.part, 1)

    @property
    def end(self) -> date:
        if self.kind == "year":
            return date(self.year, 12, 31)
        last = 3 * self.part if self.kind == "quarter" else self.part
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def token(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"{self.year}Q{self.part}"
        return f"{self.year}-{self.part:02d}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.part - 1]}季度"
        return f"{self.year}年{self.part}月"

    def previous(self) -> ReportPeriod:
        if self.kind == "year":
            return ReportPeriod("year", self.year - 1)
        size = 4 if self.kind == "quarter" else 12
        if self.part == 1:
            return ReportPeriod(self.kind, self.year - 1, size)
        return ReportPeriod(self.kind, self.year, self.part - 1)

    @classmethod
    def containing(cls, kind: str, d: date) -> ReportPeriod:
        if kind == "year":
            return cls("year", d.year)
        if kind == "quarter":
            return cls("quarter", d.year, (d.month - 1) // 3 + 1)
        return cls("month", d.year, d.month)

    @classmethod
    def parse(cls, token: str) -> ReportPeriod:
        token = (token or "").strip()
        if m := re.fullmatch(r"(\d{4})", token):
            return cls("year", int(m[1]))
        if m := re.fullmatch(r"(\d{4})Q([1-4])", token):
            return cls("quarter", int(m[1]), int(m[2]))
        if (m := re.fullmatch(r"(\d{4})-(\d{2})", token)) and 1 <= int(m[2]) <= 12:
            return cls("month", int(m[1]), int(m[2]))
        raise ValueError(f"bad period {token!r}")
