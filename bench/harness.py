"""Harness plumbing: scratch databases, production servers, the load generator, process accounting.

Every loop here is bounded twice: by a request/transaction count and by a wall-clock timeout, after
which the child is killed. Load goes to 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .registry import HttpLoad

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
BIN = Path(PY).parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://wenming:wenming@127.0.0.1:5432/postgres")
REDIS_BENCH_DB = int(os.environ.get("BENCH_REDIS_DB", "14"))
# The run's own redis-servers, configured as production runs them (docs/deploy.md §4.3): the vote store
# with the AOF on and ``appendfsync always`` (an acknowledged vote is on disk), the cache (sessions fall
# back to PostgreSQL, rate-limit counters, memos) with ``appendfsync everysec``. The machine's Redis keeps
# nothing on disk, so measuring against it would flatter B0, V1 and every case that writes votes.
REDIS_FSYNC = {"votes": "always", "cache": "everysec"}
CLK_TCK = os.sysconf("SC_CLK_TCK")
# The production WSGI server (docs/adr/0002-wsgi-server.md); scripts/prod.sh uses the same command lines.
PRODUCTION_SERVER = "granian"
LUA = Path(__file__).resolve().parent / "wrk" / "report.lua"


class BenchError(RuntimeError):
    pass


def cores() -> int:
    return len(os.sched_getaffinity(0))


def production_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or 2 * cores() + 1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class BenchRedis:
    """One of the run's own redis-servers (started by ``start_redis``, stopped at the end of the run)."""

    name: str
    port: int
    proc: subprocess.Popen
    folder: Path

    def cli(self, *args: str) -> list[str]:
        return ["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), "-n", str(REDIS_BENCH_DB), *args]

    def benchmark(self) -> list[str]:
        """``redis-benchmark`` against this server and the bench database (options follow)."""
        return [tool("redis-benchmark"), "-h", "127.0.0.1", "-p", str(self.port), "--dbnum", str(REDIS_BENCH_DB)]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_redis(tmp: Path, name: str) -> BenchRedis:
    """Start the redis-server ``name`` (``REDIS_FSYNC``) on a free loopback port with its production
    persistence; its AOF lives in the run's temp directory (a real file on the machine's disk)."""
    folder = tmp / f"redis-{name}"
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cmd = [tool("redis-server"), "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder), "--save", ""]
    cmd += ["--appendonly", "yes", "--appendfsync", REDIS_FSYNC[name], "--logfile", str(folder / "redis.log")]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    redis = BenchRedis(name=name, port=port, proc=proc, folder=folder)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if run_bounded(redis.cli("PING"), timeout=5)["out"].strip() == "PONG":
            return redis
        time.sleep(0.1)
    redis.stop()
    raise BenchError(f"redis-server 未能在端口 {port} 启动")


def run_bounded(cmd: list[str], *, timeout: float, env: dict | None = None, input: bytes | None = None) -> dict:
    """Run a child to completion within ``timeout`` seconds (killed after); return output and its CPU."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(input=input, timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        timed_out = True
    wall = time.perf_counter() - started
    # The child has been reaped by communicate(); its CPU is in RUSAGE_CHILDREN deltas (see cpu_children).
    return {
        "rc": proc.returncode,
        "out": out.decode("utf-8", "replace"),
        "err": err.decode("utf-8", "replace"),
        "wall": wall,
        "timed_out": timed_out,
    }


def cpu_children() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _proc_tree(root_pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def tree_cpu_seconds(root_pid: int) -> float:
    total = 0.0
    for pid in _proc_tree(root_pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime
        except OSError:
            continue
    return total


def tree_peak_rss_mb(root_pid: int) -> tuple[float, float]:
    """(sum, max) of VmHWM over the process tree, in MB."""
    peaks = []
    for pid in _proc_tree(root_pid):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return (round(sum(peaks), 1), round(max(peaks), 1)) if peaks else (0.0, 0.0)


def median_metrics(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median of every numeric metric over the repetitions (the A2 protocol's 3 runs)."""
    if len(runs) == 1:
        return dict(runs[0])
    merged: dict[str, Any] = {}
    for key in runs[0]:
        values = [r[key] for r in runs if isinstance(r.get(key), int | float) and not isinstance(r.get(key), bool)]
        merged[key] = round(statistics.median(values), 3) if len(values) == len(runs) else runs[0][key]
    return merged


@dataclass
class Server:
    kind: str
    workers: int
    cpus: str | None
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Context:
    """What a case sees: the run's settings, the scratch database, servers and the load generator."""

    smoke: bool
    duration: float
    reps: int
    tmp: Path
    db_name: str
    env: dict[str, str]
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    servers: dict[tuple, Server] = field(default_factory=dict)
    scratch_dbs: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    redis: BenchRedis | None = None  # the vote store (appendfsync always): B0 and B0-vote measure it
    redis_servers: list[BenchRedis] = field(default_factory=list)

    # ---- databases -------------------------------------------------------------------------------
    def dsn(self, name: str | None = None) -> str:
        base = PG_ADMIN_URL.rsplit("/", 1)[0]
        return f"{base}/{name or self.db_name}"

    def psql(self, sql: str, *, db: str | None = None, timeout: float = 120) -> str:
        r = run_bounded(
            ["psql", self.dsn(db), "-v", "ON_ERROR_STOP=1", "-qtA", "-c", sql], timeout=timeout, env=self.env
        )
        if r["rc"] != 0:
            raise BenchError(f"psql failed: {r['err'].strip()[:500]}")
        return r["out"].strip()

    def create_db(self, name: str, *, template: str | None = None) -> str:
        """Create a scratch database (dropped at the end of the run); ``template`` copies a migrated one."""
        admin = PG_ADMIN_URL.rsplit("/", 1)[1]
        self.psql(f'DROP DATABASE IF EXISTS "{name}"', db=admin)
        self.psql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""), db=admin)
        self.scratch_dbs.append(name)
        return name

    def drop_stale_dbs(self) -> None:
        """Drop scratch databases left by an earlier run that was killed (its pid is gone)."""
        admin = PG_ADMIN_URL.rsplit("/", 1)[1]
        names = self.psql("SELECT datname FROM pg_database WHERE datname LIKE 'wenming\\_bench\\_%'", db=admin)
        for name in names.split():
            pid = name.split("_")[2]
            if pid.isdigit() and int(pid) != os.getpid() and not Path(f"/proc/{pid}").exists():
                self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', db=admin, timeout=60)
                print(f"已删除上次中断遗留的临时数据库 {name}", file=sys.stderr)

    def drop_dbs(self) -> None:
        admin = PG_ADMIN_URL.rsplit("/", 1)[1]
        for name in reversed(self.scratch_dbs):
            try:
                self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', db=admin, timeout=60)
            except BenchError as exc:
                print(f"!! 删除临时数据库 {name} 失败：{exc}", file=sys.stderr)
        self.scratch_dbs.clear()

    def django_env(self, db: str | None = None) -> dict[str, str]:
        env = dict(self.env)
        env["DATABASE_URL"] = self.dsn(db)
        return env

    def manage(self, *args: str, db: str | None = None, timeout: float = 300) -> dict:
        r = run_bounded([PY, "manage.py", *args], timeout=timeout, env=self.django_env(db))
        if r["rc"] != 0 or r["timed_out"]:
            raise BenchError(f"manage.py {' '.join(args)} failed: {(r['err'] or r['out']).strip()[-800:]}")
        return r

    # ---- servers ---------------------------------------------------------------------------------
    def server(self, load: HttpLoad) -> Server:
        workers = load.workers or production_workers()
        kind = load.server or PRODUCTION_SERVER
        key = (kind, workers, load.cpus, load.db)
        if key in self.servers and self.servers[key].proc.poll() is None:
            return self.servers[key]
        for other in list(self.servers):  # one server at a time: they would share the two cores
            self.stop_server(other)
        port = free_port()
        app = "config.wsgi:application"
        if kind == "gunicorn":
            cmd = [str(BIN / "gunicorn"), app, *gunicorn_args(workers, f"127.0.0.1:{port}")]
        elif kind == "granian":
            exe = BIN / "granian"
            if not exe.exists():
                raise BenchError("granian 未安装（pip install -r requirements.txt）")
            cmd = [str(exe), *granian_args(workers, port), app]
        else:
            raise BenchError(f"unknown server {kind}")
        if load.cpus:
            cmd = ["taskset", "-c", load.cpus, *cmd]
        log = self.tmp / f"server-{kind}-{workers}-{port}.log"
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.django_env(load.db),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        server = Server(kind, workers, load.cpus, port, proc, log)
        self.servers[key] = server
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise BenchError(f"{kind} exited: {log.read_text()[-800:]}")
            try:
                with urllib.request.urlopen(f"{server.base}/healthz/", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise BenchError(f"{kind} did not answer /healthz/ within 30 s: {log.read_text()[-800:]}")
        # every worker must have booted before measuring
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(_proc_tree(proc.pid)) < workers + 1:
            time.sleep(0.2)
        return server

    def stop_server(self, key: tuple) -> None:
        server = self.servers.pop(key, None)
        if server is None or server.proc.poll() is not None:
            return
        try:
            os.killpg(server.proc.pid, signal.SIGTERM)
            server.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait(timeout=5)
        except ProcessLookupError:
            pass

    def stop_servers(self) -> None:
        for key in list(self.servers):
            self.stop_server(key)

    # ---- load generator --------------------------------------------------------------------------
    def wrk(self, server: Server, load: HttpLoad, *, duration: float, record: bool = True) -> dict[str, Any]:
        threads = 2
        cap = int(max(1000, 40_000 * duration) // threads)  # a safety bound far above 2-core throughput
        cmd = [
            "wrk",
            f"-t{threads}",
            f"-c{load.concurrency}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            server.base + load.path,
            "--",
            str(cap),
            load.method,
            load.content_type if load.body else "",
            load.body,
        ]
        for header in load.headers:
            cmd[1:1] = ["-H", header]
        if load.client_cpus:
            cmd = ["taskset", "-c", load.client_cpus, *cmd]
        cpu0_server = tree_cpu_seconds(server.proc.pid)
        cpu0_client = cpu_children()
        r = run_bounded(cmd, timeout=duration + 20)
        cpu_client = cpu_children() - cpu0_client
        cpu_server = tree_cpu_seconds(server.proc.pid) - cpu0_server
        if not record:
            return {}
        line = next((ln for ln in r["out"].splitlines() if ln.startswith("BENCH_JSON ")), None)
        if r["timed_out"] or line is None:
            raise BenchError(f"wrk failed (rc={r['rc']}): {r['err'][-500:]} {r['out'][-500:]}")
        s = json.loads(line.removeprefix("BENCH_JSON "))
        seconds = s["duration_us"] / 1e6
        rss_sum, rss_max = tree_peak_rss_mb(server.proc.pid)
        errors, non_2xx = wrk_errors(s)
        return {
            "rps": round(s["requests"] / seconds, 1),
            "requests": s["requests"],
            "p50_ms": round(s["p50_us"] / 1000, 2),
            "p95_ms": round(s["p95_us"] / 1000, 2),
            "p99_ms": round(s["p99_us"] / 1000, 2),
            "errors": errors,
            "non_2xx": non_2xx,
            "redirects": s.get("redirects", 0),
            "server_cpu_pct": round(100 * cpu_server / seconds, 1),
            # requests per CPU-second of the server: robust when other processes share the machine
            "req_per_cpu_s": round(s["requests"] / cpu_server, 1) if cpu_server else 0.0,
            "client_cpu_pct": round(100 * cpu_client / seconds, 1),
            "peak_rss_mb": rss_sum,
            "peak_rss_worker_mb": rss_max,
            "capped": s["requests"] >= cap * threads,
        }

    def http(self, load: HttpLoad, *, reps: int | None = None) -> dict[str, Any]:
        server = self.server(load)
        self.wrk(server, load, duration=1, record=False)  # warm-up: imports, connections, caches
        runs = [self.wrk(server, load, duration=self.duration) for _ in range(reps or self.reps)]
        metrics = median_metrics(runs)
        metrics["server"] = f"{server.kind} ×{server.workers}" + (f" cpus={server.cpus}" if server.cpus else "")
        return metrics


def wrk_errors(summary: dict[str, Any]) -> tuple[int, int]:
    """(socket errors, non-2xx responses) of a wrk summary; a redirect (3xx) is not a success."""
    errors = summary["connect"] + summary["read"] + summary["write"] + summary["timeout"]
    return errors, summary["status"] + summary.get("redirects", 0)


def gunicorn_args(workers: int, bind: str) -> list[str]:
    """The gunicorn command line (the fallback server; scripts/prod.sh with WSGI_SERVER=gunicorn)."""
    return [
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        bind,
        "--timeout",
        "60",
        "--graceful-timeout",
        "20",
        "--preload",
        "--log-level",
        "warning",
        "--no-control-socket",
        "--access-logfile",
        "-",  # like scripts/prod.sh: one access-log line per request
    ]


def granian_args(workers: int, port: int) -> list[str]:
    """The production granian command line (scripts/prod.sh uses the same options)."""
    return [
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        "1",  # one request at a time per worker, like gunicorn's sync workers: one DB connection each
        "--respawn-failed-workers",
        "--log-level",
        "warning",
        "--access-log",  # the bench server logs like production (scripts/prod.sh); the log is kept in tmp
    ]


def make_env(db_name: str, tmp: Path, redis_ports: dict[str, int] | None = None) -> dict[str, str]:
    """Production settings against the scratch database, with throw-away keys that live in memory only."""
    (tmp / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
    ports = redis_ports or {"cache": 6379, "votes": 6379}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WENMING_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{db_name}",
        REDIS_URL=f"redis://127.0.0.1:{ports['cache']}/{REDIS_BENCH_DB}",
        VOTE_REDIS_URL=f"redis://127.0.0.1:{ports['votes']}/{REDIS_BENCH_DB}",
        SECRET_KEY=secrets.token_urlsafe(50),
        WENMING_FIELD_KEY=secrets.token_hex(16),
        WENMING_INDEX_KEY=secrets.token_hex(32),
        WENMING_AUDIT_KEY=secrets.token_hex(32),
        WENMING_VAR_DIR=str(tmp / "var"),
        WENMING_BENCH_ENDPOINTS="1",
        SECURE_SSL_REDIRECT="0",  # loopback, plain HTTP: nothing to redirect to
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BenchError(f"{name} 未安装")
    return path
