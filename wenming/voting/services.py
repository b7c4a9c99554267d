"""Staff-side services of voting: polls and candidates, offline votes, quarantine, close and snapshot.

Keyword-only, ``by=`` the acting user; state changes through ``workflow.perform``; other security-relevant
writes through ``audit_record``. The public vote path is ``engine.cast`` (no staff actor).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.accounts.models import AdminDuty
from wenming.accounts.roles import Role, roles_with
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core import uploads
from wenming.core.errors import ApplicationError
from wenming.organizations.models import RoleAssignment
from wenming.workbench.services import notify_many
from wenming.workflow.engine import perform, record_event
from wenming.workflow.policy import require

from . import engine
from .choices import AnomalyStatus, Channel, PollStatus
from .models import (
    Anomaly,
    Ballot,
    BallotChoice,
    Candidate,
    CandidatePhoto,
    OfflineEntry,
    Poll,
    PollSnapshot,
    Quarantine,
    QuarantinedBallot,
    Tally,
)
from .permissions import VotingAction as VA
from .workflows import POLL_WORKFLOW, QUARANTINE_WORKFLOW

logger = logging.getLogger("wenming.voting")
CATEGORY = "网络投票"


# ---- polls and candidates -----------------------------------------------------------------------------


def _require(user: Any, action: str, obj: Any) -> None:
    require(user, action, obj)


def poll_create(
    *,
    by: Any,
    organization: Any,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    intro: str = "",
    ballots_per_day: int = 1,
    choices_per_ballot: int = 10,
    show_live_counts: bool = True,
    shuffle_candidates: bool = True,
    subject_key: str = "",
) -> Poll:
    if closes_at <= opens_at:
        raise ApplicationError(_("截止时间须晚于开始时间"), field="closes_at")
    if not 1 <= ballots_per_day <= 10:
        raise ApplicationError(_("每人每天可投次数须在 1 到 10 之间"), field="ballots_per_day")
    if not 1 <= choices_per_ballot <= 50:
        raise ApplicationError(_("每次最多选择人数须在 1 到 50 之间"), field="choices_per_ballot")
    with transaction.atomic():
        poll = Poll(
            organization=organization,
            title=title,
            intro=intro,
            opens_at=opens_at,
            closes_at=closes_at,
            ballots_per_day=ballots_per_day,
            choices_per_ballot=choices_per_ballot,
            show_live_counts=show_live_counts,
            shuffle_candidates=shuffle_candidates,
            subject_key=subject_key,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        if by is not None:
            _require(by, VA.MANAGE, poll)
        poll.save()
        record_event(POLL_WORKFLOW, poll, "create", by=by)
        audit_record(AuditAction.CREATE, user=by, obj=poll)
    return poll


def _editable(poll: Poll) -> None:
    if poll.status != PollStatus.DRAFT:
        raise ApplicationError(_("投票已发布，规则和候选人已锁定"))


def candidate_add(
    *,
    by: Any,
    poll: Poll,
    name: str,
    unit: str = "",
    story: str = "",
    consent: bool = False,
    consent_note: str = "",
    subject_key: str = "",
    photos: list[Any] = (),
) -> Candidate:
    if by is not None:
        _require(by, VA.MANAGE, poll)
    _editable(poll)
    cleaned = uploads.process_images(list(photos), max_files=6) if photos else []
    with transaction.atomic():
        number = (poll.candidates.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        cand = Candidate.objects.create(
            poll=poll,
            number=number,
            name=name,
            unit=unit,
            story=story,
            subject_key=subject_key,
            consent=consent,
            consent_recorded_at=timezone.now() if consent else None,
            consent_recorded_by=by if consent and getattr(by, "is_authenticated", False) else None,
            consent_note=consent_note if consent else "",
        )
        for i, img in enumerate(cleaned):
            name_ = uploads.save(img, prefix=f"voting/{poll.pk}")
            CandidatePhoto.objects.create(candidate=cand, file=name_, width=img.width, height=img.height, sort_order=i)
        Tally.objects.bulk_create([Tally(poll=poll, candidate=cand, channel=ch) for ch in Channel.values])
        audit_record(
            AuditAction.CREATE, user=by, obj=cand, detail={"poll": poll.pk, "consent": consent, "photos": len(cleaned)}
        )
    engine.forget_rules(poll.pk)
    return cand


def candidate_consent(*, candidate_id: int, by: Any, note: str) -> Candidate:
    """Record that the candidate agreed to publish their story and photos (who, when, how); audited."""
    cand = Candidate.objects.select_related("poll").get(pk=candidate_id)
    _require(by, VA.MANAGE, cand.poll)
    if not note.strip():
        raise ApplicationError(_("请填写同意方式"), field="note")
    with transaction.atomic():
        Candidate.objects.filter(pk=cand.pk).update(
            consent=True, consent_recorded_at=timezone.now(), consent_recorded_by=by, consent_note=note[:200]
        )
        audit_record(AuditAction.UPDATE, user=by, obj=cand, detail={"consent": True, "note": note[:200]})
    cand.refresh_from_db()
    return cand


def poll_schedule(*, poll_id: int, by: Any) -> Poll:
    def prepare(poll: Poll, _t: Any) -> None:
        if not poll.candidates.exists():
            raise ApplicationError(_("请先添加候选人"))
        if poll.closes_at <= timezone.now():
            raise ApplicationError(_("截止时间已过，不能发布"))

    poll = perform(POLL_WORKFLOW, poll_id, "schedule", by=by, prepare=prepare).obj
    engine.forget_rules(poll.pk)
    return poll


def poll_pause(*, poll_id: int, by: Any, reason: str) -> Poll:
    if not reason.strip():
        raise ApplicationError(_("请填写暂停原因"), field="reason")
    poll = perform(POLL_WORKFLOW, poll_id, "pause", by=by, comment=reason[:200], detail={"reason": reason[:200]}).obj
    engine.forget_rules(poll.pk)
    return poll


def poll_resume(*, poll_id: int, by: Any) -> Poll:
    poll = perform(POLL_WORKFLOW, poll_id, "resume", by=by).obj
    engine.forget_rules(poll.pk)
    return poll


def poll_publish(*, poll_id: int, by: Any) -> Poll:
    return perform(POLL_WORKFLOW, poll_id, "publish", by=by).obj


def drain(poll_id: int) -> int:
    """Flush the fast path (redis engine) and seal everything; returns ballots flushed."""
    flushed = engine.flush(poll_id) if engine.engine() == "redis" else 0
    engine.seal(poll_id, settle=timedelta(0))
    return flushed


def snapshot_data(poll: Poll) -> dict[str, Any]:
    rows = Tally.objects.filter(poll=poll).values_list("candidate_id", "candidate__number", "channel", "votes")
    counts: dict[str, dict[str, int]] = {}
    for _cid, number, channel, votes in rows:
        counts.setdefault(f"{number:02d}", {"online": 0, "offline": 0})[channel] = votes
    last = poll.seals.order_by("-number").first()
    return {
        "poll": poll.pk,
        "closes_at": poll.closes_at.isoformat(),
        "counts": dict(sorted(counts.items())),
        "ballots": Ballot.objects.filter(poll=poll).count(),
        "quarantined": QuarantinedBallot.objects.filter(poll=poll).count(),
        "last_seal": {"number": last.number, "hash": last.hash} if last else None,
    }


def snapshot_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def close_due_polls(*, now: datetime | None = None) -> list[int]:
    """The scheduler's job: close every poll past its end time (drain, seal, snapshot with its hash)."""
    now = now or timezone.now()
    closed = []
    for poll_id in Poll.objects.filter(
        status__in=[PollStatus.SCHEDULED, PollStatus.PAUSED], closes_at__lte=now
    ).values_list("pk", flat=True):
        poll_close(poll_id=poll_id)
        closed.append(poll_id)
    return closed


