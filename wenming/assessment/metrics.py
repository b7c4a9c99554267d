"""THE metric registry: "a number per city bureau per period, computed from platform data".

A :class:`Metric` computes the value for every city bureau of one :class:`Period` in one pass (grouped
queries through the owning module's selectors, never a loop of queries per city) and knows the list page
of the records behind the number. The ranking, the dashboards and the reports read the numbers from
:class:`~wenming.assessment.models.MetricSnapshot` rows that :func:`services.refresh_snapshots` writes.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from wenming.organizations.models import Organization

PeriodKind = Literal["year", "quarter", "month"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("year", "quarter", "month")


@dataclass(frozen=True)
class Period:
    """A calendar year, quarter or month (both ends inclusive)."""

    kind: PeriodKind
    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls("year", date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError("quarter must be 1..4")
        first = 3 * (quarter - 1) + 1
        return cls("quarter", date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1]))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls("month", date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def of(cls, kind: str, start: date) -> Period:
        """The period of ``kind`` that contains ``start``."""
        if kind == "year":
            return cls.year(start.year)
        if kind == "quarter":
            return cls.quarter(start.year, (start.month - 1) // 3 + 1)
        if kind == "month":
            return cls.month(start.year, start.month)
        raise ValueError(f"unknown period kind {kind!r}")

    @classmethod
    def current(cls, kind: str, today: date) -> Period:
        return cls.of(kind, today)

    @property
    def number(self) -> int:
        """The quarter (1..4) or month (1..12) within the year; 0 for a year."""
        if self.kind == "quarter":
            return (self.start.month - 1) // 3 + 1
        if self.kind == "month":
            return self.start.month
        return 0

    def previous(self) -> Period:
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        if self.kind == "quarter":
            q = self.number
            return Period.quarter(self.start.year - 1, 4) if q == 1 else Period.quarter(self.start.year, q - 1)
        m = self.start.month
        return Period.month(self.start.year - 1, 12) if m == 1 else Period.month(self.start.year, m - 1)

    def months(self) -> list[Period]:
        return [Period.month(self.start.year, m) for m in range(self.start.month, self.end.month + 1)]

    @property
    def label(self) -> str:
        y = self.start.year
        if self.kind == "year":
            return _("%(y)s年") % {"y": y}
        if self.kind == "quarter":
            names = {1: _("第一季度"), 2: _("第二季度"), 3: _("第三季度"), 4: _("第四季度")}
            return _("%(y)s年%(q)s") % {"y": y, "q": names[self.number]}
        return _("%(y)s年%(m)s月") % {"y": y, "m": self.start.month}

    @property
    def token(self) -> str:
        """A compact URL form: ``2026``, ``2026-Q4``, ``2026-12``."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year}-Q{self.number}"
        return f"{self.start.year}-{self.start.month:02d}"

    @classmethod
    def parse(cls, token: str) -> Period:
        """The inverse of :attr:`token`; ``ValueError`` on anything else."""
        token = (token or "").strip()
        if "-Q" in token:
            y, q = token.split("-Q", 1)
            return cls.quarter(int(y), int(q))
        if "-" in token:
            y, m = token.split("-", 1)
            return cls.month(int(y), int(m))
        return cls.year(int(token))

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class MetricValue:
    """One city's number; ``value`` is ``None`` when there is nothing to measure (no denominator)."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def ratio(numerator: int | Decimal | None, denominator: int | Decimal | None, *, scale: int = 1) -> MetricValue:
    """``numerator / denominator × scale`` rounded to two places, ``None`` without a denominator."""
    num = Decimal(numerator or 0)
    den = Decimal(denominator or 0)
    if not den:
        return MetricValue(None, num, den)
    return MetricValue((num * scale / den).quantize(Decimal("0.01")), num, den)


def count(n: int | Decimal | None) -> MetricValue:
    return MetricValue(Decimal(n or 0), Decimal(n or 0), None)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # gettext_noop Chinese; translate when shown
    unit: str  # gettext_noop Chinese ("%", "件", "小时/人" ...)
    higher_is_better: bool
    compute: Callable[[Period], dict[int, MetricValue]] = field(compare=False)
    records_url: Callable[[Organization, Period], str] = field(compare=False)
    formula: str = ""  # gettext_noop Chinese: how the number is computed (shown on the detail page)
    source: str = ""  # gettext_noop Chinese: the module and records it is read from
    order: int = 0


_REGISTRY: dict[str, Metric] = {}


def register_metric(metric: Metric) -> Metric:
    """Register (or replace, for the same key) a metric; returns it so modules can keep it."""
    _REGISTRY[metric.key] = metric
    return metric


def unregister_metric(key: str) -> None:
    _REGISTRY.pop(key, None)


def metric(key: str) -> Metric:
    """The registered metric; ``KeyError`` for an unknown key."""
    return _REGISTRY[key]


def all_metrics() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda m: (m.order, m.key))


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, _(m.label)) for m in all_metrics()]
