"""Reads of voting. Public pages read published polls only; staff reads start from ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from . import engine
from .choices import PollStatus
from .models import Anomaly, Ballot, Candidate, CandidatePhoto, OfflineEntry, Poll, Quarantine
from .permissions import VotingAction as VA

PUBLIC_STATES = (PollStatus.SCHEDULED, PollStatus.PAUSED, PollStatus.CLOSED, PollStatus.PUBLISHED)


def public_poll(poll_id: int) -> Poll | None:
    return Poll.objects.filter(pk=poll_id, status__in=PUBLIC_STATES).select_related("snapshot").first()


def open_polls(limit: int | None = None) -> list[Poll]:
    """Polls taking ballots right now (the portal's home page), closing soonest first."""
    now = timezone.now()
    qs = Poll.objects.filter(status=PollStatus.SCHEDULED, opens_at__lte=now, closes_at__gt=now).select_related(
        "organization"
    )
    qs = qs.order_by("closes_at", "pk")
    return list(qs[:limit] if limit else qs)


def public_candidates(poll: Poll) -> QuerySet[Candidate]:
    return poll.candidates.order_by("number").prefetch_related(
        Prefetch("photos", queryset=CandidatePhoto.objects.order_by("sort_order", "pk"))
    )


def counts_visible(poll: Poll) -> bool:
    return poll.show_live_counts or poll.status in (PollStatus.CLOSED, PollStatus.PUBLISHED)


def public_counts(poll: Poll) -> dict[int, dict[str, int]] | None:
    """Displayed counts per candidate (online, offline, total), or None when the poll hides them."""
    if not counts_visible(poll):
        return None
    counts = engine.live_counts(poll.pk)
    for c in counts.values():
        c["total"] = c.get("online", 0) + c.get("offline", 0)
    return counts


def result_rows(poll: Poll) -> list[dict[str, Any]]:
    counts = engine.live_counts(poll.pk)
    rows = []
    for cand in poll.candidates.order_by("number"):
        c = counts.get(cand.pk, {})
        rows.append(
            {
                "candidate": cand,
                "online": c.get("online", 0),
                "offline": c.get("offline", 0),
                "total": c.get("online", 0) + c.get("offline", 0),
            }
        )
    rows.sort(key=lambda r: (-r["total"], r["candidate"].number))
    return rows


# ---- staff ---------------------------------------------------------------------------------------------


def poll_list(*, user: Any) -> QuerySet[Poll]:
    return Poll.objects.visible_to(user, VA.MONITOR).select_related("organization")


def anomaly_list(*, user: Any, poll: Poll) -> QuerySet[Anomaly]:
    return Anomaly.objects.visible_to(user, VA.MONITOR).filter(poll=poll).select_related("poll")


def quarantine_list(*, user: Any, poll: Poll) -> QuerySet[Quarantine]:
    return (
        Quarantine.objects.visible_to(user, VA.MONITOR)
        .filter(poll=poll)
        .select_related("poll", "proposed_by", "decided_by", "anomaly")
    )


def ledger(*, user: Any, poll: Poll) -> QuerySet[Ballot]:
    return Ballot.objects.visible_to(user, VA.LEDGER_EXPORT).filter(poll=poll).order_by("id")


def offline_list(*, user: Any, poll: Poll) -> QuerySet[OfflineEntry]:
    return OfflineEntry.objects.visible_to(user, VA.MONITOR).filter(poll=poll).select_related("candidate", "entered_by")
