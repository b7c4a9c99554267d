"""The judging pages: every page renders, the expert's queue equals their to-do counter, the scoring
page saves and submits, scope (another expert's assignment → 404), the tree editor, committee pages,
and the queue / scoring page / ranking stay flat in the number of entries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.judging import services
from wenming.judging.models import Assignment, CommitteeVote, Scheme
from wenming.judging.services import BallotSpec
from wenming.workbench.services import panels, todo_items

from .factories import leaf_ids, make_expert, published_scheme, score, scoring_round

pytestmark = pytest.mark.django_db


def test_expert_queue_counter_equals_the_list_and_scoring_works(ns, client):
    rnd = scoring_round(ns)
    expert = ns.p.expert
    todo = [t for t in todo_items(expert) if t.url == reverse("judging:queue")]
    assert [t.title for t in todo] == ["待评分 2"]
    panel = next(p for p in panels(expert) if p.title == "待评分")
    assert len(panel.rows) == 2
    client.force_login(expert)
    home = client.get(reverse("workbench:home")).content.decode()
    assert 'data-testid="reviewer-intro"' not in home  # the introduction gives way to the real queue
    resp = client.get(reverse("judging:queue"))
    assert resp.status_code == 200 and resp.context["page"].paginator.count == 2
    a = Assignment.objects.filter(entry__round=rnd, expert=expert).order_by("entry__sort_order").first()
    ids = leaf_ids(rnd.scheme)
    url = reverse("judging:score", args=[a.pk])
    assert client.get(url).status_code == 200
    # out of bounds: the page comes back with the message, nothing saved
    resp = client.post(url, {f"points_{ids[0]}": "45", "action": "save"})
    assert resp.status_code == 422 and "0 到 40" in resp.content.decode()
    assert not a.scores.exists()
    data = {f"points_{i}": v for i, v in zip(ids, ["38", "18.5", "36"], strict=True)}
    resp = client.post(url, {**data, f"comment_{ids[0]}": "窗口服务规范", "action": "save"})
    assert resp.status_code == 302 and a.scores.count() == 3
    resp = client.post(url, {**data, "action": "submit"})
    assert resp.status_code == 302
    a.refresh_from_db()
    assert a.status == "submitted"
    assert [t.title for t in todo_items(expert) if t.url == reverse("judging:queue")] == ["待评分 1"]
    assert client.get(reverse("judging:queue")).context["page"].paginator.count == 1
    assert "评分已提交，不可修改" in client.get(url).content.decode()


def test_an_expert_cannot_open_another_experts_assignment(ns, client):
    other = make_expert("ex_other", ns.t.province)
    rnd = scoring_round(ns, experts=[ns.p.expert, other])
    theirs = Assignment.objects.filter(entry__round=rnd, expert=other).first()
    client.force_login(ns.p.expert)
    assert client.get(reverse("judging:score", args=[theirs.pk])).status_code == 404
    ids = leaf_ids(rnd.scheme)
    assert client.post(reverse("judging:score", args=[theirs.pk]), {f"points_{ids[0]}": "1"}).status_code == 404
    assert client.post(reverse("judging:conflict", args=[theirs.pk]), {"reason": "x"}).status_code == 404
    assert not theirs.scores.exists()
    # the organiser sees it on the round, but cannot score it
    client.force_login(ns.p.province_admin)
    assert client.get(reverse("judging:score", args=[theirs.pk])).status_code == 403


def test_the_declared_conflict_form_excludes_the_score(ns, client):
    rnd = scoring_round(ns)
    a = Assignment.objects.filter(entry__round=rnd).first()
    client.force_login(ns.p.expert)
    resp = client.post(reverse("judging:conflict", args=[a.pk]), {"reason": "配偶在该单位工作"})
    assert resp.status_code == 302
    a.refresh_from_db()
    assert a.declared_conflict == "配偶在该单位工作"
    resp = client.post(reverse("judging:score", args=[a.pk]), {"action": "submit"})
    assert resp.status_code == 302  # no points needed after a declared conflict
    client.force_login(ns.p.province_admin)
    body = client.get(reverse("judging:round-ranking", args=[rnd.pk])).content.decode()
    assert "不计入：配偶在该单位工作" in body


def test_organiser_pages_render_and_assign(ns, client):
    t = ns.t
    extra = make_expert("ex_two", t.province)
    rnd = scoring_round(ns, experts=[ns.p.expert, extra], assign_all=False, start=False)
    client.force_login(ns.p.province_admin)
    for name, args in [
        ("judging:round-list", []),
        ("judging:round-create", []),
        ("judging:round-detail", [rnd.pk]),
        ("judging:round-ranking", [rnd.pk]),
        ("judging:panel-list", []),
        ("judging:panel-detail", [rnd.panel_id]),
        ("judging:scheme-list", []),
        ("judging:scheme-create", []),
        ("judging:scheme-detail", [rnd.scheme_id]),
        ("judging:committee-list", []),
        ("judging:committee-create", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    e1, e2 = list(rnd.entries.order_by("sort_order"))
    resp = client.post(reverse("judging:round-assign", args=[rnd.pk]), {"entries": [e1.pk], "experts": [extra.pk]})
    assert resp.status_code == 302 and Assignment.objects.filter(entry=e1, expert=extra).exists()
    resp = client.post(reverse("judging:round-assign-random", args=[rnd.pk]), {"n": "2"})
    assert resp.status_code == 302 and Assignment.objects.filter(entry__round=rnd).count() == 4
    resp = client.post(reverse("judging:round-transition", args=[rnd.pk, "start"]))
    rnd.refresh_from_db()
    assert resp.status_code == 302 and rnd.status == "scoring"
    csv = client.get(reverse("judging:round-ranking", args=[rnd.pk]), {"export": "csv"})
    assert csv.status_code == 200


def test_round_create_page_makes_entries_of_units(ns, client):
    scheme = published_scheme(ns.t.province, ns.p.province_admin)
    panel = services.panel_create(organization=ns.t.province, name="评审组", by=ns.p.province_admin)
    client.force_login(ns.p.province_admin)
    resp = client.post(
        reverse("judging:round-create"),
        {
            "title": "2026年度文明单位评审",
            "organization": ns.t.province.pk,
            "scheme": scheme.pk,
            "panel": panel.pk,
            "opens_at": "2026-12-01T09:00",
            "closes_at": "2026-12-20T17:00",
            "units": [ns.t.shenyang_outlet.pk, ns.t.dalian_outlet.pk],
        },
    )
    assert resp.status_code == 302
    rnd = panel.rounds.get()
    assert sorted(rnd.entries.values_list("label", flat=True)) == sorted(
        [ns.t.shenyang_outlet.name, ns.t.dalian_outlet.name]
    )
    assert rnd.entries.first().subject_key.startswith("organizations.organization:")


def test_the_tree_editor_checks_sums_and_publishes(ns, client):
    client.force_login(ns.p.province_admin)
    resp = client.post(
        reverse("judging:scheme-create"),
        {
            "organization": ns.t.province.pk,
            "family": "wm-ke",
            "name": "文明科室测评体系",
            "total_points": "100",
            "pass_mark": "80",
        },
    )
    scheme = Scheme.objects.get(family="wm-ke")
    assert resp.status_code == 302
    add = reverse("judging:indicator-create", args=[scheme.pk])
    client.post(add, {"name": "学习制度", "max_points": "60", "method": "materials"})
    top = scheme.indicators.get()
    client.post(add, {"parent": top.pk, "name": "理论学习", "max_points": "30", "method": "materials"})
    body = client.get(reverse("judging:scheme-detail", args=[scheme.pk])).content.decode()
    assert "下级分值合计 30，应为 60" in body and "下级分值合计 60，应为 100" in body
    resp = client.post(reverse("judging:scheme-publish", args=[scheme.pk]))
    scheme.refresh_from_db()
    assert scheme.status == "draft"
    client.post(add, {"parent": top.pk, "name": "业务学习", "max_points": "30", "method": "on_site"})
    client.post(add, {"name": "安全生产", "max_points": "40", "method": "on_site"})
    second = scheme.indicators.get(name="安全生产")
    client.post(reverse("judging:indicator-move", args=[second.pk]), {"direction": "up"})
    second.refresh_from_db()
    assert second.code == "1"
    client.post(
        reverse("judging:indicator-edit", args=[second.pk]),
        {"name": "安全生产", "max_points": "40", "weight": "40", "method": "on_site", "evidence": "安全检查记录"},
    )
    client.post(reverse("judging:veto-create", args=[scheme.pk]), {"text": "发生重大安全事故"})
    resp = client.post(reverse("judging:scheme-publish", args=[scheme.pk]))
    scheme.refresh_from_db()
    assert resp.status_code == 302 and scheme.status == "published"
    # published: the editor is gone and the edit endpoints refuse
    body = client.get(reverse("judging:scheme-detail", args=[scheme.pk])).content.decode()
    assert "添加一级指标" not in body and "修订为新版本" in body
    client.post(reverse("judging:indicator-delete", args=[second.pk]))
    assert scheme.indicators.filter(pk=second.pk).exists()
    resp = client.post(reverse("judging:scheme-new-version", args=[scheme.pk]))
    assert resp.status_code == 302 and Scheme.objects.filter(family="wm-ke", version=2, status="draft").exists()


def test_committee_pages_vote_and_count(ns, client):
    from conftest import make_user

    members = [make_user(f"cm_{i}", role="committee_office", org=ns.t.province) for i in range(3)]
    vote = services.committee_create(
        title="文明窗口审定",
        organization=ns.t.province,
        members=members,
        items=[BallotSpec("k:1", "沈阳和平营业部")],
        by=ns.p.province_admin,
    )
    client.force_login(ns.p.province_admin)
    client.post(reverse("judging:committee-open", args=[vote.pk]), {"present_count": "1"})
    vote.refresh_from_db()
    assert vote.status == "draft"  # no quorum
    client.post(reverse("judging:committee-open", args=[vote.pk]), {"present_count": "2"})
    vote.refresh_from_db()
    assert vote.status == "voting"
    item = vote.items.get()
    for m, choice in zip(members[:2], ["yes", "yes"], strict=True):
        client.force_login(m)
        assert "我的选票" in client.get(reverse("judging:committee-detail", args=[vote.pk])).content.decode()
        assert (
            client.post(reverse("judging:committee-cast", args=[vote.pk]), {f"item_{item.pk}": choice}).status_code
            == 302
        )
    assert "您已投票" in client.get(reverse("judging:committee-detail", args=[vote.pk])).content.decode()
    client.force_login(ns.p.province_admin)
    client.post(reverse("judging:committee-close", args=[vote.pk]))
    vote = CommitteeVote.objects.get(pk=vote.pk)
    assert vote.status == "closed" and vote.items.get().passed is True
    body = client.get(reverse("judging:committee-detail", args=[vote.pk])).content.decode()
    assert "通过" in body


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_scoring_page_and_ranking_are_flat_in_entries(ns, client):
    t = ns.t
    experts = [ns.p.expert, make_expert("ex_b", t.province)]
    small = scoring_round(ns, experts=experts, entries=[(f"S{i}", t.shenyang_outlet) for i in range(2)])
    big = scoring_round(ns, experts=experts, entries=[(f"B{i}", t.dalian_outlet) for i in range(12)])
    for a in Assignment.objects.filter(entry__round=big)[:10]:
        score(a, ["30", "10", "30"])
    client.force_login(ns.p.expert)
    a_small = Assignment.objects.filter(entry__round=small, expert=ns.p.expert).first()
    a_big = Assignment.objects.filter(entry__round=big, expert=ns.p.expert, status="pending").first()
    q_score = (
        _queries(client, reverse("judging:score", args=[a_small.pk])),
        _queries(client, reverse("judging:score", args=[a_big.pk])),
    )
    q_queue = (
        _queries(client, reverse("judging:queue") + "?size=10"),
        _queries(client, reverse("judging:queue") + "?size=50"),
    )
    client.force_login(ns.p.province_admin)
    q_rank = (
        _queries(client, reverse("judging:round-ranking", args=[small.pk])),
        _queries(client, reverse("judging:round-ranking", args=[big.pk])),
    )
    q_detail = (
        _queries(client, reverse("judging:round-detail", args=[small.pk])),
        _queries(client, reverse("judging:round-detail", args=[big.pk])),
    )
    q_list = (
        _queries(client, reverse("judging:round-list") + "?size=10"),
        _queries(client, reverse("judging:round-list") + "?size=50"),
    )
    for name, (a, b) in {
        "score": q_score,
        "queue": q_queue,
        "ranking": q_rank,
        "detail": q_detail,
        "list": q_list,
    }.items():
        assert a == b and a <= 10, (name, a, b)
