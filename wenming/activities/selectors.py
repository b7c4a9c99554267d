"""Reads for a user: every query starts from ``visible_to(user, action)``."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from wenming.accounts.roles import Action
from wenming.certificates import selectors as certificates_selectors
from wenming.certificates.models import Certificate
from wenming.organizations.models import Organization

from .certificates import KIND as CERT_KIND
from .choices import ActivityStatus, VolunteerRecordStatus
from .models import (
    Activity,
    ActivityPhoto,
    Pairing,
    VolunteerEvent,
    VolunteerRecord,
    VolunteerSignup,
)
from .workflows import VOLUNTEER_RECORD_WORKFLOW


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def activity_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[Activity]:
    """Activities in scope, newest first; the list's filters are ``filters.ActivityFilter``."""
    return (
        Activity.objects.visible_to(user, action)
        .select_related("organization", "activity_type", "outlet")
        .order_by("-starts_at", "-id")
    )


def activity_month_grid(*, qs: QuerySet[Activity], year: int, month: int) -> list[list[dict]]:
    """Weeks (Monday first) of day cells, each with the activities starting that day."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    by_day: dict[date, list[Activity]] = {}
    for a in qs.filter(starts_at__gte=_day_start(first), starts_at__lt=_day_start(last + timedelta(days=1))):
        by_day.setdefault(timezone.localtime(a.starts_at).date(), []).append(a)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                {"date": d, "in_month": d.month == month, "items": sorted(by_day.get(d, []), key=lambda a: a.starts_at)}
                for d in week
            ]
        )
    return weeks


def photo_list(*, user: Any) -> QuerySet[ActivityPhoto]:
    return ActivityPhoto.objects.visible_to(user, Action.VIEW).select_related("activity", "activity__organization")


def pairing_list(*, user: Any) -> QuerySet[Pairing]:
    """Pairings in scope with their activity count; the list's filters are ``filters.PairingFilter``."""
    return (
        Pairing.objects.visible_to(user, Action.VIEW)
        .select_related("organization")
        .annotate(n_activities=Count("activities"))
        .order_by("-period_start", "-id")
    )


def volunteer_event_list(*, user: Any) -> QuerySet[VolunteerEvent]:
    """Volunteer events in scope with sign-up and pending counts (filters: ``filters.VolunteerEventFilter``)."""
    return (
        VolunteerEvent.objects.visible_to(user, Action.VIEW)
        .select_related("organization")
        .annotate(
            n_signups=Count("signups", distinct=True),
            n_pending=Count(
                "signups__record", filter=Q(signups__record__status=VolunteerRecordStatus.PENDING), distinct=True
            ),
        )
        .order_by("-starts_at", "-id")
    )


def signups_with_decisions(*, event: VolunteerEvent, user: Any) -> list[VolunteerSignup]:
    """The event's sign-ups; each carries ``can_decide``: its record awaits a decision ``user`` may take
    (批准 / 不予认定, from the record workflow — templates never compare states)."""
    signups = list(event.signups.select_related("courier", "user", "record").order_by("id"))
    for s in signups:
        record = getattr(s, "record", None)
        names = {t.name for t in VOLUNTEER_RECORD_WORKFLOW.available(record, user)} if record is not None else set()
        s.can_decide = bool(names & {"approve", "decline"})
    return signups


def certificate_list(*, user: Any) -> QuerySet[Certificate]:
    """The 志愿服务记录证明 the user may see (rows of the one certificate mechanism)."""
    return certificates_selectors.certificate_list(user=user, kind=CERT_KIND)


