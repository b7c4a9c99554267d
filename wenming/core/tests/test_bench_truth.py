"""Issue 9 item 10: the benchmark tells the truth (pure functions, plus wrk against a redirecting server)."""

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench import registry
from bench.cases import a2_ratio, x1_summary
from bench.harness import ROOT, Context, Server, free_port, granian_args, gunicorn_args, wrk_errors
from bench.registry import BenchCase, HttpLoad, Target
from bench.run import apply_starvation, calibration_starved, evaluate

REDIRECTING_SERVER = """
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", "/accounts/login/?next=/")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"""


def _noop(ctx):
    return {}


def test_a_redirect_to_the_login_page_is_not_a_success(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", REDIRECTING_SERVER, str(port)])
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.05)
            else:
                break
        ctx = Context(smoke=True, duration=1, reps=1, tmp=Path(tmp_path), db_name="unused", env={})
        server = Server("test", 1, None, port, proc, Path(tmp_path) / "log")
        metrics = ctx.wrk(server, HttpLoad(path="/", concurrency=2), duration=1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert metrics["requests"] > 0
    assert metrics["redirects"] == metrics["requests"] and metrics["non_2xx"] == metrics["requests"]


def test_wrk_errors_add_redirects_to_non_2xx():
    summary = {"connect": 1, "read": 0, "write": 0, "timeout": 2, "status": 3, "redirects": 4}
    assert wrk_errors(summary) == (3, 7)


def test_x1_interleaved_speedup_above_the_core_count_is_invalid():
    run = {"p99_ms": 5.0, "client_cpu_pct": 10.0, "errors": 0, "non_2xx": 0}
    honest = x1_summary([{"rps": 1000.0, **run}] * 3, [{"rps": 1800.0, **run}] * 3, 2)
    assert honest["scale"] == 1.8 and "invalid" not in honest
    bogus = x1_summary(
        [{"rps": 1000.0, **run}, {"rps": 500.0, **run}, {"rps": 480.0, **run}],
        [{"rps": 2100.0, **run}] * 3,
        2,
    )
    assert bogus["scale"] == 4.2 and "超过核数" in bogus["invalid"] and bogus["scale_runs"] == [2.1, 4.2, 4.38]
    case = BenchCase(id="X1", title="x", run=_noop, targets=(Target("scale", ">=", 1.7),))
    entry = {"id": "X1", "status": "ok", "metrics": bogus}
    evaluate(entry, case, {}, smoke=False)
    assert entry["verdict"] == "invalid"  # not "pass", although 4.2 ≥ 1.7
    redirects = x1_summary([{"rps": 1000.0, **run, "non_2xx": 5}] * 1, [{"rps": 1500.0, **run}], 2)
    assert redirects["errors"] == 5


def _entry(cid: str, case: BenchCase, metrics: dict, results: dict) -> dict:
    entry = {"id": cid, "status": "ok", "metrics": metrics}
    evaluate(entry, case, results, smoke=False)
    results[cid] = entry
    return entry


def test_a_starved_run_is_invalid_not_passed_or_failed():
    results: dict = {}
    cpu = BenchCase(id="CPU", title="cpu", run=_noop, baseline=True)
    timed = BenchCase(id="A1", title="a1", run=_noop, targets=(Target("p95_ms", "<=", 300),))
    counted = BenchCase(id="Q", title="q", run=_noop, targets=(Target("queries", "<=", 10, timing=False),))
    _entry("CPU", cpu, {"parallel_speedup": 0.6}, results)
    assert results["CPU"]["verdict"] == "baseline"
    fast = _entry("A1", timed, {"p95_ms": 100}, results)
    assert fast["verdict"] == "pass"
    too_many = _entry("Q", counted, {"queries": 11}, results)
    cases = {"CPU": cpu, "A1": timed, "Q": counted}
    assert calibration_starved(results["CPU"], 2) and calibration_starved(results["CPU"], 1) is None
    reason = apply_starvation(results, cases, 2)
    assert "算力" in reason or "提速" in reason
    assert fast["verdict"] == "invalid" and too_many["verdict"] == "fail"  # counts do not depend on CPU
    healthy = {"CPU": {"id": "CPU", "status": "ok", "metrics": {"parallel_speedup": 1.9}}}
    assert calibration_starved(healthy["CPU"], 2) is None and apply_starvation(healthy, {}, 2) is None


def test_baseline_rows_say_baseline_even_when_their_figures_are_good():
    case = BenchCase(
        id="B2", title="json", http=HttpLoad(path="/"), baseline=True, targets=(Target("rps_per_core", ">=", 400),)
    )
    entry = {"id": "B2", "status": "ok", "metrics": {"rps_per_core": 2500, "errors": 0, "non_2xx": 0}}
    evaluate(entry, case, {}, smoke=False)
    assert entry["verdict"] == "baseline"
    broken = {"id": "B2", "status": "ok", "metrics": {"rps_per_core": 2500, "errors": 0, "non_2xx": 12}}
    evaluate(broken, case, {}, smoke=False)
    assert broken["verdict"] == "fail"  # redirects/errors still fail a baseline
    import bench.cases  # noqa: F401

    for cid in ("CPU", "B0", "B1", "B2", "B3", "B4"):
        assert registry._REGISTRY[cid].baseline, cid
    assert not registry._REGISTRY["X1"].baseline and not registry._REGISTRY["A1"].baseline


def test_the_bench_server_logs_like_production():
    prod = (ROOT / "scripts" / "prod.sh").read_text()
    granian_line = prod[prod.index(".venv/bin/granian") : prod.index("config.wsgi:application &")]
    args = granian_args(5, 8000)
    assert "--access-log" in args and "--no-access-log" not in args
    for option in ("--access-log", "--log-level warning", "--blocking-threads 1", "--respawn-failed-workers"):
        assert option in granian_line and option.split()[0] in args
    assert args[args.index("--log-level") + 1] == "warning"
    assert "--access-logfile" in gunicorn_args(5, "127.0.0.1:1") and "--access-logfile" in prod


def test_a2_is_registered_as_a_ratio_to_b2():
    import bench.cases  # noqa: F401

    case = registry._REGISTRY["A2"]
    assert case.smoke and any(t.metric == "non_2xx" and not t.timing for t in case.targets)
    assert a2_ratio(500.0, {"metrics": {"rps": 2000.0}}) == 0.25
    assert a2_ratio(500.0, None) is None


@pytest.mark.parametrize("cid, module", [("E1", "exports"), ("E2", "exports"), ("AU-W", "audit")])
def test_area_cases_are_discovered(cid, module):
    from bench.run import autodiscover

    autodiscover()
    assert registry._REGISTRY[cid].module == module


def test_the_bench_redis_servers_run_with_the_production_persistence(tmp_path):
    """ADR 0021: B0 and the vote cases measure a vote store with appendfsync always, not the machine's Redis."""
    from bench.harness import make_env, run_bounded, start_redis

    servers = [start_redis(tmp_path, name) for name in ("votes", "cache")]
    try:
        found = {}
        for r in servers:
            out = run_bounded(r.cli("CONFIG", "GET", "append*"), timeout=10)["out"].split()
            found[r.name] = dict(zip(out[::2], out[1::2], strict=False))
            assert run_bounded(r.cli("SET", "k", "v"), timeout=10)["out"].strip() == "OK"
        assert (found["votes"]["appendonly"], found["votes"]["appendfsync"]) == ("yes", "always")
        assert (found["cache"]["appendonly"], found["cache"]["appendfsync"]) == ("yes", "everysec")
        env = make_env("scratch", tmp_path, {r.name: r.port for r in servers})
        assert env["VOTE_REDIS_URL"].startswith(f"redis://127.0.0.1:{servers[0].port}/")
        assert env["REDIS_URL"].startswith(f"redis://127.0.0.1:{servers[1].port}/")
    finally:
        for r in servers:
            r.stop()
    assert all(r.proc.poll() is not None and not r.folder.exists() for r in servers)
