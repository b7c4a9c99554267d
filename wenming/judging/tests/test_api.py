"""The judging JSON API: scoped rounds and rankings, the expert's own assignments and score write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenming.judging.models import Assignment

from .factories import leaf_ids, make_expert, score, scoring_round

pytestmark = pytest.mark.django_db


def test_rounds_and_rankings_are_scoped(ns, client):
    rnd = scoring_round(ns, organization=ns.t.shenyang)
    a = Assignment.objects.filter(entry__round=rnd).order_by("entry__sort_order").first()
    score(a, ["40", "20", "30"])
    client.force_login(ns.p.shenyang_admin)
    body = client.get(reverse("api:judging-round-list")).json()
    assert [r["id"] for r in body["results"]] == [rnd.pk]
    entries = client.get(reverse("api:judging-round-entries", args=[rnd.pk])).json()["results"]
    assert entries[0]["mean"] == "90.00" and entries[0]["position"] == 1 and entries[0]["counted"] == 1
    scores = client.get(reverse("api:judging-round-scores", args=[rnd.pk])).json()["results"]
    assert {s["total"] for s in scores} == {"90.00", "0.00"}
    client.force_login(ns.p.dalian_admin)
    assert client.get(reverse("api:judging-round-detail", args=[rnd.pk])).status_code == 404
    assert client.get(reverse("api:judging-round-entries", args=[rnd.pk])).status_code == 404
    client.force_login(ns.p.expert)  # experts read their own assignments, not the organiser's ranking
    assert client.get(reverse("api:judging-round-entries", args=[rnd.pk])).status_code == 404


def test_the_expert_writes_their_own_scores_only(ns, client):
    other = make_expert("ex_other", ns.t.province)
    rnd = scoring_round(ns, experts=[ns.p.expert, other])
    mine = Assignment.objects.filter(entry__round=rnd, expert=ns.p.expert).first()
    theirs = Assignment.objects.filter(entry__round=rnd, expert=other).first()
    ids = leaf_ids(rnd.scheme)
    client.force_login(ns.p.expert)
    listed = client.get(reverse("api:judging-assignment-list")).json()
    assert {r["id"] for r in listed["results"]} == set(
        Assignment.objects.filter(expert=ns.p.expert).values_list("pk", flat=True)
    )
    sheet = client.get(reverse("api:judging-assignment-detail", args=[mine.pk])).json()
    assert [i["id"] for i in sheet["indicators"] if i["leaf"]] == ids
    url = reverse("api:judging-assignment-scores", args=[mine.pk])
    bad = client.post(url, {"points": {str(ids[0]): "99"}}, content_type="application/json")
    assert bad.status_code == 400 and f"points_{ids[0]}" in bad.json()
    ok = client.post(
        url,
        {"points": {str(i): v for i, v in zip(ids, ["38", "18", "36"], strict=True)}, "submit": True},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "submitted" and ok.json()["total"] == "92.00"
    assert client.get(reverse("api:judging-assignment-detail", args=[theirs.pk])).status_code == 404
    resp = client.post(
        reverse("api:judging-assignment-scores", args=[theirs.pk]),
        {"points": {str(ids[0]): "1"}},
        content_type="application/json",
    )
    assert resp.status_code == 404 and not theirs.scores.exists()
    client.force_login(ns.p.shenyang_admin)
    assert client.get(reverse("api:judging-assignment-list")).status_code == 403
