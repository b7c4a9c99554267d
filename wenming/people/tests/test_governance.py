from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from wenming.audit.models import AuditEvent
from wenming.people.models import GoverningBody, Membership

from .factories import make_body, make_member


def test_governance_page_groups_members_by_body_and_hides_past(client, personas, org_tree):
    committee = make_body(org_tree.province, "辽宁省邮政管理局精神文明建设指导委员会", kind="steering_committee")
    make_member(committee, "刘主任", position="chair")
    make_member(committee, "陈前任", position="member", valid_to=date(2018, 12, 31))
    group = make_body(org_tree.shenyang, "沈阳市邮政管理局精神文明建设领导小组")
    make_member(group, "周组长")
    client.force_login(personas.province_admin)
    body = client.get(reverse("people:governance")).content.decode()
    assert "指导委员会" in body and "刘主任" in body and "周组长" in body
    assert "陈前任" not in body
    assert "陈前任" in client.get(reverse("people:governance"), {"past": "1"}).content.decode()
    client.force_login(personas.shenyang_admin)
    body = client.get(reverse("people:governance")).content.decode()
    assert "周组长" in body and "刘主任" not in body


def test_city_admin_adds_member_to_own_leading_group(client, personas, org_tree):
    group = make_body(org_tree.shenyang, "沈阳市邮政管理局精神文明建设领导小组")
    client.force_login(personas.shenyang_admin)
    url = reverse("people:membership-add", args=[group.pk])
    bad = client.post(
        url,
        {
            "person_name": "吴副组长",
            "post_title": "副局长",
            "position": "deputy_head",
            "valid_from": "2017-03-01",
            "valid_to": "2017-01-01",
        },
    )
    assert bad.status_code == 422 and "任职截止日期不能早于起始日期" in bad.content.decode()
    assert 'value="吴副组长"' in bad.content.decode()
    ok = client.post(
        url, {"person_name": "吴副组长", "post_title": "副局长", "position": "deputy_head", "valid_from": "2017-03-01"}
    )
    assert ok.status_code == 302
    m = Membership.objects.get(person_name="吴副组长")
    assert m.body == group and m.valid_to is None
    assert AuditEvent.objects.filter(action="create", object_type="people.Membership").exists()


def test_end_membership_keeps_history(client, personas, org_tree):
    group = make_body(org_tree.shenyang, "沈阳市邮政管理局精神文明建设领导小组")
    m = make_member(group, "郑联络员", position="liaison")
    client.force_login(personas.shenyang_admin)
    url = reverse("people:membership-end", args=[m.pk])
    assert "确定为“郑联络员（联络员）”办理离任吗" in client.get(url).content.decode()
    yesterday = timezone.localdate() - timedelta(days=1)
    assert client.post(url, {"valid_to": yesterday.isoformat()}).status_code == 302
    m.refresh_from_db()
    assert m.valid_to == yesterday
    detail = client.get(reverse("people:body-detail", args=[group.pk])).content.decode()
    assert "郑联络员" in detail and "已离任" in detail


def test_staff_without_people_manage_cannot_add_members(client, personas, org_tree):
    group = make_body(org_tree.dalian, "大连市邮政管理局精神文明建设领导小组")
    client.force_login(personas.expert)  # no supervise action: the regulator's page is refused (audited)
    assert client.get(reverse("people:membership-add", args=[group.pk])).status_code == 403
    client.force_login(personas.shenyang_admin)
    assert client.get(reverse("people:membership-add", args=[group.pk])).status_code == 404


def test_create_body_only_on_bureaus_in_scope(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    url = reverse("people:body-create")
    page = client.get(url).content.decode()
    assert "沈阳市邮政管理局" in page and "大连市邮政管理局" not in page
    resp = client.post(url, {"organization": org_tree.dalian.pk, "kind": "leading_group", "name": "越权领导小组"})
    assert resp.status_code == 422 and not GoverningBody.objects.exists()
    resp = client.post(url, {"organization": org_tree.shenyang.pk, "kind": "leading_group", "name": "沈阳市局领导小组"})
    assert resp.status_code == 302
    assert GoverningBody.objects.get().organization == org_tree.shenyang


def test_menu_has_organisation_and_people_group(client, personas):
    client.force_login(personas.shenyang_admin)
    body = client.get(reverse("people:governance")).content.decode()
    assert 'menu-group-title">组织与人员' in body
    for url_name in (
        "organizations:tree",
        "organizations:outlet-list",
        "organizations:enterprise-list",
        "people:courier-list",
        "people:governance",
    ):
        assert f'href="{reverse(url_name)}"' in body
    client.force_login(personas.auditor)  # no view anywhere: no such group
    assert 'menu-group-title">组织与人员' not in client.get(reverse("people:governance")).content.decode()
