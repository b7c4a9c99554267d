"""Statistics per city bureau: on-time %, acknowledged within one working day %, overdue, adopted reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone

from wenming.accounts.roles import Action
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization
from wenming.workdays.services import add_working_days

from .choices import ProgressReportStatus, WorkTaskStatus
from .models import ProgressReport, WorkTask
from .selectors import is_red

S = WorkTaskStatus
HEADER = ["市局", "任务数", "按期完成率（%）", "一个工作日内签收率（%）", "已逾期", "报告采用数", "逾期报送"]


@dataclass
class CityStats:
    org: Organization
    tasks: int
    on_time_pct: float | None
    ack_pct: float | None
    overdue: int
    adopted: int
    late_reports: int


def _pct(num: int, den: int) -> float | None:
    return round(100 * num / den, 1) if den else None


def city_stats(*, user: Any, year: int, action: str = Action.VIEW) -> list[CityStats]:
    today = timezone.localdate()
    cities = list(Organization.objects.visible_to(user, action).filter(kind=OrgKind.CITY_BUREAU).order_by("code"))
    ids = [c.pk for c in cities]
    # Three queries whatever the number of cities: the tasks, then the report counts grouped by city.
    by_city: dict[int, list[WorkTask]] = {pk: [] for pk in ids}
    for t in (
        WorkTask.objects.filter(assignee_id__in=ids, dispatched_at__isnull=False, original_due_date__year=year)
        .exclude(status=S.CANCELLED)
        .order_by("pk")
    ):
        by_city[t.assignee_id].append(t)
    reports = ProgressReport.objects.filter(organization_id__in=ids, year=year)
    adopted = dict(
        reports.filter(status__in=[ProgressReportStatus.ADOPTED, ProgressReportStatus.PUBLISHED])
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    late = dict(
        reports.filter(is_late=True)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    out = []
    for city in cities:
        tasks = by_city[city.pk]
        due = [t for t in tasks if t.reported_at or t.original_due_date < today]
        on_time = [t for t in due if t.reported_at and timezone.localdate(t.reported_at) <= t.original_due_date]
        acked = [
            t
            for t in tasks
            if t.acknowledged_at and timezone.localdate(t.acknowledged_at) <= add_working_days(t.dispatched_on, 1)
        ]
        overdue = [t for t in tasks if is_red(t, today)]  # the ■ 已逾期 light, as everywhere
        out.append(
            CityStats(
                org=city,
                tasks=len(tasks),
                on_time_pct=_pct(len(on_time), len(due)),
                ack_pct=_pct(len(acked), len(tasks)),
                overdue=len(overdue),
                adopted=adopted.get(city.pk, 0),
                late_reports=late.get(city.pk, 0),
            )
        )
    return out


def as_row(r: CityStats) -> list[Any]:
    return [
        r.org.name,
        r.tasks,
        "" if r.on_time_pct is None else r.on_time_pct,
        "" if r.ack_pct is None else r.ack_pct,
        r.overdue,
        r.adopted,
        r.late_reports,
    ]
