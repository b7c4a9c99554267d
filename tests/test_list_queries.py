"""Every list page is flat in N: at most 10 queries, the same number at ?size=10 and ?size=50.

The tiny demo gives each list more than ten rows, so a query per row (a settings lookup, a related
row, a permission check) shows up as a difference between the two page sizes.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10

LIST_PAGES = [
    "/plans/annual/",
    "/plans/tasks/",
    "/plans/reports/",
    "/plans/bulletins/",
    "/plans/institutions/",
    "/plans/statistics/",
    "/activities/",
    "/activities/gallery/",
    "/activities/pairings/",
    "/activities/volunteer/",
    "/activities/volunteer/hours/",
    "/activities/volunteer/totals/",
    "/activities/volunteer/certificates/",
    "/certificates/",
    "/org/outlets/",
    "/org/enterprises/",
    "/people/couriers/",
    "/people/governance/",
    "/imports/",
    "/calendar/",
]
ADMIN_PAGES = {
    "sysadmin": ["/accounts/users/"],
    "secadmin": ["/accounts/grants/", "/accounts/locks/", "/accounts/sessions/", "/accounts/login-log/"],
    "auditor": ["/audit/"],
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", size="tiny", stdout=StringIO())


def _count(client, url: str, size: int, *, allow_forbidden: bool = False) -> tuple[int, int | None]:
    client.get(url, {"size": size})  # warm per-process caches (menus, the calendar)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url, {"size": size})
    if allow_forbidden and resp.status_code == 403:
        return -1, None  # a page this role does not have
    assert resp.status_code == 200, (url, resp.status_code)
    page = getattr(resp, "context", None) and resp.context.get("page")
    rows = page.paginator.count if page is not None else None
    return len(ctx.captured_queries), rows


@pytest.mark.parametrize("username", ["province", "shenyang"])
def test_list_pages_are_flat_in_page_size(client, demo, username):
    from wenming.accounts.models import User

    client.force_login(User.objects.get(username=username))
    report = {}
    for url in LIST_PAGES:
        small, rows = _count(client, url, 10, allow_forbidden=username != "province")
        large, _ = _count(client, url, 50, allow_forbidden=username != "province")
        report[url] = (small, large, rows)
    bad = {u: r for u, r in report.items() if r[0] > MAX_QUERIES or r[1] > MAX_QUERIES or r[0] != r[1]}
    assert not bad, bad
    if username == "province":  # the whole tree: most lists hold more than one small page
        thin = {u: r for u, r in report.items() if r[2] is not None and r[2] <= 10}
        assert len(thin) < len(LIST_PAGES) / 2, thin


def test_admin_and_audit_lists_are_flat_in_page_size(client, demo):
    from wenming.accounts.models import User

    for username, urls in ADMIN_PAGES.items():
        client.force_login(User.objects.get(username=username))
        for url in urls:
            small, _ = _count(client, url, 10)
            large, _ = _count(client, url, 50)
            assert small <= MAX_QUERIES and small == large, (url, small, large)
