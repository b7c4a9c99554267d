"""IN2 no 5xx on out-of-range numbers and dates: the cases an assessor found, as regression tests."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

HUGE = "99999999999999999999"


def _client(user) -> Client:
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/organizations/?parent={HUGE}",
        f"/api/v1/couriers/?outlet={HUGE}",
        f"/api/v1/couriers/?within={HUGE}",
        f"/api/v1/organizations/?parent=-{HUGE}",
        f"/people/couriers/?org={HUGE}",
        "/activities/?date_from=0001-01-01&date_to=0001-01-01",
        "/activities/volunteer/?date_from=0001-01-01",
        "/activities/volunteer/hours/?date_from=0001-01-01&date_to=9999-12-31",
    ],
)
def test_huge_numbers_and_year_one_in_queries_are_not_5xx(personas, url):
    resp = _client(personas.province_admin).get(url)
    assert resp.status_code < 500, (url, resp.status_code)


def test_volunteer_capacity_out_of_range_is_a_field_error(personas, org_tree):
    c = _client(personas.shenyang_admin)
    resp = c.post(
        reverse("activities:volunteer-create"),
        {
            "organization": org_tree.shenyang.pk,
            "title": "社区宣讲",
            "place": "和平区",
            "starts_at": "2026-11-27T09:00",
            "ends_at": "2026-11-27T11:00",
            "capacity": HUGE,
            "auto_checkout_hours": "4",
            "signup_open": "on",
        },
    )
    assert resp.status_code == 422, resp.status_code
    assert "招募人数" in resp.content.decode() and "社区宣讲" in resp.content.decode()


def test_volunteer_event_in_year_one_is_a_field_error(personas, org_tree):
    c = _client(personas.shenyang_admin)
    resp = c.post(
        reverse("activities:volunteer-create"),
        {
            "organization": org_tree.shenyang.pk,
            "title": "社区宣讲",
            "place": "和平区",
            "starts_at": "0001-01-01T00:00",
            "ends_at": "0001-01-01T02:00",
            "capacity": "0",
            "auto_checkout_hours": "4",
        },
    )
    assert resp.status_code == 422, resp.status_code
    assert "日期" in resp.content.decode() or "时间" in resp.content.decode()


def _activity_post(org, atype, **over) -> dict:
    data = {
        "organization": org.pk,
        "title": "文明寄递宣传",
        "starts_at": "2026-11-20T09:00",
        "ends_at": "2026-11-20T11:00",
        "address": "和平区中山广场",
        "participant_count": "3",
        "beneficiaries": "过往群众",
        "beneficiary_count": "100",
        "core_values": "civility",
        "postal_values": "service",
        "description": "现场解答寄递问题。",
    }
    data.update(over)
    return data


def test_activity_form_with_a_huge_participant_count_is_a_field_error(personas, org_tree):
    from wenming.activities.models import ActivityType

    atype = ActivityType.objects.filter(is_active=True).order_by("pk").first()
    assert atype is not None
    c = _client(personas.shenyang_admin)
    url = reverse("activities:create", kwargs={"type_code": atype.code})
    resp = c.post(url, _activity_post(org_tree.shenyang, atype, participant_count=HUGE))
    assert resp.status_code == 422, resp.status_code
    body = resp.content.decode()
    assert "数值超出允许范围" in body and "文明寄递宣传" in body


@pytest.mark.parametrize(
    "field,value",
    [("participant_count", int(HUGE)), ("beneficiary_count", int(HUGE)), ("starts_at", "0001-01-01T00:00:00")],
)
def test_api_activity_create_out_of_range_is_a_400_in_chinese(personas, org_tree, field, value):
    from wenming.activities.models import Activity, ActivityType

    atype = ActivityType.objects.filter(is_active=True).order_by("pk").first()
    payload = {
        "organization": org_tree.shenyang.pk,
        "activity_type": atype.code,
        "title": "文明寄递宣传",
        "starts_at": "2026-11-20T09:00:00+08:00",
        "description": "现场解答寄递问题。",
        field: value,
    }
    c = _client(personas.shenyang_admin)
    before = Activity.objects.count()
    resp = c.post("/api/v1/activities/", payload, content_type="application/json")
    assert resp.status_code == 400, (resp.status_code, resp.content[:200])
    assert field in resp.json() and any("\u4e00" <= ch <= "\u9fff" for ch in str(resp.json()[field]))
    assert Activity.objects.count() == before
