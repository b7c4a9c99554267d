"""An enterprise in the browser (issue 10, item 4): its own menu, no regulator pages, no 新增督办事项, and
a workbench with its tasks, activities and volunteer work; the expert's workbench says what will arrive."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enterprise_menu_and_workbench(page, live_server, personas):
    login(page, live_server, "sy_ent")
    menu = page.locator("#sidebar")
    for label in ("督办任务", "活动记录", "志愿服务"):
        assert menu.get_by_role("link", name=label, exact=True).count() == 1, label
    for label in ("工作方案", "督办统计", "领导机构", "工作进展", "督办设置", "工作简报"):
        assert menu.get_by_role("link", name=label, exact=True).count() == 0, label
    counters = page.get_by_test_id("counters")
    for label in ("待办", "即将到期", "已逾期", "本月已办"):
        assert label in counters.inner_text()
    for tab in ("待办", "已办", "我发起的"):
        assert page.get_by_role("tab", name=tab).count() == 1
    assert page.get_by_role("heading", name=re.compile("本单位创建活动")).count() == 1
    assert page.get_by_role("heading", name=re.compile("志愿服务")).count() == 1
    menu.get_by_role("link", name="督办任务", exact=True).click()
    assert page.get_by_role("link", name="新增督办事项").count() == 0
    response = page.goto(live_server.url + reverse("plans:statistics"))
    assert response.status == 403


def test_expert_workbench_says_what_will_arrive(page, live_server, personas):
    login(page, live_server, "expert")
    assert "评审任务将在这里出现" in page.get_by_test_id("reviewer-intro").inner_text()
    assert page.locator("#sidebar").get_by_role("link").count() == 5  # 工作台, 通知, 我的文件, 专家评审, 通知公告
