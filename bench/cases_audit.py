"""AU-W: 50 concurrent audited writes against 50 concurrent plain inserts on PostgreSQL (issue 9.3).

Each writer is a thread with its own connection; every operation is one transaction: a plain INSERT
of a row of the same width into a table without triggers, or one ``audit_record`` call. The two phases
alternate (plain, audited, plain, audited, …) so that a slow moment of the machine hits both. After the
audited phases the sealing job chains everything written and the chain is verified (not timed into the
writers' figures; its rows/s is reported). Target: p50(audited) ≤ 3 × p50(plain).

Run by the harness as ``python -m bench.cases_audit`` against its migrated scratch database.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from typing import Any

from bench.registry import BenchCase, Target, register

PLAIN_TABLE = "bench_auw_plain"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _phase(kind: str, threads: int, per_thread: int) -> list[float]:
    from django.db import connection, transaction

    # deferred: runs in a bench child process after django.setup()
    from wenming.audit.services import audit_record

    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def worker(n: int) -> None:
        mine: list[float] = []
        try:
            connection.ensure_connection()
            start.wait(timeout=60)
            for i in range(per_thread):
                began = time.perf_counter()
                if kind == "plain":
                    with transaction.atomic(), connection.cursor() as cur:
                        cur.execute(
                            f"INSERT INTO {PLAIN_TABLE} (at, action, object_type, object_id, detail) "
                            "VALUES (now(), 'update', 'bench.Thing', %s, %s)",
                            [f"{n}-{i}", json.dumps({"n": n, "i": i})],
                        )
                else:
                    with transaction.atomic():
                        audit_record("update", object_type="bench.Thing", object_id=f"{n}-{i}", detail={"n": n, "i": i})
                mine.append((time.perf_counter() - began) * 1000)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        raise RuntimeError(f"{kind}: {len(errors)} writers failed: {errors[0]!r}")
    return latencies


def measure(threads: int, per_thread: int, rounds: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    # deferred: runs in a bench child process after django.setup()
    from wenming.audit.services import seal_pending, verify_report

    if connection.vendor != "postgresql":
        return {"skip": "AU-W 只在 PostgreSQL 上测量"}
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {PLAIN_TABLE} (id bigserial PRIMARY KEY, at timestamptz NOT NULL, "
            "action varchar(30) NOT NULL, object_type varchar(100) NOT NULL, object_id varchar(64) NOT NULL, "
            "detail jsonb NOT NULL)"
        )
    connection.close()
    _phase("plain", threads, 2)  # warm-up: connections, plans
    _phase("audit", threads, 2)
    plain: list[float] = []
    audited: list[float] = []
    for _ in range(rounds):
        plain += _phase("plain", threads, per_thread)
        audited += _phase("audit", threads, per_thread)
    began = time.perf_counter()
    sealed = seal_pending()
    seal_s = time.perf_counter() - began
    report = verify_report()
    p50_plain, p50_audit = statistics.median(plain), statistics.median(audited)
    return {
        "writers": threads,
        "writes": len(audited),
        "plain_p50_ms": round(p50_plain, 2),
        "plain_p99_ms": round(_percentile(plain, 0.99), 2),
        "audit_p50_ms": round(p50_audit, 2),
        "audit_p99_ms": round(_percentile(audited, 0.99), 2),
        "p50_ratio": round(p50_audit / p50_plain, 2) if p50_plain else 0.0,
        "sealed": sealed,
        "seal_rows_per_s": round(sealed / seal_s) if seal_s else 0,
        "chain_ok": 1 if report.ok and report.unsealed == 0 else 0,
    }


def run_auw(ctx: Any) -> dict[str, Any]:
    from bench.harness import PY, BenchError, run_bounded
    from bench.registry import Skip

    per_thread, rounds = (5, 1) if ctx.smoke else (20, 3)
    cmd = [PY, "-m", "bench.cases_audit", "--threads", "50", "--per-thread", str(per_thread)]
    cmd += ["--rounds", str(rounds)]
    r = run_bounded(cmd, timeout=120 if ctx.smoke else 600, env=ctx.django_env())
    line = next((ln for ln in r["out"].splitlines() if ln.startswith("AUW_JSON ")), None)
    if r["timed_out"] or line is None:
        raise BenchError(f"AU-W failed: {(r['err'] or r['out'])[-800:]}")
    metrics = json.loads(line.removeprefix("AUW_JSON "))
    if "skip" in metrics:
        raise Skip(metrics["skip"])
    return metrics


register(
    BenchCase(
        id="AU-W",
        title="审计写入：50 并发审计写入 对 50 并发普通插入（PostgreSQL）",
        module="audit",
        order=60,
        run=run_auw,
        reps=1,  # the rounds alternate inside one run
        targets=(
            Target("p50_ratio", "<=", 3, label="p50(审计写入) ≤ 3 × p50(普通插入)"),
            Target("chain_ok", "==", 1, label="封存后哈希链校验通过", timing=False),
        ),
        notes="每次写入一个事务；普通插入为同宽度、无触发器的表。写入后由封存任务一次性入链并校验（不计入写入延迟）。",
    )
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--per-thread", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    opts = parser.parse_args(argv)
    print("AUW_JSON " + json.dumps(measure(opts.threads, opts.per_thread, opts.rounds)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
