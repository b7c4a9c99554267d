"""Reads of the assessment for a user: snapshots per city and period, the ranking, a metric's trend.

The dashboards and the reports read these three functions (the contract): ``snapshot_table``,
``ranking`` and ``metric_series``. Every read starts from ``visible_to(user, assessment.view)``: a
province user sees the 14 cities, a city bureau only its own row. The ranking's points and ranks are
computed over all 14 cities (a rank means nothing otherwise) and then only the visible rows are returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext

from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization

from .choices import SchemeStatus
from .metrics import Metric, Period, all_metrics, metric
from .models import Adjustment, Indicator, MetricSnapshot, Scheme
from .permissions import AssessmentAction
from .scoring import competition_ranks, points_for

VIEW = AssessmentAction.VIEW


# ---------------------------------------------------------------------------------------------- cities


def all_cities() -> list[Organization]:
    """The active city bureaus (normally 14), by their GB/T 2260 code. System read: metrics compute over all."""
    return list(Organization.objects.filter(kind=OrgKind.CITY_BUREAU, is_active=True).order_by("code", "pk"))


def visible_cities(user: Any) -> list[Organization]:
    return list(
        Organization.objects.visible_to(user, VIEW)
        .filter(kind=OrgKind.CITY_BUREAU, is_active=True)
        .order_by("code", "pk")
    )


def city_get(user: Any, pk: Any) -> Organization:
    """A city bureau in the user's assessment scope, else 404."""
    return get_object_or_404(Organization.objects.visible_to(user, VIEW).filter(kind=OrgKind.CITY_BUREAU), pk=pk)


# -------------------------------------------------------------------------------------------- snapshots


@dataclass
class SnapshotTable:
    period: Period
    metrics: list[Metric]
    rows: list[tuple[Organization, dict[str, MetricSnapshot]]]
    as_of: datetime | None


def _metrics_for(keys: Sequence[str] | None) -> list[Metric]:
    if keys is None:
        return all_metrics()
    out = []
    for k in keys:
        try:
            out.append(metric(k))
        except KeyError:
            continue
    return out


def snapshot_table(user: Any, *, period: Period, keys: Sequence[str] | None = None) -> SnapshotTable:
    """The snapshots of ``period`` for every city the user may see (two queries whatever the data volume)."""
    metrics = _metrics_for(keys)
    cities = visible_cities(user)
    qs = MetricSnapshot.objects.visible_to(user, VIEW).filter(
        period_kind=period.kind, period_start=period.start, org__in=[c.pk for c in cities]
    )
    if keys is not None:
        qs = qs.filter(metric_key__in=[m.key for m in metrics])
    by_city: dict[int, dict[str, MetricSnapshot]] = {c.pk: {} for c in cities}
    stamps: list[datetime] = []
    for s in qs.order_by():
        by_city.setdefault(s.org_id, {})[s.metric_key] = s
        stamps.append(s.computed_at)
    return SnapshotTable(
        period=period,
        metrics=metrics,
        rows=[(c, by_city.get(c.pk, {})) for c in cities],
        as_of=min(stamps) if stamps else None,
    )


def metric_series(
    user: Any, key: str, *, org: Organization, periods: Sequence[Period]
) -> list[tuple[Period, MetricSnapshot | None]]:
    """One metric of one city over ``periods`` (a trend); ``None`` where no snapshot exists. One query."""
    if not periods:
        return []
    q = Q()
    for p in periods:
        q |= Q(period_kind=p.kind, period_start=p.start)
    found = {
        (s.period_kind, s.period_start): s
        for s in MetricSnapshot.objects.visible_to(user, VIEW).filter(q, org=org, metric_key=key).order_by()
    }
    return [(p, found.get((p.kind, p.start))) for p in periods]


def snapshot_get(user: Any, *, org: Organization, key: str, period: Period) -> MetricSnapshot | None:
    return (
        MetricSnapshot.objects.visible_to(user, VIEW)
        .filter(org=org, metric_key=key, period_kind=period.kind, period_start=period.start)
        .first()
    )


# ---------------------------------------------------------------------------------------------- schemes


def scheme_list(*, user: Any) -> Any:
    return (
        Scheme.objects.visible_to(user, VIEW)
        .select_related("organization", "published_by")
        .order_by("-year", "-version")
    )


def scheme_get(user: Any, pk: Any, action: str = VIEW) -> Scheme:
    return get_object_or_404(Scheme.objects.visible_to(user, action).select_related("organization"), pk=pk)


def published_scheme(year: int) -> Scheme | None:
    """The latest published version for ``year`` (the one the ranking uses by default)."""
    return (
        Scheme.objects.filter(year=year, status=SchemeStatus.PUBLISHED)
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id")))
        .order_by("-version")
        .first()
    )


def published_schemes_for(user: Any, year: int) -> list[Scheme]:
    """Published versions of ``year`` the user may choose between on the ranking page."""
    return list(
        Scheme.objects.filter(year=year, status=SchemeStatus.PUBLISHED).order_by("-version")
        if visible_cities(user)
        else []
    )


