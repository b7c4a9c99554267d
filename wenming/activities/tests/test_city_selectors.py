"""The per-city verified-activity count the assessment reads."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from wenming.activities.choices import ActivityStatus
from wenming.activities.models import Activity
from wenming.activities.selectors import verified_activities_by_city

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _set(activity, *, org, status: str, starts: datetime) -> None:
    Activity.objects.filter(pk=activity.pk).update(organization=org, status=status, starts_at=starts)


def test_verified_activities_by_city_counts_verified_ones_in_the_period(make_activity, personas, org_tree):
    def make(org, status, starts):
        # recorded by one unit, then moved to the organising unit under test
        a = make_activity(by=personas.shenyang_admin, org=org_tree.shenyang, photos=1)
        _set(a, org=org, status=status, starts=starts)

    sy, dl = org_tree.shenyang, org_tree.dalian_outlet
    make(sy, ActivityStatus.VERIFIED, _at(date(2026, 1, 1), 0))  # first day, midnight: counts
    make(org_tree.shenyang_outlet, ActivityStatus.VERIFIED, _at(date(2026, 6, 30), 23))  # last day: counts
    make(sy, ActivityStatus.SUBMITTED, _at(date(2026, 3, 1)))  # not verified: no
    make(sy, ActivityStatus.RETURNED, _at(date(2026, 3, 1)))  # not verified: no
    make(sy, ActivityStatus.VERIFIED, _at(date(2025, 12, 31), 23))  # day before the period: no
    make(sy, ActivityStatus.VERIFIED, _at(date(2026, 7, 1), 0))  # day after the period: no
    make(dl, ActivityStatus.VERIFIED, _at(date(2026, 4, 15)))  # Dalian: its own city
    make(org_tree.province, ActivityStatus.VERIFIED, _at(date(2026, 4, 15)))  # province: no city code

    assert verified_activities_by_city(date(2026, 1, 1), date(2026, 6, 30)) == {"210100": 2, "210200": 1}
