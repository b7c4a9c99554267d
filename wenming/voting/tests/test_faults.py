"""Faults and edges: Redis down (refused, never counted), the daily cap across midnight, redelivery
after a flush crash, a database outage and its recovery, the SMS adapters' request signing, and a
ballot nobody can rewrite into the chain."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import socket
import threading
import time
import urllib.parse
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import close_old_connections, connection, connections
from django.urls import reverse

from wenming.voting import engine, identity, sms
from wenming.voting.models import Ballot, LedgerSeal

from .helpers import ENGINES, drain, running_poll, voter

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(params=ENGINES)
def vote_engine(request, settings):
    settings.WENMING_VOTE_ENGINE = request.param
    engine.forget_rules()
    yield request.param
    engine.forget_rules()


def test_redis_down_refuses_the_vote_with_503_and_counts_nothing(client, org_tree, settings):
    settings.WENMING_VOTE_ENGINE = "redis"
    settings.VOTE_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there (the vote store)
    engine.forget_rules()
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    with pytest.raises(engine.VoteUnavailable):
        engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=[cand.pk])
    client.cookies[identity.COOKIE] = identity.issue(voter(2))
    r = client.post(reverse("public:voting-vote", args=[poll.pk]), {"c": [cand.pk], "nonce": "x"})
    assert r.status_code == 503 and "未计入" in r.content.decode()
    assert not Ballot.objects.exists()


def test_the_daily_cap_resets_at_midnight_shanghai(org_tree, vote_engine):
    now = datetime.now(SH)
    midnight = datetime.combine(now.date(), datetime.min.time(), tzinfo=SH)
    poll = running_poll(
        org_tree.province, opens_at=midnight - timedelta(hours=2), closes_at=midnight + timedelta(hours=2)
    )
    cand = poll.candidates.first()
    me = voter(5)
    before, after = (midnight - timedelta(seconds=1)).timestamp(), (midnight + timedelta(seconds=1)).timestamp()
    assert engine.cast(poll_id=poll.pk, voter=me, candidate_ids=[cand.pk], now=before).seq == 1
    with pytest.raises(engine.VoteRefused):
        engine.cast(poll_id=poll.pk, voter=me, candidate_ids=[cand.pk], now=before + 0.5)
    assert engine.cast(poll_id=poll.pk, voter=me, candidate_ids=[cand.pk], now=after).seq == 1
    drain(poll)
    days = sorted(Ballot.objects.filter(poll=poll).values_list("vote_date", flat=True))
    assert days == [(midnight - timedelta(days=1)).date(), midnight.date()]
    assert engine.recount(poll.pk).ok


def _flush_interrupted_after_writing_redelivers_without_duplicates(org_tree, settings):
    settings.WENMING_VOTE_ENGINE = "redis"
    engine.forget_rules()
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    for i in range(30):
        engine.cast(poll_id=poll.pk, voter=voter(i + 1), candidate_ids=[cand.pk])
    client = engine.redis_client()
    key = engine.stream_key(poll.pk)
    engine._ensure_group(client, key)
    entries = client.xreadgroup(engine.GROUP, engine.CONSUMER, {key: ">"}, count=10)[0][1]
    engine._store(poll.pk, [engine._parse(eid, f) for eid, f in entries])  # written, then "crash" before XACK
    assert engine.flush(poll.pk) == 20  # the 10 pending are redelivered and recognised
    assert Ballot.objects.filter(poll=poll).count() == 30
    assert engine.recount(poll.pk).ok


if "redis" in ENGINES:  # the stream and its flush exist on the Redis engine (the PostgreSQL + Redis leg)
    test_a_flush_interrupted_after_writing_redelivers_without_duplicates = (
        _flush_interrupted_after_writing_redelivers_without_duplicates
    )


def _vote_goes_through_the_minimal_client_and_reloads_a_script_redis_lost(org_tree, settings):
    settings.WENMING_VOTE_ENGINE = "redis"
    engine.forget_rules()
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    assert engine.fast_client() is not None  # a redis:// URL: the vote's EVALSHA goes through core.resp
    assert engine.cast(poll_id=poll.pk, voter=voter(1), candidate_ids=[cand.pk]).seq == 1
    engine.vote_script.sha = "0" * 40  # as after a Redis restart without its scripts: NOSCRIPT
    assert engine.cast(poll_id=poll.pk, voter=voter(2), candidate_ids=[cand.pk]).seq == 1
    assert engine.vote_script.sha != "0" * 40
    with pytest.raises(engine.VoteRefused) as refused:  # the daily cap of 1, kept by the script
        engine.cast(poll_id=poll.pk, voter=voter(2), candidate_ids=[cand.pk])
    assert refused.value.code == "cap"
    drain(poll)
    assert Ballot.objects.filter(poll=poll).count() == 2 and engine.recount(poll.pk).ok


if "redis" in ENGINES:
    test_the_vote_goes_through_the_minimal_client_and_reloads_a_script_redis_lost = (
        _vote_goes_through_the_minimal_client_and_reloads_a_script_redis_lost
    )


def test_a_rewritten_ballot_breaks_the_seal(org_tree, settings):
    settings.WENMING_VOTE_ENGINE = "db"
    engine.forget_rules()
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    for i in range(3):
        engine.cast(poll_id=poll.pk, voter=voter(i + 1), candidate_ids=[cand.pk])
    engine.seal(poll.pk, settle=timedelta(0))
    assert LedgerSeal.objects.filter(poll=poll).count() == 1 and engine.verify_ledger(poll.pk) == []
    from wenming.voting import guards

    guards.remove(connection)  # what only the table owner could do
    try:
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE voting_ballot SET voter_key = %s WHERE id = %s",
                ["f" * 64, Ballot.objects.filter(poll=poll).order_by("id").values_list("id", flat=True)[1]],
            )
    finally:
        guards.install(connection)
    assert engine.verify_ledger(poll.pk) != []


def test_aliyun_signature_follows_the_rpc_signing_rules(settings):
    settings.WENMING_SMS_ACCESS_KEY_ID = "testid"
    settings.WENMING_SMS_ACCESS_KEY_SECRET = "testsecret"
    settings.WENMING_SMS_SIGN_NAME = "文明平台"
    settings.WENMING_SMS_TEMPLATE = "SMS_0001"
    params = sms.AliyunBackend().signed_params("13800138000", "123456", nonce="n1", timestamp="2026-01-01T00:00:00Z")
    sig = params.pop("Signature")
    canonical = "&".join(
        f"{urllib.parse.quote(k, safe='~')}={urllib.parse.quote(v, safe='~')}" for k, v in sorted(params.items())
    )
    expected = base64.b64encode(
        hmac.new(
            b"testsecret&", ("POST&%2F&" + urllib.parse.quote(canonical, safe="~")).encode(), hashlib.sha1
        ).digest()
    ).decode()
    assert sig == expected
    assert params["PhoneNumbers"] == "13800138000" and params["TemplateParam"] == '{"code":"123456"}'


def test_tencent_request_carries_a_tc3_signature(settings):
    settings.WENMING_SMS_ACCESS_KEY_ID = "AKIDtest"
    settings.WENMING_SMS_ACCESS_KEY_SECRET = "secret"
    settings.WENMING_SMS_APP_ID = "1400000000"
    body, headers = sms.TencentBackend().signed_request("13800138000", "123456", timestamp=1767225600)
    assert b"+8613800138000" in body and b"123456" in body
    auth = headers["Authorization"]
    assert auth.startswith(
        "TC3-HMAC-SHA256 Credential=AKIDtest/2026-01-01/sms/tc3_request, SignedHeaders=content-type;host, Signature="
    )
    again = sms.TencentBackend().signed_request("13800138000", "123456", timestamp=1767225600)[1]["Authorization"]
    assert again == auth and len(auth.rsplit("=", 1)[1]) == 64


def test_development_backend_is_refused_in_production(settings, tmp_path):
    settings.WENMING_PROFILE = "production"
    settings.WENMING_SMS_OUTBOX = str(tmp_path / "o.log")
    with pytest.raises(sms.SmsError):
        sms.DevelopmentBackend().send_code("13800138000", "123456")
    assert sms.backend().code == "disabled"


class _Proxy:
    """A TCP proxy the test database connection goes through; ``cut()`` drops every link and refuses new ones."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.up = True
        self.links: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                down, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                down.close()  # refused: the peer sees the connection closed before any answer
                continue
            up = socket.create_connection(self.upstream)
            self.links += [down, up]
            for a, b in ((down, up), (up, down)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.up = False
        for s in self.links:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
        self.links = []

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
def database_outage(tmp_path):
    """``(cut, restore)`` for the default database: on PostgreSQL a proxy between Django and the server;
    on SQLite the open connection closed and the database file moved out of reach (``unable to open
    database file``)."""
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    conn.close()
    if conn.vendor == "postgresql":
        proxy = _Proxy((saved["HOST"] or "127.0.0.1", int(saved["PORT"] or 5432)))
        conn.settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
        yield proxy.cut, proxy.restore
        conn.close()
        proxy.close()
    else:
        real = saved["NAME"]

        def cut() -> None:
            # the connection is kept between requests (CONN_MAX_AGE), so the outage breaks it, as the proxy
            # breaks PostgreSQL's: the next request has to open the file, and cannot
            conn.settings_dict["NAME"] = str(tmp_path / "gone" / "db.sqlite3")
            conn.close()

        def restore() -> None:
            conn.settings_dict["NAME"] = real

        yield cut, restore
        conn.close()
    conn.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_database_down_answers_503_and_resumes_after_recovery_without_restart(
    client, org_tree, settings, database_outage
):
    """quality.md F1: the database gone → a Chinese 503, never a 500 and no partial ballot; within 30 s of
    its return the votes are counted again, by the same process."""
    cut, restore = database_outage
    settings.WENMING_VOTE_ENGINE = "db"
    engine.forget_rules()
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    url = reverse("public:voting-vote", args=[poll.pk])
    client.raise_request_exception = False  # answer as the server does: through handler500

    def post(n: int):
        client.cookies[identity.COOKIE] = identity.issue(voter(n))
        r = client.post(url, {"c": [cand.pk], "nonce": f"n{n}"})
        close_old_connections()  # what the WSGI server does at the end of every request
        return r

    assert post(1).status_code == 200
    cut()
    for n in (2, 3, 4):
        r = post(n)
        body = r.content.decode()
        assert r.status_code == 503, (r.status_code, body[:300])
        assert "暂不可用" in body or "未计入" in body
    restore()
    deadline = time.monotonic() + 30
    while (r := post(5)).status_code != 200:
        assert r.status_code == 503 and time.monotonic() < deadline
        time.sleep(0.5)
    assert post(6).status_code == 200
    voters = set(Ballot.objects.filter(poll=poll).values_list("voter_key", flat=True))
    assert voters == {voter(n).key for n in (1, 5, 6)}  # nothing of the refused ones was kept
    assert engine.recount(poll.pk).ok


def test_the_vote_store_has_its_own_redis_setting(settings):
    """VOTE_REDIS_URL (appendfsync always in production) chooses the engine and the client; REDIS_URL (the
    cache) is not consulted by the vote path (docs/deploy.md §4.3)."""
    settings.WENMING_VOTE_ENGINE = ""
    settings.VOTE_REDIS_URL = ""
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    assert engine.engine() == "db"
    settings.VOTE_REDIS_URL = "redis://127.0.0.1:16390/3"
    assert engine.engine() == "redis"
    kwargs = engine.redis_client().connection_pool.connection_kwargs
    assert (kwargs["port"], kwargs["db"]) == (16390, 3)


def test_a_submission_key_with_a_nul_byte_is_stored_without_it(client, org_tree, vote_engine):
    """The nonce is the visitor's text; a NUL (which PostgreSQL text cannot hold) must not stop the ledger."""
    poll = running_poll(org_tree.province)
    cand = poll.candidates.first()
    client.cookies[identity.COOKIE] = identity.issue(voter(7))
    r = client.post(reverse("public:voting-vote", args=[poll.pk]), {"c": [cand.pk], "nonce": "ab\x00cd"})
    assert r.status_code == 200
    if vote_engine == "redis":
        assert engine.flush(poll.pk) == 1
    assert list(Ballot.objects.filter(poll=poll).values_list("request_id", flat=True)) == ["abcd"]
