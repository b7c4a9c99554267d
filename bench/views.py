"""Baseline endpoints B2–B4 (quality.md A2). Mounted only when ``WENMING_BENCH_ENDPOINTS`` is true.

They go through the full production middleware stack but do no work of their own beyond what each
baseline pins: B2 nothing, B3 one INSERT, B4 one indexed SELECT of rollup rows. The tables are scratch
tables created by the harness in its scratch database (``bench.cases``), never by migrations.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

try:
    from django.contrib.auth.decorators import login_not_required
except ImportError:  # pragma: no cover - older Django

    def login_not_required(view):
        return view


WRITE_TABLE = "bench_write"
ROLLUP_TABLE = "bench_rollup"
ROLLUP_ORGS = 1000
ROLLUP_DAYS = 30
ROLLUP_START = date(2026, 1, 1)


@login_not_required
@require_GET
def bench_json(request):
    """B2: a bare JSON view."""
    return JsonResponse({"ok": True, "n": 1})


@login_not_required
@csrf_exempt
@require_POST
def bench_write(request):
    """B3: B2 plus one INSERT (autocommit, one statement)."""
    payload = request.body[:200].decode("utf-8", "replace")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {WRITE_TABLE} (payload) VALUES (%s)", [payload])
    return JsonResponse({"ok": True})


@login_not_required
@require_GET
def bench_rollup(request):
    """B4: a raw SELECT of one organisation-day's rollup rows (sums and counts, no GROUP BY)."""
    org = random.randint(1, ROLLUP_ORGS)
    day = ROLLUP_START + timedelta(days=random.randint(0, ROLLUP_DAYS - 1))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT question, n, total FROM {ROLLUP_TABLE} WHERE org_id = %s AND day = %s", [org, day])
        rows = cursor.fetchall()
    return JsonResponse({"org": org, "rows": [{"q": q, "n": n, "total": t} for q, n, t in rows]})
