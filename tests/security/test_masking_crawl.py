"""PR1 masking crawl: no page, export, API answer or error page shows a plaintext ID number or mobile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import ID15, ID18, MOBILE
from .crawl import EXPORT_LINK, crawl, crawl_client, fetch

PERSONAS = [
    "shenyang_admin",
    "shenyang_staff",
    "dalian_admin",
    "shenyang_enterprise",
    "shenyang_outlet",
    "province_admin",
    "expert",
    "sysadmin",
    "secadmin",
    "auditor",
]
# Documented sample values, not anybody's data: the GB 11643 example ID in the import template's
# sample row, and the sample mobile next to it.
SAMPLE_VALUES = frozenset({"11010519491231002X", "13800138000"})
# Generated from code, not from data; crawled once in test_crawl_reaches_pages_that_show_the_couriers.
ONCE = ("api:schema",)


def findings(pages, secrets) -> list[str]:
    out = []
    for page in pages:
        if page.status >= 500:
            out.append(f"{page.url}: HTTP {page.status}")
            continue
        for value in [*secrets.ids, *secrets.phones]:
            if value in page.text or value.lower() in page.text:
                out.append(f"{page.url}: plaintext {value[:3]}…")
        for name, rx in (("ID18", ID18), ("ID15", ID15), ("mobile", MOBILE)):
            for m in rx.finditer(page.text):
                if m.group(0).upper() not in SAMPLE_VALUES:
                    out.append(f"{page.url}: {name} pattern {m.group(0)[:3]}…{m.group(0)[-2:]}")
    return sorted(set(out))


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_unmasked_personal_data_anywhere(personas, pii_world, persona):
    client = crawl_client()
    client.force_login(getattr(personas, persona))
    pages = crawl(client, skip_names=ONCE)
    assert len(pages) > 80
    assert sum(p.status == 200 for p in pages) > 10
    problems = findings(pages, pii_world.secrets)
    assert not problems, f"{persona}:\n" + "\n".join(problems)


def test_crawl_reaches_pages_that_show_the_couriers(personas, pii_world):
    """The crawl is not vacuous: masked forms of the fixture's data are on the pages it fetches."""
    client = crawl_client()
    client.force_login(personas.shenyang_admin)
    pages = crawl(client)
    text = "\n".join(p.text for p in pages if p.status == 200)
    assert "139****5678" in text and "张建国" in text
    assert any("export=csv" in p.url and "text/csv" in p.content_type for p in pages)
    assert any(p.url.startswith("/api/v1/couriers/") and p.status == 200 for p in pages)
    assert any(p.url.startswith("/api/v1/openapi") and p.status == 200 for p in pages)
    assert any(p.status == 404 for p in pages)
    ok = {p.url for p in pages if p.status == 200}
    courier = pii_world.couriers[1]  # Shenyang; the highest pks are tried first
    assert reverse("people:courier-detail", args=[courier.pk]) in ok
    assert reverse("api:courier-detail", kwargs={"pk": courier.pk}) in ok
    assert reverse("activities:volunteer-detail", args=[pii_world.event.pk]) in ok
    assert not findings(pages, pii_world.secrets)


def test_offered_export_links_are_well_formed(personas, pii_world):
    """A broken export link (``??export=csv``) would hide exports from users and from this crawl."""
    client = crawl_client()
    client.force_login(personas.province_admin)
    bad = []
    for url in ("/org/outlets/", "/people/couriers/", "/people/governance/", "/activities/", "/plans/tasks/"):
        page = fetch(client, url)
        bad += [f"{url}: {h}" for h in EXPORT_LINK.findall(page.text) if h.startswith("??")]
    assert not bad, "\n".join(bad)


def test_findings_catch_plaintext_and_lookalikes():
    from types import SimpleNamespace

    from .crawl import Page

    secrets = SimpleNamespace(ids=["21010219880512008X"], phones=["13912345678"])
    leak = [
        Page("/a/", 200, "text/html", "", "身份证 21010219880512008x"),
        Page("/b/", 404, "text/html", "", "<td>15098765432</td>"),
        Page("/c/", 200, "text/csv", "", "王,210202850707233\r\n"),
        Page("/d/", 500, "text/html", "", ""),
        Page("/ok/", 200, "text/html", "", "210***********008X 139****5678 LNYZ-VS-2026-000001 2026-11-27 14:08"),
    ]
    urls = {f.split(":")[0] for f in findings(leak, secrets)}
    assert urls == {"/a/", "/b/", "/c/", "/d/"}
