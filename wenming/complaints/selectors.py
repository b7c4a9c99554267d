"""Reads of the complaints app. Every staff read starts from ``visible_to(user, action)``.

``valid_complaints_by_outlet`` is the contract other modules (effect evaluation) read: it takes no
user, because it returns counts per outlet only, never a case.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from wenming.accounts.roles import Action

from .choices import ComplaintStatus as S
from .choices import Deadline
from .deadlines import overdue_q
from .models import Complaint, ItemVolume
from .permissions import ComplaintAction as CA
from .services import overdue_replies, per_million


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


# --- the workbench to-dos: each counter counts the list it opens (complaints:list?todo=<code>) ---------
TODOS = {
    "accept": gettext_noop("待受理"),
    "reply": gettext_noop("待答复"),
    "callback": gettext_noop("待回访"),
    "overdue": gettext_noop("已超时"),
}


def todo_filter(qs: QuerySet[Complaint], user: Any, code: str, today: date | None = None) -> QuerySet[Complaint]:
    """Narrow ``qs`` (already scoped) to one to-do list of ``user``."""
    today = today or timezone.localdate()
    if code == "accept":
        return qs.filter(status=S.RECEIVED, pk__in=Complaint.objects.visible_to(user, CA.HANDLE).values("pk"))
    if code == "reply":
        return qs.filter(status=S.FORWARDED, pk__in=Complaint.objects.visible_to(user, CA.REPLY).values("pk"))
    if code == "callback":
        return qs.filter(
            status__in=(S.REPLIED, S.MEDIATION), pk__in=Complaint.objects.visible_to(user, CA.HANDLE).values("pk")
        )
    if code == "overdue":
        handle = Complaint.objects.visible_to(user, CA.HANDLE).values("pk")
        reply = Complaint.objects.visible_to(user, CA.REPLY).values("pk")
        mine = Q(pk__in=handle) | (Q(pk__in=reply) & Q(status=S.FORWARDED))
        pending = Q()
        for deadline in Deadline.values:
            pending |= overdue_q(deadline, today)
        return qs.filter(mine & pending)
    return qs.none()


def todo_count(user: Any, code: str) -> int:
    return todo_filter(complaint_list(user=user), user, code).count()


def valid_per_million_by_city(start: date, end: date) -> dict[str, tuple[int, int]]:
    """(valid complaints, items) per city code for cases received on a day in [start, end] and the monthly
    volumes of those months: the figures of the statistics page's per-million table, for the assessment."""
    end_excl = end + timedelta(days=1)
    rows = per_million(
        complaints=Complaint.objects.all(), volumes=ItemVolume.objects.all(), start=start, end=end_excl, group="city"
    )
    return {r.key: (r.valid, r.items) for r in rows if r.key}


def overdue_replies_by_city(start: date, end: date) -> dict[str, tuple[int, int]]:
    """(late replies, forwarded cases) per city code for cases received on a day in [start, end]: the
    statistics page's overdue table summed over enterprises, for the assessment."""
    end_excl = end + timedelta(days=1)
    out: dict[str, tuple[int, int]] = {}
    for r in overdue_replies(complaints=Complaint.objects.all(), start=start, end=end_excl):
        late, fwd = out.get(r.city_code, (0, 0))
        out[r.city_code] = (late + r.overdue, fwd + r.forwarded)
    return out
