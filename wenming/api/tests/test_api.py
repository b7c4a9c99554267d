"""JSON API: data scope (404 outside), masking, filters, schema, no-store, constant query counts."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wenming.accounts.models import User
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization
from wenming.people.models import Courier, CourierStatus

ID_PATTERN = re.compile(r"\d{17}[\dXx]")
PHONE_PATTERN = re.compile(r"1[3-9]\d{9}")
ORGS = "/api/v1/organizations/"
COURIERS = "/api/v1/couriers/"


@pytest.fixture
def demo(db):
    call_command("seed_demo", size="tiny", stdout=StringIO())
    return {
        "province": Organization.objects.get(kind=OrgKind.PROVINCIAL_BUREAU),
        "shenyang": Organization.objects.get(kind=OrgKind.CITY_BUREAU, code="210100"),
        "dalian": Organization.objects.get(kind=OrgKind.CITY_BUREAU, code="210200"),
    }


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def all_results(client, url, **params):
    """Follow every page; returns (rows, raw bodies)."""
    rows, bodies = [], []
    params = {"page_size": 100, **params}
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        bodies.append(response.content.decode())
        data = response.json()
        rows += data["results"]
        if not data["next"]:
            return rows, bodies
        response = client.get(data["next"])


def test_anonymous_request_gets_401_in_chinese(client, demo):
    response = client.get(ORGS)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "未登录" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "no-store" in response["Cache-Control"]
    assert client.get(f"{COURIERS}{Courier.objects.first().pk}/").status_code == 401


def test_messages_stay_chinese_whatever_the_browser_language(client, demo):
    response = client.get(ORGS, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert "未登录" in response.json()["detail"]


def test_shenyang_admin_lists_only_shenyang_organizations(client, demo):
    as_user(client, "shenyang")

    rows, _ = all_results(client, ORGS)

    expected = Organization.objects.filter(path__startswith=demo["shenyang"].path)
    assert len(rows) == expected.count() > 10
    assert {r["city_code"] for r in rows} == {"210100"}
    assert demo["dalian"].pk not in {r["id"] for r in rows}
    assert demo["province"].pk not in {r["id"] for r in rows}


def test_shenyang_admin_lists_only_shenyang_couriers(client, demo):
    as_user(client, "shenyang")

    rows, _ = all_results(client, COURIERS)

    expected = Courier.objects.filter(outlet__path__startswith=demo["shenyang"].path)
    assert len(rows) == expected.count() > 0
    assert {r["city_code"] for r in rows} == {"210100"}
    assert Courier.objects.count() > len(rows)


def test_out_of_scope_details_are_404(client, demo):
    as_user(client, "shenyang")
    dalian_outlet = Organization.objects.filter(kind=OrgKind.OUTLET, city_code="210200").first()
    dalian_courier = Courier.objects.filter(outlet__city_code="210200").first()
    own_courier = Courier.objects.filter(outlet__city_code="210100").first()

    assert client.get(f"{ORGS}{demo['dalian'].pk}/").status_code == 404
    assert client.get(f"{ORGS}{dalian_outlet.pk}/").status_code == 404
    assert client.get(f"{ORGS}{demo['province'].pk}/").status_code == 404
    assert client.get(f"{COURIERS}{dalian_courier.pk}/").status_code == 404
    assert client.get(f"{ORGS}{demo['shenyang'].pk}/").status_code == 200
    detail = client.get(f"{COURIERS}{own_courier.pk}/")
    assert detail.status_code == 200
    assert detail.json()["id_number_hint"] == own_courier.id_number_hint
    # the same answer as for a row that does not exist at all
    missing = client.get(f"{COURIERS}999999/")
    assert missing.status_code == 404
    assert client.get(f"{COURIERS}{dalian_courier.pk}/").json() == missing.json()


def test_roles_without_view_see_nothing(client, demo):
    for username in ("expert1", "auditor"):
        as_user(client, username)
        assert client.get(ORGS).json()["count"] == 0
        assert client.get(COURIERS).json()["count"] == 0
        assert client.get(f"{ORGS}{demo['shenyang'].pk}/").status_code == 404


def test_organization_filters(client, demo):
    as_user(client, "province")

    outlets = client.get(ORGS, {"kind": "outlet", "city_code": "210200", "page_size": 100}).json()
    children = client.get(ORGS, {"parent": demo["province"].pk, "page_size": 100}).json()
    search = client.get(ORGS, {"q": "大连市邮政管理局"}).json()
    enterprises = client.get(ORGS, {"kind": "enterprise", "city_code": "210100", "page_size": 100}).json()

    assert outlets["count"] == Organization.objects.filter(kind=OrgKind.OUTLET, city_code="210200").count() > 0
    assert all(r["kind"] == "outlet" and r["outlet"]["county_code"][:4] == "2102" for r in outlets["results"])
    assert children["count"] == demo["province"].children.count() == 6 + 14 + 3
    assert [r["id"] for r in search["results"]] == [demo["dalian"].pk]
    assert any(r["enterprise"]["brand"] == "顺丰" for r in enterprises["results"])
    assert client.get(ORGS, {"kind": "nonsense"}).status_code == 400


def test_courier_filters(client, demo):
    as_user(client, "province")
    courier = Courier.objects.select_related("outlet").first()
    Courier.objects.filter(pk=courier.pk).update(status=CourierStatus.LEFT)

    by_outlet = client.get(COURIERS, {"outlet": courier.outlet_id, "page_size": 100}).json()
    by_id = client.get(COURIERS, {"q": courier.reveal_id_number()}).json()
    by_phone = client.get(COURIERS, {"q": courier.reveal_phone()}).json()
    left = client.get(COURIERS, {"status": "left", "page_size": 100}).json()
    within = client.get(COURIERS, {"within": demo["dalian"].pk, "page_size": 100}).json()

    assert by_outlet["count"] == Courier.objects.filter(outlet=courier.outlet).count()
    assert {r["outlet"] for r in by_outlet["results"]} == {courier.outlet_id}
    assert [r["id"] for r in by_id["results"]] == [courier.pk]
    assert [r["id"] for r in by_phone["results"]] == [courier.pk]
    assert courier.pk in {r["id"] for r in left["results"]}
    assert all(r["status"] == "left" for r in left["results"])
    assert within["count"] == Courier.objects.filter(outlet__city_code="210200").count()
    # a node outside the user's scope gives an empty answer, not someone else's couriers
    as_user(client, "shenyang")
    assert client.get(COURIERS, {"within": demo["dalian"].pk}).json()["count"] == 0


def test_no_full_id_number_or_mobile_in_any_response(client, demo):
    as_user(client, "province")
    courier = Courier.objects.first()
    bodies = []
    for url in (ORGS, COURIERS):
        bodies += all_results(client, url)[1]
    bodies.append(client.get(f"{COURIERS}{courier.pk}/").content.decode())
    bodies.append(client.get(COURIERS, {"q": courier.reveal_id_number()}).content.decode())
    bodies.append(client.get(COURIERS, {"q": courier.reveal_phone()}).content.decode())
    for org in Organization.objects.filter(kind__in=[OrgKind.ENTERPRISE, OrgKind.OUTLET])[:5]:
        bodies.append(client.get(f"{ORGS}{org.pk}/").content.decode())
    bodies.append(client.get("/api/v1/openapi.json").content.decode())

    assert len(bodies) > 8
    for body in bodies:
        assert not ID_PATTERN.search(body), ID_PATTERN.search(body).group()
        assert not PHONE_PATTERN.search(body), PHONE_PATTERN.search(body).group()
    assert courier.id_number_hint in bodies[-1] or courier.id_number_hint in "".join(bodies)


def test_responses_are_never_cached(client, demo):
    as_user(client, "shenyang")

    for url in (ORGS, COURIERS, f"{ORGS}{demo['shenyang'].pk}/", "/api/v1/openapi.json"):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_openapi_document_lists_the_endpoints(client, demo):
    assert client.get("/api/v1/openapi.json").status_code == 401
    as_user(client, "shenyang")

    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/organizations/",
        "/api/v1/organizations/{id}/",
        "/api/v1/couriers/",
        "/api/v1/couriers/{id}/",
    ):
        assert "get" in schema["paths"][path]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    params = {p["name"] for p in schema["paths"]["/api/v1/couriers/"]["get"]["parameters"]}
    assert {"outlet", "status", "q", "page", "page_size"} <= params


@pytest.mark.parametrize("url", [ORGS, COURIERS])
def test_list_query_count_does_not_grow_with_page_size(client, demo, url):
    as_user(client, "province")
    client.get(url)  # warm the session

    with CaptureQueriesContext(connection) as small:
        assert len(client.get(url, {"page_size": 5}).json()["results"]) == 5
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(url, {"page_size": 100}).json()["results"]) == 100

    assert len(large) == len(small) <= 20