def volunteer_records(
    *,
    user: Any,
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    organization: Organization | None = None,
) -> QuerySet[VolunteerRecord]:
    qs = VolunteerRecord.objects.visible_to(user, Action.VIEW).select_related(
        "signup", "signup__event", "signup__event__organization", "signup__courier"
    )
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(check_in_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(check_in_at__lt=_day_start(date_to + timedelta(days=1)))
    if organization:
        qs = qs.in_subtree(organization.path)
    return qs


def _h(value: Any) -> Decimal:
    """Hours with one decimal (SQLite sums lose the scale)."""
    return Decimal(value or 0).quantize(Decimal("0.1"))


def volunteer_totals_by_person(**kwargs: Any) -> list[dict[str, Any]]:
    """Approved hours per person (courier or staff member), highest first."""
    qs = volunteer_records(status=VolunteerRecordStatus.APPROVED, **kwargs)
    rows = (
        qs.values("signup__courier", "signup__user", "signup__name", "signup__courier__outlet__name")
        .annotate(hours=Sum("hours"), times=Count("id"))
        .order_by("-hours", "signup__name")
    )
    return [
        {
            "courier_id": r["signup__courier"],
            "user_id": r["signup__user"],
            "name": r["signup__name"],
            "unit": r["signup__courier__outlet__name"] or "",
            "hours": _h(r["hours"]),
            "times": r["times"],
        }
        for r in rows
    ]


def volunteer_totals_by_unit(**kwargs: Any) -> list[dict[str, Any]]:
    """Approved hours per organising unit of the events."""
    qs = volunteer_records(status=VolunteerRecordStatus.APPROVED, **kwargs)
    rows = (
        qs.values("signup__event__organization", "signup__event__organization__name")
        .annotate(hours=Sum("hours"), times=Count("id"), people=Count("signup__name", distinct=True))
        .order_by("-hours")
    )
    return [
        {
            "organization_id": r["signup__event__organization"],
            "unit": r["signup__event__organization__name"],
            "hours": _h(r["hours"]),
            "times": r["times"],
            "people": r["people"],
        }
        for r in rows
    ]


def ledger_summary(*, user: Any, org: Organization) -> dict[str, Any]:
    """Activities, approved hours and pairings of an org node's subtree, by year."""
    acts = Activity.objects.visible_to(user, Action.VIEW).in_subtree(org.path)
    hours = volunteer_records(user=user, status=VolunteerRecordStatus.APPROVED, organization=org)
    pairings = Pairing.objects.visible_to(user, Action.VIEW).in_subtree(org.path)
    by_year: dict[int, dict[str, Any]] = {}
    for a in acts.values_list("starts_at", "status"):
        y = timezone.localtime(a[0]).year
        row = by_year.setdefault(y, {"year": y, "activities": 0, "verified": 0, "hours": Decimal("0")})
        row["activities"] += 1
        row["verified"] += 1 if a[1] == "verified" else 0
    for r in hours.values_list("check_in_at", "hours"):
        y = timezone.localtime(r[0]).year
        row = by_year.setdefault(y, {"year": y, "activities": 0, "verified": 0, "hours": Decimal("0")})
        row["hours"] += r[1]
    for row in by_year.values():
        row["hours"] = _h(row["hours"])
    return {
        "activities": acts.count(),
        "verified": acts.filter(status="verified").count(),
        "hours": _h(hours.aggregate(s=Sum("hours"))["s"]),
        "pairings": pairings.count(),
        "years": sorted(by_year.values(), key=lambda r: -r["year"]),
        "by_type": list(
            acts.values("activity_type__name").annotate(n=Count("id")).order_by("-n", "activity_type__name")
        ),
    }


def verified_activities_by_city(period_start: date, period_end: date) -> dict[str, int]:
    """Verified activities (已核实) starting on a day in [period_start, period_end], per city code of the
    organising unit (the assessment reads this; one grouped query)."""
    return dict(
        Activity.objects.filter(
            status=ActivityStatus.VERIFIED,
            starts_at__gte=_day_start(period_start),
            starts_at__lt=_day_start(period_end + timedelta(days=1)),
        )
        .exclude(organization__city_code="")
        .order_by()
        .values("organization__city_code")
        .annotate(n=Count("pk"))
        .values_list("organization__city_code", "n")
    )


def approved_hours_by_city(period_start: date, period_end: date) -> dict[str, Decimal]:
    """Approved volunteer hours (志愿服务时长，已审核) checked in on a day in [period_start, period_end], per
    city code of the event's organising unit (the assessment reads this; one grouped query)."""
    rows = (
        VolunteerRecord.objects.filter(
            status=VolunteerRecordStatus.APPROVED,
            check_in_at__gte=_day_start(period_start),
            check_in_at__lt=_day_start(period_end + timedelta(days=1)),
        )
        .exclude(signup__event__organization__city_code="")
        .order_by()
        .values("signup__event__organization__city_code")
        .annotate(h=Sum("hours"))
        .values_list("signup__event__organization__city_code", "h")
    )
    return {code: _h(h) for code, h in rows}
