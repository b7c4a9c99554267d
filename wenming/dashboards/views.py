"""数据看板 and 数据大屏: scoped pages over :mod:`wenming.dashboards.selectors`."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from wenming.web.gate import staff_view

from . import charts, selectors
from .permissions import DashboardAction as DA


def _city_name(label: str) -> str:
    """The GeoJSON names cities with 市 (沈阳市); the division table may already do."""
    return label if label.endswith("市") else f"{label}市"


def chart_specs(data: dict[str, Any]) -> dict[str, charts.Spec]:
    by_city = data["activities_by_city"]
    sat = data["satisfaction"]
    specs = {
        "activities_trend": charts.line(
            _("活动月度走势"),
            [m for m, _n in data["activities_trend"]],
            [n for _m, n in data["activities_trend"]],
            unit=_("项"),
        ),
        "honours_by_level": charts.pie(
            _("荣誉称号（按级别）"),
            [r["label"] for r in data["honours_by_level"]],
            [r["value"] for r in data["honours_by_level"]],
        ),
        "satisfaction_trend": charts.line(
            _("满意度月度走势"), [m for m, _v in sat["trend"]], [v for _m, v in sat["trend"]], unit=_("分")
        ),
        "satisfaction_by_city": charts.bar(
            _("满意度（按地市）"),
            [r["label"] for r in sat["by_city"]],
            [r["value"] for r in sat["by_city"]],
            unit=_("分"),
        ),
        "satisfaction_bands": charts.pie(
            _("满意度等级分布"),
            [r["label"] for r in sat["bands"]],
            [r["value"] for r in sat["bands"]],
            unit=_("个地市"),
        ),
    }
    if len(by_city) > 1:
        specs["activities_by_city"] = charts.bar(
            _("本年活动（按地市）"), [r["label"] for r in by_city], [r["value"] for r in by_city], unit=_("项")
        )
        specs["map"] = charts.city_map(
            _("本年活动（地图）"),
            [_city_name(r["label"]) for r in by_city],
            [r["value"] for r in by_city],
            geo_url=static("vendor/geo/liaoning.json"),
            unit=_("项"),
        )
    else:
        rows = data["activities_by_unit"]
        specs["activities_by_unit"] = charts.bar(
            _("本年活动（按单位）"),
            [r["label"] for r in rows],
            [r["value"] for r in rows],
            unit=_("项"),
            horizontal=True,
        )
    ranking = data.get("ranking") or {}
    if ranking.get("rows"):
        rows = ranking["rows"]
        specs["ranking"] = charts.bar(
            _("考核排名（总分）"),
            [f"{r['rank']}. {r['label']}" for r in rows],
            [r["value"] for r in rows],
            unit=_("分"),
            horizontal=True,
        )
    if data["vote"]:
        rows = data["vote"]["rows"]
        specs["vote"] = charts.bar(
            _("投票排行"), [r["label"] for r in rows], [r["value"] for r in rows], unit=_("票"), horizontal=True
        )
    for spec in specs.values():
        spec["empty"] = _("暂无数据")  # what a chart with nothing measured says (drawn on its canvas)
    return specs


@staff_view(DA.VIEW)
def index(request):
    data = selectors.summary(request.user)
    return render(
        request,
        "dashboards/index.html",
        {"d": data, "specs": chart_specs(data), "cities": selectors.city_codes(request.user)},
    )


@staff_view(DA.SCREEN)
def screen(request):
    data = selectors.summary(request.user)
    return render(request, "dashboards/screen.html", {"d": data, "specs": chart_specs(data)})


@staff_view(DA.SCREEN)
def screen_data(request):
    """The big screen's refresh: the same summary and chart specs as JSON (scoped, cached ≤ 60 s)."""
    data = selectors.summary(request.user)
    return JsonResponse({"data": data, "specs": chart_specs(data)}, json_dumps_params={"ensure_ascii": False})
