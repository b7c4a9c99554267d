import csv
import io
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.core.errors import ApplicationError
from wenming.people.models import Courier
from wenming.people.services import courier_reveal

from .factories import id_number, make_courier

ID_A = id_number(seq=101)
PHONE_A = "13912345678"


@pytest.fixture
def zhang(org_tree):
    return make_courier(org_tree.shenyang_outlet, name="张建国", id_number=ID_A, phone=PHONE_A)


def _csv(resp):
    return list(csv.reader(io.StringIO(b"".join(resp.streaming_content).decode("utf-8-sig"))))


def test_list_masks_id_and_phone(client, personas, zhang):
    client.force_login(personas.shenyang_admin)
    body = client.get(reverse("people:courier-list")).content.decode()
    assert "张建国" in body and "139****5678" in body and "2****************" in body
    assert ID_A not in body and PHONE_A not in body


def test_exact_search_by_id_number_and_phone_uses_blind_index(client, personas, zhang, org_tree):
    make_courier(org_tree.shenyang_outlet, name="李四")
    client.force_login(personas.shenyang_admin)
    url = reverse("people:courier-list")
    body = client.get(url, {"id_number": ID_A.lower()[:-1] + ID_A[-1].lower()}).content.decode()
    assert "张建国" in body and "李四" not in body
    body = client.get(url, {"phone": "+86 139-1234-5678"}).content.decode()
    assert "张建国" in body and "李四" not in body
    body = client.get(url, {"phone": "13900000000"}).content.decode()
    assert "没有符合条件的记录" in body


def test_malformed_id_search_shows_field_error(client, personas, zhang):
    client.force_login(personas.shenyang_admin)
    body = client.get(reverse("people:courier-list"), {"id_number": "21010219900101001"}).content.decode()
    assert "身份证号码应为18位" in body and "张建国" not in body


def test_export_is_masked_and_audit_has_no_search_value(client, personas, zhang):
    client.force_login(personas.shenyang_admin)
    resp = client.get(reverse("people:courier-list"), {"id_number": ID_A, "export": "csv"})
    rows = _csv(resp)
    assert rows[0][0] == "姓名" and rows[1][0] == "张建国"
    flat = ",".join(",".join(r) for r in rows)
    assert ID_A not in flat and PHONE_A not in flat and "139****5678" in flat
    event = AuditEvent.objects.filter(action="export", object_type="people.Courier").get()
    assert event.detail["filters"] == {"id_number": "***"}
    assert ID_A not in str(event.detail)


def test_detail_masks_and_offers_reveal_only_with_pii_reveal(client, personas, zhang):
    url = reverse("people:courier-detail", args=[zhang.pk])
    client.force_login(personas.shenyang_staff)  # city_user: no pii.reveal
    body = client.get(url).content.decode()
    assert "139****5678" in body and PHONE_A not in body and "查看完整信息" not in body
    assert (
        client.post(
            reverse("people:courier-reveal", args=[zhang.pk]), {"field": "phone", "reason": "核实身份信息"}
        ).status_code
        == 403
    )
    client.force_login(personas.shenyang_admin)
    assert "查看完整信息" in client.get(url).content.decode()


def test_reveal_needs_reason_then_shows_value_once_and_audits(client, personas, zhang):
    client.force_login(personas.shenyang_admin)
    url = reverse("people:courier-reveal", args=[zhang.pk])
    short = client.post(url, {"field": "id_number", "reason": "看看"})
    assert short.status_code == 422 and ID_A not in short.content.decode()
    assert "至少5个字" in short.content.decode()
    resp = client.post(url, {"field": "id_number", "reason": "核实评选候选人身份"})
    assert resp.status_code == 200 and ID_A in resp.content.decode()
    assert "no-store" in resp["Cache-Control"]
    event = AuditEvent.objects.get(action="pii_reveal")
    assert event.detail == {"field": "id_number", "reason": "核实评选候选人身份"}
    assert event.object_id == str(zhang.pk)
    # the next ordinary page view is masked again
    assert ID_A not in client.get(reverse("people:courier-detail", args=[zhang.pk])).content.decode()


@override_settings(WENMING_UNMASK_DAILY_LIMIT=2)
def test_reveal_daily_limit_counts_audit_rows(personas, zhang):
    user = personas.shenyang_admin
    assert courier_reveal(courier=zhang, field="phone", reason="核实联系方式", by=user) == PHONE_A
    assert courier_reveal(courier=zhang, field="id_number", reason="核实身份信息", by=user) == ID_A
    with pytest.raises(ApplicationError, match="已达上限"):
        courier_reveal(courier=zhang, field="phone", reason="再次核实联系方式", by=user)
    assert AuditEvent.objects.filter(action="pii_reveal", outcome="success").count() == 2
    assert AuditEvent.objects.filter(action="pii_reveal", outcome="denied").count() == 1
    # another user has their own allowance
    assert courier_reveal(courier=zhang, field="phone", reason="核实联系方式", by=personas.province_admin) == PHONE_A


def test_reveal_out_of_scope_is_404(client, personas, org_tree):
    other = make_courier(org_tree.dalian_outlet, name="王五")
    client.force_login(personas.shenyang_admin)
    assert (
        client.post(
            reverse("people:courier-reveal", args=[other.pk]), {"field": "phone", "reason": "核实联系方式"}
        ).status_code
        == 404
    )


