"""Rigging signals over the ledger (quality.md B5 rule 4), run every minute by the scheduler.

Each signal looks at the last ``WINDOW`` (aligned windows, so a re-run finds the same rows and the
unique constraint keeps one anomaly per signal, key and window) and alerts the poll's monitors at once
— well inside the five minutes of AU6. Thresholds are deliberately conservative (NAT and campus Wi-Fi
share addresses); every flag is a lead for a person, never an automatic removal.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from .choices import AnomalyKind, PollStatus
from .engine import LOCAL_TZ
from .models import Anomaly, Ballot, BallotChoice, Poll
from .services import alert

WINDOW = timedelta(minutes=10)
NET_BURST = 60  # ballots from one /24 in one window (≈ 360/h; one organiser flags > 400/h)
FINGERPRINT_BURST = 60  # ballots with one device fingerprint in one window
NEW_PHONES_MIN = 30  # ballots by voters first seen < 24 h ago, for one candidate, in one window …
NEW_PHONES_SHARE = 0.8  # … making up at least this share of the candidate's ballots in the window
NIGHT_HOURS = range(0, 6)  # Asia/Shanghai
NIGHT_BURST = 40  # ballots for one candidate in one night-time window
MAX_IDS = 5000  # ballot ids kept with an anomaly (what a quarantine proposal takes)


def window_of(at: datetime) -> tuple[datetime, datetime]:
    step = int(WINDOW.total_seconds())
    start = datetime.fromtimestamp(int(at.timestamp()) // step * step, tz=LOCAL_TZ)
    return start, start + WINDOW


def _record(
    poll_id: int, kind: str, key: str, start: datetime, end: datetime, ids: list[int], detail: dict
) -> Anomaly | None:
    try:
        with transaction.atomic():
            return Anomaly.objects.create(
                poll_id=poll_id,
                kind=kind,
                key=key[:80],
                window_start=start,
                window_end=end,
                ballots=len(ids),
                detail={**detail, "ballot_ids": ids[:MAX_IDS]},
            )
    except IntegrityError:
        existing = Anomaly.objects.get(poll_id=poll_id, kind=kind, key=key[:80], window_start=start)
        if len(ids) > existing.ballots:  # the window grew: keep the larger set (no new alert)
            Anomaly.objects.filter(pk=existing.pk).update(
                ballots=len(ids), detail={**detail, "ballot_ids": ids[:MAX_IDS]}
            )
        return None


def _ids(qs) -> list[int]:
    return list(qs.order_by("id").values_list("id", flat=True)[:MAX_IDS])


def scan_window(poll_id: int, start: datetime, end: datetime) -> list[Anomaly]:
    found: list[Anomaly] = []
    ballots = Ballot.objects.filter(poll_id=poll_id, cast_at__gte=start, cast_at__lt=end)
    for net, n in ballots.exclude(net="").values("net").annotate(n=Count("id")).values_list("net", "n"):
        if n >= NET_BURST:
            found.append(
                _record(poll_id, AnomalyKind.NET_BURST, net, start, end, _ids(ballots.filter(net=net)), {"n": n})
            )
    for fp, n in (
        ballots.exclude(fingerprint="").values("fingerprint").annotate(n=Count("id")).values_list("fingerprint", "n")
    ):
        if n >= FINGERPRINT_BURST:
            found.append(
                _record(
                    poll_id,
                    AnomalyKind.SAME_FINGERPRINT,
                    fp,
                    start,
                    end,
                    _ids(ballots.filter(fingerprint=fp)),
                    {"n": n},
                )
            )
    choices = BallotChoice.objects.filter(poll_id=poll_id, ballot__cast_at__gte=start, ballot__cast_at__lt=end)
    per_candidate = dict(choices.values("candidate_id").annotate(n=Count("id")).values_list("candidate_id", "n"))
    new_per_candidate = dict(
        choices.filter(ballot__new_voter=True)
        .values("candidate_id")
        .annotate(n=Count("id"))
        .values_list("candidate_id", "n")
    )
    for cid, n_new in new_per_candidate.items():
        total = per_candidate.get(cid, 0)
        if n_new >= NEW_PHONES_MIN and total and n_new / total >= NEW_PHONES_SHARE:
            ids = _ids(
                Ballot.objects.filter(
                    pk__in=choices.filter(candidate_id=cid, ballot__new_voter=True).values("ballot_id")
                )
            )
            found.append(
                _record(
                    poll_id,
                    AnomalyKind.NEW_PHONES,
                    str(cid),
                    start,
                    end,
                    ids,
                    {"n": n_new, "of": total, "candidate": cid},
                )
            )
    if start.astimezone(LOCAL_TZ).hour in NIGHT_HOURS:
        for cid, n in per_candidate.items():
            if n >= NIGHT_BURST:
                ids = _ids(Ballot.objects.filter(pk__in=choices.filter(candidate_id=cid).values("ballot_id")))
                found.append(
                    _record(poll_id, AnomalyKind.NIGHT_BURST, str(cid), start, end, ids, {"n": n, "candidate": cid})
                )
    return [a for a in found if a is not None]


def scan(*, now: datetime | None = None) -> list[Anomaly]:
    """Scan the current and the previous window of every poll taking votes; alert on new anomalies."""
    now = now or timezone.now()
    current, _end = window_of(now)
    found: list[Anomaly] = []
    polls = Poll.objects.filter(
        status__in=[PollStatus.SCHEDULED, PollStatus.PAUSED, PollStatus.CLOSED], opens_at__lte=now
    ).filter(closes_at__gte=now - 2 * WINDOW)
    for poll_id in polls.values_list("pk", flat=True):
        for start in (current - WINDOW, current):
            found += scan_window(poll_id, start, start + WINDOW)
    if found:
        alert(found)
    return found
