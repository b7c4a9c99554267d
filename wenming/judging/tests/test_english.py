"""Every judging page, filled with data, in English: no untranslated interface text (the rule of
tests/i18n/test_english_walk.py, whose crawl finds no judging rows of its own)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.i18n.test_english_walk import stored_texts, untranslated
from wenming.judging import services
from wenming.judging.models import Assignment, Indicator
from wenming.judging.services import BallotSpec

from .factories import leaf_ids, make_expert, score, scoring_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield client
    translation.deactivate()


def test_judging_pages_are_english(ns, english):
    client = english
    t = ns.t
    other = make_expert("ex_other", t.province)
    rnd = scoring_round(ns, experts=[ns.p.expert, other], affiliations={other.pk: t.shenyang})
    mine = list(Assignment.objects.filter(entry__round=rnd, expert=ns.p.expert).order_by("entry__sort_order"))
    score(mine[0], ["30", "15", "30"], veto=True)
    score(Assignment.objects.filter(entry__round=rnd, expert=other).last(), ["35", "15", "30"])
    services.declare_conflict(assignment_id=mine[1].pk, by=ns.p.expert, reason="x")
    members = [ns.p.province_admin, ns.p.shenyang_admin, ns.p.dalian_admin]
    vote = services.committee_open(
        title="审定",
        organization=t.province,
        members=members,
        present_count=2,
        items=[BallotSpec("k:1", "甲")],
        by=ns.p.province_admin,
    )
    draft = services.scheme_create(organization=t.province, family="en-draft", name="草稿体系", by=ns.p.province_admin)
    services.indicator_add(scheme_id=draft.pk, by=ns.p.province_admin, data={"name": "甲", "max_points": "10"})
    ind = Indicator.objects.filter(scheme=draft).first()
    content = stored_texts()
    pages: dict[str, list[str]] = {}

    def visit(user, url, method="get", data=None):
        client.force_login(user)
        resp = getattr(client, method)(url, data or {})
        assert resp.status_code in (200, 422), (url, resp.status_code)
        found = untranslated(resp.content.decode(), content)
        if found:
            pages[url] = found

    e = ns.p.expert
    pending = Assignment.objects.filter(entry__round=rnd, expert=other, status="pending").first()
    client.force_login(other)
    assert "Declare a conflict of interest" in client.get(reverse("judging:score", args=[pending.pk])).content.decode()
    visit(other, reverse("judging:score", args=[pending.pk]))
    visit(e, reverse("judging:queue"))
    visit(e, reverse("judging:queue") + "?tab=all")
    for a in mine:
        visit(e, reverse("judging:score", args=[a.pk]))
    visit(
        e,
        reverse("judging:score", args=[mine[1].pk]),
        "post",
        {"action": "save", f"points_{leaf_ids(rnd.scheme)[0]}": "99"},
    )
    visit(e, reverse("workbench:home"))
    p = ns.p.province_admin
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
        ("judging:scheme-detail", [draft.pk]),
        ("judging:scheme-edit", [draft.pk]),
        ("judging:indicator-create", [draft.pk]),
        ("judging:indicator-edit", [ind.pk]),
        ("judging:indicator-move", [ind.pk]),
        ("judging:committee-list", []),
        ("judging:committee-detail", [vote.pk]),
        ("judging:committee-create", []),
    ]:
        visit(p, reverse(name, args=args))
    visit(p, reverse("judging:committee-create") + f"?round={rnd.pk}")
    visit(p, reverse("judging:scheme-create"), "post", {"family": ""})
    services.committee_cast(vote_id=vote.pk, by=p, choices={vote.items.get().pk: "yes"})
    services.committee_close(vote_id=vote.pk, by=p)
    visit(ns.p.shenyang_admin, reverse("judging:committee-detail", args=[vote.pk]))
    services.round_close(round_id=rnd.pk, by=p)
    services.round_publish(round_id=rnd.pk, by=p)
    visit(p, reverse("judging:round-detail", args=[rnd.pk]))
    visit(p, reverse("judging:round-ranking", args=[rnd.pk]))
    visit(e, reverse("judging:score", args=[mine[0].pk]))
    assert pages == {}
