"""The vote path, the flush into the ledger, the seals and the recount.

Two engines, one rule set (quality.md A4, B5):

* ``redis`` (production): one ``EVALSHA`` checks and records the voter's day (cap, one pick per
  candidate, the submission's idempotency key), ``ZINCRBY``s the live leaderboard and ``XADD``s the
  ballot to the poll's stream. No SQL in the request. ``flush`` (one worker per poll) moves the stream
  into the ``Ballot`` ledger in batches (binary ``COPY`` on PostgreSQL, multi-row INSERTs elsewhere),
  where the database enforces the same rules again; a row it refuses is reported as a ``db_reject``
  anomaly (target 0) and taken off the leaderboard.
  Redis down → the vote is refused with 503 (never counted twice, never half-written).
* ``db`` (embedded SQLite profile, or configured): the same checks in one short ``IMMEDIATE``
  transaction; the unique constraints decide races (an ``IntegrityError`` re-reads and retries).

The window is exact: a vote is accepted iff the poll is ``scheduled`` and ``opens_at ≤ now < closes_at``.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core import resp
from wenming.core.crypto import audit_key, hmac_sm3
from wenming.core.errors import ApplicationError
from wenming.core.memo import ProcessMemo

from .choices import AnomalyKind, Channel, PollStatus
from .identity import Voter
from .models import Anomaly, Ballot, BallotChoice, LedgerSeal, OfflineEntry, Poll, QuarantinedBallot, Tally

logger = logging.getLogger("wenming.voting")
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
RULES_TTL = 5.0  # seconds a process keeps a poll's rules (pause takes effect within this; times are exact)
FLUSH_BATCH = 5000
SEAL_SETTLE = timedelta(seconds=30)  # ballots younger than this are sealed next time (in-flight commits)
SEAL_MAX = 20_000
GENESIS = "0" * 64


class VoteRefused(ApplicationError):
    """The vote is not counted; ``code`` says why (closed, cap, candidate, invalid)."""


class VoteUnavailable(ApplicationError):
    """The vote could not be recorded safely right now (Redis or the database down): answer 503."""


# ---- rules, cached per process -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    poll_id: int
    status: str
    opens_at: float
    closes_at: float
    cap: int
    max_choices: int
    candidates: frozenset[int]
    show_live_counts: bool


_rules = ProcessMemo[Rules | None]("voting.rules", ttl=RULES_TTL, max_entries=1000)


def load_rules(poll_id: int) -> Rules | None:
    return _rules.get(poll_id, lambda: _read_rules(poll_id), keep=lambda r: r is not None)


def _read_rules(poll_id: int) -> Rules | None:
    poll = Poll.objects.filter(pk=poll_id).first()
    if poll is None:
        return None
    return Rules(
        poll_id=poll.pk,
        status=poll.status,
        opens_at=poll.opens_at.timestamp(),
        closes_at=poll.closes_at.timestamp(),
        cap=poll.ballots_per_day,
        max_choices=poll.choices_per_ballot,
        candidates=frozenset(poll.candidates.values_list("pk", flat=True)),
        show_live_counts=poll.show_live_counts,
    )


def forget_rules(poll_id: int | None = None) -> None:
    _rules.forget(poll_id)


def engine() -> str:
    configured = getattr(settings, "WENMING_VOTE_ENGINE", "")
    if configured:
        return configured
    return "redis" if getattr(settings, "VOTE_REDIS_URL", "") else "db"


def local_date(at: float) -> date:
    return datetime.fromtimestamp(at, LOCAL_TZ).date()


def seconds_to_local_midnight(at: float) -> int:
    local = datetime.fromtimestamp(at, LOCAL_TZ)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=LOCAL_TZ)
    return int((midnight - local).total_seconds()) + 1


# ---- Redis ---------------------------------------------------------------------------------------------

VOTE_LUA = """
local day = KEYS[1]
local cap = tonumber(ARGV[1])
local n = tonumber(ARGV[4])
local prev = redis.call('HGET', day, 'r:' .. ARGV[3])
if prev then return {0, tonumber(prev)} end
local used = tonumber(redis.call('HGET', day, 'n') or '0')
if used >= cap then return {-1, used} end
for i = 1, n do
  if redis.call('HEXISTS', day, 'c:' .. ARGV[4 + i]) == 1 then return {-2, tonumber(ARGV[4 + i])} end
end
local seq = redis.call('HINCRBY', day, 'n', 1)
for i = 1, n do
  redis.call('HSET', day, 'c:' .. ARGV[4 + i], seq)
  redis.call('ZINCRBY', KEYS[2], 1, ARGV[4 + i])
