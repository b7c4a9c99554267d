"""考核排名: the 14 cities' totals and ranks, and the computation behind every number."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.forms import parse_id, parse_year
from wenming.web.gate import staff_view
from wenming.web.lists import ExportSpec, export_rows

from .. import selectors
from ..metrics import Period, metric
from ..models import Scheme
from ..permissions import AssessmentAction as A


def _scheme(request, year: int) -> Scheme | None:
    pk = parse_id(request.GET.get("scheme"))
    if pk is None:
        return None
    return selectors.scheme_get(request.user, pk) if Scheme.objects.filter(pk=pk, year=year).exists() else None


def _export_rows(result):
    for r in result.rows:
        yield [
            r.rank,
            r.org.name,
            *[("" if c.value is None or c.value.value is None else c.value.value) for c in r.cells],
            *[c.points for c in r.cells],
            r.adjustment_total,
            r.total,
        ]


@staff_view(A.VIEW)
def ranking_page(request):
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    result = selectors.ranking(request.user, year=year, scheme=_scheme(request, year))
    fmt = request.GET.get("export")
    if fmt:
        labels = [_(metric(i.metric_key).label) for i in result.indicators]
        spec = ExportSpec(
            filename=_("考核排名"),
            header=[
                _("名次"),
                _("市局"),
                *labels,
                *[_("%(l)s得分") % {"l": x} for x in labels],
                _("加减分"),
                _("总分"),
            ],
            row=lambda r: r,
            object_type="assessment.Ranking",
        )
        rows = list(_export_rows(result))
        return export_rows(request, spec=spec, fmt=fmt, rows=rows, count=lambda: len(rows), filters={"year": year})
    return render(
        request,
        "assessment/ranking.html",
        {
            "result": result,
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 4, -1)),
            "schemes": selectors.published_schemes_for(request.user, year),
            "province_view": len(result.rows) > 1,
        },
    )


@staff_view(A.VIEW)
def cell_detail(request, org_id: int, key: str):
    org = selectors.city_get(request.user, org_id)
    try:
        m = metric(key)
    except KeyError:
        raise Http404(_("未知的考核指标")) from None
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    period = Period.year(year)
    snap = selectors.snapshot_get(request.user, org=org, key=key, period=period)
    months = selectors.metric_series(request.user, key, org=org, periods=period.months())
    result = selectors.ranking(request.user, year=year, scheme=_scheme(request, year))
    row = next((r for r in result.rows if r.org.pk == org.pk), None)
    cell = next((c for c in row.cells if c.metric.key == key), None) if row else None
    return render(
        request,
        "assessment/cell_detail.html",
        {
            "org": org,
            "metric": m,
            "year": year,
            "period": period,
            "snap": snap,
            "months": months,
            "row": row,
            "cell": cell,
            "result": result,
            "records_url": m.records_url(org, period),
        },
    )
