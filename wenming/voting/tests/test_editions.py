"""The bridge to the honours engine: a poll for an edition's vote stage, the "online" tally source that
feeds the combined score, and the edition's offline ballots shown as the poll's offline channel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from wenming.core.errors import ApplicationError
from wenming.honours import tally
from wenming.honours.models import Application, Cycle, CycleStage, OfflineTally, Programme
from wenming.voting import editions, engine, services
from wenming.voting.choices import PollStatus
from wenming.voting.models import Poll

from .helpers import voter

pytestmark = pytest.mark.django_db


def _edition(org_tree) -> Cycle:
    prog = Programme.objects.get(code="most_beautiful_courier")
    cycle = Cycle.objects.create(
        programme=prog, year=2026, edition=3, level="provincial", organizer=org_tree.province, name="第三届最美快递员"
    )
    today = timezone.localdate()
    CycleStage.objects.create(
        cycle=cycle,
        order=1,
        code="vote",
        label="公众投票",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=5),
    )
    for i, name in enumerate(["王晓东", "李春梅"]):
        Application.objects.create(
            cycle=cycle,
            organization=org_tree.shenyang_outlet,
            name=name,
            statement="事迹",
            status="vote",
            rank=i + 1,
            recommender=org_tree.shenyang,
        )
    Application.objects.create(
        cycle=cycle, organization=org_tree.shenyang_outlet, name="未入围", statement="-", status="scoring"
    )
    return cycle


def test_edition_poll_feeds_the_online_source_and_shows_the_offline_tallies(org_tree, personas, settings):
    settings.WENMING_VOTE_ENGINE = "db"
    cycle = _edition(org_tree)
    poll = editions.poll_for_edition(cycle=cycle, by=personas.province_admin)
    assert editions.poll_for_edition(cycle=cycle, by=personas.province_admin) == poll  # once per edition
    assert [c.name for c in poll.candidates.order_by("number")] == ["王晓东", "李春梅"]
    assert not poll.candidates.filter(consent=True).exists()  # consent is recorded per candidate
    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.SCHEDULED)
    engine.forget_rules()
    first = poll.candidates.get(name="王晓东")
    for i in range(3):
        engine.cast(poll_id=poll.pk, voter=voter(i + 1), candidate_ids=[first.pk])
    app = Application.objects.get(cycle=cycle, name="王晓东")
    OfflineTally.objects.create(
        application=app, votes=40, source="paper", batch_ref="P-1", counted_on=timezone.localdate()
    )
    by_source = tally.votes_by_source(cycle)
    assert by_source["online"][app.pk] == 3 and by_source["offline"][app.pk] == 40
    assert engine.live_counts(poll.pk)[first.pk] == {"online": 3, "offline": 40}
    assert engine.recount(poll.pk).ok
    with pytest.raises(ApplicationError):
        services.offline_add(
            by=personas.province_admin,
            poll=poll,
            candidate=first,
            kind="paper",
            votes=1,
            source="x",
            counted_on=timezone.localdate(),
            witnesses="y",
        )
    services.candidate_consent(candidate_id=first.pk, by=personas.province_admin, note="签署授权书")
    first.refresh_from_db()
    assert first.consent and first.consent_recorded_by == personas.province_admin