end
redis.call('HSET', day, 'r:' .. ARGV[3], seq)
redis.call('EXPIRE', day, tonumber(ARGV[2]))
redis.call('XADD', KEYS[3], '*', 'd', ARGV[5 + n] .. '|' .. seq)
return {1, seq}
"""

# Replace the leaderboard by the database's counts, but only when every streamed vote has been flushed
# (XLEN == 0): atomic, so no vote can slip between the check and the replacement. ARGV: member, score, …
RECONCILE_LUA = """
if redis.call('XLEN', KEYS[2]) > 0 then return 0 end
redis.call('DEL', KEYS[1])
for i = 1, #ARGV, 2 do
  if tonumber(ARGV[i + 1]) ~= 0 then redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i]) end
end
return 1
"""

_client_lock = threading.Lock()
_clients: dict[str, Any] = {}
_fast_clients: dict[str, resp.Client | None] = {}


def redis_client() -> Any:
    import redis  # deferred: the embedded profile runs without Redis

    url = settings.VOTE_REDIS_URL
    with _client_lock:
        client = _clients.get(url)
        if client is None:
            client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=0.5, health_check_interval=30)
            _clients[url] = client
    return client


def fast_client() -> resp.Client | None:
    """The minimal RESP client for the vote's one ``EVALSHA`` (core.resp), or None for a URL it does not
    speak (then redis-py carries the vote too)."""
    url = settings.VOTE_REDIS_URL
    with _client_lock:
        if url not in _fast_clients:
            _fast_clients[url] = resp.Client(url) if resp.supports(url) else None
        return _fast_clients[url]


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis  # deferred: the embedded profile runs without Redis

    return (redis.exceptions.RedisError, resp.ReplyError, OSError)


def _prefix() -> str:
    return str(settings.CACHES["default"].get("KEY_PREFIX") or "w")


def day_key(poll_id: int, day: date, voter: str) -> str:
    return f"{_prefix()}:vote:{{p{poll_id}}}:d:{day.isoformat()}:{voter}"


def board_key(poll_id: int) -> str:
    return f"{_prefix()}:vote:{{p{poll_id}}}:lb"


def stream_key(poll_id: int) -> str:
    return f"{_prefix()}:vote:{{p{poll_id}}}:s"


class _Script(resp.Script):
    """A script of the vote store: ``run`` through core.resp (the vote), ``__call__`` through redis-py."""

    def __call__(self, client: Any, keys: list[str], args: list[Any]) -> Any:
        import redis  # deferred: the embedded profile runs without Redis

        if self.sha is None:
            self.sha = client.script_load(self.source)
        try:
            return client.evalsha(self.sha, len(keys), *keys, *args)
        except redis.exceptions.NoScriptError:
            self.sha = client.script_load(self.source)
            return client.evalsha(self.sha, len(keys), *keys, *args)


vote_script = _Script(VOTE_LUA)
reconcile_script = _Script(RECONCILE_LUA)


# ---- casting --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meta:
    """Network data kept with the ballot (the ledger keeps time, voter hash, IP and user agent)."""

    ip: str = ""
    net: str = ""
    ua_hash: str = ""
    fingerprint: str = ""


NO_META = Meta()


@dataclass(frozen=True)
class Outcome:
    seq: int
    duplicate: bool = False  # the same submission (idempotency key) was already recorded


def network_of(ip: str) -> str:
    if ":" in ip:
        return ":".join(ip.split(":")[:3]) + "::/48"
    parts = ip.split(".")
    return ".".join(parts[:3]) + ".0/24" if len(parts) == 4 else ""


def _check(rules: Rules | None, candidate_ids: Iterable[int], now: float) -> list[int]:
    if rules is None:
        raise VoteRefused(_("投票不存在"), code="invalid")
    if rules.status != PollStatus.SCHEDULED or not (rules.opens_at <= now < rules.closes_at):
        if rules.status == PollStatus.SCHEDULED and now < rules.opens_at:
            raise VoteRefused(_("投票尚未开始"), code="closed")
        raise VoteRefused(_("投票已截止或暂停，本次投票未计入"), code="closed")
    chosen = sorted({int(c) for c in candidate_ids})
    if not chosen:
        raise VoteRefused(_("请至少选择一位候选人"), code="invalid", field="candidates")
    if len(chosen) > rules.max_choices:
        raise VoteRefused(
            _("每次最多选择 %(n)s 位候选人") % {"n": rules.max_choices}, code="invalid", field="candidates"
        )
    if not set(chosen) <= rules.candidates:
        raise VoteRefused(_("候选人不在本次投票中"), code="invalid", field="candidates")
    return chosen


def cast(
    *,
    poll_id: int,
    voter: Voter,
    candidate_ids: Iterable[int],
    request_id: str = "",
    meta: Meta | None = None,
    now=None,
    via: str | None = None,
) -> Outcome:
    """Record one ballot of ``voter`` for ``candidate_ids``; ``VoteRefused`` / ``VoteUnavailable`` otherwise.

    ``via`` forces an engine (the demo builder writes straight to the ledger); requests use the configured one.
    """
    at = time.time() if now is None else now
    meta = meta or NO_META
    rules = load_rules(poll_id)
    chosen = _check(rules, candidate_ids, at)
    # The submission key is the visitor's text: PostgreSQL text cannot hold U+0000, and a ballot that
    # cannot be stored would stop its poll's flush for good.
    request_id = (request_id.replace("\x00", "") or uuid.uuid4().hex)[:40]
    if (via or engine()) == "redis":
        return _cast_redis(rules, voter, chosen, request_id, meta, at)
    return _cast_db(rules, voter, chosen, request_id, meta, at)


def _refuse_cap(rules: Rules) -> VoteRefused:
    if rules.cap == 1:
        return VoteRefused(_("您今天已经投过票了，每人每天可投 1 次，请明天再来"), code="cap")
    return VoteRefused(_("您今天的 %(n)s 次投票机会已用完，请明天再来") % {"n": rules.cap}, code="cap")


def _refuse_candidate() -> VoteRefused:
    return VoteRefused(_("您今天已经投过这位候选人，每天每位候选人只能投 1 票"), code="candidate")


def _cast_redis(rules: Rules, voter: Voter, chosen: list[int], rid: str, meta: Meta, at: float) -> Outcome:
    day = local_date(at)
    payload = "|".join(
        [
            voter.key,
            day.isoformat(),
            rid,
            f"{at:.6f}",
            ",".join(map(str, chosen)),
            meta.ip,
            meta.net,
            meta.ua_hash,
            meta.fingerprint,
            "1" if voter.is_new(at) else "0",
            str(max(0, int(at - voter.verified_at))),
            voter.provider,
        ]
    )
    keys = [day_key(rules.poll_id, day, voter.key), board_key(rules.poll_id), stream_key(rules.poll_id)]
    args = [rules.cap, seconds_to_local_midnight(at) + 3600, rid, len(chosen), *chosen, payload]
    try:
        fast = fast_client()
        status, value = vote_script.run(fast, keys, args) if fast else vote_script(redis_client(), keys, args)
    except _redis_errors() as exc:
        logger.warning("投票脚本失败，拒绝本次投票：%s", exc)
        raise VoteUnavailable(_("投票服务繁忙，本次投票未计入，请稍后再试"), code="unavailable") from exc
    if status == 1:
        return Outcome(seq=int(value))
    if status == 0:
        return Outcome(seq=int(value), duplicate=True)
    if status == -1:
        raise _refuse_cap(rules)
    raise _refuse_candidate()


_sqlite_writer = threading.Lock()


def _cast_db(rules: Rules, voter: Voter, chosen: list[int], rid: str, meta: Meta, at: float) -> Outcome:
    """The database engine. On SQLite the threads of one process queue on a lock instead of on the file
    lock: SQLite has one writer anyway, and its busy handler sleeps in steps of up to 100 ms."""
    if connection.vendor == "sqlite":
        with _sqlite_writer:
            return _cast_db_tx(rules, voter, chosen, rid, meta, at)
    return _cast_db_tx(rules, voter, chosen, rid, meta, at)


_INSERT_BALLOT = (
    "INSERT INTO voting_ballot (poll_id, voter_key, vote_date, seq, cast_at, request_id, provider, ip, net, "
    "ua_hash, fingerprint, new_voter, verify_latency_s) "
    "SELECT %s, %s, %s, COUNT(*) + 1, %s, %s, %s, %s, %s, %s, %s, %s, %s FROM voting_ballot "
    "WHERE poll_id = %s AND voter_key = %s AND vote_date = %s HAVING COUNT(*) < %s RETURNING id, seq"
)


def _prior(rid: str) -> int | None:
    return Ballot.objects.filter(request_id=rid).values_list("seq", flat=True).first()


def _cast_db_tx(rules: Rules, voter: Voter, chosen: list[int], rid: str, meta: Meta, at: float) -> Outcome:
    """One short transaction: the next seq is computed and inserted in one statement (none when the day's
    cap is used up); the unique constraints decide between parallel requests of the same voter."""
    day = local_date(at)
    ops = connection.ops
    cast_at = ops.adapt_datetimefield_value(datetime.fromtimestamp(at, LOCAL_TZ))
    day_db = ops.adapt_datefield_value(day)
    for attempt in range(rules.cap + 2):
        try:
            with transaction.atomic(), connection.cursor() as cur:
                if (
                    attempt
                    and BallotChoice.objects.filter(
                        poll_id=rules.poll_id, voter_key=voter.key, vote_date=day, candidate_id__in=chosen
                    ).exists()
                ):
                    prior = _prior(rid)
                    if prior is not None:
                        return Outcome(seq=prior, duplicate=True)
                    raise _refuse_candidate()
                cur.execute(
                    _INSERT_BALLOT,
                    [
                        rules.poll_id,
                        voter.key,
                        day_db,
                        cast_at,
                        rid,
                        voter.provider,
                        meta.ip,
                        meta.net,
                        meta.ua_hash,
                        meta.fingerprint,
                        voter.is_new(at),
                        max(0, int(at - voter.verified_at)),
                        rules.poll_id,
                        voter.key,
                        day_db,
                        rules.cap,
                    ],
                )
                row = cur.fetchone()
                if row is None:
                    prior = _prior(rid)
                    if prior is not None:
                        return Outcome(seq=prior, duplicate=True)
                    raise _refuse_cap(rules)
                ballot_id, seq = row
                cur.execute(
                    "INSERT INTO voting_ballotchoice (ballot_id, poll_id, candidate_id, voter_key, vote_date) VALUES "
                    + ", ".join(["(%s, %s, %s, %s, %s)"] * len(chosen)),
                    [v for c in chosen for v in (ballot_id, rules.poll_id, c, voter.key, day_db)],
                )
                cur.execute(
                    "UPDATE voting_tally SET votes = votes + 1 WHERE poll_id = %s AND channel = %s AND candidate_id IN ("
                    + ", ".join(["%s"] * len(chosen))
                    + ")",
                    [rules.poll_id, Channel.ONLINE.value, *chosen],
                )
                return Outcome(seq=int(seq))
        except IntegrityError:
            # a parallel ballot of the same voter took this seq, a pick repeats one of today's, or this very
            # submission was stored already (its request id): look again
            prior = _prior(rid)
            if prior is not None:
                return Outcome(seq=prior, duplicate=True)
            continue
    raise _refuse_cap(rules)


# ---- flush (redis engine) ---------------------------------------------------------------------------------

GROUP = "flush"
CONSUMER = "flush-1"


def _parse(entry_id: bytes, fields: dict) -> dict[str, Any]:
    raw = fields[b"d"].decode()
    # The request id is the visitor's submission key and the only field that may hold a "|": split the two
    # fields before it from the left and the ten after it from the right.
    voter, day, rest = raw.split("|", 2)
    rid, at, cands, ip, net, ua, fp, new, lat, provider, seq = rest.rsplit("|", 10)
    return {
        "entry": entry_id,
        "voter_key": voter,
        "vote_date": date.fromisoformat(day),
        "request_id": rid,
        "cast_at": datetime.fromtimestamp(float(at), LOCAL_TZ),
        "candidates": [int(c) for c in cands.split(",") if c],
        "ip": ip,
        "net": net,
        "ua_hash": ua,
        "fingerprint": fp,
        "new_voter": new == "1",
        "verify_latency_s": int(lat),
        "provider": provider,
        "seq": int(seq),
    }


def _ensure_group(client: Any, key: str) -> None:
    import redis  # deferred: the embedded profile runs without Redis

    try:
        client.xgroup_create(key, GROUP, id="0", mkstream=True)
    except redis.exceptions.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def flush(poll_id: int, *, batch: int = FLUSH_BATCH, max_batches: int = 1000) -> int:
    """Move the poll's streamed votes into the ledger; returns ballots stored. Safe to re-run (redelivery)."""
    client = redis_client()
    key = stream_key(poll_id)
    _ensure_group(client, key)
    stored = 0
    for _batch_no in range(max_batches):
        # our own unacknowledged entries first (a crash after the read), then new ones
        got = client.xreadgroup(GROUP, CONSUMER, {key: "0"}, count=batch)
        entries = got[0][1] if got else []
        if not entries:
            got = client.xreadgroup(GROUP, CONSUMER, {key: ">"}, count=batch)
            entries = got[0][1] if got else []
        if not entries:
            break
        rows = [_parse(eid, f) for eid, f in entries if f]
        stored += _store(poll_id, rows)
        ids = [eid for eid, _f in entries]
        pipe = client.pipeline(transaction=False)  # one round trip; a crash before it only redelivers
        pipe.xack(key, GROUP, *ids)
        pipe.xdel(key, *ids)
        pipe.execute()
    return stored


