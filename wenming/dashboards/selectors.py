"""Reads of the dashboards: every number comes from another module's selector, which starts from
``visible_to(user, VIEW)`` — so a city bureau sees its own city, an enterprise its outlets.

Each counter returns its value *and* the URL of the list that shows exactly those records (the
dashboard, the big screen and the workbench panel all call these same functions). Live counters are
cached per user for ``LIVE_TTL`` seconds; the time they were read is shown as 数据截至.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from wenming.activities import selectors as activities
from wenming.assessment import selectors as assessment
from wenming.complaints import selectors as complaints
from wenming.honours import selectors as honours
from wenming.honours.choices import LEVEL_ORDER, Level
from wenming.organizations.divisions import division_name
from wenming.organizations.models import Organization
from wenming.organizations.selectors import scope_city_codes
from wenming.plans import selectors as plans
from wenming.surveys import selectors as surveys
from wenming.surveys.choices import Band, Grain
from wenming.voting import selectors as voting

LIVE_TTL = 60  # seconds a live counter may be old (shown as 数据截至)
CITY_CODES = [f"21{n:02d}00" for n in range(1, 15)]  # the 14 prefecture cities of Liaoning, GB/T 2260
APPROVED = "approved"


@dataclass(frozen=True)
class Figure:
    """One counter: its value and the list that shows exactly the records counted."""

    key: str
    value: float | int
    url: str


def _url(name: str, **params: Any) -> str:
    base = reverse(name)
    return f"{base}?{urlencode(params)}" if params else base


def _year_start(today: date) -> date:
    return today.replace(month=1, day=1)


def _month_start(today: date) -> date:
    return today.replace(day=1)


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, datetime.min.time()))


def city_codes(user: Any) -> list[str]:
    """The cities the user's scope touches (all 14 for the province)."""
    codes = scope_city_codes(user=user)
    return CITY_CODES if codes is None else [c for c in codes if c in CITY_CODES]


# --- counters ------------------------------------------------------------------------------------------


def activities_since(user: Any, start: date, today: date) -> Figure:
    qs = activities.activity_list(user=user).filter(
        starts_at__gte=_day_start(start), starts_at__lt=_day_start(today + timedelta(days=1))
    )
    return Figure(
        "activities", qs.count(), _url("activities:list", date_from=start.isoformat(), date_to=today.isoformat())
    )


def _approved_hours(user: Any, start: date, today: date):
    return activities.volunteer_records(user=user, status=APPROVED, date_from=start, date_to=today)


def volunteers_since(user: Any, start: date, today: date) -> Figure:
    qs = _approved_hours(user, start, today)
    n = qs.values("signup__name").distinct().count()
    return Figure(
        "volunteers",
        n,
        _url("activities:volunteer-totals", date_from=start.isoformat(), date_to=today.isoformat()),
    )


def hours_since(user: Any, start: date, today: date) -> Figure:
    total = _approved_hours(user, start, today).aggregate(s=Sum("hours"))["s"] or 0
    hours = float(Decimal(total).quantize(Decimal("0.1")))
    return Figure(
        "hours",
        hours,
        _url("activities:volunteer-records", status=APPROVED, date_from=start.isoformat(), date_to=today.isoformat()),
    )


def valid_complaints(user: Any, start: date, today: date) -> Figure:
    qs = complaints.complaint_list(user=user).filter(is_valid=True, received_on__gte=start, received_on__lte=today)
    return Figure(
        "valid_complaints",
        qs.count(),
        _url("complaints:list", is_valid="1", date_from=start.isoformat(), date_to=today.isoformat()),
    )


def overdue_complaints(user: Any) -> Figure:
    return Figure("overdue_complaints", complaints.todo_count(user, "overdue"), _url("complaints:list", todo="overdue"))


def expiring_titles(user: Any, today: date) -> Figure:
    n = honours.expiring(user=user, today=today).count()
    return Figure("expiring_titles", n, _url("honours:title-list", expiring="90"))


