"""Every staff list exports (issue 15 item 5): Excel and CSV, the same rows as the list, the user's scope, PII masked.

The list pages are found, not listed: every URL pattern whose view calls ``list_page(`` (the same URL
walker as the masking crawl), so a new list without ``export=ExportSpec(...)`` fails here. The tiny demo
gives the lists rows. For each persona that may open a list:

- with the EXPORT action, the page offers both links, and ``?export=csv`` / ``?export=xlsx`` hold exactly
  the list's rows (the page's row count; the first cell of each of the first 100 rows is on the page at
  ``?size=100``), state their count, carry no plaintext ID number or mobile, and a city bureau's or an
  enterprise's file names no unit outside its subtree;
- without it (an expert), the page offers no link and the export answers 403.
"""

from __future__ import annotations

import csv
import html
import inspect
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from tests.security.conftest import ID15, ID18, MOBILE
from tests.security.urlwalk import MISSING_PK, concrete_urls, staff_endpoints
from wenming.accounts.models import User
from wenming.accounts.roles import Action
from wenming.exports.services import row_count_text
from wenming.organizations.models import Organization
from wenming.workflow.policy import may_anywhere

pytestmark = pytest.mark.django_db

PERSONAS = ["province", "dalian", "sf_shenyang", "expert1"]
PAGE = 100
# Lists the tiny demo leaves empty for every persona that may export them (their export is still
# checked: header, count line, both formats). Keep it short; each entry says why.
# Lists only roles without the EXPORT action open (so no exporting persona can check their file).
ONLY_NON_EXPORTERS = {
    "/judging/": "the expert's own scoring queue; experts score, they have no EXPORT action",
}
EMPTY_IN_TINY_DEMO = {
    "/certificates/",  # the tiny demo issues no certificate (the small and full ones do)
    "/voting/<int:pk>/anomalies/",  # the tiny demo's vote has no flagged burst
    "/assessment/adjustments/",  # adjustments are made by hand, with a reason
    "/activities/volunteer/certificates/",  # certificates are issued by hand from the totals page
    "/honours/objections/",  # the demo's one objection may be on a cycle of another stage
    "/files/",  # a user's files appear once they export above the inline limit or build a report
}


def _calls_list_page(callback) -> bool:
    try:
        source = inspect.getsource(inspect.unwrap(callback))
    except (OSError, TypeError):
        return False
    return "list_page(" in source


def list_endpoints():
    return [ep for ep in staff_endpoints() if _calls_list_page(ep.callback)]


def _urls(ep) -> list[str]:
    return [u for u in concrete_urls(ep) if str(MISSING_PK) not in u]


def _csv_lines(resp) -> list[list[str]]:
    raw = b"".join(resp.streaming_content) if resp.streaming else resp.content
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _xlsx_rows(resp) -> list[tuple]:
    raw = b"".join(resp.streaming_content) if resp.streaming else resp.content
    ws = load_workbook(io.BytesIO(raw), read_only=True).worksheets[0]
    return [tuple("" if v is None else v for v in row) for row in ws.iter_rows(values_only=True)]


def _foreign_names(user: User) -> list[str]:
    """Names of units in none of the user's subtrees and above none of them (another city's units)."""
    roots = [a.organization.path for a in user.role_assignments.select_related("organization")]
    if not roots:
        return []
    inside, outside = set(), set()
    for path, name in Organization.objects.values_list("path", "name"):
        related = any(path.startswith(r) or r.startswith(path) for r in roots)
        (inside if related else outside).add(name)
    return sorted(n for n in outside - inside if len(n) >= 6 and not any(n in i for i in inside))


