"""Export benchmark cases E1 and E2 (issue 9): the background export writer, in a child process each.

E1 — CSV of 10⁵ and 10⁶ rows: peak RSS must not grow with the row count (ratio ≤ 1.2) and the writer
     must keep ≥ 20,000 rows/s.
E2 — XLSX of 100,000 rows × 20 columns in openpyxl's write-only mode: ≤ 60 s and < 200 MB peak RSS.

Each measurement runs ``python -m bench.cases_exports`` under the production settings: rows go through
``write_csv_to`` / ``write_xlsx_to`` into a temporary file that is then copied to Django's storage, which
is exactly what the background job does after reading the queryset. The rows come from a generator (ten
or twenty text, number and date cells) rather than the database, so the figures are the writer's and the
storage copy's; the database read is the list page's, measured by A1.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from typing import Any

CHILD_TAG = "EXPORT_JSON "


def _rows(n: int, cols: int):
    start = date(2017, 1, 1)
    for i in range(n):
        base = [f"沈阳市和平区网点{i:07d}", i, f"2101{i % 100:02d}", (start + timedelta(days=i % 3000)).isoformat()]
        yield (base + [f"字段{c}-{i % 997}" for c in range(cols - len(base))])[:cols]


def child(fmt: str, n: int, cols: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.files import File
    from django.core.files.storage import default_storage

    # deferred: runs in a bench child process after django.setup()
    from wenming.exports.services import write_csv_to, write_xlsx_to

    header = [f"列{c + 1}" for c in range(cols)]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as tmp:
        if fmt == "csv":
            written = write_csv_to(tmp, header, _rows(n, cols))
        else:
            written = write_xlsx_to(tmp, header, _rows(n, cols), summary={})
        size = tmp.tell()
        tmp.seek(0)
        name = default_storage.save(f"bench/export-{n}.{fmt}", File(tmp))
    seconds = time.perf_counter() - started
    default_storage.delete(name)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rows": written,
        "seconds": round(seconds, 2),
        "rows_per_s": round(written / seconds) if seconds else 0,
        "peak_rss_mb": round(peak, 1),
        "file_mb": round(size / 1e6, 1),
    }


def _measure(ctx: Any, fmt: str, n: int, cols: int, timeout: float) -> dict[str, Any]:
    from bench.harness import PY, BenchError, run_bounded

    r = run_bounded(
        [PY, "-m", "bench.cases_exports", "--fmt", fmt, "--rows", str(n), "--cols", str(cols)],
        timeout=timeout,
        env=ctx.django_env(),
    )
    line = next((ln for ln in r["out"].splitlines() if ln.startswith(CHILD_TAG)), None)
    if r["timed_out"]:
        raise BenchError(f"{fmt} {n} 行超过 {timeout} s")
    if line is None:
        raise BenchError(f"{fmt} {n} 行失败：{(r['err'] or r['out'])[-600:]}")
    result = json.loads(line.removeprefix(CHILD_TAG))
    if result["rows"] != n:
        raise BenchError(f"{fmt}: 写入 {result['rows']} 行，应为 {n} 行")
    return result


def run_e1(ctx: Any) -> dict[str, Any]:
    small, big = (10_000, 100_000) if ctx.smoke else (100_000, 1_000_000)
    a = _measure(ctx, "csv", small, 10, 120)
    b = _measure(ctx, "csv", big, 10, 300)
    return {
        "rows_small": small,
        "rows_big": big,
        "rss_small_mb": a["peak_rss_mb"],
        "rss_big_mb": b["peak_rss_mb"],
        "rss_ratio": round(b["peak_rss_mb"] / a["peak_rss_mb"], 2),
        "rows_per_s": b["rows_per_s"],
        "seconds_big": b["seconds"],
        "file_mb_big": b["file_mb"],
        "complete": 1,  # _measure checked that every row was written
    }


def run_e2(ctx: Any) -> dict[str, Any]:
    n = 10_000 if ctx.smoke else 100_000
    r = _measure(ctx, "xlsx", n, 20, 180)
    return {
        "rows": n,
        "cols": 20,
        **{k: r[k] for k in ("seconds", "rows_per_s", "peak_rss_mb", "file_mb")},
        "complete": 1,
    }


def _register() -> None:
    from bench.registry import BenchCase, Target, register

    register(
        BenchCase(
            id="E1",
            title="CSV 导出 10⁵ 对 10⁶ 行（后台写入临时文件再存储）：内存不随行数增长",
            module="exports",
            order=300,
            run=run_e1,
            reps=1,
            targets=(
                Target("complete", "==", 1, label="全部行写入", timing=False),
                Target("rss_ratio", "<=", 1.2, label="峰值 RSS 比 ≤ 1.2", timing=False),
                Target("rows_per_s", ">=", 20_000, label="≥ 20,000 行/秒"),
            ),
            notes="冒烟为 10⁴ 对 10⁵ 行。行来自生成器（非数据库），数据库读取的耗时见 A1。",
        )
    )
    register(
        BenchCase(
            id="E2",
            title="XLSX 导出 100,000 行 × 20 列（write-only 模式，临时文件 → 存储）",
            module="exports",
            order=301,
            run=run_e2,
            reps=1,
            targets=(
                Target("complete", "==", 1, label="全部行写入", timing=False),
                Target("seconds", "<=", 60, label="≤ 60 s"),
                Target("peak_rss_mb", "<", 200, label="峰值 RSS < 200 MB", timing=False),
            ),
            notes="冒烟为 10,000 行。",
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--fmt", choices=("csv", "xlsx"), required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--cols", type=int, default=10)
    opts = parser.parse_args()
    print(CHILD_TAG + json.dumps(child(opts.fmt, opts.rows, opts.cols)), flush=True)
    sys.exit(0)
else:
    _register()