def _ballot(poll_id: int, row: dict[str, Any]) -> Ballot:
    return Ballot(
        poll_id=poll_id,
        **{k: row[k] for k in ("voter_key", "vote_date", "seq", "cast_at", "request_id", "provider", "ip", "net")},
        ua_hash=row["ua_hash"],
        fingerprint=row["fingerprint"],
        new_voter=row["new_voter"],
        verify_latency_s=row["verify_latency_s"],
    )


def _choices(poll_id: int, ballot: Ballot, row: dict[str, Any]) -> list[BallotChoice]:
    return [
        BallotChoice(
            ballot=ballot, poll_id=poll_id, candidate_id=c, voter_key=row["voter_key"], vote_date=row["vote_date"]
        )
        for c in row["candidates"]
    ]


_ADD_TALLIES = (
    "UPDATE voting_tally AS t SET votes = t.votes + v.n FROM unnest(%s::bigint[], %s::bigint[]) AS v(candidate_id, n) "
    "WHERE t.poll_id = %s AND t.channel = %s AND t.candidate_id = v.candidate_id"
)


def _add_tallies(poll_id: int, counts: Counter) -> None:
    """Add ``counts`` (candidate → votes) to the poll's online tallies: one UPDATE on PostgreSQL, one per
    candidate elsewhere."""
    if not counts:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(_ADD_TALLIES, [list(counts), list(counts.values()), poll_id, Channel.ONLINE.value])
        return
    for candidate_id, n in counts.items():
        Tally.objects.filter(poll_id=poll_id, candidate_id=candidate_id, channel=Channel.ONLINE).update(
            votes=F("votes") + n
        )