def _pii_hits(text: str) -> list[str]:
    return [m.group(0)[:4] + "…" for rx in (ID18, ID15, MOBILE) for m in rx.finditer(text)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", size="tiny", stdout=StringIO())


def test_the_walk_finds_the_lists():
    paths = {ep.path for ep in list_endpoints()}
    # one list of each kind of app: base apps, domain apps, a list under a parameter
    for expected in ("/org/outlets/", "/people/couriers/", "/certificates/", "/activities/gallery/"):
        assert expected in paths, sorted(paths)
    assert len(paths) >= 35, sorted(paths)


@override_settings(WENMING_EXPORT_INLINE_MAX_ROWS=10**6)  # the background path has its own tests
def test_every_list_exports_its_own_rows_in_scope(client, demo):
    problems: list[str] = []
    with_rows: set[str] = set()
    reached: set[str] = set()
    endpoints = list_endpoints()
    for username in PERSONAS:
        user = User.objects.get(username=username)
        exporter = may_anywhere(user, Action.EXPORT)
        foreign = _foreign_names(user) if username in ("dalian", "sf_shenyang") else []
        client.force_login(user)
        for ep in endpoints:
            for url in _urls(ep):
                resp = client.get(url, {"size": PAGE})
                if resp.status_code in (403, 404):
                    continue  # not this persona's list, or the id is another model's (try the next one)
                if resp.status_code != 200:
                    problems.append(f"{username} {url}: page HTTP {resp.status_code}")
                    break
                page_html = html.unescape(resp.content.decode())
                n = resp.context["page"].paginator.count
                sep = "&" if "?" in url else "?"
                if not exporter:
                    if resp.context["can_export"] or "export=csv" in page_html:
                        problems.append(f"{username} {url}: export offered without the EXPORT action")
                    if client.get(f"{url}{sep}export=csv").status_code != 403:
                        problems.append(f"{username} {url}: export without the EXPORT action not refused")
                    break
                reached.add(ep.path)
                if not (resp.context["can_export"] and "export=csv" in page_html and "export=xlsx" in page_html):
                    problems.append(f"{username} {url}: no CSV and Excel links")
                    break
                csv_resp = client.get(f"{url}{sep}export=csv")
                xlsx_resp = client.get(f"{url}{sep}export=xlsx")
                if csv_resp.status_code != 200 or xlsx_resp.status_code != 200:
                    problems.append(f"{username} {url}: export HTTP {csv_resp.status_code}/{xlsx_resp.status_code}")
                    break
                lines = _csv_lines(csv_resp)
                header, data, last = lines[0], lines[1:-1], lines[-1]
                if last != [row_count_text(n)] or len(data) != n:
                    problems.append(f"{username} {url}: CSV has {len(data)} rows, the list {n}")
                sheet = _xlsx_rows(xlsx_resp)
                if len(sheet) != n + 1 or list(sheet[0]) != header:
                    problems.append(f"{username} {url}: Excel has {len(sheet) - 1} rows, the list {n}")
                for row in data[:PAGE]:
                    if row and row[0] and row[0] not in page_html:
                        problems.append(f"{username} {url}: exported row {row[0]!r} is not on the list page")
                        break
                text = "\n".join(",".join(r) for r in lines)
                if hits := _pii_hits(text):
                    problems.append(f"{username} {url}: unmasked personal data {hits[:3]}")
                if leaked := [f for f in foreign if f in text]:
                    problems.append(f"{username} {url}: rows of units outside the scope {leaked[:3]}")
                if n:
                    with_rows.add(ep.path)
                break  # one URL of each list per persona
    missing = {ep.path for ep in endpoints if _urls(ep)} - reached - ONLY_NON_EXPORTERS.keys()
    assert not problems, "\n".join(problems)
    assert not missing, f"lists no exporting persona reached: {sorted(missing)}"
    empty = reached - with_rows - EMPTY_IN_TINY_DEMO
    assert not empty, f"lists without rows in the tiny demo (the row check did not run): {sorted(empty)}"


def test_a_city_export_holds_only_its_city(client, demo):
    """The scope check above is generic; here one list with known content: Dalian's outlets."""
    dalian = User.objects.get(username="dalian")
    client.force_login(dalian)
    lines = _csv_lines(client.get("/org/outlets/", {"export": "csv"}))[1:-1]
    assert lines
    names = {r[0] for r in lines}
    dalian_path = dalian.role_assignments.get().organization.path
    expected = set(
        Organization.objects.filter(path__startswith=dalian_path, kind="outlet").values_list("name", flat=True)
    )
    assert names == expected
