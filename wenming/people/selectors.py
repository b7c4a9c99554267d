"""Reads of couriers and governing bodies for a user, always from ``visible_to(user, action)``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from wenming.accounts.roles import Action
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization
from wenming.organizations.scoping import scope_roots

from .models import Courier, CourierMove, CourierStatus, GoverningBody, Membership


def courier_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[Courier]:
    # The (outlet, name, id) index returns rows in this order, so LIMIT stops early instead of sorting
    # every visible courier (people.Courier.Meta.indexes).
    return Courier.objects.visible_to(user, action).select_related("outlet__parent").order_by("outlet_id", "name", "id")


def courier_get(*, user: Any, pk: int, action: str = Action.VIEW) -> Courier:
    return get_object_or_404(courier_list(user=user, action=action), pk=pk)


OTHER_UNIT = "其他单位"


def courier_moves(*, user: Any, courier: Courier) -> list[dict[str, Any]]:
    """The transfer history of a courier the user can see, newest first.

    An outlet outside the user's view scope (say, in another city) is shown only as “其他单位”, without
    a link, and so is the unit of the person who recorded the move.
    """
    roots = scope_roots(user, Action.VIEW)

    def seen(org: Organization | None) -> bool:
        return org is not None and any(org.path.startswith(r) for r in roots)

    def place(org: Organization | None) -> dict[str, Any]:
        if org is None:
            return {"name": "—", "pk": None, "parent": ""}
        if not seen(org):
            return {"name": OTHER_UNIT, "pk": None, "parent": ""}
        return {"name": org.name, "pk": org.pk, "parent": org.parent.name if org.parent_id else ""}

    rows = []
    moves = CourierMove.objects.filter(courier=courier).select_related(
        "from_outlet__parent", "to_outlet__parent", "by__home_organization"
    )
    for m in moves:
        by = m.by
        by_name = ""
        if by is not None:
            home = by.home_organization
            by_name = (by.display_name or by.username) if home is None or seen(home) else f"{OTHER_UNIT}人员"
        rows.append(
            {
                "moved_on": m.moved_on,
                "at": m.at,
                "from": place(m.from_outlet),
                "to": place(m.to_outlet),
                "reason": m.reason,
                "by": by_name,
            }
        )
    return rows


def outlet_choices(*, user: Any) -> QuerySet[Organization]:
    """Active outlets where the user may register couriers."""
    return (
        Organization.objects.visible_to(user, Action.PEOPLE_MANAGE)
        .filter(kind=OrgKind.OUTLET, is_active=True)
        .select_related("parent")
        .order_by("path")
    )


def membership_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[Membership]:
    return Membership.objects.visible_to(user, action).select_related("body__organization")


def governing_body_list(*, user: Any, q: str = "", include_past: bool = False) -> list[GoverningBody]:
    """Bodies in scope with their members (current ones unless ``include_past``); ``q`` matches body or member."""
    today = timezone.localdate()
    members = Membership.objects.order_by("sort_order", "valid_from", "id")
    if not include_past:
        members = members.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    bodies = GoverningBody.objects.visible_to(user).select_related("organization")
    if q:
        bodies = bodies.filter(Q(name__icontains=q) | Q(memberships__person_name__icontains=q)).distinct()
        members_q = members.filter(Q(person_name__icontains=q) | Q(body__name__icontains=q))
        members = members_q
    return list(
        bodies.order_by("organization__path", "kind", "id").prefetch_related(
            Prefetch("memberships", queryset=members, to_attr="shown_members")
        )
    )


def governing_body_get(*, user: Any, pk: int, action: str = Action.VIEW) -> GoverningBody:
    return get_object_or_404(GoverningBody.objects.visible_to(user, action).select_related("organization"), pk=pk)


def membership_get(*, user: Any, pk: int, action: str = Action.VIEW) -> Membership:
    return get_object_or_404(membership_list(user=user, action=action), pk=pk)


def body_units(*, user: Any) -> QuerySet[Organization]:
    """Units that may hold a governing body: the provincial bureau and city bureaus the user manages."""
    return (
        Organization.objects.visible_to(user, Action.PEOPLE_MANAGE)
        .filter(kind__in=[OrgKind.PROVINCIAL_BUREAU, OrgKind.CITY_BUREAU], is_active=True)
        .order_by("path")
    )


def active_couriers_by_city() -> dict[str, int]:
    """Active couriers per city code of their outlet (the assessment's per-1,000-couriers denominators)."""
    return dict(
        Courier.objects.filter(status=CourierStatus.ACTIVE)
        .exclude(outlet__city_code="")
        .order_by()
        .values("outlet__city_code")
        .annotate(n=Count("pk"))
        .values_list("outlet__city_code", "n")
    )
