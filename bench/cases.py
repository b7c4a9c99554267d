"""The core cases: baselines B0–B4 (quality.md A2), X1, A1, the server comparison and the deploy check.

Each area adds its own cases in ``bench/cases_<area>.py`` (see bench/registry.py).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from typing import Any

from .harness import PY, BenchError, Context, cores, run_bounded, tool
from .registry import BenchCase, HttpLoad, Skip, Target, register
from .views import ROLLUP_DAYS, ROLLUP_ORGS, ROLLUP_TABLE, WRITE_TABLE

JSON_PATH = "/_bench/json/"

# ---- CPU: what two cores give on this machine ------------------------------------------------------

_BURN = "import time\nt = time.perf_counter()\nx = 0\nfor i in range({n}): x += i\nprint(time.perf_counter() - t)"


def run_cpu(ctx: Context) -> dict[str, Any]:
    """Pure-Python loop, alone and twice in parallel: how far the machine's cores really scale (reads X1)."""
    import subprocess

    n = 3_000_000 if ctx.smoke else 15_000_000
    code = _BURN.format(n=n)
    single = float(run_bounded([PY, "-c", code], timeout=60)["out"] or 0)
    procs = [subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE) for _ in range(2)]
    try:
        parallel = max(float(p.communicate(timeout=120)[0] or 0) for p in procs)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return {
        "single_s": round(single, 3),
        "parallel_s": round(parallel, 3),
        "parallel_speedup": round(2 * single / parallel, 2) if parallel else 0.0,
    }


register(
    BenchCase(
        id="CPU",
        title="机器标定：纯 Python 循环，单进程 对 两进程并行",
        order=1,
        run=run_cpu,
        reps=1,
        baseline=True,
        notes="parallel_speedup≈2 表示两核独立；≈1 表示两个 vCPU 只有一核的算力，X1 在此机器上无法达到 1.7。"
        "开头与结尾（CPU-END）各标定一次：任一次显示算力不足，本次运行的计时结论记为无效。",
    )
)
register(
    BenchCase(
        id="CPU-END",
        title="机器标定（结尾）：同 CPU，确认运行期间算力未被挤占",
        order=100_000,
        run=run_cpu,
        reps=1,
        baseline=True,
    )
)

# ---- B0: Redis ceiling -----------------------------------------------------------------------------


def _redis_benchmark(ctx: Context, n: int, pipeline: int) -> dict[str, float]:
    cmd = ctx.redis.benchmark()
    cmd += ["-t", "incr", "-n", str(n), "-c", "50", "-P", str(pipeline), "--csv"]
    r = run_bounded(cmd, timeout=60)
    rows = [ln for ln in r["out"].splitlines() if ln.startswith('"INCR"')]
    if r["rc"] != 0 or not rows:
        raise BenchError(f"redis-benchmark failed: {r['err'][-300:]}")
    cells = [float(c.strip('"')) for c in rows[-1].split(",")[1:]]
    return {"rps": cells[0], "p50_ms": cells[3], "p99_ms": cells[5]}


