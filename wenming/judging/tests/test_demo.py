"""The demo: both schemes published with sums that add up, the expert account has entries to score on
its workbench, a conflicted expert is shown on a Shenyang entry, the committee vote waits for the
province account; the judging pages stay within 10 queries at demo scale, flat in page size."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.accounts.models import User
from wenming.judging import selectors, services
from wenming.judging.models import Assignment, CommitteeVote, Round, Scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", size="tiny", stdout=StringIO())


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, url
    return len(ctx.captured_queries)


def test_demo_gives_the_expert_work_and_shows_the_rules(client, demo):
    # The two schemes judging seeds (other modules' demos may publish schemes of their own).
    schemes = Scheme.objects.filter(status="published", family__in=["wenming-unit", "wenming-window"])
    assert sorted(schemes.values_list("family", flat=True)) == ["wenming-unit", "wenming-window"]
    for s in schemes:
        assert services.scheme_problems(s) == [] and s.veto_items.exists()
        assert s.indicators.filter(parent__isnull=True).count() == 5
    expert = User.objects.get(username="expert1")
    queue = selectors.expert_queue(user=expert)
    assert queue.count() >= 3
    client.force_login(expert)
    home = client.get(reverse("workbench:home")).content.decode()
    assert f"待评分 {queue.count()}" in home
    assert Assignment.objects.exclude(auto_conflict="").filter(status="submitted").exists()
    current = Round.objects.get(status="scoring", scheme__family__in=["wenming-unit", "wenming-window"])
    assert any(r.n_excluded for r in selectors.ranking(current))
    vote = CommitteeVote.objects.get()
    assert vote.status == "voting" and vote.voters.count() == 3
    assert [v.pk for v in selectors.votes_to_cast(user=User.objects.get(username="province"))] == [vote.pk]


def test_judging_pages_are_flat_at_demo_scale(client, demo):
    expert = User.objects.get(username="expert1")
    client.force_login(expert)
    a = selectors.expert_queue(user=expert).first()
    assert _count(client, reverse("judging:queue") + "?size=10") <= 10
    assert _count(client, reverse("judging:queue") + "?size=10") == _count(
        client, reverse("judging:queue") + "?size=50"
    )
    assert _count(client, reverse("judging:score", args=[a.pk])) <= 10
    client.force_login(User.objects.get(username="province"))
    for rnd in Round.objects.all():
        assert _count(client, reverse("judging:round-ranking", args=[rnd.pk])) <= 10
        assert _count(client, reverse("judging:round-detail", args=[rnd.pk])) <= 10
    for name in ("judging:round-list", "judging:scheme-list", "judging:panel-list", "judging:committee-list"):
        small = _count(client, reverse(name) + "?size=10")
        assert small <= 10 and small == _count(client, reverse(name) + "?size=50"), name
    vote = CommitteeVote.objects.get()
    assert _count(client, reverse("judging:committee-detail", args=[vote.pk])) <= 10
    scheme = Scheme.objects.get(family="wenming-unit")
    assert _count(client, reverse("judging:scheme-detail", args=[scheme.pk])) <= 10
