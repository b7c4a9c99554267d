"""Courier transfers (调动): recorded when the outlet changes, audited, shown on the courier page in scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.core.errors import ApplicationError
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Outlet
from wenming.organizations.services import org_create
from wenming.people.models import CourierMove
from wenming.people.services import courier_update
from wenming.plans.tests.conftest import at

from .factories import id_number, make_courier

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiexi(org_tree):
    org = org_create(parent=org_tree.shenyang_enterprise, kind=OrgKind.OUTLET, name="顺丰沈阳铁西营业部", audit=False)
    Outlet.objects.create(organization=org, brand=org_tree.sf, county_code="210106")
    return org


def _edit(courier, outlet, **over):
    data = {
        "outlet": outlet.pk,
        "name": courier.name,
        "gender": "M",
        "birth_date": "1990-01-01",
        "started_delivery_on": "2015-06-01",
        "job": "courier",
        "status": "active",
        "has_labour_contract": "on",
        "id_number": "",
        "phone": "",
    }
    data.update(over)
    return data


def test_moving_a_courier_through_the_edit_form_records_and_shows_the_move(client, personas, org_tree, tiexi):
    c = make_courier(org_tree.shenyang_outlet, name="王小明", id_number=id_number(seq=301))
    client.force_login(personas.shenyang_enterprise)
    url = reverse("people:courier-edit", args=[c.pk])
    page = client.get(url).content.decode()
    assert "调动日期" in page and "调动原因" in page
    with at(2026, 11, 2):
        resp = client.post(url, _edit(c, tiexi, moved_on="2026-10-30", move_reason="铁西网点业务量增加"))
    assert resp.status_code == 302
    move = CourierMove.objects.get(courier=c)
    assert (move.from_outlet, move.to_outlet, move.moved_on) == (org_tree.shenyang_outlet, tiexi, date(2026, 10, 30))
    assert move.by == personas.shenyang_enterprise and move.reason == "铁西网点业务量增加"
    ev = AuditEvent.objects.get(action="update", object_type="people.Courier", object_id=str(c.pk))
    assert ev.detail["fields"] == ["outlet"]
    assert ev.detail["move"] == {"from": "顺丰沈阳和平营业部", "to": "顺丰沈阳铁西营业部", "moved_on": "2026-10-30"}
    assert "王小明" not in ev.object_repr  # the courier's name is masked in the audit log

    page = client.get(reverse("people:courier-detail", args=[c.pk])).content.decode()
    assert "调动记录" in page and "2026-10-30 调动" in page
    assert "由 " in page and "顺丰沈阳和平营业部" in page and "调至" in page and "原因：铁西网点业务量增加" in page
    assert reverse("organizations:detail", args=[org_tree.shenyang_outlet.pk]) in page


def test_editing_without_a_new_outlet_records_no_move(client, personas, org_tree):
    c = make_courier(org_tree.shenyang_outlet, name="李四", id_number=id_number(seq=302))
    client.force_login(personas.shenyang_enterprise)
    resp = client.post(reverse("people:courier-edit", args=[c.pk]), _edit(c, org_tree.shenyang_outlet, status="left"))
    assert resp.status_code == 302
    assert not CourierMove.objects.exists()
    assert "暂无调动记录" in client.get(reverse("people:courier-detail", args=[c.pk])).content.decode()


def test_a_move_from_another_city_shows_the_old_outlet_as_other_unit(client, personas, org_tree):
    c = make_courier(org_tree.dalian_outlet, name="赵大连", id_number=id_number(seq=303))
    courier_update(
        courier=c,
        fields={},
        outlet=org_tree.shenyang_outlet,
        move_reason="随家属迁居沈阳",
        by=personas.province_admin,
    )
    url = reverse("people:courier-detail", args=[c.pk])

    client.force_login(personas.shenyang_enterprise)
    page = client.get(url).content.decode()
    assert "其他单位" in page and "中通大连中山营业部" not in page and "大连中通快递有限公司" not in page
    assert reverse("organizations:detail", args=[org_tree.dalian_outlet.pk]) not in page
    assert "顺丰沈阳和平营业部" in page and "随家属迁居沈阳" in page
    assert "其他单位人员" in page and "p_admin" not in page  # the recorder sits in the province office

    client.force_login(personas.province_admin)
    page = client.get(url).content.decode()
    assert "中通大连中山营业部" in page and "其他单位" not in page

    client.force_login(personas.dalian_admin)  # the courier has left Dalian's scope
    assert client.get(url).status_code == 404


def test_move_dates_are_checked_and_nothing_is_half_written(personas, org_tree, tiexi):
    c = make_courier(org_tree.shenyang_outlet, name="周五", id_number=id_number(seq=304))
    by = personas.shenyang_enterprise
    with at(2026, 11, 2):
        with pytest.raises(ApplicationError) as exc:
            courier_update(courier=c, fields={}, outlet=tiexi, moved_on=date(2026, 11, 3), by=by)
        assert exc.value.field == "moved_on" and "不能晚于今天" in exc.value.message
        courier_update(courier=c, fields={}, outlet=tiexi, moved_on=date(2026, 10, 1), by=by)
        c.refresh_from_db()
        with pytest.raises(ApplicationError) as exc:
            courier_update(courier=c, fields={}, outlet=org_tree.shenyang_outlet, moved_on=date(2026, 9, 1), by=by)
        assert "不能早于上次调动（2026-10-01）" in exc.value.message
    c.refresh_from_db()
    assert c.outlet == tiexi and CourierMove.objects.filter(courier=c).count() == 1


def test_the_edit_form_rejects_a_future_move_date_and_keeps_the_input(client, personas, org_tree, tiexi):
    c = make_courier(org_tree.shenyang_outlet, name="吴六", id_number=id_number(seq=305))
    client.force_login(personas.shenyang_enterprise)
    with at(2026, 11, 2):
        resp = client.post(
            reverse("people:courier-edit", args=[c.pk]), _edit(c, tiexi, moved_on="2026-12-01", move_reason="新网点")
        )
    assert resp.status_code == 422
    page = resp.content.decode()
    assert "调动日期不能晚于今天" in page and "新网点" in page
    c.refresh_from_db()
    assert c.outlet == org_tree.shenyang_outlet and not CourierMove.objects.exists()