def run_b0(ctx: Context) -> dict[str, Any]:
    n = 20_000 if ctx.smoke else 200_000
    runs = [(_redis_benchmark(ctx, n, 1), _redis_benchmark(ctx, n * 4, 16)) for _ in range(ctx.reps)]
    runs.sort(key=lambda pair: pair[0]["rps"])
    plain, piped = runs[len(runs) // 2]
    run_bounded(ctx.redis.cli("DEL", "counter:__rand_int__"), timeout=10)
    config = run_bounded(ctx.redis.cli("CONFIG", "GET", "append*"), timeout=10)["out"].split()
    return {
        "rps": plain["rps"],
        "p50_ms": plain["p50_ms"],
        "p99_ms": plain["p99_ms"],
        "rps_pipeline16": piped["rps"],
        "requests": n,
        **dict(zip(config[::2], config[1::2], strict=False)),  # appendonly / appendfsync as measured
    }


register(
    BenchCase(
        id="B0",
        title="Redis INCR（-c 50；-P 16 另列）",
        baseline=True,
        order=10,
        run=run_b0,
        notes="本次运行自启的 redis-server，按生产配置：appendonly yes、appendfsync always（每次写入落盘）。"
        "投票脚本的 EVALSHA 由投票模块登记。",
    )
)

# ---- B1: PostgreSQL write ceilings -------------------------------------------------------------------

_PGBENCH = {
    "insert": "INSERT INTO bench_ins (v) VALUES (1);\n",
    "hot_row": "UPDATE bench_counter SET n = n + 1 WHERE id = 1;\n",
    "rows_1000": "\\set id random(1, 1000)\nUPDATE bench_counter SET n = n + 1 WHERE id = :id;\n",
}


def _pgbench(ctx: Context, script: str, per_client: int) -> dict[str, float]:
    path = ctx.tmp / f"pgbench-{abs(hash(script))}.sql"
    path.write_text(script)
    cmd = [tool("pgbench"), "-n", "-c", "32", "-j", "2", "-t", str(per_client), "-f", str(path), ctx.dsn()]
    r = run_bounded(cmd, timeout=30 if ctx.smoke else 120, env=ctx.env)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", r["out"])
    lat = re.search(r"latency average = ([\d.]+) ms", r["out"])
    if r["timed_out"]:
        raise BenchError(f"pgbench: {32 * per_client} 笔事务未在时限内完成")
    if r["rc"] != 0 or not tps:
        raise BenchError(f"pgbench failed: {(r['err'] or r['out'])[-400:]}")
    return {"tps": float(tps.group(1)), "latency_ms": float(lat.group(1)) if lat else 0.0}


def _copy_rows(ctx: Context, rows: int) -> float:
    import psycopg

    data = "".join(f"{i}\t{i % 1000}\t{i % 97}\n" for i in range(rows)).encode()
    with psycopg.connect(ctx.dsn(), autocommit=True) as conn:
        conn.execute("SET statement_timeout = '120s'")
        conn.execute("TRUNCATE bench_copy")
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY bench_copy (id, org, n) FROM STDIN") as copy:
            for offset in range(0, len(data), 1 << 20):
                copy.write(data[offset : offset + (1 << 20)])
        elapsed = time.perf_counter() - started
        (count,) = conn.execute("SELECT count(*) FROM bench_copy").fetchone()
    if count != rows:
        raise BenchError(f"COPY wrote {count} rows, expected {rows}")
    return rows / elapsed


def run_b1(ctx: Context) -> dict[str, Any]:
    ctx.psql(
        "CREATE TABLE IF NOT EXISTS bench_ins (id bigserial PRIMARY KEY, v int NOT NULL,"
        " at timestamptz NOT NULL DEFAULT now());"
        "CREATE TABLE IF NOT EXISTS bench_counter (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0);"
        "TRUNCATE bench_counter; INSERT INTO bench_counter (id) SELECT generate_series(1, 1000);"
        "CREATE TABLE IF NOT EXISTS bench_copy (id bigint NOT NULL, org int NOT NULL, n int NOT NULL);"
    )
    per_client = 50 if ctx.smoke else 400
    metrics: dict[str, Any] = {}
    for name, script in _PGBENCH.items():
        runs = sorted((_pgbench(ctx, script, per_client) for _ in range(ctx.reps)), key=lambda m: m["tps"])
        metrics[f"{name}_tps"] = runs[len(runs) // 2]["tps"]
        metrics[f"{name}_latency_ms"] = runs[len(runs) // 2]["latency_ms"]
    rows = 10_000 if ctx.smoke else 1_000_000
    copies = sorted(_copy_rows(ctx, rows) for _ in range(ctx.reps))
    metrics["copy_rows_per_s"] = round(copies[len(copies) // 2])
    metrics["copy_rows"] = rows
    metrics["transactions_per_client"] = per_client
    ctx.psql("DROP TABLE bench_ins, bench_counter, bench_copy")
    return metrics


register(
    BenchCase(
        id="B1",
        title="PostgreSQL 写入上限：(a) 单行 INSERT (b) 热点行 UPDATE (c) 1,000 行 UPDATE，32 客户端；(d) COPY",
        baseline=True,
        order=20,
        run=run_b1,
        notes="(b) 约等于每次 fsync 一笔；(d) 冒烟为 10⁴ 行，完整为 10⁶ 行。",
    )
)

# ---- B2–B4: framework + server, one write, one rollup read -------------------------------------------


def setup_write(ctx: Context) -> None:
    ctx.psql(
        f"CREATE TABLE IF NOT EXISTS {WRITE_TABLE} (id bigserial PRIMARY KEY,"
        " at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)"
    )


def setup_rollup(ctx: Context) -> None:
    ctx.psql(
        f"CREATE TABLE IF NOT EXISTS {ROLLUP_TABLE} (org_id int NOT NULL, day date NOT NULL, question smallint NOT NULL,"
        " n bigint NOT NULL, total bigint NOT NULL, PRIMARY KEY (org_id, day, question));"
        f"TRUNCATE {ROLLUP_TABLE};"
        f"INSERT INTO {ROLLUP_TABLE} SELECT o, DATE '2026-01-01' + d, q, 10 + (o * q) % 90, 40 * (10 + (o * q) % 90)"
        f" FROM generate_series(1, {ROLLUP_ORGS}) o, generate_series(0, {ROLLUP_DAYS - 1}) d, generate_series(1, 5) q;"
        f"ANALYZE {ROLLUP_TABLE};"
    )


register(
    BenchCase(
        id="B2",
        title="空 JSON 视图（生产设置、中间件、服务器与进程数）",
        baseline=True,
        order=30,
        http=HttpLoad(path=JSON_PATH),
        targets=(Target("rps_per_core", ">=", 400, label="≥ 400 req/s 每核"),),
    )
)
register(
    BenchCase(
        id="B3",
        title="B2 + 一条 INSERT（POST）",
        baseline=True,
        order=31,
        setup=setup_write,
        http=HttpLoad(path="/_bench/write/", method="POST", body="k=v&n=1"),
    )
)
register(
    BenchCase(
        id="B4",
        title="读取一组汇总行（15 万行汇总表，主键查询）",
        baseline=True,
        order=32,
        setup=setup_rollup,
        http=HttpLoad(path="/_bench/rollup/"),
    )
)
register(
    BenchCase(
        id="B2-gunicorn",
        title="B2，gunicorn（sync）代替 granian，同样进程数",
        baseline=True,
        order=35,
        smoke=False,
        http=HttpLoad(path=JSON_PATH, server="gunicorn"),
        notes="服务器选型见 docs/adr/0002-wsgi-server.md。",
    )
)
register(
    BenchCase(
        id="B4-gunicorn",
        title="B4，gunicorn（sync）代替 granian，同样进程数",
        baseline=True,
        order=36,
        smoke=False,
        setup=setup_rollup,
        http=HttpLoad(path="/_bench/rollup/", server="gunicorn"),
    )
)

# ---- X1: scale-out across cores ----------------------------------------------------------------------


def x1_summary(ones: list[dict[str, Any]], twos: list[dict[str, Any]], n_cores: int) -> dict[str, Any]:
    """Scale of 2 workers on 2 cores over 1 worker on 1 core from interleaved runs (medians).

    A speed-up above the number of cores cannot be real (the 1-core runs were disturbed, or the load
    generator was the limit): the figure is then marked invalid instead of being passed.
    """
    import statistics

    one = statistics.median(r["rps"] for r in ones)
    two = statistics.median(r["rps"] for r in twos)
    scale = round(two / one, 2) if one else 0.0
    metrics: dict[str, Any] = {
        "scale": scale,
        "rps_1x1": one,
        "rps_2x2": two,
        "scale_runs": [round(b["rps"] / a["rps"], 2) if a["rps"] else 0.0 for a, b in zip(ones, twos, strict=True)],
        "p99_ms_2x2": statistics.median(r["p99_ms"] for r in twos),
        "client_cpu_pct_2x2": statistics.median(r["client_cpu_pct"] for r in twos),
        "errors": sum(r["errors"] + r["non_2xx"] for r in ones + twos),
    }
    if scale > n_cores:
        metrics["invalid"] = f"提速 {scale:.2f} × 超过核数 {n_cores}：不可能，测量无效"
    return metrics


def run_x1(ctx: Context) -> dict[str, Any]:
    if cores() < 2:
        raise Skip("本机不足 2 核")
    one_load = HttpLoad(path=JSON_PATH, workers=1, cpus="0", client_cpus="1")
    two_load = HttpLoad(path=JSON_PATH, workers=2, cpus="0,1")
    ones, twos = [], []
    for _ in range(ctx.reps):  # interleaved: a slow minute of the machine hits both configurations
        for load, runs in ((one_load, ones), (two_load, twos)):
            server = ctx.server(load)
            ctx.wrk(server, load, duration=1, record=False)
            runs.append(ctx.wrk(server, load, duration=ctx.duration))
    ctx.stop_servers()
    return x1_summary(ones, twos, cores())


register(
    BenchCase(
        id="X1",
        title="横向扩展：1 进程/1 核 对 2 进程/2 核（B2 类视图）",
        order=40,
        run=run_x1,
        targets=(
            Target("errors", "==", 0, label="0 错误", timing=False),
            Target("scale", ">=", 1.7, label="≥ 1.7 ×"),
        ),
        notes="1 核时压测工具绑在另一核；2 核时它与服务器共用两核，其 CPU 见 client_cpu_pct_2x2。"
        "对照 CPU 行的 parallel_speedup：机器本身两核只能提速这么多。",
    )
)

# ---- A1: every menu page, scoped users, 1k vs 100k rows, through the production server -----------------

A1_SIZES = {"smoke": ("tiny",), "full": ("1k", "100k")}
A1_REQUESTS = {"smoke": 2, "full": 20}
# Menu pages that are not lists (the workbench's counters and panels, the ledger's unit overview, the
# public portal's home with its news, honour roll, votes, people and suggestions sections, the city
# assessment's league table of the 14 cities with its scheme picker, read from snapshots): the
# ≤ 10 queries target is for list pages (quality.md A1, issue "pages flat in N"); these must still be
# constant in page size and data volume, and their worst count is reported as dashboard_queries_max.
A1_DASHBOARDS = frozenset({"workbench:home", "activities:ledger-home", "site-home", "assessment:ranking"})


def _a1_time(base: str, path: str, cookie: str, n: int, warm: int = 1) -> tuple[list[float], list[int]]:
    """``n`` sequential GETs of ``path`` (after ``warm`` warm-ups) with the session cookie; times (ms), statuses."""
    import urllib.error
    import urllib.request

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # a redirect is an answer to count, not to follow
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    times, statuses = [], []
    for i in range(n + warm):
        req = urllib.request.Request(base + path, headers={"Cookie": cookie})
        t0 = time.perf_counter()
        try:
            with opener.open(req, timeout=30) as resp:
                resp.read()
                code = resp.status
        except urllib.error.HTTPError as exc:
            code = exc.code
        if i >= warm:  # the first requests warm the workers' caches
            times.append((time.perf_counter() - t0) * 1000)
            statuses.append(code)
    return times, statuses


def _a1_measure(ctx: Context, size: str) -> dict[str, Any]:
    if ctx.smoke:
        db = ctx.db_name  # the run's migrated scratch database: seeding it is all A1 needs
    else:
        ctx.stop_servers()  # no open connections to the template
        db = ctx.create_db(f"{ctx.db_name}_a1_{size}", template=ctx.db_name)
    timeout = 120 if ctx.smoke else 1800
    cmd = [PY, "-m", "bench.a1", "--size", size, *(["--quick"] if ctx.smoke else [])]
    r = run_bounded(cmd, timeout=timeout, env=ctx.django_env(db))
    line = next((ln for ln in r["out"].splitlines() if ln.startswith("A1_JSON ")), None)
    if r["timed_out"]:
        raise BenchError(f"A1 --size {size} 超过 {timeout} s")
    if line is None:
        raise BenchError(f"A1 --size {size} failed: {(r['err'] or r['out'])[-800:]}")
    data = json.loads(line.removeprefix("A1_JSON "))
    if "skip" in data:
        return data
    ctx.manage("collectstatic", "--noinput", "-v0", db=db)  # the production server renders hashed URLs
    server = ctx.server(HttpLoad(path="/", db=db))
    n = A1_REQUESTS["smoke" if ctx.smoke else "full"]
    for user in data["users"].values():
        for page in user["pages"].values():
            if "queries" not in page:
                continue
            warm = 1 if ctx.smoke else server.workers  # one request per worker before timing
            times, statuses = _a1_time(server.base, page["path"], user["cookie"], n, warm)
            bad = [c for c in statuses if c != 200]
            if bad:
                page["error"] = f"{page['path']} 经生产服务器返回 {sorted(set(bad))}"
            times.sort()
            page.update(
                p50_ms=round(statistics.median(times), 1),
                p95_ms=round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
            )
        user.pop("cookie")
    if not ctx.smoke:
        ctx.stop_servers()
    return data


def a1_summary(by_size: dict[str, dict[str, Any]], sizes: tuple[str, ...]) -> dict[str, Any]:
    """Per user and page: queries at each size, p50/p95, time(large)/time(small); worst figures overall."""
    first = by_size[sizes[0]]
    metrics: dict[str, Any] = {"users": {}, "errors": 0}
    worst_queries, worst_dashboard, worst_p95, constant, ratios, errors = 0, 0, 0.0, True, [], []
    for key in first["users"]:
        out: dict[str, Any] = {"scope": first["users"][key]["scope"], "pages": {}}
        for url_name in first["users"][key]["pages"]:
            per_size = {s: by_size[s]["users"][key]["pages"].get(url_name) or {} for s in sizes}
            errs = [p["error"] for p in per_size.values() if "error" in p]
            if errs:
                errors += errs
                out["pages"][url_name] = {"error": errs[0]}
                continue
            if any("queries" not in p for p in per_size.values()):
                out["pages"][url_name] = {"skip": next(p.get("skip", "无数据") for p in per_size.values())}
                continue
            counts = {q for p in per_size.values() for q in p["queries"]}
            constant = constant and len(counts) == 1
            if url_name in A1_DASHBOARDS:  # counters and panels, not a list: constant, reported apart
                worst_dashboard = max(worst_dashboard, *counts)
            else:
                worst_queries = max(worst_queries, *counts)
            worst_p95 = max(worst_p95, *(p["p95_ms"] for p in per_size.values()))
            entry: dict[str, Any] = {s: {k: p[k] for k in ("queries", "p50_ms", "p95_ms")} for s, p in per_size.items()}
            if len(sizes) == 2:
                small, big = (per_size[s] for s in sizes)
                if small["p50_ms"]:
                    entry["time_ratio"] = round(big["p50_ms"] / small["p50_ms"], 2)
                    ratios.append((entry["time_ratio"], f"{key}:{url_name}"))
            out["pages"][url_name] = entry
        metrics["users"][key] = out
    measured = [p for u in metrics["users"].values() for p in u["pages"].values() if not {"skip", "error"} & set(p)]
    if not measured and not errors:
        raise Skip("A1：没有可测的页面")
    metrics.update(
        pages_measured=len(measured),
        queries_max=worst_queries,
        dashboard_queries_max=worst_dashboard,
        queries_constant=1 if constant else 0,
        p95_ms=worst_p95,
        errors=len(errors),
        error_detail="; ".join(errors[:5]),
        rows={s: by_size[s].get("rows", {}) for s in sizes},
    )
    if ratios:
        worst = max(ratios)
        metrics["time_ratio"], metrics["time_ratio_page"] = worst
    return metrics


def run_a1(ctx: Context) -> dict[str, Any]:
    sizes = A1_SIZES["smoke" if ctx.smoke else "full"]
    by_size = {size: _a1_measure(ctx, size) for size in sizes}
    skipped = next((d["skip"] for d in by_size.values() if "skip" in d), None)
    if skipped:
        raise Skip(skipped)
    return a1_summary(by_size, sizes)


register(
    BenchCase(
        id="A1",
        title="菜单中的每个页面（市局、企业两种范围的用户，生产服务器）：SQL 条数与规模比",
        order=50,
        run=run_a1,
        targets=(
            Target("errors", "==", 0, label="每页均 200（无跳转、无错误）", timing=False),
            Target("queries_max", "<=", 10, label="列表页 ≤ 10 条 SQL", timing=False),
            Target("queries_constant", "==", 1, label="条数与页码、页长、数据量无关", timing=False),
            Target("p95_ms", "<=", 300, label="p95 ≤ 300 ms"),
            Target("time_ratio", "<=", 1.5, label="time(10万)/time(1千) ≤ 1.5"),
        ),
        notes="用户：沈阳市局 city_admin 与沈阳网点最多的企业 enterprise_admin（全省用户不经范围谓词，不用）。"
        "页面：工作台菜单登记的全部页面；该用户无权的页面记为跳过。完整运行比较 seed_demo --size 1k（100 网点、"
        "1,000 快递员）与 100k（10,000 网点、100,000 快递员）；冒烟只用 tiny（无规模比，页长 10/50 两次计数）。",
    )
)

# ---- A2: a signed-in list page under load ----------------------------------------------------------

A2_CONCURRENCY = 16
_A2_LOGIN = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wenming.accounts.models import User
from wenming.organizations.models import Organization, Outlet, RoleAssignment

city = Organization.objects.get(code="210100")
user, _ = User.objects.get_or_create(username="bench_a2", defaults={
    "display_name": "基准测试 A2", "must_change_password": False,
    "password_changed_at": timezone.now(), "home_organization": city})
RoleAssignment.objects.get_or_create(user=user, organization=city, role="city_admin")
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
path = reverse("organizations:outlet-list")
status = client.get(path, secure=True).status_code
name = settings.SESSION_COOKIE_NAME
print("A2_JSON " + json.dumps({"cookie": f"{name}={client.cookies[name].value}", "path": path,
      "status": status, "outlets_in_scope": Outlet.objects.visible_to(user).count()}))
"""


def a2_ratio(rps: float, b2: dict[str, Any] | None) -> float | None:
    base = (b2 or {}).get("metrics", {}).get("rps")
    return round(rps / base, 3) if base else None


def run_a2(ctx: Context) -> dict[str, Any]:
    if ctx.psql("SELECT count(*) FROM organizations_outlet") == "0":
        env = dict(ctx.django_env(), DJANGO_SETTINGS_MODULE="config.settings.local", DEBUG="0")
        r = run_bounded([PY, "manage.py", "seed_demo", "--size", "tiny"], timeout=300, env=env)
        if r["rc"] != 0:
            raise BenchError(f"seed_demo failed: {(r['err'] or r['out'])[-600:]}")
    ctx.manage("collectstatic", "--noinput", "-v0")  # the production server renders hashed static URLs
    r = run_bounded([PY, "-c", _A2_LOGIN], timeout=120, env=ctx.django_env())
    line = next((ln for ln in r["out"].splitlines() if ln.startswith("A2_JSON ")), None)
    if line is None:
        raise BenchError(f"A2 login failed: {(r['err'] or r['out'])[-600:]}")
    login = json.loads(line.removeprefix("A2_JSON "))
    if login["status"] != 200:
        raise BenchError(f"A2: {login['path']} 返回 {login['status']}")
    load = HttpLoad(path=login["path"], concurrency=A2_CONCURRENCY, headers=(f"Cookie: {login['cookie']}",))
    metrics = ctx.http(load)
    metrics["ratio_b2"] = a2_ratio(metrics["rps"], ctx.results.get("B2"))
    metrics["outlets_in_scope"] = login["outlets_in_scope"]
    metrics["concurrency"] = A2_CONCURRENCY
    return metrics


register(
    BenchCase(
        id="A2",
        title="已登录列表页（市局管理员的网点列表，生产服务器）并发 16：吞吐及与 B2 之比",
        order=55,
        run=run_a2,
        targets=(
            Target("errors", "==", 0, label="0 个连接/超时错误", timing=False),
            Target("non_2xx", "==", 0, label="0 个非 2xx（含跳转登录页）", timing=False),
        ),
        notes="会话由登录流程建立（cached_db）；每个响应都须为 200，跳转到登录页计为错误。ratio_b2 = 吞吐 / B2 吞吐。",
    )
)

# ---- Release check -----------------------------------------------------------------------------------


def run_deploy_check(ctx: Context) -> dict[str, Any]:
    env = ctx.django_env()
    env["SECURE_SSL_REDIRECT"] = "1"  # the real production value, not the loopback one
    env.pop("WENMING_BENCH_ENDPOINTS", None)
    r = run_bounded([PY, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], timeout=60, env=env)
    issues = re.findall(r"\((\w+\.[WE]\d+)\)", r["out"] + r["err"])
    return {"ok": 1 if r["rc"] == 0 else 0, "issues": len(issues), "ids": ",".join(sorted(set(issues)))}


register(
    BenchCase(
        id="DEPLOY",
        title="manage.py check --deploy --fail-level WARNING（生产设置）",
        order=5,
        run=run_deploy_check,
        reps=1,
        targets=(Target("ok", "==", 1, label="无警告", timing=False),),
    )
)
