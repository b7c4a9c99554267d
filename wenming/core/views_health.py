"""Liveness/readiness probe for load balancers and `make prod`: database and cache, no personal data."""

from __future__ import annotations

import time
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

try:  # Django >= 5.1: documents that the probe is public even under a login-required middleware.
    from django.contrib.auth.decorators import login_not_required
except ImportError:  # pragma: no cover - older Django

    def login_not_required(view):
        return view


def _check_database(alias: str = "default") -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return "ok" if ok else "fail"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 with ``{"status": "ok"}`` when the database and the cache answer, else 503 naming the failing part."""
    started = time.perf_counter()
    checks: dict[str, str] = {}
    for name, probe in (("database", _check_database), ("cache", _check_cache)):
        try:
            checks[name] = probe()
        except Exception as exc:  # a probe reports, it never raises
            checks[name] = f"fail: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if healthy else "fail",
        **checks,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if healthy else 503)
