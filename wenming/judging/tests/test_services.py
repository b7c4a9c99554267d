"""The judging API: schemes (sums, immutability), assignment, conflicts, ranking by the mean with a
hand-computed fixture, normalisation, vetoes, freezing, and the committee's secret ballot."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from wenming.core.errors import ApplicationError
from wenming.judging import selectors, services
from wenming.judging.choices import AssignmentStatus, BallotChoice, CommitteeStatus, SchemeStatus
from wenming.judging.models import Assignment, Ballot, CommitteeVoter, Indicator, Scheme
from wenming.judging.services import BallotSpec

from .factories import leaf_ids, make_expert, published_scheme, score, scoring_round, veto_id

pytestmark = pytest.mark.django_db

D = Decimal


# --- schemes --------------------------------------------------------------------------------------
def test_publish_is_refused_until_points_and_weights_add_up(ns):
    by = ns.p.province_admin
    s = services.scheme_create(organization=ns.t.province, family="wm-unit", name="文明单位测评体系", by=by)
    top = services.indicator_add(scheme_id=s.pk, by=by, data={"name": "思想道德建设", "max_points": "60"})
    services.indicator_add(scheme_id=s.pk, by=by, parent_id=top.pk, data={"name": "理论学习", "max_points": "30"})
    with pytest.raises(ApplicationError) as exc:
        services.scheme_publish(scheme_id=s.pk, by=by)
    msg = exc.value.message
    assert "下级分值合计 60，应为 100" in msg  # top level vs the total
    assert "1 思想道德建设：下级分值合计 30，应为 60" in msg
    assert "下级权数合计 50%，应为 100%" in msg
    services.indicator_add(scheme_id=s.pk, by=by, parent_id=top.pk, data={"name": "道德讲堂", "max_points": "30"})
    services.indicator_add(scheme_id=s.pk, by=by, data={"name": "志愿服务", "max_points": "40"})
    assert services.scheme_problems(s) == []
    s = services.scheme_publish(scheme_id=s.pk, by=by)
    assert s.status == SchemeStatus.PUBLISHED and s.published_at
    assert list(s.indicators.order_by("code").values_list("code", "level")) == [
        ("1", 1),
        ("1.1", 2),
        ("1.2", 2),
        ("2", 1),
    ]


def test_weights_must_add_up_even_when_points_do(ns):
    by = ns.p.province_admin
    s = services.scheme_create(organization=ns.t.province, family="wm-w", name="体系", by=by)
    services.indicator_add(scheme_id=s.pk, by=by, data={"name": "甲", "max_points": "50", "weight": "40"})
    services.indicator_add(scheme_id=s.pk, by=by, data={"name": "乙", "max_points": "50", "weight": "50"})
    assert services.scheme_problems(s) == ["一级指标：下级权数合计 90%，应为 100%"]


def test_levels_stop_at_three(ns):
    by = ns.p.province_admin
    s = services.scheme_create(organization=ns.t.province, family="wm-l", name="体系", by=by)
    a = services.indicator_add(scheme_id=s.pk, by=by, data={"name": "一级", "max_points": "100"})
    b = services.indicator_add(scheme_id=s.pk, by=by, parent_id=a.pk, data={"name": "二级", "max_points": "100"})
    c = services.indicator_add(scheme_id=s.pk, by=by, parent_id=b.pk, data={"name": "三级", "max_points": "100"})
    assert c.level == 3 and c.code == "1.1.1"
    with pytest.raises(ApplicationError):
        services.indicator_add(scheme_id=s.pk, by=by, parent_id=c.pk, data={"name": "四级", "max_points": "100"})
    # moving the Ⅱ (with its Ⅲ child) under itself or too deep is refused
    with pytest.raises(ApplicationError):
        services.indicator_move(indicator_id=a.pk, by=by, parent_id=c.pk)


def test_move_reorders_and_renumbers(ns):
    by = ns.p.province_admin
    s = services.scheme_create(organization=ns.t.province, family="wm-m", name="体系", by=by)
    a = services.indicator_add(scheme_id=s.pk, by=by, data={"name": "甲", "max_points": "50"})
    b = services.indicator_add(scheme_id=s.pk, by=by, data={"name": "乙", "max_points": "50"})
    services.indicator_move(indicator_id=b.pk, by=by, direction="up")
    assert list(s.indicators.order_by("code").values_list("name", flat=True)) == ["乙", "甲"]
    services.indicator_move(indicator_id=a.pk, by=by, parent_id=b.pk)
    a.refresh_from_db()
    assert (a.parent_id, a.level, a.code) == (b.pk, 2, "1.1")


def test_published_scheme_is_immutable_and_edits_make_a_new_version(ns):
    by = ns.p.province_admin
    s = published_scheme(ns.t.province, by, family="wm-window")
    ind = s.indicators.get(name="安全生产")
    for attempt in (
        lambda: services.indicator_add(scheme_id=s.pk, by=by, data={"name": "新增", "max_points": "1"}),
        lambda: services.indicator_update(indicator_id=ind.pk, by=by, data={"max_points": "30"}),
        lambda: services.indicator_delete(indicator_id=ind.pk, by=by),
        lambda: services.indicator_move(indicator_id=ind.pk, by=by, direction="up"),
        lambda: services.veto_add(scheme_id=s.pk, by=by, text="新否决项"),
        lambda: services.veto_delete(veto_id=veto_id(s), by=by),
        lambda: services.scheme_update(scheme_id=s.pk, by=by, data={"pass_mark": "60"}),
    ):
        with pytest.raises(ApplicationError) as exc:
            attempt()
        assert exc.value.code == "published"
    ind.refresh_from_db()
    assert ind.max_points == D("40") and s.indicators.count() == 4 and s.veto_items.count() == 1
    v2 = services.scheme_new_version(scheme_id=s.pk, by=by)
    assert (v2.family, v2.version, v2.status) == ("wm-window", 2, SchemeStatus.DRAFT)
    assert list(v2.indicators.order_by("code").values_list("code", "name", "max_points")) == list(
        s.indicators.order_by("code").values_list("code", "name", "max_points")
    )
    child = v2.indicators.get(name="窗口服务")
    assert child.parent.scheme_id == v2.pk  # the tree is copied, not shared
    services.indicator_update(
        indicator_id=v2.indicators.get(name="安全生产").pk, by=by, data={"name": "安全生产与应急"}
    )
    assert s.indicators.filter(name="安全生产").exists()  # version 1 untouched
    assert services.scheme_new_version(scheme_id=s.pk, by=by) == v2  # one draft per family


def test_scheme_edits_need_the_scheme_action(ns):
    with pytest.raises(PermissionDenied):
        services.scheme_create(organization=ns.t.shenyang, family="x", name="体系", by=ns.p.shenyang_admin)


def test_rounds_use_published_schemes_only(ns):
    by = ns.p.province_admin
    draft = services.scheme_create(organization=ns.t.province, family="wm-d", name="体系", by=by)
    from django.utils import timezone

    with pytest.raises(ApplicationError):
        services.open_round(
            scheme=draft,
            title="评审",
            organization=ns.t.province,
            entries=[],
            opens_at=timezone.now(),
            closes_at=timezone.now() + timezone.timedelta(days=1),
            by=by,
        )


# --- ranking ----------------------------------------------------------------------------------------
def _three_judges(ns):
    """Experts A, B, C; entries E1 (Shenyang outlet), E2 (Dalian outlet), E3 (Dalian enterprise);
    C does not judge E3."""
    t = ns.t
    a, b, c = make_expert("ex_a", t.province), make_expert("ex_b", t.province), make_expert("ex_c", t.province)
    rnd = scoring_round(
        ns,
        experts=[a, b, c],
        entries=[("E1", t.shenyang_outlet), ("E2", t.dalian_outlet), ("E3", t.dalian_enterprise)],
        assign_all=False,
        start=False,
    )
    e1, e2, e3 = list(rnd.entries.order_by("sort_order"))
    by = ns.p.province_admin
    services.assign(round_id=rnd.pk, entry_ids=[e1.pk, e2.pk, e3.pk], expert_ids=[a.pk, b.pk], by=by)
    services.assign(round_id=rnd.pk, entry_ids=[e1.pk, e2.pk], expert_ids=[c.pk], by=by)
    services.round_start(round_id=rnd.pk, by=by)
    sheet = {
        (a, e1): ["40", "20", "30"],  # 90
        (a, e2): ["35", "15", "30"],  # 80
        (a, e3): ["30", "10", "30"],  # 70
        (b, e1): ["20", "10", "30"],  # 60
        (b, e2): ["30", "10", "30"],  # 70
        (b, e3): ["40", "10", "30"],  # 80
        (c, e1): ["35", "20", "30"],  # 85
        (c, e2): ["35", "10", "30"],  # 75
    }
    for (expert, entry), pts in sheet.items():
        score(Assignment.objects.get(entry=entry, expert=expert), pts)
    return rnd, (a, b, c), (e1, e2, e3)


def test_ranking_is_by_the_mean_with_z_scores_beside_it(ns):
    rnd, _experts, (e1, e2, e3) = _three_judges(ns)
    rows = selectors.ranking(rnd)
    # means: E1 (90+60+85)/3 = 78.33; E2 (80+70+75)/3 = 75; E3 (70+80)/2 = 75 — by the sum E3 (150) would be last
    assert [r.entry for r in rows] == [e1, e3, e2]
    assert [r.mean_display for r in rows] == [D("78.33"), D("75.00"), D("75.00")]
    # z per judge: A (90,80,70) and B (60,70,80): ±1.2247, 0; C (85,75): ±1
    # E1 (1.2247 − 1.2247 + 1)/3 = 0.33; E3 (−1.2247 + 1.2247)/2 = 0; E2 (0 + 0 − 1)/3 = −0.33
    assert [r.normalised_display for r in rows] == [D("0.33"), D("0.00"), D("-0.33")]
    assert [r.position for r in rows] == [1, 2, 3]
    assert [r.tied for r in rows] == [False, True, True]  # equal means, broken by the z mean
    assert [r.passed for r in rows] == [False, False, False]  # pass mark 80
    assert [r.n_counted for r in rows] == [3, 2, 3]


def test_an_automatic_conflict_is_shown_but_not_counted(ns):
    t = ns.t
    a, d = make_expert("ex_a", t.province), make_expert("ex_d", t.province)
    # D works for the Shenyang enterprise: the Shenyang outlet below it is a conflict, Dalian is not
    rnd = scoring_round(ns, experts=[a, d], affiliations={d.pk: t.shenyang_enterprise})
    e1, e2 = list(rnd.entries.order_by("sort_order"))
    flagged = Assignment.objects.get(entry=e1, expert=d)
    assert "顺丰速运（沈阳）有限公司" in flagged.auto_conflict
    assert not Assignment.objects.get(entry=e2, expert=d).auto_conflict
    score(Assignment.objects.get(entry=e1, expert=a), ["40", "20", "30"])  # 90
    score(flagged, ["0", "0", "10"])  # 10, not counted
    row = next(r for r in selectors.ranking(rnd) if r.entry == e1)
    assert row.mean == D("90") and row.n_counted == 1 and row.n_excluded == 1
    judge = next(j for j in row.judges if j.assignment == flagged)
    assert not judge.counted and judge.total == D("10") and "同一上下级链条" in judge.reason


def test_a_declared_conflict_changes_the_mean(ns):
    t = ns.t
    a, b = make_expert("ex_a", t.province), make_expert("ex_b", t.province)
    rnd = scoring_round(ns, experts=[a, b], entries=[("E1", t.shenyang_outlet)])
    (e1,) = rnd.entries.all()
    score(Assignment.objects.get(entry=e1, expert=a), ["40", "20", "30"])  # 90
    b_assignment = Assignment.objects.get(entry=e1, expert=b)
    score(b_assignment, ["20", "10", "20"], submit=False)  # 50 (a draft: not counted yet)
    assert selectors.ranking(rnd)[0].mean == D("90")
    services.submit_scores(assignment_id=b_assignment.pk, by=b)
    assert selectors.ranking(rnd)[0].mean == D("70")
    # declared before submitting (a second entry): the expert need not score at all
    services.add_entries(
        round_id=rnd.pk, entries=[services.EntrySpec("test:e2", "E2", t.dalian_outlet)], by=ns.p.province_admin
    )
    e2 = rnd.entries.get(subject_key="test:e2")
    services.assign(round_id=rnd.pk, entry_ids=[e2.pk], expert_ids=[a.pk, b.pk], by=ns.p.province_admin)
    score(Assignment.objects.get(entry=e2, expert=a), ["30", "10", "20"])  # 60
    b2 = Assignment.objects.get(entry=e2, expert=b)
    score(b2, ["40", "20", "40"], submit=False)
    services.declare_conflict(assignment_id=b2.pk, by=b, reason="本人曾在该网点任职")
    services.submit_scores(assignment_id=b2.pk, by=b)
    row = next(r for r in selectors.ranking(rnd) if r.entry == e2)
    assert row.mean == D("60")
    assert next(j for j in row.judges if j.assignment.pk == b2.pk).reason == "本人曾在该网点任职"


def test_a_veto_puts_the_entry_out_and_the_pass_mark_flags(ns):
    t = ns.t
    a = make_expert("ex_a", t.province)
    rnd = scoring_round(ns, experts=[a])
    e1, e2 = list(rnd.entries.order_by("sort_order"))
    score(Assignment.objects.get(entry=e1, expert=a), ["40", "20", "40"], veto=True)  # 100 but vetoed
    score(Assignment.objects.get(entry=e2, expert=a), ["35", "15", "30"])  # 80 = the pass mark
    rows = selectors.ranking(rnd)
    assert [r.entry for r in rows] == [e2, e1]
    assert rows[0].passed is True and rows[1].passed is False
    assert rows[1].vetoed and rows[1].veto_reasons == ["发生重大寄递安全事故"]


# --- assignment and scoring -------------------------------------------------------------------------
def test_random_assignment_is_repeatable_balanced_and_avoids_conflicts(ns):
    t = ns.t
    experts = [make_expert(f"ex_{i}", t.province) for i in range(4)]
    entries = [(f"E{i}", t.shenyang_outlet if i % 2 else t.dalian_outlet) for i in range(6)]

    def draw(seed):
        rnd = scoring_round(
            ns,
            experts=experts,
            affiliations={experts[0].pk: t.shenyang},
            entries=entries,
            assign_all=False,
            start=False,
        )
        services.assign_random(round_id=rnd.pk, n=2, rng=random.Random(seed), by=ns.p.province_admin)
        rows = Assignment.objects.filter(entry__round=rnd).select_related("entry")
        return rnd, sorted((r.entry.label, r.expert.username) for r in rows), rows

    rnd1, pairs1, rows = draw(7)
    _rnd2, pairs2, _ = draw(7)
    assert pairs1 == pairs2 and len(pairs1) == 12
    assert not any(r.auto_conflict for r in rows)  # ex_0 (Shenyang) never on a Shenyang entry
    loads = [sum(1 for _e, u in pairs1 if u == e.username) for e in experts]
    assert max(loads) - min(loads) <= 1 or loads[0] < min(loads[1:])
    with pytest.raises(ApplicationError):  # 4 experts, ex_0 conflicted on Shenyang entries: 4 is too many
        services.assign_random(round_id=rnd1.pk, n=4, rng=random.Random(1), by=ns.p.province_admin)


def test_points_are_bounded_and_only_the_own_expert_scores(ns):
    t = ns.t
    a, b = make_expert("ex_a", t.province), make_expert("ex_b", t.province)
    rnd = scoring_round(ns, experts=[a, b])
    mine = Assignment.objects.filter(entry__round=rnd, expert=a).first()
    ids = leaf_ids(rnd.scheme)
    with pytest.raises(ApplicationError) as exc:
        services.save_scores(assignment_id=mine.pk, by=a, points={ids[0]: "41"})
    assert exc.value.field == f"points_{ids[0]}"
    with pytest.raises(ApplicationError):
        services.save_scores(assignment_id=mine.pk, by=a, points={ids[0]: "-1"})
    with pytest.raises(ApplicationError):
        services.submit_scores(assignment_id=mine.pk, by=a)  # nothing scored yet
    with pytest.raises(PermissionDenied):
        services.save_scores(assignment_id=mine.pk, by=b, points={ids[0]: "10"})
    with pytest.raises(PermissionDenied):
        services.save_scores(assignment_id=mine.pk, by=ns.p.province_admin, points={ids[0]: "10"})
    parent = Indicator.objects.get(scheme=rnd.scheme, name="服务质量")
    with pytest.raises(ApplicationError):  # a parent indicator is not scored directly
        services.save_scores(assignment_id=mine.pk, by=a, points={parent.pk: "10"})
    score(mine, ["40", "20", "40"])
    with pytest.raises(ApplicationError):
        services.save_scores(assignment_id=mine.pk, by=a, points={ids[0]: "10"})
    assert list(selectors.expert_queue(user=a)) == [
        Assignment.objects.get(entry__round=rnd, expert=a, status="pending")
    ]


def test_scores_freeze_when_the_round_closes_and_stay_frozen_once_published(ns):
    t = ns.t
    a = make_expert("ex_a", t.province)
    rnd = scoring_round(ns, experts=[a])
    first, second = list(Assignment.objects.filter(entry__round=rnd).order_by("entry__sort_order"))
    score(first, ["40", "20", "40"])
    score(second, ["10", "10", "10"], submit=False)
    by = ns.p.province_admin
    services.round_close(round_id=rnd.pk, by=by)
    ids = leaf_ids(rnd.scheme)
    with pytest.raises(ApplicationError) as exc:
        services.save_scores(assignment_id=second.pk, by=a, points={ids[0]: "20"})
    assert exc.value.code == "frozen"
    with pytest.raises(ApplicationError):
        services.assign(round_id=rnd.pk, entry_ids=[first.entry_id], expert_ids=[a.pk], by=by)
    services.round_publish(round_id=rnd.pk, by=by)
    with pytest.raises(ApplicationError):
        services.submit_scores(assignment_id=second.pk, by=a)
    with pytest.raises(ApplicationError):
        services.round_reopen(round_id=rnd.pk, by=by, comment="补评")
    assert selectors.ranking(rnd)[0].mean == D("100")
    assert selectors.expert_queue(user=a).count() == 0


def test_return_sends_a_submitted_score_back(ns):
    a = make_expert("ex_a", ns.t.province)
    rnd = scoring_round(ns, experts=[a])
    mine = Assignment.objects.filter(entry__round=rnd).first()
    score(mine, ["40", "20", "40"])
    services.return_assignment(assignment_id=mine.pk, by=ns.p.province_admin, comment="安全生产评分依据不足")
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.PENDING and mine.submitted_at is None
    services.save_scores(assignment_id=mine.pk, by=a, points={leaf_ids(rnd.scheme)[2]: "30"})


# --- committee --------------------------------------------------------------------------------------
def _committee(ns, n_members=5):
    from conftest import make_user

    members = [make_user(f"cm_{i}", role="committee_office", org=ns.t.province) for i in range(n_members)]
    items = [BallotSpec("test:a", "沈阳和平营业部"), BallotSpec("test:b", "大连中山营业部")]
    vote = services.committee_create(
        title="2026年度文明窗口审定", organization=ns.t.province, members=members, items=items, by=ns.p.province_admin
    )
    return vote, members


def test_quorum_is_more_than_half_present(ns):
    vote, _members = _committee(ns, 5)
    with pytest.raises(ApplicationError) as exc:
        services.committee_start(vote_id=vote.pk, present_count=2, by=ns.p.province_admin)
    assert "不足法定人数" in exc.value.message
    with pytest.raises(ApplicationError):
        services.committee_start(vote_id=vote.pk, present_count=6, by=ns.p.province_admin)
    vote = services.committee_start(vote_id=vote.pk, present_count=3, by=ns.p.province_admin)
    assert vote.status == CommitteeStatus.VOTING


def test_items_pass_by_a_majority_of_those_present(ns):
    vote, members = _committee(ns, 5)
    services.committee_start(vote_id=vote.pk, present_count=4, by=ns.p.province_admin)
    a, b = list(vote.items.order_by("sort_order"))
    Y, N, A = BallotChoice.YES, BallotChoice.NO, BallotChoice.ABSTAIN
    # item a: 3 yes of 4 present → passes; item b: 2 yes, 1 no, 1 abstain → 2 is not more than half of 4
    for m, (ca, cb) in zip(members, [(Y, Y), (Y, Y), (Y, N), (N, A)], strict=False):
        services.committee_cast(vote_id=vote.pk, by=m, choices={a.pk: ca, b.pk: cb})
    with pytest.raises(ApplicationError):  # the fifth member was absent: no more ballots than present
        services.committee_cast(vote_id=vote.pk, by=members[4], choices={a.pk: Y, b.pk: Y})
    vote = services.committee_close(vote_id=vote.pk, by=ns.p.province_admin)
    result = selectors.committee_result(vote)
    assert [(r.yes, r.no, r.abstain, r.passed) for r in result.items] == [(3, 1, 0, True), (2, 1, 1, False)]
    assert (result.members, result.present, result.voted, result.quorum) == (5, 4, 4, True)


def test_ballots_are_secret_and_cast_once(ns):
    vote, members = _committee(ns, 3)
    services.committee_start(vote_id=vote.pk, present_count=3, by=ns.p.province_admin)
    a, b = list(vote.items.order_by("sort_order"))
    services.committee_cast(vote_id=vote.pk, by=members[0], choices={a.pk: "yes", b.pk: "no"})
    with pytest.raises(ApplicationError) as exc:
        services.committee_cast(vote_id=vote.pk, by=members[0], choices={a.pk: "no", b.pk: "no"})
    assert exc.value.code == "voted"
    with pytest.raises(PermissionDenied):
        services.committee_cast(vote_id=vote.pk, by=ns.p.shenyang_admin, choices={a.pk: "yes", b.pk: "yes"})
    with pytest.raises(ApplicationError):  # every item needs a choice
        services.committee_cast(vote_id=vote.pk, by=members[1], choices={a.pk: "yes"})
    # who voted is recorded; what they voted is stored without them
    assert list(CommitteeVoter.objects.filter(vote=vote).values_list("user_id", flat=True)) == [members[0].pk]
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert ballot_fields == {"id", "item", "choice"}  # no voter, no time
    voter_fields = {f.name for f in CommitteeVoter._meta.get_fields()}
    assert not voter_fields & {"choice", "item", "ballot"}
    assert Ballot.objects.filter(item__vote=vote).count() == 2
    assert isinstance(Ballot.objects.first().pk, type(Ballot._meta.pk.default()))  # a random key, no sequence
    from wenming.audit.models import AuditEvent

    detail = AuditEvent.objects.filter(object_type="judging.CommitteeVote", action="decision").last().detail
    assert "yes" not in str(detail) and "no" not in str(detail).replace("no_", "")


def test_committee_open_creates_and_opens_in_one_call(ns):
    from conftest import make_user

    members = [make_user(f"cm_{i}", role="committee_office", org=ns.t.province) for i in range(3)]
    vote = services.committee_open(
        title="审定",
        organization=ns.t.province,
        members=members,
        present_count=2,
        items=[BallotSpec("k:1", "甲")],
        by=ns.p.province_admin,
    )
    assert vote.status == CommitteeStatus.VOTING and vote.present_count == 2
    assert Scheme.objects.count() == 0
