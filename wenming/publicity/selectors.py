"""Reads of the publicity app. Staff reads start from ``visible_to(user, action)``; the public reads
(``published_profiles``, ``published_suggestions``, ``current_values``) return only what was released."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from wenming.accounts.roles import Action
from wenming.organizations.models import Organization, RoleAssignment

from .choices import NoticeStatus, SuggestionStatus, ValuesStatus
from .models import (
    Exemplar,
    ExemplarPhoto,
    MediaCoverage,
    Notice,
    NoticeDelivery,
    NoticeRead,
    Suggestion,
    ValueStatement,
)


# --- 先进典型库 -------------------------------------------------------------------------------------
def exemplar_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[Exemplar]:
    return (
        Exemplar.objects.visible_to(user, action)
        .select_related("organization")
        .annotate(n_photos=Count("photos", distinct=True))
        .order_by("-created_at", "-id")
    )


def published_profiles(limit: int | None = None, *, organization: Organization | None = None) -> list[Exemplar]:
    """Profiles the public may see (published, consent standing), newest first, with their photos."""
    qs = (
        Exemplar.objects.public()
        .select_related("organization")
        .prefetch_related(Prefetch("photos", queryset=ExemplarPhoto.objects.order_by("uploaded_at", "id")))
        .order_by("-published_at", "-id")
    )
    if organization is not None:
        qs = qs.in_subtree(organization.path)
    return list(qs[:limit] if limit else qs)


def public_profile(key: str) -> Exemplar | None:
    return (
        Exemplar.objects.public()
        .select_related("organization")
        .prefetch_related(Prefetch("photos", queryset=ExemplarPhoto.objects.order_by("uploaded_at", "id")))
        .filter(public_key=key)
        .first()
    )


def public_photo(key: str) -> ExemplarPhoto | None:
    photo = ExemplarPhoto.objects.select_related("exemplar").filter(public_key=key).first()
    if photo is None or not photo.exemplar.photos_public:
        return None
    if not Exemplar.objects.public().filter(pk=photo.exemplar_id).exists():
        return None
    return photo


# --- 媒体报道 ---------------------------------------------------------------------------------------
def coverage_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[MediaCoverage]:
    return (
        MediaCoverage.objects.visible_to(user, action)
        .select_related("organization", "activity")
        .order_by("-published_on", "-id")
    )


def coverage_counts(
    *, start: date, end: date, queryset: QuerySet[MediaCoverage] | None = None, city_code: str | None = None
) -> list[dict[str, Any]]:
    """Reports per city and medium in [start, end] (the assessment reads this): one row per city with
    ``total``, ``reach`` and a count per medium code. ``queryset`` narrows to a scope (default: all)."""
    qs = MediaCoverage.objects.all() if queryset is None else queryset
    qs = qs.filter(published_on__gte=start, published_on__lte=end)
    if city_code:
        qs = qs.filter(organization__city_code=city_code)
    rows: dict[str, dict[str, Any]] = {}
    for r in (
        qs.order_by()
        .values("organization__city_code", "medium")
        .annotate(n=Count("pk"), reach=Sum("reach"))
        .order_by("organization__city_code", "medium")
    ):
        code = r["organization__city_code"] or ""
        row = rows.setdefault(code, {"city_code": code, "total": 0, "reach": 0, "by_medium": {}})
        row["by_medium"][r["medium"]] = r["n"]
        row["total"] += r["n"]
        row["reach"] += r["reach"] or 0
    return list(rows.values())


# --- 通知公告 ---------------------------------------------------------------------------------------
def notice_list(*, user: Any) -> QuerySet[Notice]:
    """Notices sent (or drafted) by units of the user's scope, with read/unread counts."""
    return (
        Notice.objects.visible_to(user, Action.VIEW)
        .select_related("organization")
        .annotate(
            n_units=Count("deliveries", distinct=True),
            n_read=Count("deliveries", filter=Q(deliveries__read_at__isnull=False), distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def notice_deliveries(notice: Notice, *, read: bool | None = None) -> QuerySet[NoticeDelivery]:
    """The recipient units of a notice; ``read`` narrows to read (True) or unread (False) — the counters
    on the notice page are ``.count()`` of these same querysets."""
    qs = notice.deliveries.select_related("organization", "read_by").order_by("organization__path")
    if read is True:
        qs = qs.filter(read_at__isnull=False)
    elif read is False:
        qs = qs.filter(read_at__isnull=True)
    return qs


def inbox(*, user: Any) -> QuerySet[NoticeDelivery]:
    """Notices addressed to the units the user holds a role on (the unit's own people, not the units above)."""
    if not getattr(user, "is_authenticated", False):
        return NoticeDelivery.objects.none()
    units = RoleAssignment.objects.filter(user=user).values("organization_id")
    mine = NoticeRead.objects.filter(delivery=OuterRef("pk"), user=user)
    return (
        NoticeDelivery.objects.filter(organization_id__in=units, notice__status=NoticeStatus.SENT)
        .select_related("notice", "notice__organization", "organization")
        .annotate(seen=Exists(mine))
        .order_by("-notice__sent_at", "-id")
    )


def unread_inbox(*, user: Any) -> QuerySet[NoticeDelivery]:
    return inbox(user=user).filter(seen=False)


# --- 建言献策 ---------------------------------------------------------------------------------------
def suggestion_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[Suggestion]:
    return Suggestion.objects.visible_to(user, action).select_related("organization").order_by("-created_at", "-id")


def published_suggestions(limit: int | None = None) -> list[Suggestion]:
    """Adopted suggestions, newest adoption first (the public list and the portal's home page)."""
    qs = Suggestion.objects.public().select_related("organization").order_by("-adopted_at", "-id")
    return list(qs[:limit] if limit else qs)


def open_suggestions(*, user: Any) -> QuerySet[Suggestion]:
    return suggestion_list(user=user, action="publicity.handle").filter(
        status__in=[SuggestionStatus.SUBMITTED, SuggestionStatus.ROUTED, SuggestionStatus.ANSWERED]
    )


# --- 价值体系 ---------------------------------------------------------------------------------------
def values_list(*, user: Any) -> QuerySet[ValueStatement]:
    return (
        ValueStatement.objects.visible_to(user, Action.VIEW)
        .select_related("organization")
        .order_by("organization__path", "-version")
    )


def current_values(organization: Organization) -> ValueStatement | None:
    """The enterprise's current value system: its newest approved version."""
    return (
        ValueStatement.objects.filter(organization=organization, status=ValuesStatus.APPROVED)
        .order_by("-version")
        .first()
    )
