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
from django.utils.translation import gettext_lazy

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError

from .choices import CalendarDayKind
from .models import CalendarDay

_KEY = "workdays:year:{}"
_TIMEOUT = 24 * 3600


def year_map(year: int) -> dict[str, str]:
    """``{"2026-10-10": "makeup_workday", …}`` for one year, cached.

    A miss loads the year with its neighbours in one query (deadlines cross year ends), so a page whose
    rows fall in several years costs the same as one whose rows fall in one.
    """
    key = _KEY.format(year)
    data = cache.get(key)
    if data is None:
        years = {y: {} for y in (year - 1, year, year + 1)}
        rows = CalendarDay.objects.filter(date__year__gte=year - 1, date__year__lte=year + 1)
        for d, k in rows.values_list("date", "kind"):
            years[d.year][d.isoformat()] = k
        cache.set_many({_KEY.format(y): m for y, m in years.items()}, _TIMEOUT)
        data = years[year]
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
    """``d`` itself if it is a working day, else the first working day after it.

    Every deadline the platform computes (report due dates, …) goes through this, so that no deadline
    falls on a weekend or a statutory holiday.
    """
    look = _Lookup()
    while not look.working(d):
        d += timedelta(days=1)
    return d


_WEEKDAYS = "一二三四五六日"


def rest_day_label(d: date) -> str:
    """Why ``d`` is not a working day: the holiday's name (“元旦”) or the weekday (“星期六”); "" on a working day."""
    if is_working_day(d):
        return ""
    row = CalendarDay.objects.filter(date=d, kind=CalendarDayKind.HOLIDAY).values_list("name", flat=True).first()
    return row or f"星期{_WEEKDAYS[d.weekday()]}"


def calendar_missing(year: int) -> bool:
    """True when no holiday of ``year`` has been entered (the State Council notice is still to be typed in)."""
    return not CalendarDay.objects.filter(date__year=year, kind=CalendarDayKind.HOLIDAY).exists()


def next_year_calendar_due(today: date) -> int | None:
    """From 1 November on, the next year when its calendar is still missing (else None)."""
    if today.month < 11:
        return None
    return today.year + 1 if calendar_missing(today.year + 1) else None


@transaction.atomic
def calendar_day_set(*, day: date, kind: str, name: str, by: Any) -> CalendarDay:
    """Create or change the arrangement of one day (province admins)."""
    if kind not in CalendarDayKind.values:
        raise ApplicationError(gettext_lazy("请选择类型"), field="kind")
    if kind == CalendarDayKind.MAKEUP_WORKDAY and day.weekday() < 5:
        raise ApplicationError(gettext_lazy("调休上班日必须是周六或周日"), field="date")
    obj, created = CalendarDay.objects.update_or_create(
        date=day, defaults={"kind": kind, "name": name.strip(), "created_by": by}
    )
    audit_record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        user=by,
        obj=obj,
        detail={"date": day.isoformat(), "kind": kind, "name": name.strip()},
    )
    transaction.on_commit(lambda: invalidate_year(day.year))
    invalidate_year(day.year)
    return obj


@transaction.atomic
def calendar_day_delete(*, day_id: int, by: Any) -> None:
    obj = CalendarDay.objects.select_for_update().get(pk=day_id)
    audit_record(AuditAction.DELETE, user=by, obj=obj, detail={"date": obj.date.isoformat()})
    year = obj.date.year
    obj.delete()
    transaction.on_commit(lambda: invalidate_year(year))
    invalidate_year(year)


@transaction.atomic
def holiday_notice_apply(*, year: int, lines: list[Any], by: Any) -> int:
    """Replace one year's arrangement by the State Council notice (lines from ``notice.parse_notice``).

    Days of ``year`` not in the notice are removed; one audit row records the whole notice.
    Returns the number of days written.
    """
    rows = [row for entry in lines for row in entry.days()]
    dates = {d for d, _, _ in rows}
    stale = CalendarDay.objects.filter(date__year=year).exclude(date__in=dates)
    removed = stale.count()
    stale.delete()
    had = CalendarDay.objects.filter(date__year=year).exists()
    for d, kind, name in rows:
        CalendarDay.objects.update_or_create(date=d, defaults={"kind": kind, "name": name, "created_by": by})
    audit_record(
        AuditAction.UPDATE if had or removed else AuditAction.CREATE,
        user=by,
        object_type=CalendarDay._meta.label,
        object_id=year,
        object_repr=f"{year}年节假日安排",
        detail={
            "year": year,
            "holidays": [f"{e.name} {e.start:%m-%d}~{e.end:%m-%d}" for e in lines],
            "makeup_days": [d.isoformat() for e in lines for d in e.makeups],
            "days": len(rows),
            "removed": removed,
        },
    )
    years = {d.year for d in dates} | {year}
    for y in years:
        invalidate_year(y)
    transaction.on_commit(lambda: [invalidate_year(y) for y in years])
    return len(rows)
