"""Every judging transition, for the generic suite (tests/test_every_transition.py).

Rounds, assignments and committee votes of the Shenyang bureau (its city admin organises them; the
Shenyang enterprise may not; Dalian is out of scope). The scheme is the province's.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from wenming.judging import services
from wenming.judging.choices import AssignmentStatus, CommitteeStatus, RoundStatus, SchemeStatus
from wenming.judging.models import Assignment
from wenming.judging.services import BallotSpec
from wenming.workflow.testing import TransitionCase, cases

from .factories import leaf_ids, make_expert, scoring_round

R, A, C = RoundStatus, AssignmentStatus, CommitteeStatus

city = lambda ns: ns.p.shenyang_admin  # noqa: E731
enterprise = lambda ns: ns.p.shenyang_enterprise  # noqa: E731
dalian = lambda ns: ns.p.dalian_admin  # noqa: E731
expert = lambda ns: ns.p.expert  # noqa: E731


def _draft_scheme(ns: Any):
    by = ns.p.province_admin
    s = services.scheme_create(organization=ns.t.shenyang, family="case-scheme", name="文明窗口测评体系", by=by)
    services.indicator_add(scheme_id=s.pk, by=by, data={"name": "服务质量", "max_points": "60"})
    services.indicator_add(scheme_id=s.pk, by=by, data={"name": "安全生产", "max_points": "40"})
    return s


def _dalian_scheme_keeper(ns: Any):
    from conftest import make_user

    return make_user("co_dalian", role="committee_office", org=ns.t.dalian)


def _round(ns: Any, status: str):
    rnd = scoring_round(ns, organization=ns.t.shenyang, start=status != R.DRAFT)
    by = ns.p.shenyang_admin
    if status in (R.CLOSED, R.PUBLISHED):
        services.round_close(round_id=rnd.pk, by=by)
    if status == R.PUBLISHED:
        services.round_publish(round_id=rnd.pk, by=by)
    rnd.refresh_from_db()
    return rnd


def _assignment(ns: Any, status: str):
    rnd = scoring_round(ns, organization=ns.t.shenyang)
    a = Assignment.objects.filter(entry__round=rnd, expert=ns.p.expert).order_by("entry__sort_order").first()
    ids = leaf_ids(rnd.scheme)
    services.save_scores(assignment_id=a.pk, by=ns.p.expert, points=dict(zip(ids, ["30", "15", "30"], strict=True)))
    if status == A.SUBMITTED:
        services.submit_scores(assignment_id=a.pk, by=ns.p.expert)
    a.refresh_from_db()
    return a


def _vote(ns: Any, status: str):
    members = [ns.p.shenyang_admin, ns.p.shenyang_staff, make_expert("cm_expert", ns.t.shenyang)]
    vote = services.committee_create(
        title="文明窗口审定",
        organization=ns.t.shenyang,
        members=members,
        items=[BallotSpec("case:1", "沈阳和平营业部")],
        by=ns.p.shenyang_admin,
    )
    if status == C.VOTING:
        services.committee_start(vote_id=vote.pk, present_count=3, by=ns.p.shenyang_admin)
        services.committee_cast(vote_id=vote.pk, by=ns.p.shenyang_staff, choices={vote.items.get().pk: "yes"})
    vote.refresh_from_db()
    return vote


def _score_post(a) -> tuple[str, dict[str, Any]]:
    ids = leaf_ids(a.entry.round.scheme)
    data = {f"points_{i}": v for i, v in zip(ids, ["30", "15", "30"], strict=True)}
    return reverse("judging:score", args=[a.pk]), {**data, "action": "submit"}


cases(
    TransitionCase(
        "judging.scheme",
        "publish",
        make=_draft_scheme,
        fire=lambda s, by: services.scheme_publish(scheme_id=s.pk, by=by),
        allowed=lambda ns: ns.p.province_admin,
        denied=city,  # organises rounds, does not keep schemes
        wrong_state=SchemeStatus.PUBLISHED,
        http=lambda s: (reverse("judging:scheme-publish", args=[s.pk]), {}),
        outsider=_dalian_scheme_keeper,
    ),
    TransitionCase(
        "judging.round",
        "start",
        make=lambda ns: _round(ns, R.DRAFT),
        fire=lambda r, by: services.round_start(round_id=r.pk, by=by),
        allowed=city,
        denied=enterprise,
        wrong_state=R.CLOSED,
        http=lambda r: (reverse("judging:round-transition", args=[r.pk, "start"]), {}),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "judging.round",
        "close",
        make=lambda ns: _round(ns, R.SCORING),
        fire=lambda r, by: services.round_close(round_id=r.pk, by=by),
        allowed=city,
        denied=enterprise,
        wrong_state=R.DRAFT,
        http=lambda r: (reverse("judging:round-transition", args=[r.pk, "close"]), {}),
        outsider=dalian,
    ),
    TransitionCase(
        "judging.round",
        "reopen",
        make=lambda ns: _round(ns, R.CLOSED),
        fire=lambda r, by: services.round_reopen(round_id=r.pk, by=by, comment="一位专家漏评"),
        allowed=city,
        denied=enterprise,
        wrong_state=R.PUBLISHED,
        http=lambda r: (reverse("judging:round-transition", args=[r.pk, "reopen"]), {"comment": "漏评"}),
        outsider=dalian,
    ),
    TransitionCase(
        "judging.round",
        "publish",
        make=lambda ns: _round(ns, R.CLOSED),
        fire=lambda r, by: services.round_publish(round_id=r.pk, by=by),
        allowed=city,
        denied=enterprise,
        wrong_state=R.SCORING,
        http=lambda r: (reverse("judging:round-transition", args=[r.pk, "publish"]), {}),
        outsider=dalian,
    ),
    TransitionCase(
        "judging.assignment",
        "submit",
        make=lambda ns: _assignment(ns, A.PENDING),
        fire=lambda a, by: services.submit_scores(assignment_id=a.pk, by=by),
        allowed=expert,
        denied=city,  # organises the round, never scores for an expert
        wrong_state=A.SUBMITTED,
        http=_score_post,
        outsider=lambda ns: make_expert("other_expert", ns.t.province),
    ),
    TransitionCase(
        "judging.assignment",
        "return",
        make=lambda ns: _assignment(ns, A.SUBMITTED),
        fire=lambda a, by: services.return_assignment(assignment_id=a.pk, by=by, comment="安全生产评分依据不足"),
        allowed=city,
        denied=enterprise,
        wrong_state=A.PENDING,
        http=lambda a: (reverse("judging:assignment-return", args=[a.pk]), {"comment": "请复核"}),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "judging.committee",
        "open",
        make=lambda ns: _vote(ns, C.DRAFT),
        fire=lambda v, by: services.committee_start(vote_id=v.pk, present_count=2, by=by),
        allowed=city,
        denied=enterprise,
        wrong_state=C.CLOSED,
        http=lambda v: (reverse("judging:committee-open", args=[v.pk]), {"present_count": "2"}),
        outsider=dalian,
    ),
    TransitionCase(
        "judging.committee",
        "close",
        make=lambda ns: _vote(ns, C.VOTING),
        fire=lambda v, by: services.committee_close(vote_id=v.pk, by=by),
        allowed=city,
        denied=enterprise,
        wrong_state=C.DRAFT,
        http=lambda v: (reverse("judging:committee-close", args=[v.pk]), {}),
        outsider=dalian,
    ),
)
