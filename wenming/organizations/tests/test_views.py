import html
from datetime import date

import pytest
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization, OrgMove, Outlet


def test_tree_shows_scope_roots_and_first_level(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    resp = client.get(reverse("organizations:tree"))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "沈阳市邮政管理局" in body and "顺丰速运（沈阳）有限公司" in body
    assert "大连" not in body
    # deeper levels are loaded lazily
    assert reverse("organizations:tree-children", args=[org_tree.shenyang_enterprise.pk]) in body


def test_tree_children_fragment_is_scoped(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    ok = client.get(
        reverse("organizations:tree-children", args=[org_tree.shenyang_enterprise.pk]), HTTP_HX_REQUEST="true"
    )
    assert "顺丰沈阳和平营业部" in ok.content.decode()
    assert "<html" not in ok.content.decode()
    other = client.get(reverse("organizations:tree-children", args=[org_tree.dalian_enterprise.pk]))
    assert other.status_code == 404


def test_tree_search_shows_ancestor_trail(client, personas, org_tree):
    client.force_login(personas.province_admin)
    resp = client.get(reverse("organizations:tree"), {"q": "和平营业部"})
    body = resp.content.decode()
    assert "顺丰沈阳和平营业部" in body
    assert "辽宁省邮政管理局 / 沈阳市邮政管理局 / 顺丰速运（沈阳）有限公司 /" in body


def test_detail_hides_roles_from_staff_without_org_manage(client, personas, org_tree):
    client.force_login(personas.shenyang_staff)
    body = client.get(reverse("organizations:detail", args=[org_tree.shenyang.pk])).content.decode()
    assert "在此授权的角色" not in body
    client.force_login(personas.shenyang_admin)
    body = client.get(reverse("organizations:detail", args=[org_tree.shenyang.pk])).content.decode()
    assert "在此授权的角色" in body and "市局管理员" in body


def test_city_admin_creates_outlet_with_profile(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    url = reverse("organizations:create", args=[org_tree.shenyang_enterprise.pk])
    data = {
        "kind": "outlet",
        "name": "顺丰沈阳沈河营业部",
        "address": "沈河区青年大街1号",
        "brand": org_tree.sf.pk,
        "outlet_type": "service_point",
        "county_code": "210103",
        "is_rural": "0",
        "opened_on": "2016-04-01",
        "status": "open",
    }
    resp = client.post(url, data)
    assert resp.status_code == 302
    org = Organization.objects.get(name="顺丰沈阳沈河营业部")
    assert org.kind == OrgKind.OUTLET and org.city_code == "210100"
    assert Outlet.objects.get(organization=org).county_code == "210103"
    assert AuditEvent.objects.filter(action="create", object_id=str(org.pk)).exists()


def test_outlet_county_must_belong_to_the_city(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    url = reverse("organizations:create", args=[org_tree.shenyang_enterprise.pk])
    resp = client.post(
        url,
        {
            "kind": "outlet",
            "name": "错区县网点",
            "address": "x",
            "brand": org_tree.sf.pk,
            "outlet_type": "service_point",
            "county_code": "210202",
            "is_rural": "0",
            "status": "open",
        },
    )
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "所选区县无效" in body and "错区县网点" in body  # message + input kept
    assert not Organization.objects.filter(name="错区县网点").exists()


def test_create_refused_without_org_manage(client, personas, org_tree):
    client.force_login(personas.shenyang_staff)
    resp = client.get(reverse("organizations:create", args=[org_tree.shenyang_enterprise.pk]) + "?kind=outlet")
    assert resp.status_code == 403
    client.force_login(personas.shenyang_admin)
    assert client.get(reverse("organizations:create", args=[org_tree.dalian_enterprise.pk])).status_code == 404


def test_move_outlet_between_enterprises_keeps_history(client, personas, org_tree):
    from wenming.organizations.services import org_create

    other = org_create(parent=org_tree.shenyang, kind=OrgKind.ENTERPRISE, name="沈阳另一企业", audit=False)
    client.force_login(personas.shenyang_admin)
    url = reverse("organizations:move", args=[org_tree.shenyang_outlet.pk])
    page = client.get(url).content.decode()
    assert "<option" not in page and "大连中通快递有限公司" not in page
    search = html.unescape(page.split('data-picker-url="')[1].split('"')[0])
    found = [r["label"] for r in client.get(search + "&q=沈阳").json()["results"]]
    assert "沈阳另一企业" in found and "沈阳市邮政管理局" not in found  # enterprises only
    resp = client.post(url, {"new_parent": other.pk, "reason": "划转管理"})
    assert resp.status_code == 302
    moved = Organization.objects.get(pk=org_tree.shenyang_outlet.pk)
    assert moved.parent_id == other.pk and moved.path.startswith(other.path)
    mv = OrgMove.objects.get(organization=moved, kind="move")
    assert mv.reason == "划转管理"
    detail = client.get(reverse("organizations:detail", args=[moved.pk])).content.decode()
    assert "划转管理" in detail and "调整上级" in detail


def test_move_to_out_of_scope_parent_is_refused(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    url = reverse("organizations:move", args=[org_tree.shenyang_outlet.pk])
    resp = client.post(url, {"new_parent": org_tree.dalian_enterprise.pk, "reason": "越权"})
    assert resp.status_code == 422
    assert Organization.objects.get(pk=org_tree.shenyang_outlet.pk).parent_id == org_tree.shenyang_enterprise.pk


def test_city_admin_cannot_deactivate_own_city(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    assert client.get(reverse("organizations:deactivate", args=[org_tree.shenyang.pk])).status_code == 403


def test_deactivate_needs_reason_then_reactivate(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    url = reverse("organizations:deactivate", args=[org_tree.shenyang_enterprise.pk])
    page = client.get(url).content.decode()
    assert "确定停用“顺丰速运（沈阳）有限公司”吗？其下 1 个机构将一并停用" in page
    assert client.post(url, {"reason": ""}).status_code == 422
    assert client.post(url, {"reason": "注销许可"}).status_code == 302
    assert not Organization.objects.get(pk=org_tree.shenyang_outlet.pk).is_active
    resp = client.post(
        reverse("organizations:reactivate", args=[org_tree.shenyang_enterprise.pk]), {"reason": "恢复经营"}
    )
    assert resp.status_code == 302
    assert Organization.objects.get(pk=org_tree.shenyang_outlet.pk).is_active
    kinds = list(OrgMove.objects.filter(organization=org_tree.shenyang_enterprise).values_list("kind", flat=True))
    assert kinds == ["reactivate", "deactivate"]


def test_outlet_list_filters_keep_values(client, personas, org_tree):
    from wenming.organizations.services import org_create

    rural = org_create(parent=org_tree.shenyang_enterprise, kind=OrgKind.OUTLET, name="顺丰沈阳辽中村级站", audit=False)
    Outlet.objects.create(
        organization=rural,
        brand=org_tree.sf,
        county_code="210115",
        is_rural=True,
        outlet_type="village_station",
        opened_on=date(2017, 1, 1),
    )
    client.force_login(personas.province_admin)
    url = reverse("organizations:outlet-list")
    body = client.get(url, {"area": "rural", "city": "210100"}).content.decode()
    assert "顺丰沈阳辽中村级站" in body and "顺丰沈阳和平营业部" not in body
    assert 'value="rural" selected' in body
    body = client.get(url, {"q": "人民路"}).content.decode()
    assert "中通大连中山营业部" in body and "顺丰沈阳和平营业部" not in body
    empty = client.get(url, {"q": "不存在的网点"}).content.decode()
    assert "没有符合条件的记录" in empty


def test_outlet_list_city_filter_only_for_province_users(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    body = client.get(reverse("organizations:outlet-list")).content.decode()
    assert 'name="city"' not in body and "和平区" in body and "中山区" not in body
    client.force_login(personas.province_admin)
    body = client.get(reverse("organizations:outlet-list")).content.decode()
    assert 'name="city"' in body


def test_outlet_list_htmx_returns_table_fragment(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    resp = client.get(reverse("organizations:outlet-list"), HTTP_HX_REQUEST="true")
    body = resp.content.decode()
    assert body.lstrip().startswith('<section class="card" id="table"')
    assert "顺丰沈阳和平营业部" in body


@pytest.mark.parametrize("size", ["10", "50"])
def test_page_size_choice(client, personas, org_tree, size):
    client.force_login(personas.province_admin)
    resp = client.get(reverse("organizations:outlet-list"), {"size": size})
    assert resp.context["page"].paginator.per_page == int(size)
    assert client.get(reverse("organizations:outlet-list"), {"size": "7"}).context["page"].paginator.per_page == 20


def test_enterprise_list_and_xlsx_export(client, personas, org_tree):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(personas.province_admin)
    body = client.get(reverse("organizations:enterprise-list"), {"brand": org_tree.zto.pk}).content.decode()
    assert "大连中通快递有限公司" in body and "顺丰速运（沈阳）有限公司" not in body
    resp = client.get(reverse("organizations:enterprise-list"), {"brand": org_tree.zto.pk, "export": "xlsx"})
    assert resp.status_code == 200
    rows = list(load_workbook(BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "企业名称" and [r[0] for r in rows[1:]] == ["大连中通快递有限公司"]
    assert AuditEvent.objects.filter(action="export", object_type="organizations.Enterprise").exists()


def test_export_needs_export_action(client, personas, org_tree):
    client.force_login(personas.shenyang_outlet)  # outlet managers may view but not export
    assert client.get(reverse("organizations:outlet-list"), {"export": "csv"}).status_code == 403


def test_divisions_lookup():
    from wenming.organizations.divisions import city_choices, counties_of, division_name, is_county_of

    assert len(city_choices()) == 14
    assert division_name("211300") == "朝阳市"
    assert is_county_of("210102", "210100") and not is_county_of("210202", "210100")
    assert not is_county_of("210100", "210000")
    assert {d.code for d in counties_of("210200")} >= {"210202", "210203"}
