"""The honours lists are flat in N: at most 10 queries a page, the same number at ?size=10, ?size=50 and
on page 2 (60 applications and 60 titles across two cities); the cycle page with its ranking does not grow
with the number of entries; every list is in the staff menu, so the list benchmark walks it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.honours.models import Programme
from wenming.honours.tests import factories as f

pytestmark = pytest.mark.django_db
MAX_QUERIES = 10
ROWS = 60


def _count(client, url: str, **params) -> tuple[int, int | None]:
    client.get(url, params)  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url, params)
    assert resp.status_code == 200, url
    page = resp.context.get("page") if resp.context else None
    return len(ctx.captured_queries), page.paginator.count if page is not None else None


def _office_codes(code: str) -> list[str]:
    prog = Programme.objects.get(code=code)
    return [s["code"] for s in prog.stages if s.get("permission") == "honours.manage"]


def _seed(ns, rows: int = ROWS):
    t = ns.t
    cycle = f.cycle("youth_civilization", t.province)
    office = _office_codes("youth_civilization")
    statuses = ["city_review", "province_review", office[0] if office else "city_review"]
    apps = []
    for i in range(rows):
        outlet = t.shenyang_outlet if i % 2 else t.dalian_outlet
        apps.append(f.application(cycle, outlet, status=statuses[i % 3], name=f"{outlet.name}班组{i}"))
        f.title(
            "civilized_window",
            outlet,
            holder=f"{outlet.name}窗口{i}",
            status=["active", "under_review", "rectifying"][i % 3],
            valid_to=f.today() + timedelta(days=30 + i),
        )
    notice = f.notice(cycle, apps[:12])
    for app in apps[:12]:
        f.objection(notice, app)
    return cycle


PAGES = [
    ("province_admin", "honours:queue", ""),
    ("province_admin", "honours:queue", "office"),
    ("shenyang_admin", "honours:queue", ""),
    ("province_admin", "honours:application-list", ""),
    ("shenyang_admin", "honours:application-list", ""),
    ("shenyang_outlet", "honours:application-list", ""),
    ("province_admin", "honours:title-list", ""),
    ("shenyang_admin", "honours:title-list", ""),
    ("province_admin", "honours:objection-list", ""),
    ("province_admin", "honours:cycle-list", ""),
    ("province_admin", "honours:manage", ""),
]


def test_honours_lists_are_flat_in_page_size(client, ns):
    _seed(ns)
    report = {}
    for who, name, tab in PAGES:
        client.force_login(getattr(ns.p, who))
        url = reverse(name)
        extra = {"tab": tab} if tab else {}
        small, rows = _count(client, url, size=10, **extra)
        large, _ = _count(client, url, size=50, **extra)
        second, _ = _count(client, url, size=10, page=2, **extra) if rows and rows > 10 else (small, rows)
        report[(who, name, tab)] = (small, large, second, rows)
    bad = {k: r for k, r in report.items() if max(r[:3]) > MAX_QUERIES or len(set(r[:3])) != 1}
    assert not bad, bad
    # the seed really fills more than one page where it should
    assert report[("province_admin", "honours:application-list", "")][3] == ROWS
    assert report[("shenyang_admin", "honours:queue", "")][3] == ROWS // 6  # city review of 沈阳 only
    assert report[("province_admin", "honours:title-list", "")][3] == ROWS
    assert report[("province_admin", "honours:queue", "office")][3] == ROWS // 3
    assert report[("province_admin", "honours:objection-list", "")][3] == 12


def test_cycle_page_with_ranking_is_flat_in_entries(client, ns):
    from wenming.honours.models import Application

    cycle = _seed(ns, rows=10)
    client.force_login(ns.p.province_admin)
    url = reverse("honours:cycle-detail", args=[cycle.pk])
    few, _ = _count(client, url)
    for i in range(50):
        outlet = ns.t.shenyang_outlet if i % 2 else ns.t.dalian_outlet
        f.application(cycle, outlet, status="province_review", name=f"追加班组{i}")
    assert Application.objects.filter(cycle=cycle).count() == 60
    many, _ = _count(client, url)
    assert few == many, (few, many)


def test_honours_lists_are_in_the_staff_menu():
    from wenming.core.menu import menu_entries

    names = {e.url_name for e in menu_entries()}
    for name in (
        "honours:queue",
        "honours:application-list",
        "honours:title-list",
        "honours:cycle-list",
        "honours:objection-list",
    ):
        assert name in names, name