def tasks_on_time(user: Any, today: date) -> dict[str, Any]:
    """督办 tasks of this year: how many are overdue now and the share reported by their original due date."""
    qs = plans.task_list(user=user).filter(original_due_date__gte=_year_start(today), original_due_date__lte=today)
    due = qs.count()
    on_time = qs.filter(reported_at__isnull=False).filter(reported_at__date__lte=_F_original_due()).count()
    overdue = plans.task_list(user=user).filter(plans.overdue_q(today)).count()
    return {
        "due": due,
        "on_time": on_time,
        "percent": round(100 * on_time / due, 1) if due else None,
        "overdue": overdue,
        "url": _url("plans:task-list"),
    }


def _F_original_due() -> F:
    return F("original_due_date")


# --- distributions and rankings -------------------------------------------------------------------------


def _activity_counts_by_unit(user: Any, start: date, today: date) -> dict[int, int]:
    """Activities in [start, today] per organising unit id: one GROUP BY on the activity table alone (no join,
    so the cost is the index range, not a join per row); callers map the few unit ids to cities or names."""
    qs = activities.activity_list(user=user).filter(
        starts_at__gte=_day_start(start), starts_at__lt=_day_start(today + timedelta(days=1))
    )
    return dict(qs.order_by().values("organization_id").annotate(n=Count("id")).values_list("organization_id", "n"))


def activities_by_city(user: Any, start: date, today: date, counts: dict[int, int] | None = None) -> dict[str, int]:
    counts = _activity_counts_by_unit(user, start, today) if counts is None else counts
    out = dict.fromkeys(city_codes(user), 0)
    for org_id, code in Organization.objects.filter(pk__in=list(counts)).values_list("pk", "city_code"):
        if code in out:
            out[code] += counts[org_id]
    return out


def activities_by_unit(
    user: Any, start: date, today: date, limit: int = 10, counts: dict[int, int] | None = None
) -> list[dict[str, Any]]:
    counts = _activity_counts_by_unit(user, start, today) if counts is None else counts
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    names = dict(Organization.objects.filter(pk__in=[k for k, _ in top]).values_list("pk", "name"))
    return [{"label": names.get(k, ""), "value": n} for k, n in top]


def activities_by_month(user: Any, today: date, months: int = 12) -> list[tuple[str, int]]:
    """Activities per month over the last ``months`` months (oldest first): one COUNT per month over the
    ``starts_at`` index range of that local-time month, so the cost follows the months, not the rows."""
    first = _month_start(today)
    for _ in range(months - 1):
        first = _month_start(first - timedelta(days=1))
    qs = activities.activity_list(user=user).order_by()
    out: list[tuple[str, int]] = []
    m = first
    while m <= today:
        nxt = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
        end = min(nxt, today + timedelta(days=1))
        n = qs.filter(starts_at__gte=_day_start(m), starts_at__lt=_day_start(end)).count()
        out.append((m.strftime("%Y-%m"), n))
        m = nxt
    return out


