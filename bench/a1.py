"""A1 measurement in its own process: seed a migrated scratch database, then time the list pages.

Run by the harness (bench.cases.run_a1) with DATABASE_URL pointing at a scratch database and the
production settings. Prints one line ``A1_JSON {...}``. Seeding runs under the local profile with the
same keys, because demo data is refused in production; the pages are measured under production.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    ("enterprises", "organizations:enterprise-list", "organizations.Enterprise"),
    ("outlets", "organizations:outlet-list", "organizations.Outlet"),
    ("couriers", "people:courier-list", "people.Courier"),
)


def emit(payload: dict) -> None:
    print("A1_JSON " + json.dumps(payload, ensure_ascii=False), flush=True)


def manage(*args: str, settings: str) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings, DEBUG="0")
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=1700)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="tiny")
    parser.add_argument("--requests", type=int, default=30)
    opts = parser.parse_args()

    import django

    django.setup()
    from django.core.management import get_commands
    from django.urls import NoReverseMatch, reverse

    if "seed_demo" not in get_commands():
        emit({"skip": "seed_demo 命令尚不存在"})
        return
    urls = {}
    for name, url_name, _ in PAGES:
        try:
            urls[name] = reverse(url_name)
        except NoReverseMatch:
            urls[name] = None
    if not any(urls.values()):
        emit({"skip": "列表页 URL 尚不存在：" + "、".join(u for _, u, _ in PAGES)})
        return

    started = time.perf_counter()
    manage("seed_demo", "--size", opts.size, settings="config.settings.local")
    seed_seconds = time.perf_counter() - started

    from django.apps import apps
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from wenming.accounts.models import User
    from wenming.organizations.models import Organization, RoleAssignment

    if connection.vendor == "postgresql":
        # Production runs autovacuum, which analyses a table after a bulk insert and (PostgreSQL ≥ 13)
        # vacuums it, setting the visibility map that index-only scans and COUNT(*) rely on. The bench's
        # PostgreSQL may run with autovacuum off; without this the full-size pages would be timed on a
        # never-analysed, never-vacuumed heap that production does not keep. Both sizes get the same step.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")

    root = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
    user, _ = User.objects.get_or_create(
        username="bench_a1",
        defaults={
            "display_name": "基准测试",
            "must_change_password": False,
            "password_changed_at": timezone.now(),
            "home_organization": root,
        },
    )
    RoleAssignment.objects.get_or_create(
        user=user, organization=root, role="committee_office"
    )  # province-wide view, no 2FA role
    # Templates resolve {% static %} through the manifest that `collectstatic` writes; the harness skips
    # that step (whitenoise compression costs seconds), so pages are measured with the plain storage.
    # It changes a dictionary lookup per asset, not the SQL or the rendering being measured.
    override = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    override.enable()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    pages: dict[str, dict] = {}
    rows: dict[str, int] = {}
    for name, url_name, label in PAGES:
        model = apps.get_model(label)
        rows[name] = model._default_manager.count()
        url = urls[name]
        if url is None:
            pages[name] = {"skip": f"URL {url_name} 尚不存在"}
            continue
        queries, times = [], []
        # The budget must not depend on the page size or the page (quality.md A4, "Lists").
        for params in ({"size": "10"}, {"size": "50"}, {"size": "10", "page": "2"}):
            response = client.get(url, params, secure=True)
            if "page" in params and response.status_code == 404:
                continue  # a small table has one page only
            if response.status_code != 200:
                where = f" → {response.get('Location')}" if response.has_header("Location") else ""
                pages[name] = {"skip": f"{url_name} 返回 {response.status_code}{where}"}
                break
            with CaptureQueriesContext(connection) as ctx:
                client.get(url, params, secure=True)
            queries.append(len(ctx.captured_queries))
        if name in pages:
            continue
        for _ in range(opts.requests):
            t0 = time.perf_counter()
            client.get(url, secure=True)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        pages[name] = {
            "queries": queries,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
            "rows": rows[name],
        }
    emit({"size": opts.size, "seed_seconds": round(seed_seconds, 1), "rows": rows, "pages": pages})


if __name__ == "__main__":
    main()
