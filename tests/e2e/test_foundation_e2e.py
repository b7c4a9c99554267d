"""Browser journeys of the foundation: login, workbench, org tree, outlet list, courier detail, scope."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from .helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FULL_ID = re.compile(r"\b\d{17}[\dXx]\b")
FULL_PHONE = re.compile(r"\b1[3-9]\d{9}\b")


@pytest.fixture
def courier(org_tree):
    from wenming.people.models import Courier

    c = Courier(
        outlet=org_tree.shenyang_outlet,
        name="王小明",
        gender="M",
        birth_date=date(1990, 3, 7),
        started_delivery_on=date(2015, 6, 1),
    )
    c.set_id_number("210102199003071234"[:17] + _check("210102199003071234"[:17]))
    c.set_phone("13812345678")
    c.save()
    return c


def _check(first17: str) -> str:
    from wenming.core.pii import id_check_char

    return id_check_char(first17)


def test_login_page_is_chinese(page, live_server, db):
    page.goto(live_server.url + reverse("accounts:login"))
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "辽宁邮政行业精神文明建设管理平台" in page.content()
    assert page.get_by_role("button", name="登录").is_visible()


def test_wrong_password_keeps_username_and_says_so_in_chinese(page, live_server, personas):
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("用户名").fill("sy_admin")
    page.get_by_label("密码").fill("wrong-password-1")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_label("用户名").input_value() == "sy_admin"
    assert "用户名或密码错误" in page.content()


def test_shenyang_admin_sees_only_shenyang_and_no_full_pii(page, live_server, personas, org_tree, courier):
    login(page, live_server, "sy_admin")
    assert "工作台" in page.title()
    # the outlet list shows Shenyang's outlet and not Dalian's
    page.goto(live_server.url + reverse("organizations:outlet-list"))
    body = page.content()
    assert "顺丰沈阳和平营业部" in body
    assert "中通大连中山营业部" not in body
    # the Dalian outlet's page answers 404
    resp = page.goto(live_server.url + reverse("organizations:detail", args=[org_tree.dalian_outlet.pk]))
    assert resp.status == 404
    # the courier page shows masked values only
    page.goto(live_server.url + reverse("people:courier-detail", args=[courier.pk]))
    body = page.content()
    assert "王小明" in body
    assert "138****5678" in body
    assert not FULL_ID.search(body) and not FULL_PHONE.search(body)


def test_tree_search_filters_nodes(page, live_server, personas, org_tree):
    login(page, live_server, "p_admin")
    page.goto(live_server.url + reverse("organizations:tree"))
    assert "沈阳市邮政管理局" in page.content()
    search = page.get_by_role("searchbox").first
    search.fill("大连")
    search.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "大连市邮政管理局" in page.content()


def test_phone_width_menu_opens(page, live_server, personas):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "sy_admin")
    sidebar = page.locator("#sidebar")
    assert sidebar.bounding_box()["x"] < 0  # hidden off-canvas at phone width
    page.get_by_role("button", name="展开菜单").click()
    page.wait_for_timeout(300)
    assert sidebar.bounding_box()["x"] >= 0