def honours_by_level(user: Any) -> list[dict[str, Any]]:
    rows = dict(
        honours.title_list(user=user)
        .filter(status="active")
        .order_by()
        .values("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    return [{"key": lv, "label": str(Level(lv).label), "value": rows.get(lv, 0)} for lv in LEVEL_ORDER]


def satisfaction(user: Any, today: date) -> dict[str, Any]:
    """The index of the last twelve months from the surveys rollup: by city with bands, and its trend."""
    end = _month_start(today) + timedelta(days=32)
    end = _month_start(end)
    start = date(end.year - 1, end.month, 1)
    rows = surveys.index_rows(user=user, grain=Grain.CITY, start=start, end=end)
    overall = surveys.index_rows(user=user, grain=Grain.PROVINCE, start=start, end=end)
    trend = surveys.monthly_trend(user=user, start=start, end=end)
    bands = {b.value: 0 for b in Band}
    for r in rows:
        bands[r.band] = bands.get(r.band, 0) + 1
    return {
        "index": round(overall[0].mean, 1) if overall and overall[0].mean is not None else None,
        "by_city": [
            {"key": r.key, "label": r.label, "value": round(r.mean, 1) if r.mean is not None else None, "band": r.band}
            for r in rows
        ],
        "bands": [{"key": k, "label": str(Band(k).label), "value": v} for k, v in bands.items()],
        "trend": [(m.strftime("%Y-%m"), round(s.mean, 1) if s.mean is not None else None) for m, s in trend],
        "url": _url("surveys:dashboard"),
    }


def running_vote(user: Any) -> dict[str, Any] | None:
    """The vote ranking of the running poll in scope (a 最美快递员 edition's), top ten."""
    now = timezone.now()
    poll = (
        voting.poll_list(user=user)
        .filter(status="scheduled", opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
        .first()
    )
    if poll is None:
        return None
    rows = voting.result_rows(poll)
    return {
        "title": poll.title,
        "url": reverse("voting:detail", args=[poll.pk]),
        "total": sum(r["total"] for r in rows),
        "rows": [{"label": f"{r['candidate'].number}. {r['candidate'].name}", "value": r["total"]} for r in rows[:10]],
    }


def assessment_ranking(user: Any, year: int) -> dict[str, Any]:
    """The city ranking of ``year`` from the assessment's year snapshots (never the records), rows in scope."""
    result = assessment.ranking(user, year=year)
    return {
        "year": year,
        "scheme": result.scheme.name if result.scheme is not None else None,
        "as_of": result.as_of.isoformat(timespec="seconds") if result.as_of else None,
        "rows": [
            {"key": r.org.code, "label": r.org.name, "rank": r.rank, "value": float(round(r.total, 2))}
            for r in result.rows
        ],
        "url": _url("assessment:ranking", year=year),
    }


# --- the whole summary, cached briefly -----------------------------------------------------------------


def _cache_key(user: Any, part: str) -> str:
    return f"dashboards:{part}:v2:{getattr(user, 'pk', 0)}"


def summary(user: Any, *, fresh: bool = False) -> dict[str, Any]:
    """Every live figure of the user's dashboard, read at most every ``LIVE_TTL`` seconds."""
    key = _cache_key(user, "summary")
    data = None if fresh else cache.get(key)
    if data is None:
        data = _compute(user)
        cache.set(key, data, LIVE_TTL)
    return data


def _compute(user: Any) -> dict[str, Any]:
    now = timezone.localtime()
    today = now.date()
    year, month = _year_start(today), _month_start(today)
    figures = [
        activities_since(user, year, today),
        volunteers_since(user, year, today),
        hours_since(user, year, today),
        valid_complaints(user, year, today),
        overdue_complaints(user),
        expiring_titles(user, today),
    ]
    live = {
        "activities_today": asdict(activities_since(user, today, today)),
        "activities_month": asdict(activities_since(user, month, today)),
        "volunteers_today": asdict(volunteers_since(user, today, today)),
        "volunteers_month": asdict(volunteers_since(user, month, today)),
        "hours_today": asdict(hours_since(user, today, today)),
        "hours_month": asdict(hours_since(user, month, today)),
    }
    per_unit = _activity_counts_by_unit(user, year, today)  # one GROUP BY for both charts
    by_city = activities_by_city(user, year, today, counts=per_unit)
    return {
        "as_of": now.isoformat(timespec="seconds"),
        "figures": {f.key: asdict(f) for f in figures},
        "live": live,
        "tasks": tasks_on_time(user, today),
        "activities_by_city": [{"key": c, "label": division_name(c) or c, "value": n} for c, n in by_city.items()],
        "activities_by_unit": activities_by_unit(user, year, today, counts=per_unit),
        "activities_trend": activities_by_month(user, today),
        "honours_by_level": honours_by_level(user),
        "satisfaction": satisfaction(user, today),
        "vote": running_vote(user),
        "ranking": assessment_ranking(user, today.year),
    }
