"""Reads of the surveys app. Every read starts from ``visible_to(user, action)``; the index reads only the
rollup (``ScoreRollup``), never the raw responses.

Statistics (documented in docs/surveys.md): the index of a group is the mean overall score of its
scored responses; its 95 % confidence interval is mean ± 1.96 · s / √n with the sample standard
deviation s, from the exact sums and sums of squares the rollup keeps. Bands: ≥ good → 良好, < weak →
待改进, in between 中等; fewer than ``min_n`` responses → 样本不足 (no band, no rank).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import BigIntegerField, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext

from wenming.accounts.roles import Action
from wenming.core.db import reporting_db
from wenming.organizations.divisions import division_name

from .choices import DIMENSIONS, Band, FollowUpStatus, Grain, Period, QuestionnaireStatus
from .models import SUM_FIELDS, CommentInsight, Questionnaire, ScoreRollup, SurveyResponse

Z95 = 1.959964

DEFAULT_BANDS = {"good": 80.0, "weak": 77.0, "min_n": 30}


def bands() -> dict[str, float]:
    """The band limits (``settings.WENMING_SURVEY_BANDS`` overrides any of good / weak / min_n)."""
    return {**DEFAULT_BANDS, **getattr(settings, "WENMING_SURVEY_BANDS", {})}


def band_of(mean: float | None, n: int, limits: dict[str, float] | None = None) -> str:
    limits = limits or bands()
    if mean is None or n < limits["min_n"]:
        return Band.NONE
    if mean >= limits["good"]:
        return Band.GOOD
    if mean < limits["weak"]:
        return Band.WEAK
    return Band.MIDDLE


@dataclass
class Sums:
    """Additive sums of a group (tenths of a point) and what follows from them."""

    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUM_FIELDS, 0))

    @classmethod
    def of(cls, values: Sequence[int]) -> Sums:
        """The sums from integers in the order of ``SUM_FIELDS`` (a grouped row annotated with
        ``_sum_columns``); cheaper than ``add`` when a page builds thousands of them."""
        return cls(dict(zip(SUM_FIELDS, values, strict=True)))

    @classmethod
    def total(cls, parts: list[Sums]) -> Sums:
        """The sums of several groups together."""
        return cls({f: sum(p.values[f] for p in parts) for f in SUM_FIELDS})

    def add(self, row: dict[str, Any]) -> None:
        for f in SUM_FIELDS:
            self.values[f] += int(row.get(f) or 0)

    @property
    def n(self) -> int:
        return self.values["n"]

    @property
    def responses(self) -> int:
        return self.values["responses"]

    @property
    def mean(self) -> float | None:
        return self.values["s"] / self.n / 10 if self.n else None

    @property
    def variance(self) -> float | None:
        """Sample variance of the overall score, in points²."""
        n, s, ss = self.n, self.values["s"], self.values["ss"]
        if n < 2:
            return None
        return max(0.0, (ss - s * s / n) / (n - 1)) / 100

    @property
    def half_width(self) -> float | None:
        v = self.variance
        return Z95 * math.sqrt(v / self.n) if v is not None else None

    @property
    def ci(self) -> tuple[float, float] | None:
        h, m = self.half_width, self.mean
        return (m - h, m + h) if h is not None and m is not None else None

    def dimension(self, d: str) -> float | None:
        n = self.values[f"n_{d}"]
        return self.values[f"s_{d}"] / n / 10 if n else None


@dataclass
class IndexRow:
    key: Any
    label: str
    sums: Sums
    band: str = Band.NONE
    url: str = ""

    @property
    def mean(self) -> float | None:
        return self.sums.mean

    @property
    def dims(self) -> list[float | None]:
        return [self.sums.dimension(d) for d in DIMENSIONS]


def period_range(period: str, year: int, part: int | None) -> tuple[date, date]:
    """[start, end) of a month, quarter or year (``part`` = month 1–12 or quarter 1–4)."""
    if period == Period.MONTH:
        m = part or 1
        return date(year, m, 1), date(year + (m == 12), m % 12 + 1, 1)
    if period == Period.QUARTER:
        q = part or 1
        start = date(year, 3 * q - 2, 1)
        return start, (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1))
    return date(year, 1, 1), date(year + 1, 1, 1)


GROUP_FIELDS = {
    Grain.OUTLET: ("outlet_id", "outlet__organization__name"),
    Grain.ENTERPRISE: ("enterprise_id", "enterprise__name"),
    Grain.BRAND: ("brand_id", "brand__name"),
    Grain.CITY: ("city_code",),
    Grain.PROVINCE: (),
}


def rollups(*, user: Any) -> QuerySet[ScoreRollup]:
    return ScoreRollup.objects.visible_to(user, Action.VIEW)


def _sum_kwargs() -> dict[str, Sum]:
    return {f: Sum(f) for f in SUM_FIELDS}


def _sum_columns() -> dict[str, Cast]:
    """The sums as integers in SQL: PostgreSQL's SUM of a bigint is a numeric, which the driver and then
    the ORM would convert value by value (16 a group, thousands of groups on an outlet page)."""
    return {f: Cast(Sum(f), BigIntegerField()) for f in SUM_FIELDS}


def index_rows(
    *, user: Any, grain: str, start: date, end: date, city_code: str = "", brand_id: int | None = None
) -> list[IndexRow]:
    """The index per group of ``grain`` over [start, end): one GROUP BY over the rollup rows in scope."""
    qs = rollups(user=user).filter(month__gte=start, month__lt=end)
    if city_code:
        qs = qs.filter(city_code=city_code)
    if brand_id:
        qs = qs.filter(brand_id=brand_id)
    fields = GROUP_FIELDS[grain]
    limits = bands()
    out: list[IndexRow] = []
    with reporting_db():  # dashboards tolerate replication lag: the replica when one is configured
        if not fields:
            agg = qs.aggregate(**_sum_kwargs())
            grouped = []
        else:
            agg = None
            # tuples, not dicts: (key[, name], *SUM_FIELDS)
            grouped = list(qs.values_list(*fields).annotate(**_sum_columns()).order_by())
    if not fields:
        s = Sums()
        s.add(agg)
        if s.responses:
            out.append(IndexRow(key=None, label=gettext("全省"), sums=s, band=band_of(s.mean, s.n, limits)))
        return out
    k = len(fields)
    for row in grouped:
        s = Sums.of(row[k:])
        key = row[0]
        label = row[1] if k > 1 else division_name(key) or key
        out.append(IndexRow(key=key, label=label, sums=s, band=band_of(s.mean, s.n, limits)))
    out.sort(key=lambda r: (r.sums.n < limits["min_n"], -(r.mean or 0), str(r.label)))
    return out


def monthly_trend(*, user: Any, start: date, end: date, outlet_id: int | None = None) -> list[tuple[date, Sums]]:
    qs = rollups(user=user).filter(month__gte=start, month__lt=end)
    if outlet_id:
        qs = qs.filter(outlet_id=outlet_id)
    with reporting_db():
        grouped = list(qs.values_list("month").annotate(**_sum_columns()).order_by("month"))
    return [(row[0], Sums.of(row[1:])) for row in grouped]


def latest_month(*, user: Any) -> date | None:
    return rollups(user=user).order_by("-month").values_list("month", flat=True).first()


def response_list(*, user: Any) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.visible_to(user, Action.VIEW).select_related("outlet__organization").order_by("-id")


def comment_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[CommentInsight]:
    return CommentInsight.objects.visible_to(user, action).select_related("outlet__organization", "enterprise")


def open_follow_ups(*, user: Any, action: str) -> QuerySet[CommentInsight]:
    return comment_list(user=user, action=action).filter(status=FollowUpStatus.OPEN)


def questionnaire_list(*, user: Any) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.visible_to(user, Action.VIEW).select_related("organization")


def published_questionnaires(*, user: Any) -> QuerySet[Questionnaire]:
    return questionnaire_list(user=user).filter(status=QuestionnaireStatus.PUBLISHED)


def search_q(q: str) -> Q:
    return Q(outlet__organization__name__icontains=q)


def index_by_city(start: date, end: date) -> dict[str, Sums]:
    """The satisfaction sums per city code over the months of [start, end] (both inclusive days), read from
    the rollup (never the raw responses); the assessment reads this, for every city, with no user scope."""
    qs = ScoreRollup.objects.filter(month__gte=start.replace(day=1), month__lte=end)
    out: dict[str, Sums] = {}
    with reporting_db():
        for row in qs.values("city_code").annotate(**_sum_kwargs()).order_by():
            s = Sums()
            s.add(row)
            out[row["city_code"]] = s
    return out
