"""Demo data of voting: the 3rd 最美快递员 edition's poll is open with the edition's nominees as
consenting candidates, its votes feed the edition's tally, and the recount matches."""

from django.utils import timezone

from wenming.demo.builder import seed_core
from wenming.demo.modules import honours as honours_demo
from wenming.demo.modules import voting as demo
from wenming.honours import tally
from wenming.honours.models import Cycle
from wenming.voting import editions, engine
from wenming.voting.models import Ballot, Poll


def test_demo_edition_is_in_its_vote_with_an_open_poll_of_its_nominees(db, settings):
    settings.WENMING_VOTE_ENGINE = "db"
    ctx = seed_core(size="tiny", seed=7)
    honours_demo.seed(ctx)
    demo.seed(ctx)
    cycle = Cycle.objects.get(programme__code="most_beautiful_courier", edition=3)
    assert cycle.stage_rows.get(code="vote").starts_on <= ctx.today <= cycle.stage_rows.get(code="vote").ends_on
    nominees = list(editions.nominees(cycle))
    assert len(nominees) == 12 and len({a.recommender_id for a in nominees}) == 6
    poll = editions.poll_of(cycle)
    assert poll is not None and poll.is_open(timezone.now())
    assert sorted(c.subject_key for c in poll.candidates.all()) == sorted(
        f"{editions.NOMINEE_PREFIX}{a.pk}" for a in nominees
    )
    assert not poll.candidates.filter(consent=False).exists()
    assert not poll.candidates.filter(photos__isnull=False).exists()
    ballots = Ballot.objects.filter(poll=poll).count()
    assert demo.VOTES["tiny"] * 0.6 < ballots <= demo.VOTES["tiny"]  # the small hours are quiet
    result = engine.recount(poll.pk)
    assert result.ok, result.mismatches
    assert sum(result.offline.values()) == 36  # the newspaper batch, shown as the offline channel
    assert engine.verify_ledger(poll.pk) == []
    votes = tally.votes_by_nominee(cycle)  # what the edition's combined score reads
    online = editions.online_votes(cycle)
    shown = engine.live_counts(poll.pk)  # the board the public sees
    assert sum(online.values()) == sum(c["online"] for c in shown.values()) > 0
    assert sum(votes.values()) == sum(online.values()) + 36
    demo.seed(ctx)
    assert Poll.objects.filter(subject_key=poll.subject_key).count() == 1
