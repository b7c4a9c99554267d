"""The incremental rollup of responses into ``ScoreRollup`` (quality.md A4, D1/D2, L15).

Refresh (every few minutes, under the periodic lock):

1. **Safe id.** Ids come from a sequence in the order transactions *start* inserting, not the order they
   commit: on PostgreSQL a transaction holding id 100 may commit after one holding id 101, so reading
   ``max(id)`` and moving the watermark there could skip 100 for ever. The refresh therefore takes a
   brief ``EXCLUSIVE`` lock on the raw table (it waits for every transaction that has inserted to
   finish and lets readers through) and reads ``max(id)`` under it; every row with a lower id is then
   committed, and every later insert gets a higher id. A lock wait above ``LOCK_TIMEOUT_MS`` gives up
   this round (nothing moves) instead of stalling submissions. On SQLite the single writer makes
   ``max(id)`` safe as it is (the transaction is IMMEDIATE, so no writer is in flight).
2. **Aggregate** ``(watermark, safe]`` with one ``INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE SET
   n = n + excluded.n`` — cost proportional to the new rows, not to the table.
3. **Move the watermark** in the same transaction (the state row is locked, so two refreshes serialise).

``rebuild()`` recomputes everything in one transaction (then ANALYZEs the rollup on PostgreSQL);
``check()`` compares a sample of rollup rows (and the rows of a sample of raw responses) with a live
aggregate of the raw table up to the watermark.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from .choices import DIMENSIONS
from .models import SUM_FIELDS, RollupCheck, RollupState, ScoreRollup, SurveyResponse

STATE = "surveys.scores"
BATCH = 500_000  # raw rows per INSERT … SELECT at most
LOCK_TIMEOUT_MS = 2000
KEY = ("outlet_id", "enterprise_id", "brand_id", "city_code", "month")

RAW = SurveyResponse._meta.db_table
ROLL = ScoreRollup._meta.db_table


def _aggregates() -> list[str]:
    parts = [
        "COUNT(*)",
        "COUNT(score)",
        "COALESCE(SUM(score), 0)",
        "COALESCE(SUM(CAST(score AS BIGINT) * CAST(score AS BIGINT)), 0)",
    ]
    for d in DIMENSIONS:
        parts += [f"COUNT(s_{d})", f"COALESCE(SUM(s_{d}), 0)"]
    return parts


def _upsert_sql() -> str:
    cols = ", ".join(KEY + SUM_FIELDS)
    keys = ", ".join(KEY)
    sets = ", ".join(f"{f} = {ROLL}.{f} + excluded.{f}" for f in SUM_FIELDS)
    return (
        f"INSERT INTO {ROLL} ({cols}) "
        f"SELECT {keys}, {', '.join(_aggregates())} FROM {RAW} WHERE id > %s AND id <= %s GROUP BY {keys} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {sets}"
    )


def safe_max_id(*, lock_timeout_ms: int = LOCK_TIMEOUT_MS) -> int | None:
    """The highest id below which every row is committed, or None when the lock could not be had."""
    try:
        with transaction.atomic():
            with connection.cursor() as cur:
                if connection.vendor == "postgresql":
                    cur.execute(f"SET LOCAL lock_timeout = '{int(lock_timeout_ms)}ms'")
                    cur.execute(f"LOCK TABLE {RAW} IN EXCLUSIVE MODE")
                cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {RAW}")
                return int(cur.fetchone()[0])
    except OperationalError:
        return None


def _state() -> RollupState:
    RollupState.objects.get_or_create(name=STATE)
    return RollupState.objects.select_for_update().get(name=STATE)


def refresh(*, batch: int = BATCH, lock_timeout_ms: int = LOCK_TIMEOUT_MS) -> int:
    """Count the responses committed since the last refresh; returns the number of raw rows read."""
    safe = safe_max_id(lock_timeout_ms=lock_timeout_ms)
    if safe is None:
        return 0
    total = 0
    while True:
        with transaction.atomic():
            state = _state()
            lo = state.watermark
            hi = min(safe, lo + batch)
            if hi <= lo:
                return total
            with connection.cursor() as cur:
                cur.execute(f"SELECT COUNT(*) FROM {RAW} WHERE id > %s AND id <= %s", [lo, hi])
                rows = int(cur.fetchone()[0])
                cur.execute(_upsert_sql(), [lo, hi])
            state.watermark, state.refreshed_at, state.last_rows = hi, timezone.now(), rows
            state.save(update_fields=["watermark", "refreshed_at", "last_rows"])
            total += rows


def rebuild() -> int:
    """Recompute every rollup row from the raw table (one transaction; readers keep the old rows until
    it commits). Returns the watermark."""
    with transaction.atomic():
        state = _state()
        safe = safe_max_id()
        if safe is None:
            raise OperationalError("汇总重建未能获得表锁，请稍后重试")
        ScoreRollup.objects.all().delete()
        with connection.cursor() as cur:
            cur.execute(_upsert_sql(), [0, safe])
            if connection.vendor == "postgresql":
                # Every row is new: fresh planner statistics now, not when autovacuum next comes by. Without
                # them a dashboard's GROUP BY over thousands of rows was planned as nested loops over an
                # estimated one row (2–6 × slower on 2,000 outlets).
                cur.execute(f"ANALYZE {ROLL}")
        state.watermark, state.refreshed_at = safe, timezone.now()
        state.last_rows = SurveyResponse.objects.filter(id__lte=safe).count()
        state.save(update_fields=["watermark", "refreshed_at", "last_rows"])
    return safe


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def live_sums(key: dict[str, Any], watermark: int) -> dict[str, int]:
    """The same sums as a rollup row, aggregated now from the raw rows ``id <= watermark``."""
    month = key["month"]
    where = (
        "outlet_id = %s AND enterprise_id = %s AND brand_id = %s AND city_code = %s AND month = %s"
        " AND day >= %s AND day < %s AND id <= %s"
    )
    params = [
        key["outlet_id"],
        key["enterprise_id"],
        key["brand_id"],
        key["city_code"],
        month,
        month,
        _next_month(month),
        watermark,
    ]
    with connection.cursor() as cur:
        cur.execute(f"SELECT {', '.join(_aggregates())} FROM {RAW} WHERE {where}", params)
        values = cur.fetchone()
    return {f: int(v or 0) for f, v in zip(SUM_FIELDS, values, strict=True)}


def check(*, sample: int = 50, rng: random.Random | None = None) -> RollupCheck:
    """Compare ``sample`` random rollup rows, and the rows of ``sample`` random raw responses, with a
    live aggregate (the state row is locked meanwhile so the watermark cannot move). Records the result."""
    rng = rng or random.Random()
    with transaction.atomic():
        state = _state()
        wm = state.watermark
        keys: dict[tuple, dict[str, Any]] = {}
        n_roll = ScoreRollup.objects.count()
        fields = ["id", *KEY, *SUM_FIELDS]
        for _ in range(min(sample, n_roll)):
            row = ScoreRollup.objects.order_by("id").values(*fields)[rng.randrange(n_roll)]
            keys[tuple(row[k] for k in KEY)] = row
        if wm:
            lo = SurveyResponse.objects.order_by("id").values_list("id", flat=True).first() or 0
            for _ in range(sample):
                r = (
                    SurveyResponse.objects.filter(id__gte=rng.randint(lo, wm), id__lte=wm)
                    .order_by("id")
                    .values(*KEY)
                    .first()
                )
                if r is None:
                    continue
                k = tuple(r[x] for x in KEY)
                if k not in keys:
                    stored = ScoreRollup.objects.filter(**{x: r[x] for x in KEY})
                    keys[k] = stored.values(*fields).first() or {**r, **dict.fromkeys(SUM_FIELDS, 0), "id": None}
        mismatches = []
        for k, row in keys.items():
            live = live_sums(dict(zip(KEY, k, strict=True)), wm)
            stored = {f: int(row[f]) for f in SUM_FIELDS}
            if live != stored:
                mismatches.append({"key": [str(x) for x in k], "rollup": stored, "live": live})
        result = RollupCheck.objects.create(sampled=len(keys), mismatches=len(mismatches), detail=mismatches[:20])
    return result


# --- PostgreSQL partitions ------------------------------------------------------------------------


def partition_name(month: date) -> str:
    return f"{RAW}_y{month.year}m{month.month:02d}"


def ensure_partitions(*, start: date | None = None, months_ahead: int = 3, using_connection: Any = None) -> list[str]:
    """Create the monthly partitions from ``start`` (default: this month) to ``months_ahead`` months
    ahead (PostgreSQL only; idempotent). A month whose rows already sit in the default partition is left
    there and reported (they are still read and counted)."""
    conn = using_connection or connection
    if conn.vendor != "postgresql":
        return []
    today = timezone.localdate().replace(day=1)
    month = (start or today).replace(day=1)
    last = today
    for _ in range(months_ahead):
        last = _next_month(last)
    made = []
    with conn.cursor() as cur:
        while month <= last:
            name = partition_name(month)
            cur.execute("SELECT to_regclass(%s)", [name])
            if cur.fetchone()[0] is None:
                cur.execute(
                    f"SELECT 1 FROM {RAW}_default WHERE day >= %s AND day < %s LIMIT 1", [month, _next_month(month)]
                )
                if cur.fetchone() is None:
                    cur.execute(
                        f"CREATE TABLE {name} PARTITION OF {RAW}"
                        f" FOR VALUES FROM ('{month.isoformat()}') TO ('{_next_month(month).isoformat()}')"
                    )
                    made.append(name)
            month = _next_month(month)
    return made
