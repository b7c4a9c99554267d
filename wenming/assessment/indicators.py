"""The indicators of issue 15 as registered metrics, each computed through the owning module's selectors.

Every ``compute`` answers all city bureaus of one period from one or two grouped queries of the owning
module (keyed by ``city_code``, mapped here onto the city nodes); ``records_url`` lands on that module's
list page filtered to the city and the period.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_noop

from wenming.activities import selectors as activities_selectors
from wenming.complaints import selectors as complaints_selectors
from wenming.honours import selectors as honours_selectors
from wenming.organizations.models import Organization
from wenming.people import selectors as people_selectors
from wenming.plans import selectors as plans_selectors
from wenming.publicity import selectors as publicity_selectors
from wenming.surveys import selectors as surveys_selectors

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


# --- activities: verified volunteer hours per active courier ---------------------------------------------


def hours_per_courier(period: Period) -> dict[int, MetricValue]:
    hours = activities_selectors.approved_hours_by_city(period.start, period.end)
    couriers = people_selectors.active_couriers_by_city()
    return {c.pk: ratio(hours.get(c.code, 0), couriers.get(c.code, 0)) for c in all_cities()}


def hours_records(org: Organization, period: Period) -> str:
    return _url(
        "activities:volunteer-records",
        organization=org.pk,
        status="approved",
        date_from=period.start.isoformat(),
        date_to=period.end.isoformat(),
    )


# --- honours: titles conferred by level (points) --------------------------------------------------------

# Points of one title by level: a national title weighs as much as five provincial ones (docs/assessment.md).
LEVEL_POINTS = {"national": 10, "provincial": 5, "city": 2, "enterprise": 1}


def honour_points(period: Period) -> dict[int, MetricValue]:
    rows = honours_selectors.titles_by_city_and_level(period.start, period.end)
    out = {}
    for c in all_cities():
        levels = rows.get(c.code, {})
        titles = sum(levels.values())
        points = sum(LEVEL_POINTS.get(level, 0) * n for level, n in levels.items())
        out[c.pk] = MetricValue(Decimal(points), numerator=Decimal(points), denominator=Decimal(titles))
    return out


def title_records(org: Organization, period: Period) -> str:
    return _url("honours:title-list", city=org.code, year=period.start.year)


# --- surveys: the satisfaction index and its trend -------------------------------------------------------


def _index(sums) -> Decimal | None:
    mean = sums.mean if sums is not None else None
    return None if mean is None else Decimal(str(round(mean, 1)))


def satisfaction(period: Period) -> dict[int, MetricValue]:
    rows = surveys_selectors.index_by_city(period.start, period.end)
    out = {}
    for c in all_cities():
        s = rows.get(c.code)
        value = _index(s)
        out[c.pk] = MetricValue(value, numerator=value, denominator=Decimal(s.n) if s else None)
    return out


def satisfaction_trend(period: Period) -> dict[int, MetricValue]:
    now = surveys_selectors.index_by_city(period.start, period.end)
    prev_period = period.previous()
    before = surveys_selectors.index_by_city(prev_period.start, prev_period.end)
    out = {}
    for c in all_cities():
        a, b = _index(now.get(c.code)), _index(before.get(c.code))
        out[c.pk] = MetricValue(None if a is None or b is None else a - b, numerator=a, denominator=b)
    return out


def survey_records(org: Organization, period: Period) -> str:
    return _url("surveys:dashboard", grain="outlet", period="year", year=period.start.year, city=org.code)


# --- complaints: valid complaints per million items, overdue replies -------------------------------------


def valid_per_million(period: Period) -> dict[int, MetricValue]:
    rows = complaints_selectors.valid_per_million_by_city(period.start, period.end)
    out = {}
    for c in all_cities():
        valid, items = rows.get(c.code, (0, 0))
        out[c.pk] = ratio(valid, items, scale=1_000_000)
    return out


def overdue_rate(period: Period) -> dict[int, MetricValue]:
    rows = complaints_selectors.overdue_replies_by_city(period.start, period.end)
    return {c.pk: ratio(*rows.get(c.code, (0, 0)), scale=100) for c in all_cities()}


def complaint_records(org: Organization, period: Period) -> str:
    return _url(
        "complaints:list",
        city=org.code,
        is_valid="1",
        date_from=period.start.isoformat(),
        date_to=period.end.isoformat(),
    )


def overdue_records(org: Organization, period: Period) -> str:
    return _url(
        "complaints:list",
        city=org.code,
        reply_overdue="1",
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
        key="volunteer_hours_per_courier",
        label=gettext_noop("人均志愿服务时长"),
        unit=gettext_noop("小时/人"),
        higher_is_better=True,
        compute=hours_per_courier,
        records_url=hours_records,
        formula=gettext_noop("本期已审核的志愿服务时长 ÷ 在岗快递员数"),
        source=gettext_noop("志愿服务 · 服务时长（已审核）· 快递员档案（在岗）"),
        order=50,
    ),
    Metric(
        key="honours_by_level",
        label=gettext_noop("荣誉称号得分"),
        unit=gettext_noop("分"),
        higher_is_better=True,
        compute=honour_points,
        records_url=title_records,
        formula=gettext_noop("本期命名且未撤销的称号按级别计分：全国 10、省级 5、市级 2、企业级 1（分母为称号数）"),
        source=gettext_noop("荣誉评选 · 荣誉称号"),
        order=60,
    ),
    Metric(
        key="satisfaction_index",
        label=gettext_noop("满意度指数"),
        unit=gettext_noop("分"),
        higher_is_better=True,
        compute=satisfaction,
        records_url=survey_records,
        formula=gettext_noop("本期各月满意度汇总的加权平均分（0–100；分母为有效答卷数）"),
        source=gettext_noop("满意度 · 月度汇总"),
        order=70,
    ),
    Metric(
        key="satisfaction_trend",
        label=gettext_noop("满意度变化"),
        unit=gettext_noop("分"),
        higher_is_better=True,
        compute=satisfaction_trend,
        records_url=survey_records,
        formula=gettext_noop("本期满意度指数 − 上期满意度指数（分子为本期，分母为上期）"),
        source=gettext_noop("满意度 · 月度汇总"),
        order=75,
    ),
    Metric(
        key="valid_complaints_ppm",
        label=gettext_noop("百万件有效申诉数"),
        unit=gettext_noop("件/百万件"),
        higher_is_better=False,
        compute=valid_per_million,
        records_url=complaint_records,
        formula=gettext_noop("本期受理的有效申诉数 ÷ 本期各月企业业务量 × 1,000,000"),
        source=gettext_noop("申诉处理 · 申诉案件 · 企业月度业务量"),
        order=80,
    ),
    Metric(
        key="complaint_reply_overdue",
        label=gettext_noop("申诉回复超期率"),
        unit="%",
        higher_is_better=False,
        compute=overdue_rate,
        records_url=overdue_records,
        formula=gettext_noop("企业回复超过 15 日期限的申诉数 ÷ 已转企业处理的申诉数 × 100"),
        source=gettext_noop("申诉处理 · 申诉案件"),
        order=90,
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
