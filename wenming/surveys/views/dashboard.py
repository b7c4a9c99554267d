"""The satisfaction index (reads the rollup only) and one outlet's page."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from wenming.accounts.roles import Action
from wenming.organizations.models import Outlet
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_rows

from .. import comments as comment_analysis
from .. import selectors
from ..choices import DIMENSIONS, Band, Dimension, FollowUpStatus, Grain, Period
from ..forms import IndexForm
from ..models import RollupState
from ..permissions import SurveyAction
from ..rollup import STATE

V = Action.VIEW
SHOWN = 200  # rows of the index table on the page (the template says so past it)


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.1f}"


def _period_label(period: str, year: int, part: int | None) -> str:
    if period == Period.MONTH:
        return _("%(y)s年%(m)s月") % {"y": year, "m": part}
    if period == Period.QUARTER:
        return _("%(y)s年第%(q)s季度") % {"y": year, "q": part}
    return _("%(y)s年") % {"y": year}


def _export_spec() -> ExportSpec:
    dims = [str(Dimension(d).label) for d in DIMENSIONS]
    return ExportSpec(
        filename="满意度指数",
        header=["名称", "样本量", "满意度", "95%置信下限", "95%置信上限", "等级", *dims],
        row=lambda r: r,
        object_type="surveys.ScoreRollup",
    )


def _twelve(year: int, trend) -> list[tuple[date, float | None, int]]:
    """Every month of the year, empty months included (the bars keep their places)."""
    by_month = {m.month: s for m, s in trend}
    return [
        (date(year, m, 1), by_month[m].mean if m in by_month else None, by_month[m].n if m in by_month else 0)
        for m in range(1, 13)
    ]


@staff_view(V)
def dashboard(request):
    latest = selectors.latest_month(user=request.user)
    form = IndexForm(request.GET or None, user=request.user)
    v = form.values(latest)
    if not form.is_bound:  # the filter shows the period the page defaults to, not blank year/part boxes
        form.initial.update(year=v["year"], part=v["part"])
    start, end = selectors.period_range(v["period"], v["year"], v["part"])
    rows = selectors.index_rows(
        user=request.user, grain=v["grain"], start=start, end=end, city_code=v["city"], brand_id=v["brand"]
    )
    fmt = request.GET.get("export")
    if fmt:

        def export_lines():
            for r in rows:
                ci = r.sums.ci
                yield [
                    str(r.label),
                    r.sums.n,
                    _fmt(r.mean),
                    _fmt(ci[0]) if ci else "",
                    _fmt(ci[1]) if ci else "",
                    str(Band(r.band).label),
                    *[_fmt(x) for x in r.dims],
                ]

        return export_rows(request, spec=_export_spec(), fmt=fmt, rows=export_lines, count=lambda: len(rows))
    shown = rows[:SHOWN]  # the page lists the first rows; the export has them all
    if v["grain"] == Grain.OUTLET:
        for r in shown:
            r.url = reverse("surveys:outlet", args=[r.key])
    total = None
    if rows:
        all_sums = selectors.Sums.total([r.sums for r in rows])
        total = selectors.IndexRow(key=None, label="", sums=all_sums)
        total.band = selectors.band_of(all_sums.mean, all_sums.n)
    year_start = date(v["year"], 1, 1)
    trend = selectors.monthly_trend(user=request.user, start=year_start, end=date(v["year"] + 1, 1, 1))
    counts = {b: 0 for b in (Band.GOOD, Band.MIDDLE, Band.WEAK, Band.NONE)}
    for r in rows:
        counts[r.band] += 1
    state = RollupState.objects.filter(name=STATE).first()
    return render(
        request,
        "surveys/dashboard.html",
        {
            "form": form,
            "v": v,
            "rows": shown,
            "n_rows": len(rows),
            "total": total,
            "band_counts": [(Band(b).label, b, n) for b, n in counts.items()],
            "trend": _twelve(v["year"], trend),
            "period_label": _period_label(v["period"], v["year"], v["part"]),
            "dimensions": [str(Dimension(d).label) for d in DIMENSIONS],  # translated once, not per cell
            "limits": selectors.bands(),
            "state": state,
            "can_export": can(request, Action.EXPORT),
            "can_manage": can(request, SurveyAction.MANAGE),
        },
    )


@staff_view(V)
def outlet_detail(request, pk: int):
    outlet = get_scoped_or_404(request, Outlet.objects.select_related("organization", "brand"), pk=pk)
    latest = selectors.latest_month(user=request.user) or date.today().replace(day=1)
    raw = str(request.GET.get("year", ""))
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else latest.year
    trend = selectors.monthly_trend(
        user=request.user, start=date(year, 1, 1), end=date(year + 1, 1, 1), outlet_id=outlet.pk
    )
    limits = selectors.bands()
    quarters, year_sums = [], selectors.Sums()
    for q in range(1, 5):
        qs = selectors.Sums()
        for m, sums in trend:
            if (m.month - 1) // 3 + 1 == q:
                qs.add(sums.values)
        year_sums.add(qs.values)
        quarters.append((q, qs, selectors.band_of(qs.mean, qs.n, limits)))
    year_band = selectors.band_of(year_sums.mean, year_sums.n, limits)
    insights = selectors.comment_list(user=request.user).filter(outlet_id=outlet.pk)
    return render(
        request,
        "surveys/outlet_detail.html",
        {
            "outlet": outlet,
            "year": year,
            "trend": [(m, s.mean, s.n, [s.dimension(d) for d in DIMENSIONS]) for m, s in trend],
            "quarters": quarters,
            "year_sums": year_sums,
            "year_band": year_band,
            "limits": limits,
            "dimensions": [Dimension(d).label for d in DIMENSIONS],
            "keywords": comment_analysis.keywords_of(insights.filter(day__year=year)),
            "negatives": list(insights.filter(negative=True)[:10]),
            "open_count": insights.filter(status=FollowUpStatus.OPEN).count(),
            "can_manage": can(request, SurveyAction.MANAGE, outlet),
        },
    )