def _stored_request_ids(rids: list[str]) -> set[str]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            # probes of the unique index, never a scan of the ledger (the planner scans for "= ANY(array)")
            cur.execute("SELECT request_id FROM voting_ballot WHERE request_id IN (SELECT unnest(%s::text[]))", [rids])
            return {r for (r,) in cur.fetchall()}
    known: set[str] = set()
    for i in range(0, len(rids), 2000):
        known |= set(Ballot.objects.filter(request_id__in=rids[i : i + 2000]).values_list("request_id", flat=True))
    return known


def _insert_orm(poll_id: int, fresh: list[dict[str, Any]]) -> None:
    """The batch through the ORM (SQLite and any other database): multi-row INSERTs."""
    ballots = Ballot.objects.bulk_create([_ballot(poll_id, r) for r in fresh], batch_size=1000)
    choices = [c for b, r in zip(ballots, fresh, strict=True) for c in _choices(poll_id, b, r)]
    BallotChoice.objects.bulk_create(choices, batch_size=2000)
    _add_tallies(poll_id, Counter(c.candidate_id for c in choices))


_BALLOT_COLUMNS = (
    "id",
    "poll_id",
    "voter_key",
    "vote_date",
    "seq",
    "cast_at",
    "request_id",
    "provider",
    "ip",
    "net",
    "ua_hash",
    "fingerprint",
    "new_voter",
    "verify_latency_s",
)
_CHOICE_COLUMNS = ("ballot_id", "poll_id", "candidate_id", "voter_key", "vote_date")


