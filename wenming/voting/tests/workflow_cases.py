"""Every voting transition, for the generic suite (tests/test_every_transition.py).

A poll of the Shenyang bureau (its city admin manages it; the Dalian admin manages only Dalian's);
a quarantine proposed by the security admin and decided by the audit admin.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from wenming.voting import services
from wenming.voting.choices import PollStatus as P
from wenming.voting.choices import QuarantineStatus as Q
from wenming.voting.models import Ballot, Candidate, Poll, Quarantine, Tally
from wenming.workflow.testing import TransitionCase, cases


def _poll(ns: Any, status: str, *, closed: bool = False) -> Poll:
    now = timezone.now()
    poll = Poll.objects.create(
        organization=ns.t.shenyang,
        title="沈阳市最美快递员网络投票",
        opens_at=now - timedelta(days=2),
        closes_at=now - timedelta(seconds=5) if closed else now + timedelta(days=5),
        status=status,
    )
    cand = Candidate.objects.create(poll=poll, number=1, name="王晓东", unit="顺丰沈阳和平营业部", consent=True)
    Tally.objects.bulk_create([Tally(poll=poll, candidate=cand, channel=ch) for ch in ("online", "offline")])
    return poll


def _quarantine(ns: Any, status: str) -> Quarantine:
    poll = _poll(ns, P.SCHEDULED)
    ballot = Ballot(
        poll=poll,
        voter_key="a" * 64,
        vote_date=timezone.localdate(),
        seq=1,
        cast_at=timezone.now(),
        request_id=f"wc-{poll.pk}",
    )
    ballot.save()
    return Quarantine.objects.create(
        poll=poll, reason="同一网段集中投票", ballot_ids=[ballot.pk], status=status, proposed_by=ns.p.secadmin
    )


city = lambda ns: ns.p.shenyang_admin  # noqa: E731
staff = lambda ns: ns.p.shenyang_staff  # noqa: E731
dalian = lambda ns: ns.p.dalian_admin  # noqa: E731


def _http(name: str, data: dict | None = None):
    return lambda p: (reverse("voting:transition", args=[p.pk, name]), data or {})


cases(
    TransitionCase(
        "voting.poll",
        "schedule",
        make=lambda ns: _poll(ns, P.DRAFT),
        fire=lambda p, by: services.poll_schedule(poll_id=p.pk, by=by),
        allowed=city,
        denied=staff,
        wrong_state=P.SCHEDULED,
        http=_http("schedule"),
        outsider=dalian,
    ),
    TransitionCase(
        "voting.poll",
        "pause",
        make=lambda ns: _poll(ns, P.SCHEDULED),
        fire=lambda p, by: services.poll_pause(poll_id=p.pk, by=by, reason="核查异常投票"),
        allowed=city,
        denied=staff,
        wrong_state=P.DRAFT,
        http=_http("pause", {"reason": "核查"}),
        outsider=dalian,
    ),
    TransitionCase(
        "voting.poll",
        "resume",
        make=lambda ns: _poll(ns, P.PAUSED),
        fire=lambda p, by: services.poll_resume(poll_id=p.pk, by=by),
        allowed=city,
        denied=staff,
        wrong_state=P.SCHEDULED,
        http=_http("resume"),
        outsider=dalian,
    ),
    TransitionCase(
        "voting.poll",
        "close",
        make=lambda ns: _poll(ns, P.SCHEDULED, closed=True),
        fire=lambda p, by: services.poll_close(poll_id=p.pk),
        allowed=None,  # the scheduler alone, after the end time
        denied=None,
        wrong_state=P.DRAFT,
    ),
    TransitionCase(
        "voting.poll",
        "publish",
        make=lambda ns: _poll(ns, P.CLOSED, closed=True),
        fire=lambda p, by: services.poll_publish(poll_id=p.pk, by=by),
        allowed=city,
        denied=staff,
        wrong_state=P.SCHEDULED,
        http=_http("publish"),
        outsider=dalian,
    ),
    TransitionCase(
        "voting.quarantine",
        "approve",
        make=lambda ns: _quarantine(ns, Q.PENDING),
        fire=lambda q, by: services.quarantine_approve(quarantine_id=q.pk, by=by),
        allowed=lambda ns: ns.p.auditor,
        denied=lambda ns: ns.p.secadmin,  # proposes, never decides
        wrong_state=Q.APPROVED,
    ),
    TransitionCase(
        "voting.quarantine",
        "reject",
        make=lambda ns: _quarantine(ns, Q.PENDING),
        fire=lambda q, by: services.quarantine_reject(quarantine_id=q.pk, by=by, reason="正常校园网"),
        allowed=lambda ns: ns.p.auditor,
        denied=lambda ns: ns.p.secadmin,
        wrong_state=Q.REJECTED,
    ),
)