# ---------------------------------------------------------------------------------------------- ranking


@dataclass
class Cell:
    metric: Metric
    indicator: Indicator
    value: MetricSnapshot | None
    points: Decimal
    url: str

    @property
    def label(self) -> str:
        return gettext(self.metric.label)


@dataclass
class RankingRow:
    org: Organization
    total: Decimal
    rank: int
    cells: list[Cell]
    adjustments: list[Adjustment]
    score: Decimal = Decimal(0)  # indicator points before adjustments
    adjustment_total: Decimal = Decimal(0)


@dataclass
class Ranking:
    year: int
    scheme: Scheme | None
    period: Period
    rows: list[RankingRow]
    as_of: datetime | None
    indicators: list[Indicator] = field(default_factory=list)
    city_count: int = 0

    @property
    def adjustments(self) -> list[tuple[Organization, Adjustment]]:
        """Every adjustment of the visible rows, with its city (the page's 加减分明细)."""
        return [(r.org, a) for r in self.rows for a in r.adjustments]


def cell_url(org: Organization, key: str, year: int, scheme: Scheme | None = None) -> str:
    url = reverse("assessment:cell", args=[org.pk, key]) + f"?year={year}"
    return url + (f"&scheme={scheme.pk}" if scheme is not None else "")


def ranking(user: Any, *, year: int, scheme: Scheme | None = None) -> Ranking:
    """The 14 cities' totals and ranks for ``year`` under ``scheme`` (default: the latest published).

    Reads the year snapshots and the adjustments, never the records: constant in the data volume (five
    queries). Rows are only the cities visible to ``user``; ranks are over all cities.
    """
    period = Period.year(year)
    mine = visible_cities(user)
    if scheme is None:
        scheme = published_scheme(year)
    if not mine or scheme is None:
        return Ranking(year=year, scheme=scheme, period=period, rows=[], as_of=None)
    indicators = list(scheme.indicators.all())
    keys = [i.metric_key for i in indicators]
    cities = all_cities()
    snaps: dict[tuple[int, str], MetricSnapshot] = {}
    stamps: list[datetime] = []
    for s in MetricSnapshot.objects.filter(
        period_kind=period.kind, period_start=period.start, metric_key__in=keys, org__in=[c.pk for c in cities]
    ).order_by():
        snaps[(s.org_id, s.metric_key)] = s
        stamps.append(s.computed_at)
    adjustments: dict[int, list[Adjustment]] = {c.pk: [] for c in cities}
    for a in (
        Adjustment.objects.filter(year=year, revoked_at__isnull=True, org__in=[c.pk for c in cities])
        .select_related("created_by")
        .order_by("created_at", "pk")
    ):
        adjustments.setdefault(a.org_id, []).append(a)

    points: dict[str, dict[int, Decimal]] = {}
    for ind in indicators:
        try:
            m = metric(ind.metric_key)
        except KeyError:
            continue
        values = {
            c.pk: (snaps[(c.pk, ind.metric_key)].value if (c.pk, ind.metric_key) in snaps else None) for c in cities
        }
        points[ind.metric_key] = points_for(
            ind.rule, values, weight=ind.weight, target=ind.target, higher_is_better=m.higher_is_better
        )
    scores = {c.pk: sum((points[k][c.pk] for k in points), Decimal(0)) for c in cities}
    adj_totals = {c.pk: sum((a.points for a in adjustments.get(c.pk, [])), Decimal(0)) for c in cities}
    totals = {pk: scores[pk] + adj_totals[pk] for pk in scores}
    ranks = competition_ranks(totals)

    rows = []
    for c in mine:
        if c.pk not in totals:
            continue
        cells = []
        for ind in indicators:
            if ind.metric_key not in points:
                continue
            cells.append(
                Cell(
                    metric=metric(ind.metric_key),
                    indicator=ind,
                    value=snaps.get((c.pk, ind.metric_key)),
                    points=points[ind.metric_key][c.pk],
                    url=cell_url(c, ind.metric_key, year, scheme),
                )
            )
        rows.append(
            RankingRow(
                org=c,
                total=totals[c.pk],
                rank=ranks[c.pk],
                cells=cells,
                adjustments=adjustments.get(c.pk, []),
                score=scores[c.pk],
                adjustment_total=adj_totals[c.pk],
            )
        )
    rows.sort(key=lambda r: (r.rank, r.org.code))
    return Ranking(
        year=year,
        scheme=scheme,
        period=period,
        rows=rows,
        as_of=min(stamps) if stamps else None,
        indicators=[i for i in indicators if i.metric_key in points],
        city_count=len(cities),
    )


def adjustment_list(*, user: Any, year: int | None = None) -> Any:
    qs = Adjustment.objects.visible_to(user, VIEW).select_related("org", "created_by", "revoked_by")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-created_at", "-pk")


def adjustment_get(user: Any, pk: Any, action: str) -> Adjustment:
    return get_object_or_404(Adjustment.objects.visible_to(user, action).select_related("org"), pk=pk)