def _form(outlet, **over):
    data = {
        "outlet": outlet.pk,
        "name": "赵六",
        "gender": "M",
        "birth_date": "",
        "started_delivery_on": "2016-03-01",
        "job": "courier",
        "status": "active",
        "has_labour_contract": "on",
        "id_number": id_number(born="19880512", seq=7),
        "phone": "138 0000 1111",
    }
    data.update(over)
    return data


def test_create_courier_fills_birth_date_and_encrypts(client, personas, org_tree):
    client.force_login(personas.shenyang_enterprise)
    resp = client.post(reverse("people:courier-create"), _form(org_tree.shenyang_outlet))
    assert resp.status_code == 302
    c = Courier.objects.get(name="赵六")
    assert c.birth_date == date(1988, 5, 12)
    assert c.phone_hint == "138****1111" and c.reveal_phone() == "13800001111"
    assert "1111" not in c.phone_enc
    event = AuditEvent.objects.get(action="create", object_type="people.Courier")
    assert "13800001111" not in str(event.detail)


def test_create_rejects_bad_id_and_keeps_input(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    bad = id_number(seq=9)[:-1] + ("0" if id_number(seq=9)[-1] != "0" else "1")
    resp = client.post(reverse("people:courier-create"), _form(org_tree.shenyang_outlet, id_number=bad, phone="12345"))
    body = resp.content.decode()
    assert resp.status_code == 422
    assert "身份证号码校验位不正确" in body and "请输入正确的11位手机号码" in body
    assert 'value="赵六"' in body
    assert not Courier.objects.filter(name="赵六").exists()


def test_duplicate_id_number_gets_clear_message(client, personas, org_tree, zhang):
    client.force_login(personas.shenyang_admin)
    resp = client.post(reverse("people:courier-create"), _form(org_tree.shenyang_outlet, id_number=ID_A, birth_date=""))
    assert resp.status_code == 422
    assert "该身份证号码已登记，不能重复录入" in resp.content.decode()
    assert Courier.objects.count() == 1


def test_create_in_out_of_scope_outlet_is_refused(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    resp = client.post(reverse("people:courier-create"), _form(org_tree.dalian_outlet))
    assert resp.status_code == 422
    assert "所选所属网点无效" in resp.content.decode()
    assert not Courier.objects.exists()


def test_edit_keeps_encrypted_values_when_left_blank(client, personas, zhang):
    client.force_login(personas.shenyang_admin)
    url = reverse("people:courier-edit", args=[zhang.pk])
    page = client.get(url).content.decode()
    assert ID_A not in page and PHONE_A not in page and "不修改请留空" in page
    data = _form(
        zhang.outlet,
        name="张建国",
        id_number="",
        phone="",
        status="left",
        birth_date="1990-01-01",
        started_delivery_on="2015-06-01",
    )
    assert client.post(url, data).status_code == 302
    zhang.refresh_from_db()
    assert zhang.status == "left" and zhang.reveal_id_number() == ID_A and zhang.reveal_phone() == PHONE_A
    event = AuditEvent.objects.filter(action="update", object_type="people.Courier").get()
    assert event.detail == {"fields": ["status"]}


def test_outlet_manager_cannot_edit_other_outlet(client, personas, org_tree):
    from wenming.organizations.choices import OrgKind
    from wenming.organizations.models import Outlet
    from wenming.organizations.services import org_create

    sibling = org_create(
        parent=org_tree.shenyang_enterprise, kind=OrgKind.OUTLET, name="顺丰沈阳皇姑营业部", audit=False
    )
    Outlet.objects.create(organization=sibling, brand=org_tree.sf, county_code="210105")
    other = make_courier(sibling, name="孙七")
    client.force_login(personas.shenyang_outlet)
    assert client.get(reverse("people:courier-edit", args=[other.pk])).status_code == 404


def test_org_page_links_to_its_couriers(client, personas, org_tree, zhang):
    from wenming.organizations.choices import OrgKind
    from wenming.organizations.models import Outlet
    from wenming.organizations.services import org_create

    sibling = org_create(
        parent=org_tree.shenyang_enterprise, kind=OrgKind.OUTLET, name="顺丰沈阳铁西营业部", audit=False
    )
    Outlet.objects.create(organization=sibling, brand=org_tree.sf, county_code="210106")
    make_courier(sibling, name="钱八")
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("organizations:detail", args=[org_tree.shenyang_outlet.pk])).content.decode()
    link = f"{reverse('people:courier-list')}?org={org_tree.shenyang_outlet.pk}"
    assert link in page and "新增快递员" in page
    body = client.get(link).content.decode()
    assert "张建国" in body and "钱八" not in body
    # an out-of-scope node in ?org= matches nothing rather than being ignored
    body = client.get(reverse("people:courier-list"), {"org": org_tree.dalian_outlet.pk}).content.decode()
    assert "张建国" not in body and "没有符合条件的记录" in body


def test_htmx_filter_with_bad_phone_shows_message_in_fragment(client, personas, zhang):
    client.force_login(personas.shenyang_admin)
    resp = client.get(reverse("people:courier-list"), {"phone": "123"}, HTTP_HX_REQUEST="true")
    body = resp.content.decode()
    assert 'id="table"' in body and "<html" not in body
    assert "请输入正确的11位手机号码" in body and "张建国" not in body