_column_type_cache: dict[str, dict[tuple[str, str], int]] = {}


def _column_types(cur: Any) -> dict[tuple[str, str], int]:
    """{(table, column): type oid} of the ledger's tables, from the catalogue (once per process and database):
    the binary COPY format carries no type names, each value must be sent as its column's type."""
    db = connection.settings_dict["NAME"]
    types = _column_type_cache.get(db)
    if types is None:
        cur.execute(
            "SELECT attrelid::regclass::text, attname, atttypid::int FROM pg_attribute "
            "WHERE attrelid IN ('voting_ballot'::regclass, 'voting_ballotchoice'::regclass) "
            "AND attnum > 0 AND NOT attisdropped"
        )
        types = _column_type_cache[db] = {(t, c): oid for t, c, oid in cur.fetchall()}
    return types


def _copy(cur: Any, table: str, columns: tuple[str, ...], types: dict[tuple[str, str], int], rows: Iterable) -> None:
    """``COPY table (columns) FROM STDIN`` in the binary format, each value sent as its column's own type."""
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types([types[(table, c)] for c in columns])
        for row in rows:
            copy.write_row(row)


def _insert_copy(poll_id: int, fresh: list[dict[str, Any]]) -> None:
    """The batch on PostgreSQL: the same rows as ``_insert_orm`` in two ``COPY``s and one tally UPDATE.

    The ballots' ids are drawn from their sequence first, in the batch's order (as the multi-row INSERT
    numbers them), so each ballot's choices are written with their ``ballot_id`` in the same stream; the
    choices take their own ids from their column default in the same order as before. Runs inside the
    caller's transaction: a failure anywhere leaves nothing behind, and a constraint the database refuses
    is raised as Django's ``IntegrityError`` (the deferred foreign keys at commit, as before).
    """
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nextval((SELECT pg_get_serial_sequence('voting_ballot', 'id')::regclass)) "
            "FROM generate_series(1, %s)",
            [len(fresh)],
        )
        ids = sorted(i for (i,) in cur.fetchall())
        types = _column_types(cur)
        with connection.wrap_database_errors:
            _copy(
                cur.cursor,  # psycopg's own cursor, for COPY … FROM STDIN
                "voting_ballot",
                _BALLOT_COLUMNS,
                types,
                (
                    (
                        bid,
                        poll_id,
                        r["voter_key"],
                        r["vote_date"],
                        r["seq"],
                        r["cast_at"],
                        r["request_id"],
                        r["provider"],
                        r["ip"],
                        r["net"],
                        r["ua_hash"],
                        r["fingerprint"],
                        r["new_voter"],
                        r["verify_latency_s"],
                    )
                    for bid, r in zip(ids, fresh, strict=True)
                ),
            )
            _copy(
                cur.cursor,
                "voting_ballotchoice",
                _CHOICE_COLUMNS,
                types,
                (
                    (bid, poll_id, c, r["voter_key"], r["vote_date"])
                    for bid, r in zip(ids, fresh, strict=True)
                    for c in r["candidates"]
                ),
            )
    _add_tallies(poll_id, Counter(c for r in fresh for c in r["candidates"]))


