"""PR1 masking crawl: no page, export, API answer or error page shows a plaintext ID number or mobile."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from wenming.core import pii

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


# --- PR1b recombination: what the pages show together must leave ≥ 1,000 candidate ID numbers ------
MIN_CANDIDATES = 1000
MASK = re.compile(r"(?<![\w*])[\dXx*]{15,18}(?![\w*])")
LIFETIME = (date(1940, 1, 1), date(2010, 12, 31))  # nothing shown: any working-age birth date


def _day_spellings(d: date) -> list[str]:
    return [f"{d:%Y-%m-%d}", f"{d:%Y/%m/%d}", f"{d:%Y%m%d}", f"{d.year}年{d.month}月{d.day}日", f"{d:%Y年%m月%d日}"]


def birth_window(texts: list[str], born: date) -> tuple[date, date]:
    """The narrowest range of birth dates the texts give away about someone born on ``born``."""
    blob = "\n".join(texts)
    if any(s in blob for s in _day_spellings(born)):
        return born, born
    if any(s in blob for s in (f"{born:%Y-%m}", f"{born.year}年{born.month}月", f"{born:%Y年%m月}")):
        first = born.replace(day=1)
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if re.search(rf"(?<!\d){born.year}年(?!\d)", blob) or f"出生年份{born.year}" in blob:
        return date(born.year, 1, 1), date(born.year, 12, 31)
    for m in re.finditer(r"(?<!\d)(\d{4})\s*[–—~-]\s*(\d{4})年?", blob):
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo <= born.year <= hi and hi - lo < 60:
            return date(lo, 1, 1), date(hi, 12, 31)
    for m in re.finditer(r"(?<!\d)(\d{1,3})\s*岁", blob):
        age = int(m.group(1))
        today = date.today()
        if today.year - born.year - 1 <= age <= today.year - born.year:
            return date(today.year - age - 1, today.month, today.day) + timedelta(days=1), today.replace(
                year=today.year - age
            )
    return LIFETIME


def visible_characters(texts: list[str], secret: str) -> dict[int, str]:
    """Positions of the ID number that any mask on the pages shows (only masks consistent with it)."""
    shown: dict[int, str] = {}
    for text in texts:
        for m in MASK.finditer(text):
            mask = m.group(0).upper()
            if len(mask) != len(secret) or "*" not in mask:
                continue
            if all(c == "*" or c == s for c, s in zip(mask, secret, strict=True)):
                shown.update({i: c for i, c in enumerate(mask) if c != "*"})
    return shown


def id_candidates(secret: str, window: tuple[date, date], shown: dict[int, str], limit: int = MIN_CANDIDATES) -> int:
    """Valid ID numbers an attacker must still try, assuming the area code (the outlet's county) and
    the sex (shown on the page) known; counting stops at ``limit``."""
    area, parity = secret[:6], int(secret[16]) % 2
    n, day = 0, window[0]
    while day <= window[1]:
        born = f"{day:%Y%m%d}"
        if all(born[i - 6] == c for i, c in shown.items() if 6 <= i < 14):
            for seq in range(parity, 1000, 2):
                first17 = f"{area}{born}{seq:03d}"
                if all(first17[i] == c for i, c in shown.items() if 14 <= i < 17):
                    check = pii.id_check_char(first17)
                    if 17 not in shown or shown[17] == check:
                        n += 1
                        if n >= limit:
                            return n
        day += timedelta(days=1)
    return n


def recombination_findings(pages, world) -> list[str]:
    out = []
    for courier, secret in zip(world.couriers, world.secrets.ids, strict=True):
        texts = [p.text for p in pages if p.status == 200 and (courier.name in p.text or courier.masked_name in p.text)]
        if not texts:
            continue
        window = birth_window(texts, courier.birth_date)
        shown = visible_characters(texts, secret)
        left = id_candidates(secret, window, shown)
        if left < MIN_CANDIDATES:
            out.append(f"{courier.name}: {left} candidates (birth {window[0]}…{window[1]}, shown {sorted(shown)})")
    return out


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_unmasked_personal_data_anywhere(personas, pii_world, persona):
    """Every page, export and API answer as every role: no plaintext, and no ID number rebuilt from
    what the pages show together (mask + birth information + the outlet's county)."""
    client = crawl_client()
    client.force_login(getattr(personas, persona))
    pages = crawl(client, skip_names=ONCE)
    assert len(pages) > 80
    assert sum(p.status == 200 for p in pages) > 10
    problems = findings(pages, pii_world.secrets) + recombination_findings(pages, pii_world)
    assert not problems, f"{persona}:\n" + "\n".join(problems)


def test_recombination_check_rebuilds_an_id_from_the_old_courier_page():
    """The check is not vacuous: the page as it was (mask 3+4, full birth date) leaves one candidate."""
    secret = "210102199102034171"
    old_page = "身份证号 210***********4171 出生日期 1991-02-03 所属网点 和平区"
    window = birth_window([old_page], date(1991, 2, 3))
    assert window == (date(1991, 2, 3), date(1991, 2, 3))
    assert id_candidates(secret, window, visible_characters([old_page], secret)) == 1
    new_page = (
        f"身份证号 {pii.mask_id_number(secret)} 出生年份 {pii.birth_disclosed(date(1991, 2, 3), may_reveal=True)}"
    )
    window = birth_window([new_page], date(1991, 2, 3))
    assert window == (date(1991, 1, 1), date(1991, 12, 31))
    assert id_candidates(secret, window, visible_characters([new_page], secret)) >= MIN_CANDIDATES
    assert id_candidates(secret, window, visible_characters([new_page], secret), limit=10**6) > 15_000


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