def poll_close(*, poll_id: int) -> Poll:
    drain(poll_id)

    def after(poll: Poll, _outcome: Any) -> None:
        data = snapshot_data(poll)
        PollSnapshot.objects.create(poll=poll, data=data, hash=snapshot_hash(data))

    poll = perform(POLL_WORKFLOW, poll_id, "close", by=None, after=after).obj
    engine.forget_rules(poll.pk)
    return poll


# ---- offline votes ------------------------------------------------------------------------------------


def offline_add(
    *,
    by: Any,
    poll: Poll,
    candidate: Candidate,
    kind: str,
    votes: int,
    source: str,
    counted_on: date,
    witnesses: str,
    note: str = "",
) -> OfflineEntry:
    _require(by, VA.MANAGE, poll)
    if candidate.poll_id != poll.pk:
        raise ApplicationError(_("候选人不在本次投票中"), field="candidate")
    if poll.status == PollStatus.PUBLISHED:
        raise ApplicationError(_("结果已公布，不能再录入"))
    if engine.external_offline(poll.pk) is not None:
        raise ApplicationError(_("本次投票的线下票在评选批次中录入"))
    if votes == 0:
        raise ApplicationError(_("票数不能为 0（更正请填负数并说明）"), field="votes")
    if votes < 0 and not note.strip():
        raise ApplicationError(_("更正须写明原因"), field="note")
    if not source.strip() or not witnesses.strip():
        raise ApplicationError(_("请填写来源和监票人"), field="source")
    with transaction.atomic():
        entry = OfflineEntry.objects.create(
            poll=poll,
            candidate=candidate,
            kind=kind,
            votes=votes,
            source=source,
            counted_on=counted_on,
            witnesses=witnesses,
            note=note,
            entered_by=by,
        )
        Tally.objects.filter(poll=poll, candidate=candidate, channel=Channel.OFFLINE).update(votes=F("votes") + votes)
        record_event(POLL_WORKFLOW, poll, "offline", by=by, comment=f"{candidate.name} {votes:+d} · {source}"[:200])
        audit_record(
            AuditAction.CREATE,
            user=by,
            obj=entry,
            object_repr=f"{poll} · {candidate}",
            detail={"candidate": candidate.pk, "votes": votes, "kind": kind, "source": source[:100]},
        )
    return entry