def _store(poll_id: int, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    known = _stored_request_ids([r["request_id"] for r in rows])
    fresh = [r for r in rows if r["request_id"] not in known]  # redelivery after a crash: already stored
    if not fresh:
        return 0
    insert = _insert_copy if connection.vendor == "postgresql" else _insert_orm
    try:
        with transaction.atomic():
            insert(poll_id, fresh)
        return len(fresh)
    except IntegrityError:
        pass
    # Something in the batch breaks a rule of the database: store row by row, report the refused ones.
    stored = 0
    rejected: list[dict[str, Any]] = []
    with transaction.atomic():
        for r in fresh:
            try:
                with transaction.atomic():
                    ballot = _ballot(poll_id, r)
                    ballot.save()
                    BallotChoice.objects.bulk_create(_choices(poll_id, ballot, r))
                    _add_tallies(poll_id, Counter(r["candidates"]))
                stored += 1
            except IntegrityError:
                rejected.append(r)
        for r in rejected:
            Anomaly.objects.get_or_create(
                poll_id=poll_id,
                kind=AnomalyKind.DB_REJECT,
                key=r["request_id"][:80],
                window_start=r["cast_at"],
                defaults={"window_end": r["cast_at"], "ballots": 1, "detail": {"candidates": r["candidates"]}},
            )
    if rejected:
        logger.error("数据库拒绝了 %s 张选票（投票 %s），已从排行榜扣除并记为异常", len(rejected), poll_id)
        counts = Counter(c for r in rejected for c in r["candidates"])

        def _compensate() -> None:
            try:
                client = redis_client()
                for c, n in counts.items():
                    client.zincrby(board_key(poll_id), -n, str(c))
            except _redis_errors():
                logger.warning("排行榜扣除失败，下次对账时由数据库修正")

        transaction.on_commit(_compensate)
    return stored


def reconcile_board(poll_id: int) -> bool:
    """Set the live leaderboard to the database's online tally when nothing is waiting in the stream."""
    args: list[Any] = []
    for cid, votes in Tally.objects.filter(poll_id=poll_id, channel=Channel.ONLINE).values_list(
        "candidate_id", "votes"
    ):
        args += [str(cid), votes]
    return bool(reconcile_script(redis_client(), [board_key(poll_id), stream_key(poll_id)], args))


def pending_in_stream(poll_id: int) -> int:
    return int(redis_client().xlen(stream_key(poll_id)))


# ---- counts shown -----------------------------------------------------------------------------------------

OfflineSource = Any  # (poll) -> {candidate id: votes} for a poll whose offline channel lives elsewhere, or None
_offline_sources: list[OfflineSource] = []


def register_offline_source(fn: OfflineSource) -> None:
    """A module that keeps a poll's offline ballots itself (the honours engine's editions) supplies them here."""
    if fn not in _offline_sources:
        _offline_sources.append(fn)


def external_offline(poll_id: int) -> dict[int, int] | None:
    if not _offline_sources:
        return None
    poll = Poll.objects.filter(pk=poll_id).first()
    for fn in _offline_sources:
        found = fn(poll) if poll is not None else None
        if found is not None:
            return found
    return None


def live_counts(poll_id: int) -> dict[int, dict[str, int]]:
    """{candidate_id: {"online": n, "offline": m}} as displayed: the leaderboard (redis) or the tally rows."""
    counts: dict[int, dict[str, int]] = {}
    for cid, channel, votes in Tally.objects.filter(poll_id=poll_id).values_list("candidate_id", "channel", "votes"):
        counts.setdefault(cid, {"online": 0, "offline": 0})[channel] = votes
    elsewhere = external_offline(poll_id)
    if elsewhere is not None:
        for cid in counts:
            counts[cid]["offline"] = elsewhere.get(cid, 0)
    if engine() == "redis":
        try:
            board = redis_client().zrange(board_key(poll_id), 0, -1, withscores=True)
        except _redis_errors():
            board = None  # the database's tally (may lag the stream by one flush)
        if board is not None:
            for cid in counts:
                counts[cid]["online"] = 0
            for member, score in board:
                counts.setdefault(int(member), {"online": 0, "offline": 0})["online"] = int(score)
    return counts


def board_counts(poll_id: int) -> dict[int, int]:
    """Online counts only, from the leaderboard alone (the fast read of V5); the tally rows without Redis."""
    if engine() == "redis":
        board = redis_client().zrange(board_key(poll_id), 0, -1, withscores=True)
        return {int(m): int(s) for m, s in board}
    return dict(Tally.objects.filter(poll_id=poll_id, channel=Channel.ONLINE).values_list("candidate_id", "votes"))


# ---- seals ------------------------------------------------------------------------------------------------


def _canonical(ballots: list[dict[str, Any]], choices: dict[int, list[int]]) -> bytes:
    lines = []
    for b in ballots:
        cast_us = int(b["cast_at"].timestamp() * 1_000_000)
        cands = ",".join(map(str, sorted(choices.get(b["id"], []))))
        lines.append(
            f"{b['id']}|{b['poll_id']}|{b['voter_key']}|{b['vote_date'].isoformat()}|{b['seq']}|{cast_us}|"
            f"{b['request_id']}|{b['ip']}|{cands}"
        )
    return "\n".join(lines).encode()


_SEAL_FIELDS = ("id", "poll_id", "voter_key", "vote_date", "seq", "cast_at", "request_id", "ip")


def _batch(poll_id: int, after_id: int, last_id: int) -> tuple[list[dict[str, Any]], dict[int, list[int]]]:
    ballots = list(
        Ballot.objects.filter(poll_id=poll_id, id__gt=after_id, id__lte=last_id).order_by("id").values(*_SEAL_FIELDS)
    )
    choices: dict[int, list[int]] = {}
    for bid, cid in BallotChoice.objects.filter(
        poll_id=poll_id, ballot_id__gt=after_id, ballot_id__lte=last_id
    ).values_list("ballot_id", "candidate_id"):
        choices.setdefault(bid, []).append(cid)
    return ballots, choices


def seal_hash(prev_hash: str, ballots: list[dict[str, Any]], choices: dict[int, list[int]]) -> str:
    return hmac_sm3(audit_key(), prev_hash.encode() + b"\n" + _canonical(ballots, choices))


def seal(poll_id: int, *, settle: timedelta = SEAL_SETTLE, now=None) -> int:
    """Chain the ballots that settled since the last seal into new seals; returns ballots sealed."""
    now = now or timezone.now()
    sealed = 0
    while True:
        with transaction.atomic():
            last = LedgerSeal.objects.filter(poll_id=poll_id).order_by("-number").first()
            after_id = last.last_id if last else 0
            upto = (
                Ballot.objects.filter(poll_id=poll_id, id__gt=after_id, cast_at__lte=now - settle)
                .order_by("id")
                .values_list("id", flat=True)[SEAL_MAX - 1 : SEAL_MAX]
            )
            last_id = upto[0] if upto else None
            if last_id is None:
                last_id = Ballot.objects.filter(poll_id=poll_id, id__gt=after_id, cast_at__lte=now - settle).aggregate(
                    m=Max("id")
                )["m"]
            if last_id is None:
                return sealed
            ballots, choices = _batch(poll_id, after_id, last_id)
            prev = last.hash if last else GENESIS
            LedgerSeal.objects.create(
                poll_id=poll_id,
                number=(last.number + 1) if last else 1,
                after_id=after_id,
                last_id=last_id,
                ballots=len(ballots),
                prev_hash=prev,
                hash=seal_hash(prev, ballots, choices),
            )
            sealed += len(ballots)


def verify_ledger(poll_id: int) -> list[str]:
    """Problems of the poll's seal chain (empty when intact)."""
    problems: list[str] = []
    prev = GENESIS
    after = 0
    for s in LedgerSeal.objects.filter(poll_id=poll_id).order_by("number"):
        if s.prev_hash != prev or s.after_id != after:
            problems.append(f"封存批次 {s.number} 与上一批次不相接")
        ballots, choices = _batch(poll_id, s.after_id, s.last_id)
        if len(ballots) != s.ballots or seal_hash(s.prev_hash, ballots, choices) != s.hash:
            problems.append(f"封存批次 {s.number} 的选票与封存时不一致")
        prev, after = s.hash, s.last_id
    return problems


# ---- recount ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recount:
    poll_id: int
    counted: dict[int, int]  # online, from the ledger minus quarantined ballots
    offline: dict[int, int]
    mismatches: list[str]
    ballots: int
    quarantined: int

    @property
    def ok(self) -> bool:
        return not self.mismatches


def recount(poll_id: int) -> Recount:
    """Rebuild every tally from the ledger and compare it with what is displayed (rows and leaderboard)."""
    quarantined_ids = QuarantinedBallot.objects.filter(poll_id=poll_id).values("ballot_id")
    counted = dict(
        BallotChoice.objects.filter(poll_id=poll_id)
        .exclude(ballot_id__in=quarantined_ids)
        .values("candidate_id")
        .annotate(n=Count("id"))
        .values_list("candidate_id", "n")
    )
    elsewhere = external_offline(poll_id)
    offline = (
        {c: n for c, n in elsewhere.items() if n}
        if elsewhere is not None
        else dict(
            OfflineEntry.objects.filter(poll_id=poll_id)
            .values("candidate_id")
            .annotate(n=Sum("votes"))
            .values_list("candidate_id", "n")
        )
    )
    mismatches: list[str] = []
    rows = {
        (c, ch): v for c, ch, v in Tally.objects.filter(poll_id=poll_id).values_list("candidate_id", "channel", "votes")
    }
    if elsewhere is not None:  # the offline channel is displayed from its own module: that is the shown count
        rows.update({(c, Channel.OFFLINE.value): n for c, n in elsewhere.items()})
    for cid in {c for c, _ch in rows} | set(counted) | set(offline):
        for channel, expected in ((Channel.ONLINE, counted.get(cid, 0)), (Channel.OFFLINE, offline.get(cid, 0))):
            shown = rows.get((cid, channel.value), 0)
            if shown != expected:
                mismatches.append(f"候选人 {cid} {channel.label}：显示 {shown}，台账重算 {expected}")
    if engine() == "redis":
        try:
            waiting = pending_in_stream(poll_id)
            board = board_counts(poll_id)
        except _redis_errors():
            waiting, board = 0, None
        if board is not None and waiting == 0:
            for cid in set(board) | set(counted):
                if board.get(cid, 0) != counted.get(cid, 0):
                    mismatches.append(
                        f"候选人 {cid} 实时排行：显示 {board.get(cid, 0)}，台账重算 {counted.get(cid, 0)}"
                    )
        elif waiting:
            mismatches.append(f"尚有 {waiting} 张选票未写入台账（请先运行写入任务）")
    return Recount(
        poll_id=poll_id,
        counted=counted,
        offline=offline,
        mismatches=mismatches,
        ballots=Ballot.objects.filter(poll_id=poll_id).count(),
        quarantined=QuarantinedBallot.objects.filter(poll_id=poll_id).count(),
    )


def db_is_postgres() -> bool:
    return connection.vendor == "postgresql"
