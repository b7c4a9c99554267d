"""Menus and rights fit the role (issue 10, item 4): an enterprise gets its own menu and no regulator
page; every entry a persona sees opens; the expert's workbench says what will arrive; two-person rule."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.plans.models import SupervisionSettings
from wenming.plans.services import dispatch_approve, dispatch_create
from wenming.workbench.menu import menu_for

pytestmark = pytest.mark.django_db

REGULATOR_ONLY = [
    "plans:plans",
    "plans:statistics",
    "plans:reports",
    "plans:settings",
    "plans:bulletins",
    "people:governance",
]


def labels(user) -> set[str]:
    out = set()
    for item in menu_for(user, "/"):
        for child in item.get("children", [item]):
            out.add(child["label"])
    return out


def test_enterprise_menu_has_its_own_work_and_no_regulator_pages(personas):
    seen = labels(personas.shenyang_enterprise)
    assert {"督办任务", "活动记录", "志愿服务", "快递员"} <= seen
    assert not seen & {"工作方案", "督办统计", "领导机构", "工作进展", "工作简报", "督办设置"}
    assert {"工作方案", "督办统计", "领导机构", "督办设置"} <= labels(personas.province_admin)


@pytest.mark.parametrize("name", REGULATOR_ONLY)
def test_regulator_pages_refuse_an_enterprise_with_an_audited_403(client, personas, name):
    client.force_login(personas.shenyang_enterprise)
    before = AuditEvent.objects.filter(action="access_denied").count()
    assert client.get(reverse(name)).status_code == 403
    assert AuditEvent.objects.filter(action="access_denied").count() == before + 1


def test_enterprise_cannot_dispatch(client, personas):
    client.force_login(personas.shenyang_enterprise)
    page = client.get(reverse("plans:tasks")).content.decode()
    assert "新增督办事项" not in page
    assert client.get(reverse("plans:dispatch-create")).status_code == 403


@pytest.mark.parametrize(
    "who", ["province_admin", "shenyang_admin", "shenyang_staff", "shenyang_enterprise", "shenyang_outlet", "expert"]
)
def test_every_menu_entry_a_persona_sees_opens(client, personas, who):
    user = getattr(personas, who)
    client.force_login(user)
    for item in menu_for(user, "/"):
        for child in item.get("children", [item]):
            assert client.get(child["url"], follow=True).status_code == 200, (who, child["label"])


def test_expert_workbench_says_what_will_arrive(client, personas):
    client.force_login(personas.expert)
    assert labels(personas.expert) == {"工作台", "通知", "我的文件", "专家评审", "通知公告"}
    page = client.get(reverse("workbench:home")).content.decode()
    assert "评审任务将在这里出现" in page and "暂无评审任务" in page
    assert 'data-counter="overdue"' not in page


def _draft(org_tree, by):
    return dispatch_create(
        issuer=org_tree.shenyang,
        title="推进窗口文明服务",
        content="按方案推进。",
        due_date=date(2027, 3, 31),
        assignees=[org_tree.shenyang_enterprise],
        by=by,
    )


def test_two_person_rule_drafter_cannot_approve_until_switched_off(client, personas, org_tree):
    from conftest import make_user

    deputy = make_user("sy_deputy", role="city_admin", org=org_tree.shenyang)
    d = _draft(org_tree, personas.shenyang_admin)
    url = reverse("plans:dispatch-detail", args=[d.pk])
    client.force_login(personas.shenyang_admin)
    page = client.get(url).content.decode()
    assert 'value="approve"' not in page and "起草人不能审核本人起草的事项" in page
    with pytest.raises(PermissionDenied):
        dispatch_approve(dispatch_id=d.pk, by=personas.shenyang_admin)
    dispatch_approve(dispatch_id=d.pk, by=deputy)  # another approver may
    # switched off in 督办设置 by the province office
    client.force_login(personas.province_admin)
    form = client.get(reverse("plans:settings")).content.decode()
    assert re.search(r'name="two_person_rule"[^>]*checked', form)
    cfg = SupervisionSettings.current()
    cfg.two_person_rule = False
    cfg.save()
    d2 = _draft(org_tree, personas.shenyang_admin)
    dispatch_approve(dispatch_id=d2.pk, by=personas.shenyang_admin)
    assert set(d2.tasks.values_list("status", flat=True)) == {"approved"}
