"""The indicators of issue 15 as registered metrics, each computed through the owning module's selectors.

Every ``compute`` answers all city bureaus of one period from one or two grouped queries of the owning
module (keyed by ``city_code``, mapped here onto the city nodes); ``records_url`` lands on that module's
list page filtered to the city and the period.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_noop

from wenming.activities import selectors as activities_selectors
from wenming.organizations.models import Organization
from wenming.people import selectors as people_selectors
from wenming.plans import selectors as plans_selectors
from wenming.publicity import selectors as publicity_selectors

from .metrics import Metric, MetricValue, Period, count, ratio, register_metric
from .selectors import all_cities


def _by_code(values: dict[str, MetricValue]) -> dict[int, MetricValue]:
    """City code → value onto city node id → value (every city present; a missing one has no value)."""
    return {c.pk: values.get(c.code, MetricValue(None)) for c in all_cities()}


def _url(name: str, **params: object) -> str:
    return reverse(name) + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


# --- plans: 督办 tasks and progress reports -------------------------------------------------------------


def _timeliness(period: Period) -> dict[str, dict[str, int]]:
    return plans_selectors.task_timeliness_by_city(period.start, period.end)


def on_time(period: Period) -> dict[int, MetricValue]:
    rows = _timeliness(period)
    return _by_code({code: ratio(r["on_time"], r["due"], scale=100) for code, r in rows.items()})


def acknowledged(period: Period) -> dict[int, MetricValue]:
    rows = _timeliness(period)
    return _by_code({code: ratio(r["acked"], r["tasks"], scale=100) for code, r in rows.items()})


def adopted(period: Period) -> dict[int, MetricValue]:
    rows = plans_selectors.adopted_reports_by_city(period.start, period.end)
    return {c.pk: count(rows.get(c.code, 0)) for c in all_cities()}


def task_records(org: Organization, period: Period) -> str:
    return _url("plans:task-list", city=org.pk, year=period.start.year)


def report_records(org: Organization, period: Period) -> str:
    return _url("plans:reports", city=org.pk, year=period.start.year, status="adopted")


# --- activities: creation activities per 1,000 active couriers ------------------------------------------


def activities_per_1000(period: Period) -> dict[int, MetricValue]:
    acts = activities_selectors.verified_activities_by_city(period.start, period.end)
    couriers = people_selectors.active_couriers_by_city()
    return {c.pk: ratio(acts.get(c.code, 0), couriers.get(c.code, 0), scale=1000) for c in all_cities()}


def activity_records(org: Organization, period: Period) -> str:
    return _url(
        "activities:list",
        organization=org.pk,
        status="verified",
        date_from=period.start.isoformat(),
        date_to=period.end.isoformat(),
    )


# --- publicity: media coverage ----------------------------------------------------------------------------


def media_coverage(period: Period) -> dict[int, MetricValue]:
    rows = {r["city_code"]: r["total"] for r in publicity_selectors.coverage_counts(start=period.start, end=period.end)}
    return {c.pk: count(rows.get(c.code, 0)) for c in all_cities()}


def coverage_records(org: Organization, period: Period) -> str:
    return _url(
        "publicity:coverage-list", city=org.code, date_from=period.start.isoformat(), date_to=period.end.isoformat()
    )


METRICS = [
    Metric(
        key="task_on_time",
        label=gettext_noop("督办任务按期完成率"),
        unit="%",
        higher_is_better=True,
        compute=on_time,
        records_url=task_records,
        formula=gettext_noop("按原定期限反馈的任务数 ÷ 已反馈或已过原定期限的任务数 × 100"),
        source=gettext_noop("工作方案 · 督办任务（原定期限在本期内，已下发，未撤销）"),
        order=10,
    ),
    Metric(
        key="task_ack_1wd",
        label=gettext_noop("一个工作日内签收率"),
        unit="%",
        higher_is_better=True,
        compute=acknowledged,
        records_url=task_records,
        formula=gettext_noop("下发后一个工作日内签收的任务数 ÷ 任务数 × 100"),
        source=gettext_noop("工作方案 · 督办任务"),
        order=20,
    ),
    Metric(
        key="reports_adopted",
        label=gettext_noop("信息报告采用数"),
        unit=gettext_noop("篇"),
        higher_is_better=True,
        compute=adopted,
        records_url=report_records,
        formula=gettext_noop("本期报送且被采用或发布的进展报告数"),
        source=gettext_noop("工作方案 · 进展报告"),
        order=30,
    ),
    Metric(
        key="activities_per_1000",
        label=gettext_noop("每千名快递员创建活动数"),
        unit=gettext_noop("次/千人"),
        higher_is_better=True,
        compute=activities_per_1000,
        records_url=activity_records,
        formula=gettext_noop("本期已核实的创建活动数 ÷ 在岗快递员数 × 1000"),
        source=gettext_noop("创建活动（已核实）· 快递员档案（在岗）"),
        order=40,
    ),
    Metric(
        key="media_coverage",
        label=gettext_noop("媒体报道数"),
        unit=gettext_noop("篇"),
        higher_is_better=True,
        compute=media_coverage,
        records_url=coverage_records,
        formula=gettext_noop("本期刊播的媒体报道数"),
        source=gettext_noop("宣传报道 · 媒体报道"),
        order=100,
    ),
]


def register_all() -> None:
    """Called from ``AssessmentConfig.ready``."""
    for m in METRICS:
        register_metric(m)
