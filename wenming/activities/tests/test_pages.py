"""Pairings and every staff page: renders in Chinese, forms keep input, scope on pairings."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.activities import services
from wenming.activities.models import Activity, Pairing, VolunteerEvent


@pytest.fixture
def pairing(personas, org_tree):
    return services.pairing_create(
        by=personas.shenyang_admin,
        organization=org_tree.shenyang_outlet,
        data={
            "partner_name": "和平区南市场社区",
            "partner_type": "community",
            "title": "快递进社区共建",
            "plan": "每月一次便民服务。",
            "goals": "建立社区快递服务点。",
            "period_start": date(2026, 1, 1),
            "period_end": date(2026, 12, 31),
        },
    )


def test_pairing_with_joint_activities_and_scope(client, personas, org_tree, pairing, make_activity):
    a = make_activity(
        by=personas.shenyang_outlet, org=org_tree.shenyang_outlet, code="twinning", pairing=pairing, title="社区共建日"
    )
    assert a.pairing == pairing
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("activities:pairing-detail", args=[pairing.pk])).content.decode()
    assert "社区共建日" in page and "快递进社区共建" in page and "结束共建" in page
    page = client.get(reverse("activities:pairing-list")).content.decode()
    assert "和平区南市场社区" in page
    client.force_login(personas.dalian_admin)
    assert "和平区南市场社区" not in client.get(reverse("activities:pairing-list")).content.decode()
    assert client.get(reverse("activities:pairing-detail", args=[pairing.pk])).status_code == 404
    assert client.post(reverse("activities:pairing-end", args=[pairing.pk])).status_code == 404
    client.force_login(personas.shenyang_admin)
    client.post(reverse("activities:pairing-end", args=[pairing.pk]))
    pairing.refresh_from_db()
    assert pairing.status == "ended"


def test_pairing_form_keeps_input_and_shows_field_errors(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    resp = client.post(
        reverse("activities:pairing-create"),
        {
            "organization": org_tree.shenyang.pk,
            "partner_name": "沈北新区石佛寺村",
            "partner_type": "village",
            "title": "",
            "plan": "助农寄递",
            "goals": "农产品上行",
            "period_start": "2026-05-01",
            "period_end": "2026-04-01",
        },
    )
    assert resp.status_code == 422
    page = resp.content.decode()
    assert "请填写共建项目" in page and "截止日期不能早于起始日期" in page and 'value="沈北新区石佛寺村"' in page
    assert Pairing.objects.count() == 0


def test_volunteer_event_form_validation(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    resp = client.post(
        reverse("activities:volunteer-create"),
        {
            "organization": org_tree.shenyang.pk,
            "title": "文明交通志愿服务",
            "place": "",
            "starts_at": "2026-12-01T09:00",
            "ends_at": "2026-12-01T08:00",
            "auto_checkout_hours": "30",
        },
    )
    assert resp.status_code == 422
    page = resp.content.decode()
    assert "请填写服务地点" in page and "结束时间不能早于开始时间" in page and "1 到 24 小时" in page
    assert VolunteerEvent.objects.count() == 0
    resp = client.post(
        reverse("activities:volunteer-create"),
        {
            "organization": org_tree.shenyang.pk,
            "title": "文明交通志愿服务",
            "place": "青年大街",
            "starts_at": "2026-12-01T09:00",
            "ends_at": "2026-12-01T11:00",
            "auto_checkout_hours": "3",
            "signup_open": "on",
        },
    )
    ev = VolunteerEvent.objects.get()
    assert resp.status_code == 302 and ev.auto_checkout_hours == 3 and ev.organiser == personas.shenyang_admin


def test_staff_can_join_and_organiser_adds_couriers(client, personas, org_tree, couriers):
    now = timezone.now()
    ev = services.volunteer_event_create(
        by=personas.shenyang_admin,
        organization=org_tree.shenyang,
        data={"title": "爱心送考", "place": "沈阳二中", "starts_at": now, "ends_at": now + timedelta(hours=2)},
    )
    client.force_login(personas.shenyang_staff)
    page = client.get(reverse("activities:volunteer-detail", args=[ev.pk])).content.decode()
    assert "我要报名" in page
    client.post(reverse("activities:volunteer-join", args=[ev.pk]))
    assert ev.signups.filter(user=personas.shenyang_staff).exists()
    client.force_login(personas.shenyang_admin)
    client.post(reverse("activities:signup-add", args=[ev.pk]), {"courier": couriers.zhang.pk})
    assert ev.signups.filter(courier=couriers.zhang).exists()
    resp = client.post(reverse("activities:signup-add", args=[ev.pk]), {"courier": couriers.wang.pk})
    assert resp.status_code == 302 and not ev.signups.filter(courier=couriers.wang).exists()  # Dalian courier


PAGES = [
    ("activities:list", []),
    ("activities:type-pick", []),
    ("activities:create", ["consumer_day_315"]),
    ("activities:calendar", []),
    ("activities:gallery", []),
    ("activities:pairing-list", []),
    ("activities:pairing-create", []),
    ("activities:volunteer-list", []),
    ("activities:volunteer-create", []),
    ("activities:volunteer-records", []),
    ("activities:volunteer-totals", []),
    ("activities:certificate-list", []),
]


def test_every_page_renders_in_chinese(client, personas, org_tree, make_activity, pairing):
    a = make_activity(by=personas.shenyang_admin, org=org_tree.shenyang, pairing=pairing)
    client.force_login(personas.shenyang_admin)
    urls = [reverse(name, args=args) for name, args in PAGES]
    urls += [
        reverse("activities:detail", args=[a.pk]),
        reverse("activities:edit", args=[a.pk]),
        reverse("activities:ledger", args=[org_tree.shenyang.pk]),
        reverse("activities:pairing-detail", args=[pairing.pk]),
    ]
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        text = re.sub(r"<[^>]+>", " ", resp.content.decode())
        assert not re.search(r"\bNone\b|\bSubmit\b|\bTrue\b|\bFalse\b", text), url
    assert client.get(reverse("activities:ledger-home")).status_code == 302
    # the menu has the 创建活动 group
    page = client.get(reverse("activities:list")).content.decode()
    assert "创建活动" in page and "志愿服务" in page


def test_outlet_manager_cannot_verify_or_export(client, personas, org_tree, make_activity):
    a = make_activity(by=personas.shenyang_outlet, org=org_tree.shenyang_outlet)
    client.force_login(personas.shenyang_outlet)
    assert client.get(reverse("activities:list") + "?export=xlsx").status_code == 403
    assert Activity.objects.visible_to(personas.shenyang_outlet).filter(pk=a.pk).exists()


def test_couriers_are_picked_by_search_under_the_chosen_unit(client, personas, org_tree, couriers):
    client.force_login(personas.province_admin)
    url = reverse("activities:create", args=["consumer_day_315"])
    assert client.get(url).status_code == 403  # the province verifies, it does not record
    client.force_login(personas.shenyang_admin)
    page = client.get(url, {"organization": org_tree.shenyang_outlet.pk}).content.decode()
    assert "张晓明" not in page and "张*明" not in page  # no courier is listed before a search
    assert 'data-picker-follow="organization"' in page
    found = client.get(reverse("picker", args=["couriers"]), {"q": "张", "under": org_tree.shenyang_outlet.pk}).json()[
        "results"
    ]
    assert [(r["label"], r["hint"]) for r in found] == [("张*明", "顺丰沈阳和平营业部")]


def test_list_pages_do_a_constant_number_of_queries(
    client, personas, org_tree, make_activity, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.shenyang_admin)
    make_activity(by=personas.shenyang_admin, org=org_tree.shenyang, photos=0)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("activities:list"))
    for i in range(25):
        make_activity(by=personas.shenyang_admin, org=org_tree.shenyang_outlet, photos=0, title=f"活动{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("activities:list"))
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        client.get("/api/v1/activities/")
