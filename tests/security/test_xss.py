"""IN12 XSS: hostile organisation names are escaped on every page that shows them and stay text in CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Enterprise, Outlet
from wenming.organizations.services import org_create

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RAW = ("<script>alert(1)", "<img src=x", "onerror=alert(1)>")


@pytest.fixture
def hostile(org_tree):
    t = org_tree
    ent = org_create(parent=t.shenyang, kind=OrgKind.ENTERPRISE, name=f"恶意企业{SCRIPT}", audit=False)
    Enterprise.objects.create(organization=ent, brand=t.sf, licence_no="辽210100999")
    outlet = org_create(parent=ent, kind=OrgKind.OUTLET, name=f"恶意网点{IMG}", audit=False, address=SCRIPT)
    Outlet.objects.create(organization=outlet, brand=t.sf, county_code="210102", opened_on=date(2020, 1, 1))
    return ent, outlet


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _assert_escaped(body: str, url: str) -> None:
    for raw in RAW:
        assert raw not in body, f"{url}: raw {raw!r}"


def test_hostile_names_are_escaped_on_html_pages(personas, org_tree, hostile):
    ent, outlet = hostile
    client = _client(personas.shenyang_admin)
    urls = [
        reverse("organizations:tree"),
        reverse("organizations:tree-children", args=[org_tree.shenyang.pk]),
        reverse("organizations:tree-children", args=[ent.pk]),
        reverse("organizations:detail", args=[ent.pk]),
        reverse("organizations:detail", args=[outlet.pk]),
        reverse("organizations:outlet-list"),
        reverse("organizations:enterprise-list"),
        reverse("organizations:outlet-list") + "?q=恶意",
    ]
    shown = 0
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        body = resp.content.decode()
        _assert_escaped(body, url)
        shown += "&lt;script&gt;" in body or "&lt;img src=x" in body
    assert shown >= 4  # the names really are on the pages, escaped


def test_hostile_names_are_plain_text_in_csv_and_json(personas, hostile):
    ent, outlet = hostile
    client = _client(personas.shenyang_admin)
    resp = client.get(reverse("organizations:outlet-list"), {"export": "csv"})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    assert "attachment" in resp["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(resp.streaming_content).decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert f"恶意网点{IMG}" in cells  # one cell, the name verbatim: text, not markup
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells if "恶意" in c)
    data = client.get(reverse("api:organization-detail", args=[outlet.pk])).json()
    assert IMG in str(data)
    resp = client.get(reverse("api:organization-list"))
    assert resp["Content-Type"].startswith("application/json")
