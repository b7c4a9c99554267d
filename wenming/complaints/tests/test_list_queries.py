"""The complaint lists are flat in N: at most 10 queries, the same number at ?size=10 and ?size=50
(the tiny demo gives them more than ten rows); the case page does not grow with its history."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db
MAX_QUERIES = 10
PAGES = ["/complaints/", "/complaints/?todo=overdue", "/complaints/?todo=callback", "/complaints/volumes/"]


def _count(client, url: str, size: int) -> tuple[int, int]:
    client.get(url, {"size": size})  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url, {"size": size})
    assert resp.status_code == 200, url
    return len(ctx.captured_queries), resp.context["page"].paginator.count


@pytest.mark.parametrize("username", ["province", "shenyang", "sf_shenyang"])
def test_complaint_lists_are_flat_in_page_size(client, username):
    from wenming.accounts.models import User

    call_command("seed_demo", size="tiny", stdout=StringIO())
    client.force_login(User.objects.get(username=username))
    report = {}
    for url in PAGES:
        small, rows = _count(client, url, 10)
        large, _ = _count(client, url, 50)
        report[url] = (small, large, rows)
    bad = {u: r for u, r in report.items() if r[0] > MAX_QUERIES or r[0] != r[1]}
    assert not bad, bad
    assert report["/complaints/"][2] > 10, report
