"""Demo data of voting: the 3rd 最美快递员 poll is open, its candidates have consent, the recount matches."""

from django.utils import timezone

from wenming.demo.builder import seed_core
from wenming.demo.modules import voting as demo
from wenming.voting import engine
from wenming.voting.models import Ballot, Poll


def test_demo_poll_is_open_with_consenting_candidates_and_a_matching_recount(db, settings):
    settings.WENMING_VOTE_ENGINE = "db"
    ctx = seed_core(size="tiny", seed=7)
    demo.seed(ctx)
    poll = Poll.objects.get(title=demo.TITLE)
    assert poll.is_open(timezone.now())
    assert poll.candidates.count() == 12 and not poll.candidates.filter(consent=False).exists()
    assert not poll.candidates.filter(photos__isnull=False).exists()
    assert Ballot.objects.filter(poll=poll).count() == demo.VOTES["tiny"]
    result = engine.recount(poll.pk)
    assert result.ok, result.mismatches
    assert sum(result.offline.values()) == 36
    assert engine.verify_ledger(poll.pk) == []
    demo.seed(ctx)
    assert Poll.objects.filter(title=demo.TITLE).count() == 1
