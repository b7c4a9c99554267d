"""The per-city selectors the assessment reads: adopted progress reports and task timeliness."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from wenming.plans.choices import ProgressReportStatus, ReportKind, WorkTaskStatus
from wenming.plans.models import ProgressReport, WorkDispatch, WorkTask
from wenming.plans.selectors import adopted_reports_by_city, task_timeliness_by_city

pytestmark = pytest.mark.django_db

_month = itertools.count(1)


def _at(day: date | None, hour: int = 10) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time(hour))) if day else None


def _report(org, status: str, submitted: date | None) -> ProgressReport:
    return ProgressReport.objects.create(
        organization=org,
        kind=ReportKind.MONTHLY,
        year=2026,
        period=next(_month) % 12 + 1,
        title="月度工作报告",
        status=status,
        due_date=date(2026, 12, 31),
        submitted_at=_at(submitted) if submitted else None,
    )


def test_adopted_reports_by_city_counts_adopted_and_published_in_the_period(org_tree):
    sy, dl = org_tree.shenyang, org_tree.dalian
    _report(sy, ProgressReportStatus.ADOPTED, date(2026, 1, 1))  # first day: counts
    _report(sy, ProgressReportStatus.PUBLISHED, date(2026, 6, 30))  # last day, published: counts
    _report(sy, ProgressReportStatus.REVIEWED, date(2026, 3, 1))  # not adopted: no
    _report(sy, ProgressReportStatus.ARCHIVED, date(2026, 3, 1))  # filed without adoption: no
    _report(sy, ProgressReportStatus.ADOPTED, date(2025, 12, 31))  # before the period: no
    _report(sy, ProgressReportStatus.ADOPTED, date(2026, 7, 1))  # after the period: no
    _report(sy, ProgressReportStatus.DRAFT, None)  # never submitted: no
    _report(dl, ProgressReportStatus.ADOPTED, date(2026, 5, 5))  # Dalian: its own city
    _report(org_tree.province, ProgressReportStatus.ADOPTED, date(2026, 5, 5))  # no city code: no

    assert adopted_reports_by_city(date(2026, 1, 1), date(2026, 6, 30)) == {"210100": 2, "210200": 1}


def _task(city, due: date, *, dispatched: date | None, acked=None, reported=None, status="in_progress") -> WorkTask:
    d = WorkDispatch.objects.create(issuer=city.parent, title="专项督办", content="按要求办理", due_date=due)
    return WorkTask.objects.create(
        dispatch=d,
        assignee=city,
        status=status,
        original_due_date=due,
        due_date=due + timedelta(days=10),  # an extension does not move the original date the index reads
        dispatched_at=_at(dispatched),
        acknowledged_at=_at(acked, 9),
        reported_at=_at(reported),
    )


def test_task_timeliness_by_city_hand_computed(org_tree):
    sy, dl = org_tree.shenyang, org_tree.dalian
    # Mon 2 March 2026 dispatch: signed Tue (1 working day: acked), reported on the due day (on time)
    _task(sy, date(2026, 3, 10), dispatched=date(2026, 3, 2), acked=date(2026, 3, 3), reported=date(2026, 3, 10))
    # signed Wed (2 working days: not acked), reported after the original date (late)
    _task(sy, date(2026, 3, 15), dispatched=date(2026, 3, 2), acked=date(2026, 3, 4), reported=date(2026, 3, 20))
    # Fri 6 March dispatch signed Mon 9 March (the weekend is not counted: acked); not reported, past due
    _task(sy, date(2026, 3, 31), dispatched=date(2026, 3, 6), acked=date(2026, 3, 9))
    # out of scope: cancelled, never dispatched, original date outside the period, province-level assignee
    _task(sy, date(2026, 3, 20), dispatched=date(2026, 3, 2), status=WorkTaskStatus.CANCELLED)
    _task(sy, date(2026, 3, 20), dispatched=None, status=WorkTaskStatus.APPROVED)
    _task(sy, date(2026, 4, 1), dispatched=date(2026, 3, 2), reported=date(2026, 3, 3))
    _task(dl, date(2026, 3, 5), dispatched=date(2026, 3, 2), reported=date(2026, 3, 5))  # never signed
    prov = WorkDispatch.objects.create(issuer=org_tree.province, title="省局", content="-", due_date=date(2026, 3, 9))
    WorkTask.objects.create(
        dispatch=prov,
        assignee=org_tree.office,
        status="in_progress",
        original_due_date=date(2026, 3, 9),
        due_date=date(2026, 3, 9),
        dispatched_at=_at(date(2026, 3, 2)),
    )

    assert task_timeliness_by_city(date(2026, 3, 1), date(2026, 3, 31)) == {
        "210100": {"tasks": 3, "due": 3, "on_time": 1, "acked": 2},
        "210200": {"tasks": 1, "due": 1, "on_time": 1, "acked": 0},
    }


def test_task_timeliness_by_city_a_task_not_yet_due_is_not_due(org_tree):
    due = timezone.localdate() + timedelta(days=30)
    _task(org_tree.shenyang, due, dispatched=timezone.localdate())

    assert task_timeliness_by_city(due, due) == {"210100": {"tasks": 1, "due": 0, "on_time": 0, "acked": 0}}
