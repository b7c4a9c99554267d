"""A1 preparation in its own process: seed a migrated scratch database, sign in the scoped users, count SQL.

Run by the harness (bench.cases.run_a1) with DATABASE_URL pointing at a scratch database and the
production settings. Seeding runs under the local profile with the same keys, because demo data is
refused in production. Then, under production settings, for a **city-scoped** user (city_admin of
沈阳) and an **enterprise-scoped** user (enterprise_admin of the Shenyang enterprise with the most
outlets) — never the whole-tree user, whose queries skip the scope predicate — it walks every page
registered in the staff menu (``wenming.core.menu``), counts the SQL of each at page sizes 10
and 50 and on page 2 with ``CaptureQueriesContext``, and signs the user in (a real session row, as
the login flow writes it). It prints one line ``A1_JSON {...}``; the harness then times each page
through the production server with those session cookies.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What "rows" means for the two sizes (the scoped tables the list pages page through).
ROW_MODELS = (
    ("enterprises", "organizations.Enterprise"),
    ("outlets", "organizations.Outlet"),
    ("couriers", "people.Courier"),
)
CITY_CODE = "210100"


def emit(payload: dict) -> None:
    print("A1_JSON " + json.dumps(payload, ensure_ascii=False), flush=True)


def manage(*args: str, settings: str) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings, DEBUG="0")
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=1700)


def menu_pages() -> list[tuple[str, str]]:
    """(url name, path) of every page registered in the staff menu that takes no argument."""
    from django.urls import NoReverseMatch, reverse

    from wenming.core.menu import menu_entries

    out: list[tuple[str, str]] = []
    for entry in sorted(menu_entries(), key=lambda e: (e.group, e.order, e.url_name)):
        try:
            out.append((entry.url_name, reverse(entry.url_name)))
        except NoReverseMatch:
            continue
    return list(dict.fromkeys(out))


def scoped_users() -> dict[str, object]:
    """The city-scoped and the enterprise-scoped bench users (created once per database)."""
    from django.utils import timezone

    from wenming.accounts.models import User
    from wenming.organizations.choices import OrgKind
    from wenming.organizations.models import Organization, Outlet, RoleAssignment

    city = Organization.objects.get(kind=OrgKind.CITY_BUREAU, code=CITY_CODE)
    enterprises = Organization.objects.filter(kind=OrgKind.ENTERPRISE, path__startswith=city.path).order_by("pk")
    # the enterprise with the most outlets below it: the largest enterprise scope of the city
    best = max(enterprises, key=lambda e: Outlet.objects.filter(organization__path__startswith=e.path).count())
    users = {}
    for key, org, role in (("city", city, "city_admin"), ("enterprise", best, "enterprise_admin")):
        user, _ = User.objects.get_or_create(
            username=f"bench_a1_{key}",
            defaults={
                "display_name": f"基准测试 A1 {key}",
                "must_change_password": False,
                "password_changed_at": timezone.now(),
                "home_organization": org,
            },
        )
        RoleAssignment.objects.get_or_create(user=user, organization=org, role=role)
        users[key] = user
    return users


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1k")
    parser.add_argument("--quick", action="store_true", help="smoke: count SQL at page sizes 10 and 50 only")
    opts = parser.parse_args()

    import django

    django.setup()
    from django.core.management import get_commands

    if "seed_demo" not in get_commands():
        emit({"skip": "seed_demo 命令尚不存在"})
        return
    manage("seed_demo", "--size", opts.size, settings="config.settings.local")

    from django.apps import apps
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    if connection.vendor == "postgresql":
        # Production runs autovacuum, which analyses a table after a bulk insert and (PostgreSQL ≥ 13)
        # vacuums it, setting the visibility map that index-only scans and COUNT(*) rely on. The bench's
        # PostgreSQL may run with autovacuum off; without this the large pages would be timed on a
        # never-analysed, never-vacuumed heap that production does not keep. Both sizes get the same step.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")

    rows = {name: apps.get_model(label)._default_manager.count() for name, label in ROW_MODELS}
    # Templates resolve {% static %} through the manifest that `collectstatic` writes; counting SQL
    # in-process needs no manifest, so the plain storage is used here (the server measures with it).
    override = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    override.enable()
    from django.shortcuts import resolve_url

    login_url = resolve_url(settings.LOGIN_URL)
    pages = menu_pages()
    out_users: dict[str, dict] = {}
    for key, user in scoped_users().items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        per_page: dict[str, dict] = {}
        for url_name, path in pages:
            first = client.get(path, secure=True)
            location = first.get("Location", "") if first.status_code == 302 else ""
            if location.startswith("/") and not location.startswith(login_url):
                path = location.split("?")[0]  # a menu entry that opens its first item (e.g. a ledger)
                first = client.get(path, secure=True)
            if first.status_code in (403, 404):
                per_page[url_name] = {"path": path, "skip": f"{first.status_code}（该用户无此页面）"}
                continue
            if first.status_code != 200:
                where = f" → {first.get('Location')}" if first.has_header("Location") else ""
                per_page[url_name] = {"path": path, "error": f"{url_name} 返回 {first.status_code}{where}"}
                continue
            queries = []
            # The budget must not depend on the page size or the page (quality.md A4, "Lists").
            variants = ({"size": "10"}, {"size": "50"}, {"size": "10", "page": "2"})
            for params in variants[:2] if opts.quick else variants:
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(path, params, secure=True)
                if response.status_code == 200:
                    queries.append(len(ctx.captured_queries))
            per_page[url_name] = {"path": path, "queries": queries}
        # A session for the production server: a fresh sign-in, not the test client's.
        server_client = Client(HTTP_HOST="127.0.0.1")
        server_client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        out_users[key] = {
            "cookie": f"{name}={server_client.cookies[name].value}",
            "scope": str(user.home_organization),
            "pages": per_page,
        }
    emit({"size": opts.size, "rows": rows, "users": out_users})


if __name__ == "__main__":
    main()
