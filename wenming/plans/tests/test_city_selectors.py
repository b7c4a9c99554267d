"""The per-city selectors the assessment reads: adopted progress reports and task timeliness."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from wenming.plans.choices import ProgressReportStatus, ReportKind
from wenming.plans.models import ProgressReport
from wenming.plans.selectors import adopted_reports_by_city

pytestmark = pytest.mark.django_db

_month = itertools.count(1)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


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
