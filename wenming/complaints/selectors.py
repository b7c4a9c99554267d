"""Reads of the complaints app. Every staff read starts from ``visible_to(user, action)``.

``valid_complaints_by_outlet`` is the contract other modules (effect evaluation) read: it takes no
user, because it returns counts per outlet only, never a case.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from wenming.accounts.roles import Action

from .models import Complaint, ItemVolume


def valid_complaints_by_outlet(outlet_ids: Iterable[int], start: date, end: date) -> dict[int, int]:
    """Valid complaints (有效申诉) per outlet organisation id, received on a day in [start, end).

    Outlets without a valid complaint in the period are present with 0, so callers can tell "none"
    from "not asked". Ids are ``Organization`` ids of kind outlet (the ids every selector uses).
    """
    ids = sorted({int(i) for i in outlet_ids})
    out = dict.fromkeys(ids, 0)
    if not ids or end <= start:
        return out
    rows = (
        Complaint.objects.filter(outlet_id__in=ids, is_valid=True, received_on__gte=start, received_on__lt=end)
        .values("outlet_id")
        .annotate(n=Count("id"))
        .values_list("outlet_id", "n")
    )
    for outlet_id, n in rows:
        out[outlet_id] = n
    return out


def complaint_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[Complaint]:
    return (
        Complaint.objects.visible_to(user, action)
        .select_related("enterprise", "outlet", "brand")
        .order_by("-received_at", "-id")
    )


def volume_list(*, user: Any) -> QuerySet[ItemVolume]:
    return (
        ItemVolume.objects.visible_to(user, Action.VIEW)
        .select_related("enterprise")
        .order_by("-month", "enterprise__name")
    )