# ---- anomalies and quarantine -------------------------------------------------------------------------


def monitors(poll: Poll) -> list[int]:
    """Users to alert about ``poll``: holders of ``voting.monitor`` over its organisation, and the 三员 concerned."""
    org = poll.organization
    ancestors = [org.path[:i] for i in range(1, len(org.path) + 1) if org.path[:i]]
    roles = [r for r in roles_with(VA.MONITOR)]
    ids = set(
        RoleAssignment.objects.filter(
            organization__path__in=ancestors, role__in=roles, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    ids |= set(
        AdminDuty.objects.filter(duty__in=[Role.SECURITY_ADMIN, Role.AUDIT_ADMIN], user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    return sorted(ids)


def alert(anomalies: list[Anomaly]) -> int:
    sent = 0
    for poll_id in {a.poll_id for a in anomalies}:
        poll = Poll.objects.select_related("organization").get(pk=poll_id)
        mine = [a for a in anomalies if a.poll_id == poll_id]
        kinds = Counter(a.get_kind_display() for a in mine)
        body = "；".join(f"{k} {n} 项" for k, n in kinds.items())
        sent += notify_many(
            recipients=monitors(poll),
            title=_("网络投票异常：%(t)s") % {"t": poll.title},
            body=body,
            url=reverse("voting:anomalies", args=[poll.pk]),
            category=CATEGORY,
        )
    return sent


def quarantine_propose(
    *, anomaly_id: int | None = None, poll_id: int | None = None, ballot_ids=(), reason: str, by: Any
) -> Quarantine:
    """A security admin proposes to set ballots aside (an anomaly's, or listed ones); an audit admin decides."""
    if not reason.strip():
        raise ApplicationError(_("请填写隔离原因"), field="reason")
    with transaction.atomic():
        anomaly = Anomaly.objects.select_for_update().get(pk=anomaly_id) if anomaly_id else None
        poll = Poll.objects.get(pk=anomaly.poll_id if anomaly else poll_id)
        _require(by, VA.QUARANTINE_PROPOSE, poll)
        ids = list(ballot_ids) or (anomaly.detail.get("ballot_ids", []) if anomaly else [])
        ids = sorted(
            set(
                Ballot.objects.filter(poll=poll, pk__in=ids)
                .exclude(pk__in=QuarantinedBallot.objects.filter(poll=poll).values("ballot_id"))
                .values_list("pk", flat=True)
            )
        )
        if not ids:
            raise ApplicationError(_("没有可隔离的选票"))
        q = Quarantine.objects.create(poll=poll, anomaly=anomaly, reason=reason[:200], ballot_ids=ids, proposed_by=by)
        if anomaly:
            Anomaly.objects.filter(pk=anomaly.pk).update(status=AnomalyStatus.PROPOSED)
        record_event(QUARANTINE_WORKFLOW, q, "propose", by=by, comment=reason[:200])
        audit_record(AuditAction.CREATE, user=by, obj=q, detail={"ballots": len(ids), "anomaly": anomaly_id})
    return q


def quarantine_approve(*, quarantine_id: int, by: Any) -> Quarantine:
    """Second approval: the ballots are set aside (never deleted) and the tallies lowered in the same step."""

    def after(q: Quarantine, _o: Any) -> None:
        ids = q.ballot_ids
        already = set(QuarantinedBallot.objects.filter(ballot_id__in=ids).values_list("ballot_id", flat=True))
        todo = [i for i in ids if i not in already]
        QuarantinedBallot.objects.bulk_create(
            [QuarantinedBallot(ballot_id=i, poll_id=q.poll_id, quarantine=q) for i in todo]
        )
        counts = Counter(BallotChoice.objects.filter(ballot_id__in=todo).values_list("candidate_id", flat=True))
        for cid, n in counts.items():
            Tally.objects.filter(poll_id=q.poll_id, candidate_id=cid, channel=Channel.ONLINE).update(
                votes=F("votes") - n
            )
        if q.anomaly_id:
            Anomaly.objects.filter(pk=q.anomaly_id).update(status=AnomalyStatus.QUARANTINED)
        if engine.engine() == "redis":

            def lower_board() -> None:
                try:
                    client = engine.redis_client()
                    for cid, n in counts.items():
                        client.zincrby(engine.board_key(q.poll_id), -n, str(cid))
                except Exception:  # the next reconcile sets the board from the database anyway
                    logger.warning("排行榜扣除失败，下次对账时由数据库修正")

            transaction.on_commit(lower_board)

    return perform(
        QUARANTINE_WORKFLOW,
        quarantine_id,
        "approve",
        by=by,
        after=after,
        detail={"ballots": "see quarantine row"},
    ).obj


def quarantine_reject(*, quarantine_id: int, by: Any, reason: str = "") -> Quarantine:
    def after(q: Quarantine, _o: Any) -> None:
        if q.anomaly_id:
            Anomaly.objects.filter(pk=q.anomaly_id).update(status=AnomalyStatus.OPEN)

    return perform(QUARANTINE_WORKFLOW, quarantine_id, "reject", by=by, comment=reason[:200], after=after).obj


def anomaly_dismiss(*, anomaly_id: int, by: Any, reason: str) -> Anomaly:
    anomaly = Anomaly.objects.select_related("poll").get(pk=anomaly_id)
    _require(by, VA.QUARANTINE_PROPOSE, anomaly.poll)
    if not reason.strip():
        raise ApplicationError(_("请填写排除原因"), field="reason")
    with transaction.atomic():
        Anomaly.objects.filter(pk=anomaly.pk).update(status=AnomalyStatus.DISMISSED)
        audit_record(AuditAction.UPDATE, user=by, obj=anomaly, detail={"dismissed": reason[:200]})
    anomaly.refresh_from_db()
    return anomaly
