"""The issue's "done when" integrity tests (quality.md L6–L8, L10, AU5, AU7, F10), on both engines.

The PostgreSQL + Redis leg runs them with the Redis engine (the production path: Lua script, stream,
flush) and with the database engine; the SQLite leg with the database engine. Every run ends with the
recount, which must equal the displayed tally.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.db import DatabaseError, connection, transaction

from wenming.voting import engine, otp
from wenming.voting.engine import VoteRefused
from wenming.voting.models import Ballot, BallotChoice, OtpChallenge, Tally

from .helpers import ENGINES, drain, parallel, running_poll, voter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=ENGINES)
def vote_engine(request, settings):
    """Each engine the leg has: the database engine everywhere, the Redis engine where Redis runs."""
    settings.WENMING_VOTE_ENGINE = request.param
    engine.forget_rules()
    yield request.param
    engine.forget_rules()


def _assert_recount(poll) -> engine.Recount:
    drain(poll)
    result = engine.recount(poll.pk)
    assert result.ok, result.mismatches
    assert engine.verify_ledger(poll.pk) == []
    return result


def test_one_voter_10000_parallel_attempts_store_exactly_one_ballot(org_tree, vote_engine):
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    me = voter(1)
    results = parallel(lambda i: engine.cast(poll_id=poll.pk, voter=me, candidate_ids=[cand.pk]), 10_000)
    accepted = [r for r in results if isinstance(r, engine.Outcome)]
    refused = [r for r in results if isinstance(r, VoteRefused)]
    assert len(accepted) == 1
    assert len(refused) == 9_999 and {r.code for r in refused} <= {"cap", "candidate"}
    result = _assert_recount(poll)
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert result.counted == {cand.pk: 1}


@pytest.fixture(params=ENGINES[-1:])
def production_engine(request, settings):
    """The engine a deployment of this leg runs: Redis on the PostgreSQL + Redis leg, the database on SQLite."""
    settings.WENMING_VOTE_ENGINE = request.param
    engine.forget_rules()
    yield request.param
    engine.forget_rules()


def test_10000_distinct_voters_give_a_tally_of_exactly_10000(org_tree, production_engine):
    vote_engine = production_engine
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    results = parallel(
        lambda i: engine.cast(poll_id=poll.pk, voter=voter(i + 1), candidate_ids=[cand.pk]),
        10_000,
        workers=16 if vote_engine == "redis" or connection.vendor == "postgresql" else 4,
    )
    assert all(isinstance(r, engine.Outcome) for r in results), Counter(type(r).__name__ for r in results)
    result = _assert_recount(poll)
    assert result.counted[cand.pk] == 10_000
    assert Tally.objects.get(poll=poll, candidate=cand, channel="online").votes == 10_000
    assert engine.live_counts(poll.pk)[cand.pk]["online"] == 10_000


def test_twenty_parallel_votes_with_a_cap_of_three_store_at_most_three(org_tree, vote_engine):
    poll = running_poll(org_tree.province, candidates=20, cap=3)
    cands = list(poll.candidates.values_list("pk", flat=True))
    me = voter(7)
    results = parallel(lambda i: engine.cast(poll_id=poll.pk, voter=me, candidate_ids=[cands[i]]), 20, workers=20)
    accepted = [r for r in results if isinstance(r, engine.Outcome)]
    assert 1 <= len(accepted) <= 3
    assert sorted(r.seq for r in accepted) == list(range(1, len(accepted) + 1))
    _assert_recount(poll)
    assert Ballot.objects.filter(poll=poll, voter_key=me.key).count() == len(accepted) <= 3


def test_the_same_candidate_twice_a_day_is_refused_and_the_same_submission_is_idempotent(org_tree, vote_engine):
    poll = running_poll(org_tree.province, cap=3)
    a, b = poll.candidates.values_list("pk", flat=True)[:2]
    me = voter(3)
    first = engine.cast(poll_id=poll.pk, voter=me, candidate_ids=[a, b], request_id="form-nonce-1")
    again = engine.cast(poll_id=poll.pk, voter=me, candidate_ids=[a, b], request_id="form-nonce-1")
    assert (first.seq, first.duplicate, again.seq, again.duplicate) == (1, False, 1, True)
    with pytest.raises(VoteRefused) as exc:
        engine.cast(poll_id=poll.pk, voter=me, candidate_ids=[a])
    assert exc.value.code == "candidate"
    result = _assert_recount(poll)
    assert result.counted == {a: 1, b: 1}


def test_vote_window_is_exact_to_the_second(org_tree, vote_engine):
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    close = poll.closes_at.timestamp()
    assert engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=[cand.pk], now=close - 1).seq == 1
    with pytest.raises(VoteRefused) as exc:
        engine.cast(poll_id=poll.pk, voter=voter(2), candidate_ids=[cand.pk], now=close + 1)
    assert exc.value.code == "closed"
    with pytest.raises(VoteRefused):
        engine.cast(poll_id=poll.pk, voter=voter(3), candidate_ids=[cand.pk], now=close)
    assert _assert_recount(poll).counted == {cand.pk: 1}


def test_choices_per_ballot_are_bounded(org_tree, vote_engine):
    poll = running_poll(org_tree.province, candidates=4, choices=2)
    ids = list(poll.candidates.values_list("pk", flat=True))
    with pytest.raises(VoteRefused) as exc:
        engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=ids[:3])
    assert exc.value.code == "invalid"
    assert engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=ids[:2]).seq == 1


def test_an_otp_verified_by_50_parallel_requests_succeeds_once(org_tree, settings, tmp_path):
    settings.WENMING_SMS_BACKEND = "development"
    settings.WENMING_SMS_OUTBOX = str(tmp_path / "outbox.log")
    otp.send_code(phone_raw="13800138000", ip="10.0.0.1", consent=True, consent_version="2026-1", captcha_ok=False)
    code = (tmp_path / "outbox.log").read_text().split()[-1]
    results = parallel(lambda i: otp.verify_code(phone_raw="13800138000", code=code), 50, workers=50)
    wins = [r for r in results if not isinstance(r, Exception)]
    assert len(wins) == 1
    assert OtpChallenge.objects.get().used_at is not None


def test_ballots_cannot_be_edited_or_deleted(org_tree):
    poll = running_poll(org_tree.province)
    engine.forget_rules()
    with transaction.atomic():
        pass
    from django.test import override_settings

    with override_settings(WENMING_VOTE_ENGINE="db"):
        engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=[poll.candidates.first().pk])
    ballot = Ballot.objects.get()
    with pytest.raises(PermissionError):
        ballot.save()
    with pytest.raises(PermissionError):
        Ballot.objects.filter(pk=ballot.pk).update(seq=2)
    with pytest.raises(PermissionError):
        BallotChoice.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE voting_ballot SET seq = 2 WHERE id = %s", [ballot.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE voting_ballotchoice SET candidate_id = candidate_id WHERE ballot_id = %s", [ballot.pk])
    assert Ballot.objects.get().seq == 1
    assert time.time() > 0
