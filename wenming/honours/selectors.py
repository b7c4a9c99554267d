"""Reads for a user: every query starts from ``visible_to(user, action)``; lists stay flat in their size."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from wenming.accounts.roles import Action
from wenming.organizations.scoping import grant_paths

from .choices import TitleStatus
from .models import Application, Cycle, Notice, Objection, Programme, Title
from .permissions import HonourAction as HA
from .rules import CITY_REVIEW, PROVINCE_REVIEW

LIVE_TITLES = [TitleStatus.ACTIVE, TitleStatus.UNDER_REVIEW, TitleStatus.RECTIFYING]


def cycle_list(*, user: Any) -> QuerySet[Cycle]:
    """Cycles: the office sees its own; applicants see every cycle (they apply to the province's)."""
    return (
        Cycle.objects.all()
        .select_related("programme", "organizer")
        .prefetch_related("stage_rows")
        .annotate(n_apps=Count("applications", filter=~Q(applications__status="draft"), distinct=True))
        .order_by("-year", "programme__sort_order", "id")
    )


def application_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[Application]:
    return (
        Application.objects.visible_to(user, action)
        .select_related("cycle__programme", "organization", "courier", "recommender")
        .order_by("-created_at", "-id")
    )


def _stage_codes(permission: str, kind: str | None = None) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for p in Programme.objects.only("id", "stages"):
        codes = [
            s["code"] for s in p.stages if s.get("permission") == permission and (kind is None or s.get("kind") == kind)
        ]
        if codes:
            out[p.pk] = codes
    return out


def _stage_q(codes: dict[int, list[str]]) -> Q:
    q = Q(pk__in=[])
    for pid, cs in codes.items():
        q |= Q(cycle__programme_id=pid, status__in=cs)
    return q


def review_queue(*, user: Any) -> QuerySet[Application]:
    """Applications waiting for this reviewer: the city review of their city, the province review above
    it (the rules decide per row; in SQL the scope and the stage already narrow it to the same rows)."""
    base = application_list(user=user, action=HA.REVIEW)
    q = Q(pk__in=[])
    city = _stage_codes(CITY_REVIEW)
    prov = _stage_codes(PROVINCE_REVIEW)
    paths = grant_paths(user, HA.REVIEW)
    city_roots = [p for p in paths if p.count(".") > 1]
    top_roots = [p for p in paths if p.count(".") == 1]
    if city_roots and city:
        sub = Q(pk__in=[])
        for r in city_roots:
            sub |= Q(organization__path__startswith=r)
        q |= _stage_q(city) & sub
    if top_roots and prov:
        q |= _stage_q(prov)
    return base.filter(q).order_by("submitted_at", "id")


def office_queue(*, user: Any) -> QuerySet[Application]:
    """Applications at an office stage (eligibility, vote, scoring, committee, 公示) in the user's scope."""
    return (
        application_list(user=user, action=HA.MANAGE).filter(_stage_q(_stage_codes(HA.MANAGE))).order_by("cycle", "id")
    )


def returned_to(*, user: Any) -> QuerySet[Application]:
    return application_list(user=user, action=HA.APPLY).filter(status="returned")


def cycle_applications(*, cycle: Cycle, user: Any) -> QuerySet[Application]:
    return (
        application_list(user=user)
        .filter(cycle=cycle)
        .exclude(status="draft")
        .order_by("status", "position", "rank", "id")
    )


def title_list(*, user: Any) -> QuerySet[Title]:
    return (
        Title.objects.visible_to(user, Action.VIEW)
        .select_related("programme", "organization", "courier")
        .order_by("-decision_date", "-id")
    )


def expiring(*, user: Any, today: date, days: int = 90) -> QuerySet[Title]:
    return (
        title_list(user=user)
        .filter(
            status__in=LIVE_TITLES,
            valid_to__isnull=False,
            valid_to__gte=today,
            valid_to__lte=today + timedelta(days=days),
        )
        .order_by("valid_to", "id")
    )


def managed_titles(*, user: Any) -> QuerySet[Title]:
    """Titles under 复查 or in rectification, for the reviewer's 动态管理 page."""
    return (
        Title.objects.visible_to(user, HA.REVIEW)
        .filter(status__in=[TitleStatus.UNDER_REVIEW, TitleStatus.RECTIFYING])
        .select_related("programme", "organization", "courier")
        .prefetch_related("rechecks")
        .order_by("status", "rectify_due", "id")
    )


def public_roll() -> QuerySet[Title]:
    """The honour roll (光荣榜): live titles only; personal names are masked by the template's fields."""
    return (
        Title.objects.filter(status__in=LIVE_TITLES)
        .select_related("programme", "organization", "courier")
        .order_by("-decision_date", "programme__sort_order", "id")
    )


def public_notices(today: date) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(starts_on__lte=today)
        .select_related("cycle__programme")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=Application.objects.select_related("organization", "courier").order_by("position", "id"),
            )
        )
        .order_by("-starts_on", "-id")
    )


def objection_list(*, user: Any) -> QuerySet[Objection]:
    return (
        Objection.objects.visible_to(user, HA.MANAGE)
        .select_related("notice__cycle", "application__organization")
        .order_by("-created_at", "-id")
    )


def titles_by_city_and_level(period_start: date, period_end: date) -> dict[str, dict[str, int]]:
    """Titles conferred (命名日期) in [period_start, period_end] and not revoked, per city code of the holding
    unit and level (the assessment reads this; one grouped query)."""
    rows = (
        Title.objects.filter(decision_date__gte=period_start, decision_date__lte=period_end)
        .exclude(status=TitleStatus.REVOKED)
        .exclude(organization__city_code="")
        .order_by()
        .values("organization__city_code", "level")
        .annotate(n=Count("pk"))
    )
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r["organization__city_code"], {})[r["level"]] = r["n"]
    return out
