"""服务评价 on the public portal: the home page's block and the 查找网点 page, whose results open the outlet's
signed survey (the same link as its QR poster). Only open outlets are listed; hostile input never gives 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization, Outlet
from wenming.organizations.services import org_create
from wenming.surveys.services import ensure_default_questionnaire, outlet_token

pytestmark = pytest.mark.django_db

URL = "/p/portal/outlets/"


def _outlet(t, name: str, *, status: str = "open", active: bool = True, address: str = "") -> Organization:
    org = org_create(parent=t.dalian_enterprise, kind=OrgKind.OUTLET, name=name, audit=False, address=address)
    Outlet.objects.create(organization=org, brand=t.zto, county_code="210202", status=status)
    if not active:
        Organization.objects.filter(pk=org.pk).update(is_active=False)
    return org


def test_home_shows_the_survey_block_with_the_outlet_finder(org_tree, client):
    page = client.get("/").content.decode()
    assert 'id="sec-rate"' in page and "服务评价" in page and "扫描网点二维码评价" in page
    assert f'href="{reverse("public:portal-outlets")}"' in page
    assert f'href="{reverse("public:portal-outlets")}"' in client.get(reverse("public:portal-map")).content.decode()


def test_a_dalian_outlet_is_found_and_its_link_opens_the_survey(org_tree, client):
    ensure_default_questionnaire(organization=org_tree.province)
    survey = reverse("public:surveys-outlet", args=[outlet_token(org_tree.dalian_outlet.pk)])
    resp = client.get(URL, {"city": "210200", "q": "中山"})
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "中通大连中山营业部" in page and f'href="{survey}"' in page
    assert "顺丰沈阳和平营业部" not in page  # another city
    by_address = client.get(URL, {"q": "人民路"}).content.decode()
    assert f'href="{survey}"' in by_address
    opened = client.get(survey)
    assert opened.status_code == 200 and "中通大连中山营业部" in opened.content.decode()


def test_only_open_active_outlets_are_listed_and_no_phone_is_shown(org_tree, client):
    Organization.objects.filter(pk=org_tree.dalian_outlet.pk).update(contact_phone="13800001111")
    _outlet(org_tree, "中通大连停业营业部", status="suspended")
    _outlet(org_tree, "中通大连撤销营业部", status="closed")
    _outlet(org_tree, "中通大连失效营业部", active=False)
    page = client.get(URL, {"city": "210200"}).content.decode()
    assert "中通大连中山营业部" in page and "找到 1 个网点" in page
    for gone in ("停业", "撤销", "失效"):
        assert gone not in page
    assert "13800001111" not in page


def test_results_are_paginated(org_tree, client):
    for i in range(20):
        _outlet(org_tree, f"中通大连分部{i:02d}", address="西岗区")
    first = client.get(URL, {"city": "210200", "q": "分部"}).content.decode()
    assert "找到 20 个网点" in first and "第 1 / 2 页" in first and "page=2" in first
    second = client.get(URL, {"city": "210200", "q": "分部", "page": "2"}).content.decode()
    assert "中通大连分部19" in second and "中通大连分部00" not in second


@pytest.mark.parametrize(
    "query",
    [
        {"q": "中" * 5000},
        {"city": "2" * 5000, "q": "x"},
        {"q": "中山\x00营业部"},
        {"city": "210200\x00"},
        {"city": "210200", "page": "-1"},
        {"city": "210200", "page": "9" * 5000},
        {"city": "<script>", "q": "'; DROP TABLE x; --", "page": "abc"},
    ],
)
def test_hostile_input_gives_no_server_error(org_tree, client, query):
    resp = client.get(URL, query)
    assert resp.status_code in (200, 400)
    assert "<script>" not in resp.content.decode()


def test_raw_nul_in_the_query_string(org_tree, client):
    resp = client.get(URL + "?city=210200&q=%00%00&page=%00")
    assert resp.status_code in (200, 400)
    assert "中通大连中山营业部" in resp.content.decode()  # NUL dropped, the city still applies


def test_the_finder_is_rate_limited(org_tree, client, settings):
    codes = [client.get(URL, {"q": f"网点{i}"}).status_code for i in range(32)]
    assert codes[:30] == [200] * 30 and codes[-1] == 429
