"""The ONE working-day service. Every deadline in the platform is computed here.

A day is a working day when it is Monday–Friday and not a statutory holiday, or when it is a
make-up working day (调休上班). The arrangement of each year is cached (one cache entry per year,
dropped whenever a day of that year is edited).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError

from .choices import CalendarDayKind
from .models import CalendarDay

_KEY = "workdays:year:{}"
_TIMEOUT = 24 * 3600


def year_map(year: int) -> dict[str, str]:
    """``{"2026-10-10": "makeup_workday", …}`` for one year, cached."""
    key = _KEY.format(year)
    data = cache.get(key)
    if data is None:
        data = {d.isoformat(): k for d, k in CalendarDay.objects.filter(date__year=year).values_list("date", "kind")}
        cache.set(key, data, _TIMEOUT)
    return data


def invalidate_year(year: int) -> None:
    cache.delete(_KEY.format(year))


class _Lookup:
    """Year maps fetched once per call of the public helpers (a loop may cross a year boundary)."""

    def __init__(self) -> None:
        self._maps: dict[int, dict[str, str]] = {}

    def working(self, d: date) -> bool:
        m = self._maps.get(d.year)
        if m is None:
            m = self._maps[d.year] = year_map(d.year)
        kind = m.get(d.isoformat())
        if kind == CalendarDayKind.HOLIDAY:
            return False
        if kind == CalendarDayKind.MAKEUP_WORKDAY:
            return True
        return d.weekday() < 5


def is_working_day(d: date) -> bool:
    return _Lookup().working(d)


def add_working_days(d: date, n: int) -> date:
    """The date ``n`` working days after ``d`` (before it when ``n`` is negative); ``n == 0`` gives ``d``."""
    look = _Lookup()
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    cur = d
    while remaining:
        cur += timedelta(days=step)
        if look.working(cur):
            remaining -= 1
    return cur


def working_days_between(a: date, b: date) -> int:
    """Working days in the half-open interval (a, b]; negative when ``b`` is before ``a``."""
    if a == b:
        return 0
    if b < a:
        return -working_days_between(b, a)
    look = _Lookup()
    n, cur = 0, a
    while cur < b:
        cur += timedelta(days=1)
        if look.working(cur):
            n += 1
    return n


def next_working_day(d: date) -> date:
    """``d`` itself if it is a working day, else the first working day after it."""
    look = _Lookup()
    while not look.working(d):
        d += timedelta(days=1)
    return d


@transaction.atomic
def calendar_day_set(*, day: date, kind: str, name: str, by: Any, request: Any = None) -> CalendarDay:
    """Create or change the arrangement of one day (province admins)."""
    if kind not in CalendarDayKind.values:
        raise ApplicationError("请选择类型", field="kind")
    if kind == CalendarDayKind.MAKEUP_WORKDAY and day.weekday() < 5:
        raise ApplicationError("调休上班日必须是周六或周日", field="date")
    obj, created = CalendarDay.objects.update_or_create(
        date=day, defaults={"kind": kind, "name": name.strip(), "created_by": by}
    )
    audit_record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        request=request,
        user=by,
        obj=obj,
        detail={"date": day.isoformat(), "kind": kind, "name": name.strip()},
    )
    transaction.on_commit(lambda: invalidate_year(day.year))
    invalidate_year(day.year)
    return obj


@transaction.atomic
def calendar_day_delete(*, day_id: int, by: Any, request: Any = None) -> None:
    obj = CalendarDay.objects.select_for_update().get(pk=day_id)
    audit_record(AuditAction.DELETE, request=request, user=by, obj=obj, detail={"date": obj.date.isoformat()})
    year = obj.date.year
    obj.delete()
    transaction.on_commit(lambda: invalidate_year(year))
    invalidate_year(year)
