"""The vote path (quality.md A3: V1–V5, S2, X1 on the vote endpoint, B0's EVALSHA of the vote script).

Set-up (a child ``python -m bench.cases_voting setup`` against the run's scratch database): polls of
1,000 candidates each, and a file of signed voter cookies (the production ``SECRET_KEY`` of the run).
Every load run takes a fresh poll, so the same voters vote again without hitting their daily cap: each
request is a first vote of its voter (a 200), never a refusal. The load generator is wrk with its own
script (written to the run's temp directory): each request carries the next voter's cookie, the CSRF
pair and a fresh submission key.

* **V1** vote ``POST`` at concurrency 64 (votes spread over 1,000 candidates): ≥ 0.6 × B2, ≥ 400/s.
* **V2** the same with every vote on one candidate: ratio to V1 ≥ 0.9 (no hot row in the request).
* **V3** 500 concurrent votes of one voter on a poll with a cap of 3: accepted == 3, 0 errors.
* **V4** a burst while one worker is killed; then the flush: ballots in PostgreSQL ≥ votes answered
  200 (0 lost), == the leaderboard, flush time ≤ 5 s and flush rate ≥ 10 × V1.
* **V5** the leaderboard JSON: ≥ 0.8 × B2, p95 ≤ 50 ms, freshness (vote → visible) ≤ 5 s.
* **S2** the embedded profile (SQLite, database engine) at 50 clients: 0 "database is locked",
  write p99 ≤ 1 s, ≥ 0.5 × V1.
* **X1-vote** V1 with 1 worker on 1 core against 2 workers on 2 cores: ≥ 1.7 ×.
* **B0-vote** ``redis-benchmark`` of ``EVALSHA`` of the vote script on one hot leaderboard key.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.registry import BenchCase, HttpLoad, Target, register

CANDIDATES = 1000
CSRF = "benchvotecsrfsecret0123456789abc"  # 32 characters: an unmasked CSRF secret Django accepts
PER_THREAD_RATE = 3000  # requests per second and wrk thread the token file is sized for
WRK_THREADS = 2

WRK_SCRIPT = r"""
local tokens, cands = {}, {}
local idx, step, cap, count = 0, 1, 0, 0
local csrf = ""
redirects = 0
local threads = {}
local counter = 1
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  cap = tonumber(args[1])
  for line in io.lines(args[2]) do tokens[#tokens + 1] = line end
  for line in io.lines(args[3]) do cands[#cands + 1] = line end
  step = tonumber(args[5])
  idx = tonumber(args[4]) + tid - 1
  csrf = args[6]
end
function request()
  idx = idx + step
  local t = tokens[(idx % #tokens) + 1]
  local c = cands[(idx % #cands) + 1]
  local body = "csrfmiddlewaretoken=" .. csrf .. "&nonce=b" .. idx .. "&c=" .. c
  local headers = {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Cookie"] = "csrftoken=" .. csrf .. "; wm_voter=" .. t
  return wrk.format("POST", wrk.path, headers, body)
end
function response(status, headers, body)
  count = count + 1
  if status >= 300 and status < 400 then redirects = redirects + 1 end
  if cap > 0 and count >= cap then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local e = summary.errors
  local r = 0
  for _, thread in ipairs(threads) do r = r + (thread:get("redirects") or 0) end
  io.write(string.format(
    '\nBENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "redirects": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, r, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""


# ---- the child side: runs inside Django ------------------------------------------------------------------


def _child_setup(polls: int, candidates: int, tokens: int, out: Path) -> dict[str, Any]:
    import django

    django.setup()
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    # deferred: runs in a bench child process after django.setup()
    from wenming.organizations.choices import OrgKind
    from wenming.organizations.models import Organization
    from wenming.organizations.services import org_create
    from wenming.voting import identity
    from wenming.voting.choices import PollStatus
    from wenming.voting.models import Candidate, Poll, Tally

    root = Organization.objects.filter(parent=None).first() or org_create(
        parent=None, kind=OrgKind.PROVINCIAL_BUREAU, name="辽宁省邮政管理局", code="210000", audit=False
    )
    now = timezone.now()
    made: list[dict[str, Any]] = []
    for n in range(polls):
        cap = 3 if n == polls - 1 else 1  # the last one is V3's
        with transaction.atomic():
            poll = Poll.objects.create(
                organization=root,
                title=f"基准测试投票 {n + 1}",
                opens_at=now - timedelta(hours=1),
                closes_at=now + timedelta(days=2),
                ballots_per_day=cap,
                status=PollStatus.SCHEDULED,
            )
            cands = Candidate.objects.bulk_create(
                [Candidate(poll=poll, number=i + 1, name=f"候选人{i + 1}", consent=True) for i in range(candidates)]
            )
            Tally.objects.bulk_create(
                [Tally(poll=poll, candidate=c, channel=ch) for c in cands for ch in ("online", "offline")]
            )
        ids = [c.pk for c in cands]
        (out / f"cands-{poll.pk}.txt").write_text("\n".join(map(str, ids)) + "\n")
        (out / f"hot-{poll.pk}.txt").write_text(f"{ids[0]}\n")
        made.append({"id": poll.pk, "cap": cap, "first": ids[0]})
    stamp = int(time.time())
    with (out / "tokens.txt").open("w") as f:
        for i in range(tokens):
            voter = identity.Voter(provider="sms", key=f"{i:064x}", verified_at=stamp, first_seen_at=stamp - 86400 * 30)
            f.write(identity.issue(voter) + "\n")
    return {"polls": made, "tokens": tokens}


def _child_flush(poll_ids: list[int]) -> dict[str, Any]:
    import django

    django.setup()
    # deferred: runs in a bench child process after django.setup()
    from wenming.voting import engine
    from wenming.voting.models import Ballot

    began = time.perf_counter()
    stored = sum(engine.flush(p) for p in poll_ids)
    seconds = time.perf_counter() - began
    board = sum(sum(engine.board_counts(p).values()) for p in poll_ids)
    recount_ok = all(engine.recount(p).ok for p in poll_ids)
    return {
        "stored": stored,
        "flush_s": round(seconds, 3),
        "flush_rows_per_s": round(stored / seconds) if seconds else 0,
        "ballots": Ballot.objects.filter(poll_id__in=poll_ids).count(),
        "board": board,
        "recount_ok": int(recount_ok),
    }


# ---- the harness side ------------------------------------------------------------------------------------


class _State:
    def __init__(self) -> None:
        self.polls: list[dict[str, Any]] = []
        self.next = 0
        self.offset = 0
        self.tokens = 0
        self.dir: Path | None = None
        self.script: Path | None = None
        self.key = "pg"
        self.unflushed: list[int] = []  # polls voted in and not flushed yet (the Redis engine's streams)


_STATE: dict[str, _State] = {}


def _child(ctx: Any, args: list[str], *, env: dict | None = None, timeout: float = 600) -> dict[str, Any]:
    from bench.harness import PY, BenchError, run_bounded

    r = run_bounded([PY, "-m", "bench.cases_voting", *args], timeout=timeout, env=env or ctx.django_env())
    line = next((ln for ln in r["out"].splitlines() if ln.startswith("VOTE_JSON ")), None)
    if r["timed_out"] or line is None:
        raise BenchError(f"bench.cases_voting {args[0]} failed: {(r['err'] or r['out'])[-800:]}")
    return json.loads(line.removeprefix("VOTE_JSON "))


def _state(ctx: Any, key: str = "pg", env: dict | None = None) -> _State:
    st = _STATE.get(key)
    if st is not None and st.dir is not None and st.dir.exists():
        return st
    st = _State()
    st.key = key
    st.dir = ctx.tmp / f"voting-{key}"
    st.dir.mkdir(parents=True, exist_ok=True)
    st.script = st.dir / "vote.lua"
    st.script.write_text(WRK_SCRIPT)
    per_run = int(PER_THREAD_RATE * max(1.0, ctx.duration) * WRK_THREADS)
    st.tokens = min(per_run, 60_000)
    polls = (10 if ctx.smoke else 26) if key == "pg" else 2 + ctx.reps
    if env is None:
        ctx.manage("collectstatic", "--noinput", "-v0")  # the production server renders hashed static URLs
    made = _child(
        ctx,
        [
            "setup",
            "--polls",
            str(polls),
            "--candidates",
            str(CANDIDATES),
            "--tokens",
            str(st.tokens),
            "--out",
            str(st.dir),
        ],
        env=env,
    )
    st.polls = made["polls"]
    _STATE[key] = st
    return st


def _take_poll(st: _State) -> dict[str, Any]:
    from bench.harness import BenchError

    usable = [p for p in st.polls[:-1]]  # the last poll (cap 3) is V3's
    if st.next >= len(usable):
        raise BenchError("基准测试投票已用完（加大 setup 的 --polls）")
    poll = usable[st.next]
    st.next += 1
    st.unflushed.append(poll["id"])
    return poll


def _flush_backlog(ctx: Any, st: _State, keep: int | None = None) -> None:
    """Flush the earlier runs' polls before the next load, as production's flush job (every 1–5 s) keeps
    the vote store's streams short. Without it every run after the first met the growing backlog of all
    before it, and the AOF rewrites its size sets off (V2 after V1 measured 0.82 × V1 that way, 0.96 alone)."""
    if st.key != "pg":  # the embedded profile's database engine keeps no stream
        return
    polls = [p for p in st.unflushed if p != keep]
    if polls:
        _child(ctx, ["flush", *[x for p in polls for x in ("--poll", str(p))]])
    st.unflushed = [p for p in st.unflushed if p == keep]


def vote_wrk(
    ctx: Any,
    server: Any,
    st: _State,
    poll: dict[str, Any],
    *,
    hot: bool = False,
    duration: float,
    concurrency: int = 64,
    client_cpus: str | None = None,
) -> dict[str, Any]:
    from bench.harness import BenchError, cpu_children, run_bounded, tree_cpu_seconds, tree_peak_rss_mb, wrk_errors

    _flush_backlog(ctx, st, keep=poll["id"])
    cands = st.dir / (f"hot-{poll['id']}.txt" if hot else f"cands-{poll['id']}.txt")
    cap = int(PER_THREAD_RATE * max(1.0, duration))
    cmd = ["wrk", f"-t{WRK_THREADS}", f"-c{concurrency}", f"-d{max(1, round(duration))}s", "--timeout", "10s"]
    cmd += ["-s", str(st.script), f"{server.base}/p/voting/{poll['id']}/vote/", "--"]
    cmd += [str(cap), str(st.dir / "tokens.txt"), str(cands), str(st.offset), str(WRK_THREADS), CSRF]
    st.offset += cap * WRK_THREADS + 10
    if client_cpus:
        cmd = ["taskset", "-c", client_cpus, *cmd]
    cpu0_server, cpu0_client = tree_cpu_seconds(server.proc.pid), cpu_children()
    r = run_bounded(cmd, timeout=duration + 20)
    cpu_client = cpu_children() - cpu0_client
    cpu_server = tree_cpu_seconds(server.proc.pid) - cpu0_server
    line = next((ln for ln in r["out"].splitlines() if ln.startswith("BENCH_JSON ")), None)
    if r["timed_out"] or line is None:
        raise BenchError(f"wrk failed (rc={r['rc']}): {r['err'][-500:]} {r['out'][-500:]}")
    s = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = s["duration_us"] / 1e6
    errors, non_2xx = wrk_errors(s)
    rss_sum, rss_max = tree_peak_rss_mb(server.proc.pid)
    return {
        "rps": round(s["requests"] / seconds, 1),
        "requests": s["requests"],
        "accepted": s["requests"] - non_2xx,
        "p50_ms": round(s["p50_us"] / 1000, 2),
        "p95_ms": round(s["p95_us"] / 1000, 2),
        "p99_ms": round(s["p99_us"] / 1000, 2),
        "errors": errors,
        "non_2xx": non_2xx,
        "server_cpu_pct": round(100 * cpu_server / seconds, 1),
        "req_per_cpu_s": round(s["requests"] / cpu_server, 1) if cpu_server else 0.0,
        "client_cpu_pct": round(100 * cpu_client / seconds, 1),
        "peak_rss_mb": rss_sum,
        "peak_rss_worker_mb": rss_max,
    }


def _vote_runs(
    ctx: Any, *, hot: bool, load: HttpLoad | None = None, st: _State | None = None
) -> tuple[dict[str, Any], list[dict]]:
    from bench.harness import median_metrics

    st = st or _state(ctx)
    load = load or HttpLoad(path="/p/voting/", method="POST")
    server = ctx.server(load)
    vote_wrk(ctx, server, st, _take_poll(st), hot=hot, duration=1)  # warm-up
    runs = [vote_wrk(ctx, server, st, _take_poll(st), hot=hot, duration=ctx.duration) for _ in range(ctx.reps)]
    metrics = median_metrics(runs)
    metrics["server"] = f"{server.kind} ×{server.workers}"
    return metrics, runs


_V1: dict[str, Any] = {}


def run_v1(ctx: Any) -> dict[str, Any]:
    metrics, _runs = _vote_runs(ctx, hot=False)
    _V1.update(metrics)
    return metrics


def run_v2(ctx: Any) -> dict[str, Any]:
    metrics, _runs = _vote_runs(ctx, hot=True)
    base = _V1.get("rps") or (ctx.results.get("V1") or {}).get("metrics", {}).get("rps")
    metrics["hot_over_spread"] = round(metrics["rps"] / base, 2) if base else None
    return metrics


def _post(url: str, body: bytes, cookie: str) -> int:
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return -1


def run_v3(ctx: Any) -> dict[str, Any]:
    st = _state(ctx)
    server = ctx.server(HttpLoad(path="/p/voting/", method="POST"))
    poll = st.polls[-1]
    ids = (st.dir / f"cands-{poll['id']}.txt").read_text().split()
    token = (st.dir / "tokens.txt").read_text().split("\n", 1)[0]
    cookie = f"csrftoken={CSRF}; wm_voter={token}"
    n = 200 if ctx.smoke else 500
    statuses: list[int] = [0] * n
    barrier = threading.Barrier(n)
    url = f"{server.base}/p/voting/{poll['id']}/vote/"

    def one(i: int) -> None:
        body = f"csrfmiddlewaretoken={CSRF}&nonce=v3-{i}&c={ids[i % len(ids)]}".encode()
        barrier.wait(timeout=60)
        statuses[i] = _post(url, body, cookie)

    pool = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    accepted = statuses.count(200)
    refused = statuses.count(409)
    return {
        "attempts": n,
        "cap": poll["cap"],
        "accepted": accepted,
        "refused_409": refused,
        "errors": n - accepted - refused,
        "v3_poll": poll["id"],
    }


def run_v4(ctx: Any) -> dict[str, Any]:
    from bench.harness import _proc_tree

    st = _state(ctx)
    server = ctx.server(HttpLoad(path="/p/voting/", method="POST"))
    poll = _take_poll(st)
    duration = max(2.0, ctx.duration)
    killed: list[int] = []

    def kill_one() -> None:
        time.sleep(duration / 2)
        workers = [p for p in _proc_tree(server.proc.pid) if p != server.proc.pid]
        if workers:
            try:
                os.kill(workers[-1], signal.SIGKILL)
                killed.append(workers[-1])
            except ProcessLookupError:
                pass

    killer = threading.Thread(target=kill_one)
    killer.start()
    burst = vote_wrk(ctx, server, st, poll, duration=duration)
    killer.join()
    flushed = _child(ctx, ["flush", "--poll", str(poll["id"])])
    st.unflushed = [p for p in st.unflushed if p != poll["id"]]
    v1 = _V1.get("rps") or burst["rps"]
    return {
        "burst_requests": burst["requests"],
        "accepted_2xx": burst["accepted"],
        "burst_errors": burst["errors"] + burst["non_2xx"],
        "workers_killed": len(killed),
        "ballots": flushed["ballots"],
        "board": flushed["board"],
        "lost": max(0, burst["accepted"] - flushed["ballots"]),
        "board_matches": int(flushed["board"] == flushed["ballots"]),
        "recount_ok": flushed["recount_ok"],
        "flush_s": flushed["flush_s"],
        "flush_rows_per_s": flushed["flush_rows_per_s"],
        "flush_over_v1": round(flushed["flush_rows_per_s"] / v1, 1) if v1 else None,
    }


def run_v5(ctx: Any) -> dict[str, Any]:
    st = _state(ctx)
    server = ctx.server(HttpLoad(path="/p/voting/", method="POST"))
    poll = st.polls[0]  # V1's warm-up poll: it has votes
    url = f"{server.base}/p/voting/{poll['id']}/vote/"
    board_url = f"{server.base}/p/voting/{poll['id']}/board.json"
    with urllib.request.urlopen(board_url, timeout=10) as resp:
        before = json.loads(resp.read())["online"].get(str(poll["first"]), 0)
    token = (st.dir / "tokens.txt").read_text().splitlines()[-1]
    began = time.perf_counter()
    status = _post(
        url,
        f"csrfmiddlewaretoken={CSRF}&nonce=v5-fresh&c={poll['first']}".encode(),
        f"csrftoken={CSRF}; wm_voter={token}",
    )
    fresh = None
    while time.perf_counter() - began < 10:
        with urllib.request.urlopen(board_url, timeout=10) as resp:
            if json.loads(resp.read())["online"].get(str(poll["first"]), 0) > before:
                fresh = round(time.perf_counter() - began, 3)
                break
        time.sleep(0.05)
    metrics = ctx.http(HttpLoad(path=f"/p/voting/{poll['id']}/board.json"))
    metrics["freshness_s"] = fresh if fresh is not None else 99.0
    metrics["fresh_vote_status"] = status
    return metrics


def run_x1_vote(ctx: Any) -> dict[str, Any]:
    from bench.cases import x1_summary
    from bench.harness import cores
    from bench.registry import Skip

    if cores() < 2:
        raise Skip("本机不足 2 核")
    st = _state(ctx)
    one = HttpLoad(path="/p/voting/", method="POST", workers=1, cpus="0")
    two = HttpLoad(path="/p/voting/", method="POST", workers=2, cpus="0,1")
    ones, twos = [], []
    for _ in range(ctx.reps):
        for load, runs, client in ((one, ones, "1"), (two, twos, None)):
            server = ctx.server(load)
            vote_wrk(ctx, server, st, _take_poll(st), duration=1, client_cpus=client)
            runs.append(vote_wrk(ctx, server, st, _take_poll(st), duration=ctx.duration, client_cpus=client))
    ctx.stop_servers()
    return x1_summary(ones, twos, cores())


def run_b0_vote(ctx: Any) -> dict[str, Any]:
    from bench.harness import BenchError, run_bounded

    # deferred: the harness process has no Django; the script text is read from the engine module's source
    src = (Path(__file__).resolve().parent.parent / "wenming" / "voting" / "engine.py").read_text()
    lua = src.split('VOTE_LUA = """', 1)[1].split('"""', 1)[0]
    cli = ctx.redis.cli()
    sha = run_bounded([*cli, "SCRIPT", "LOAD", lua], timeout=10)["out"].strip()
    if len(sha) != 40:
        raise BenchError(f"SCRIPT LOAD failed: {sha[:200]}")
    n = 20_000 if ctx.smoke else 200_000
    cmd = [*ctx.redis.benchmark(), "-n", str(n)]
    cmd += [
        "-c",
        "50",
        "-r",
        "100000000",
        "--csv",
        "EVALSHA",
        sha,
        "3",
        "bv:{p}:d:__rand_int__",
        "bv:{p}:lb",
        "bv:{p}:s",
    ]
    cmd += ["1", "90000", "r__rand_int__", "1", "7", "v|2026-01-01|r|0|7|||||0|0|sms"]
    r = run_bounded(cmd, timeout=120)
    rows = [ln for ln in r["out"].splitlines() if ln.startswith('"EVALSHA')]
    run_bounded(
        [*cli, "EVAL", "for _,k in ipairs(redis.call('KEYS','bv:*')) do redis.call('DEL',k) end", "0"], timeout=60
    )
    if r["rc"] != 0 or not rows:
        raise BenchError(f"redis-benchmark EVALSHA failed: {(r['err'] or r['out'])[-300:]}")
    cells = [float(c.strip('"')) for c in rows[-1].split(",")[1:]]
    aof = run_bounded([*cli, "CONFIG", "GET", "appendfsync"], timeout=10)["out"].split()
    aof_on = run_bounded([*cli, "CONFIG", "GET", "appendonly"], timeout=10)["out"].split()
    return {
        "rps": cells[0],
        "p50_ms": cells[3],
        "p99_ms": cells[5],
        "requests": n,
        "appendonly": aof_on[-1] if aof_on else "?",
        "appendfsync": aof[-1] if aof else "?",
    }


def _sqlite_env(ctx: Any, folder: Path) -> dict[str, str]:
    env = dict(ctx.env)
    for k in ("DATABASE_URL", "REDIS_URL", "VOTE_REDIS_URL"):
        env.pop(k, None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DEBUG="0",
        SQLITE_PATH=str(folder / "s2.sqlite3"),
        WENMING_VAR_DIR=str(folder / "var"),
        WENMING_DEMO="0",
    )
    (folder / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)
    return env


def run_s2(ctx: Any) -> dict[str, Any]:
    from bench.harness import BIN, PY, BenchError, Server, free_port, granian_args, production_workers, run_bounded

    folder = ctx.tmp / "voting-s2"
    folder.mkdir(parents=True, exist_ok=True)
    env = _sqlite_env(ctx, folder)
    for step in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        r = run_bounded([PY, "manage.py", *step], timeout=600, env=env)
        if r["rc"] != 0:
            raise BenchError(f"SQLite {step[0]} failed: {(r['err'] or r['out'])[-600:]}")
    st = _state(ctx, "sqlite", env=env)
    port = free_port()
    log = folder / "server.log"
    workers = production_workers()
    proc = subprocess.Popen(
        [str(BIN / "granian"), *granian_args(workers, port), "config.wsgi:application"],
        cwd=str(Path(__file__).resolve().parent.parent),
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server("granian", workers, None, port, proc, log)
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{server.base}/healthz/", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise BenchError(f"SQLite server did not start: {log.read_text()[-600:]}")
        vote_wrk(ctx, server, st, _take_poll(st), duration=1, concurrency=50)
        runs = [
            vote_wrk(ctx, server, st, _take_poll(st), duration=ctx.duration, concurrency=50) for _ in range(ctx.reps)
        ]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    locked = log.read_text(errors="replace").count("database is locked")
    metrics = {
        k: statistics.median(r[k] for r in runs) for k in ("rps", "p50_ms", "p95_ms", "p99_ms", "errors", "non_2xx")
    }
    metrics.update(locked_errors=locked, server=f"granian ×{workers} (SQLite)", clients=50)
    v1 = _V1.get("rps")
    metrics["over_pg"] = round(metrics["rps"] / v1, 2) if v1 else None
    return metrics


register(
    BenchCase(
        id="B0-vote",
        title="Redis：投票脚本 EVALSHA（热点排行榜键，-c 50）",
        module="voting",
        order=11,
        baseline=True,
        run=run_b0_vote,
        notes="与 B0 同一 Redis（本次运行自启，appendfsync always）；appendonly/appendfsync 列出实测配置。",
    )
)
register(
    BenchCase(
        id="V1",
        title="投票 POST：验证投票人、规则、一次 Redis Lua（票分散于 1,000 名候选人）",
        module="voting",
        order=200,
        run=run_v1,
        targets=(
            Target("errors", "==", 0, label="0 个连接/超时错误", timing=False),
            Target("non_2xx", "==", 0, label="0 个非 2xx 响应", timing=False),
            Target("rps", ">=", 0.6, baseline="B2", label="≥ 0.6 × B2"),
            Target("rps", ">=", 400, label="≥ 400 票/秒"),
        ),
    )
)
register(
    BenchCase(
        id="V2",
        title="V1，全部投给同一名候选人（对 V1 的分散投票）",
        module="voting",
        order=201,
        run=run_v2,
        targets=(
            Target("non_2xx", "==", 0, label="0 个非 2xx 响应", timing=False),
            Target("hot_over_spread", ">=", 0.9, label="热点/分散 ≥ 0.9"),
        ),
    )
)
register(
    BenchCase(
        id="V3",
        title="同一投票人并发投票（每日上限 3）",
        module="voting",
        order=202,
        run=run_v3,
        reps=1,
        targets=(
            Target("accepted", "==", 3, label="接受 == 3", timing=False),
            Target("errors", "==", 0, label="0 错误（其余为 409 已投）", timing=False),
        ),
        notes="跨午夜的情形由测试覆盖（上海时区日界）。",
    )
)
register(
    BenchCase(
        id="V4",
        title="突发投票中杀掉一个工作进程，随后写入台账",
        module="voting",
        order=203,
        run=run_v4,
        reps=1,
        targets=(
            Target("lost", "==", 0, label="0 张已应答选票丢失", timing=False),
            Target("board_matches", "==", 1, label="台账 == 排行榜", timing=False),
            Target("recount_ok", "==", 1, label="重算一致", timing=False),
            Target("flush_s", "<=", 5, label="写入 ≤ 5 秒"),
            Target("flush_over_v1", ">=", 10, label="写入速度 ≥ 10 × V1"),
        ),
    )
)
register(
    BenchCase(
        id="V5",
        title="排行榜读取（JSON，Redis 有序集合）",
        module="voting",
        order=204,
        run=run_v5,
        targets=(
            Target("errors", "==", 0, label="0 错误", timing=False),
            Target("rps", ">=", 0.8, baseline="B2", label="≥ 0.8 × B2"),
            Target("p95_ms", "<=", 50, label="p95 ≤ 50 ms"),
            Target("freshness_s", "<=", 5, label="新鲜度 ≤ 5 秒"),
        ),
    )
)
register(
    BenchCase(
        id="S2",
        title="SQLite 嵌入式部署：投票 POST，50 个客户端（数据库引擎）",
        module="voting",
        order=205,
        run=run_s2,
        targets=(
            Target("locked_errors", "==", 0, label="0 个“database is locked”", timing=False),
            Target("non_2xx", "==", 0, label="0 个非 2xx 响应", timing=False),
            Target("p99_ms", "<=", 1000, label="写入 p99 ≤ 1 秒"),
            Target("over_pg", ">=", 0.5, label="≥ 0.5 × V1（PostgreSQL + Redis）"),
        ),
        notes="S1（问卷提交）路径由问卷模块登记。",
    )
)
register(
    BenchCase(
        id="X1-vote",
        title="横向扩展（投票 POST）：1 进程/1 核 对 2 进程/2 核",
        module="voting",
        order=206,
        run=run_x1_vote,
        targets=(
            Target("errors", "==", 0, label="0 错误", timing=False),
            Target("scale", ">=", 1.7, label="≥ 1.7 ×"),
        ),
    )
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--polls", type=int, default=12)
    s.add_argument("--candidates", type=int, default=CANDIDATES)
    s.add_argument("--tokens", type=int, default=10_000)
    s.add_argument("--out", type=Path, required=True)
    f = sub.add_parser("flush")
    f.add_argument("--poll", type=int, action="append", required=True)
    opts = parser.parse_args(argv)
    if opts.cmd == "setup":
        result = _child_setup(opts.polls, opts.candidates, opts.tokens, opts.out)
    else:
        result = _child_flush(opts.poll)
    print("VOTE_JSON " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
