"""The flush on PostgreSQL (``COPY``): the same ledger as the ORM's multi-row INSERTs, the same seals, and
the same behaviour when a batch fails halfway, is refused by the database, or is delivered again.

These run on the PostgreSQL + Redis leg only, where the flush exists and takes the ``COPY`` path; the
embedded SQLite profile keeps the ORM path (``engine._insert_orm``), which the first test compares against.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction

from wenming.voting import engine
from wenming.voting.choices import AnomalyKind
from wenming.voting.models import Anomaly, Ballot, BallotChoice, LedgerSeal, Tally

from .helpers import ENGINES, running_poll, voter

pytestmark = pytest.mark.django_db

ON_THIS_LEG = "redis" in ENGINES and settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

# Submission keys come from the visitor's form: any character may turn up, "|" (the stream's separator),
# the COPY text format's tab, newline and backslash, quotes, and non-ASCII text.
ODD_KEYS = ["tab\there", "line\nbreak", "back\\slash", "quote'\"", "pipe|in|it", "投票提交", "sp ace 12 3"]


@pytest.fixture
def redis_engine(settings):
    settings.WENMING_VOTE_ENGINE = "redis"
    engine.forget_rules()
    yield
    engine.forget_rules()


def _cast_mixed(poll) -> int:
    """Ballots of one to three picks, second ballots of the day (seq 2), new and returning voters, IPv4 and
    IPv6 networks, odd submission keys; returns the number of ballots cast."""
    cands = list(poll.candidates.order_by("number").values_list("pk", flat=True))
    cast = 0
    for n in range(1, 15):
        ip = f"203.0.113.{n}" if n % 3 else f"2001:db8:{n}::1"
        meta = engine.Meta(ip=ip, net=engine.network_of(ip), ua_hash=f"{n:016x}", fingerprint=f"{n * 7:016x}"[:16])
        picks = [cands[(n + k) % len(cands)] for k in range(1 + n % 3)]
        rid = ODD_KEYS[n % len(ODD_KEYS)] + f"-{n}" if n % 2 else ""
        engine.cast(poll_id=poll.pk, voter=voter(n, new=n % 4 == 0), candidate_ids=picks, request_id=rid, meta=meta)
        cast += 1
        if n % 5 == 0:  # a second ballot the same day, for candidates not picked yet
            rest = [c for c in cands if c not in picks][:2]
            engine.cast(poll_id=poll.pk, voter=voter(n), candidate_ids=rest, meta=meta)
            cast += 1
    return cast


def _entries(poll) -> list[dict]:
    client = engine.redis_client()
    key = engine.stream_key(poll.pk)
    engine._ensure_group(client, key)
    return [engine._parse(eid, f) for eid, f in client.xreadgroup(engine.GROUP, engine.CONSUMER, {key: ">"})[0][1]]


def _acknowledge_all(poll) -> None:
    client = engine.redis_client()
    key = engine.stream_key(poll.pk)
    ids = [eid for eid, _f in client.xreadgroup(engine.GROUP, engine.CONSUMER, {key: "0"})[0][1]]
    if ids:
        client.xack(key, engine.GROUP, *ids)
        client.xdel(key, *ids)


def _ledger(poll) -> dict:
    return {
        "ballots": list(Ballot.objects.filter(poll=poll).order_by("id").values()),
        "choices": list(BallotChoice.objects.filter(poll=poll).order_by("id").values()),
        "tallies": sorted(Tally.objects.filter(poll=poll).values_list("candidate_id", "channel", "votes")),
        "seals": list(
            LedgerSeal.objects.filter(poll=poll)
            .order_by("number")
            .values("number", "after_id", "last_id", "ballots", "prev_hash", "hash")
        ),
    }


def _sequences() -> dict[str, tuple[int, bool]]:
    with connection.cursor() as cur:
        found = {}
        for table in ("voting_ballot", "voting_ballotchoice"):
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (name,) = cur.fetchone()
            cur.execute(f"SELECT last_value, is_called FROM {name}")
            found[name] = cur.fetchone()
    return found


def _set_sequences(found: dict[str, tuple[int, bool]]) -> None:
    with connection.cursor() as cur:
        for name, (value, called) in found.items():
            cur.execute("SELECT setval(%s, %s, %s)", [name, value, called])


def _copy_stores_exactly_what_the_orm_stores(org_tree, redis_engine):
    poll = running_poll(org_tree.province, candidates=5, cap=2, choices=3)
    cast = _cast_mixed(poll)
    rows = _entries(poll)
    assert len(rows) == cast
    assert {r["request_id"] for r in rows} >= {f"{ODD_KEYS[n % len(ODD_KEYS)]}-{n}" for n in range(1, 15, 2)}

    numbered_from = _sequences()
    with transaction.atomic():
        engine._insert_orm(poll.pk, rows)  # the multi-row INSERTs, as every flush did before COPY
        engine.seal(poll.pk, settle=timedelta(0))
        by_orm = _ledger(poll)
        transaction.set_rollback(True)
    assert not Ballot.objects.filter(poll=poll).exists()
    _set_sequences(numbered_from)  # the same ids again, so that even the seals' hashes can be compared

    engine._insert_copy(poll.pk, rows)
    engine.seal(poll.pk, settle=timedelta(0))
    by_copy = _ledger(poll)

    assert len(by_copy["ballots"]) == cast and by_copy["seals"]
    assert by_copy == by_orm
    assert engine.verify_ledger(poll.pk) == []
    _acknowledge_all(poll)
    result = engine.recount(poll.pk)
    assert result.ok, result.mismatches


def _a_batch_that_fails_halfway_leaves_nothing_and_the_rerun_stores_each_ballot_once(
    org_tree, redis_engine, monkeypatch
):
    poll = running_poll(org_tree.province, candidates=4, cap=1, choices=2)
    cands = list(poll.candidates.values_list("pk", flat=True))
    for n in range(25):
        engine.cast(poll_id=poll.pk, voter=voter(n + 1), candidate_ids=cands[n % 4 : n % 4 + 2])
    real_copy = engine._copy

    def killed_after_the_ballots(cur, table, *args, **kwargs):
        if table == "voting_ballotchoice":  # the ballots' COPY went through in this transaction
            raise RuntimeError("worker killed")
        return real_copy(cur, table, *args, **kwargs)

    monkeypatch.setattr(engine, "_copy", killed_after_the_ballots)
    with pytest.raises(RuntimeError):
        engine.flush(poll.pk, batch=10)
    assert not Ballot.objects.filter(poll=poll).exists() and not BallotChoice.objects.filter(poll=poll).exists()
    assert engine.pending_in_stream(poll.pk) == 25
    assert sum(Tally.objects.filter(poll=poll).values_list("votes", flat=True)) == 0

    monkeypatch.setattr(engine, "_copy", real_copy)
    assert engine.flush(poll.pk, batch=10) == 25
    assert engine.flush(poll.pk) == 0
    assert Ballot.objects.filter(poll=poll).count() == 25
    assert BallotChoice.objects.filter(poll=poll).count() == sum(len(cands[n % 4 : n % 4 + 2]) for n in range(25))
    engine.seal(poll.pk, settle=timedelta(0))
    assert engine.verify_ledger(poll.pk) == []
    result = engine.recount(poll.pk)
    assert result.ok, result.mismatches


def _a_batch_stored_but_not_acknowledged_is_recognised_on_redelivery(org_tree, redis_engine, monkeypatch):
    poll = running_poll(org_tree.province, candidates=3)
    cand = poll.candidates.first()
    for n in range(30):
        engine.cast(poll_id=poll.pk, voter=voter(n + 1), candidate_ids=[cand.pk])
    paths: list[str] = []
    real_copy, real_orm = engine._insert_copy, engine._insert_orm
    monkeypatch.setattr(engine, "_insert_copy", lambda *a: (paths.append("copy"), real_copy(*a))[1])
    monkeypatch.setattr(engine, "_insert_orm", lambda *a: (paths.append("orm"), real_orm(*a))[1])
    real_client = engine.redis_client

    class AckLost:  # the stream answers, the acknowledgement after the first batch never arrives
        def __init__(self, client):
            self.client = client

        def __getattr__(self, name):
            return getattr(self.client, name)

        def pipeline(self, **kwargs):
            class Pipe:
                def xack(self, *args):
                    pass

                def xdel(self, *args):
                    pass

                def execute(self):
                    raise ConnectionError("Redis went away before the acknowledgement")

            return Pipe()

    monkeypatch.setattr(engine, "redis_client", lambda: AckLost(real_client()))
    with pytest.raises(ConnectionError):
        engine.flush(poll.pk, batch=10)
    assert Ballot.objects.filter(poll=poll).count() == 10  # committed, still pending in the stream

    monkeypatch.setattr(engine, "redis_client", real_client)
    assert engine.flush(poll.pk, batch=10) == 20  # the 10 pending come first and are recognised
    assert paths == ["copy"] * 3
    assert Ballot.objects.filter(poll=poll).count() == 30
    assert Tally.objects.get(poll=poll, candidate=cand, channel="online").votes == 30
    engine.seal(poll.pk, settle=timedelta(0))
    assert engine.verify_ledger(poll.pk) == []
    assert engine.recount(poll.pk).ok


def _a_ballot_the_database_refuses_is_reported_and_the_rest_of_the_batch_stored(
    org_tree, redis_engine, django_capture_on_commit_callbacks
):
    poll = running_poll(org_tree.province, candidates=3)
    a = poll.candidates.first()
    engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=[a.pk], via="db")  # straight into the ledger
    engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=[a.pk], request_id="again-1")  # Redis has no day
    for n in range(2, 6):
        engine.cast(poll_id=poll.pk, voter=voter(n), candidate_ids=[a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert engine.flush(poll.pk) == 4  # the COPY is refused as a whole; row by row, one is refused
    refused = Anomaly.objects.get(poll=poll, kind=AnomalyKind.DB_REJECT)
    assert refused.key == "again-1" and refused.detail == {"candidates": [a.pk]}
    assert Ballot.objects.filter(poll=poll).count() == 5
    assert Tally.objects.get(poll=poll, candidate=a, channel="online").votes == 5
    assert engine.board_counts(poll.pk) == {a.pk: 4}  # five streamed, the refused one taken off again
    assert engine.reconcile_board(poll.pk)  # the board from the ledger's tally (the flush job does this next)
    assert engine.board_counts(poll.pk) == {a.pk: 5}
    assert engine.recount(poll.pk).ok


def _a_submission_key_with_the_separator_is_stored_whole(org_tree, redis_engine):
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=[cand.pk], request_id="a|b|c")
    assert engine.flush(poll.pk) == 1
    assert list(Ballot.objects.filter(poll=poll).values_list("request_id", flat=True)) == ["a|b|c"]
    assert engine.recount(poll.pk).ok


if ON_THIS_LEG:
    test_copy_stores_exactly_what_the_orm_stores = _copy_stores_exactly_what_the_orm_stores
    test_a_batch_that_fails_halfway_leaves_nothing_and_the_rerun_stores_each_ballot_once = (
        _a_batch_that_fails_halfway_leaves_nothing_and_the_rerun_stores_each_ballot_once
    )
    test_a_batch_stored_but_not_acknowledged_is_recognised_on_redelivery = (
        _a_batch_stored_but_not_acknowledged_is_recognised_on_redelivery
    )
    test_a_ballot_the_database_refuses_is_reported_and_the_rest_of_the_batch_stored = (
        _a_ballot_the_database_refuses_is_reported_and_the_rest_of_the_batch_stored
    )
    test_a_submission_key_with_the_separator_is_stored_whole = _a_submission_key_with_the_separator_is_stored_whole
