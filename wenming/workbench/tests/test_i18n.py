"""The 中文/English switch: Chinese first for every visitor, English only after pressing the switch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed
from django.test import Client
from django.urls import reverse
from django.utils import translation

EN_BROWSER = "en-US,en;q=0.9"


@pytest.fixture(scope="session", autouse=True)
def _english_catalogue():
    """Compile locale/en when the .mo is missing or older than the .po (a fresh clone never has the .mo)."""
    po = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        cwd = os.getcwd()
        os.chdir(settings.BASE_DIR)
        try:
            call_command(
                "compilemessages", locale=["en"], ignore_patterns=[".venv", "var", "node_modules", ".git"], verbosity=0
            )
        finally:
            os.chdir(cwd)
        # Drop catalogues loaded before the .mo existed (the same reset Django does when LOCALE_PATHS changes).
        setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=True)
    assert mo.exists()


@pytest.fixture(autouse=True)
def _back_to_chinese():
    """Requests leave their language active on the thread; later tests in this process expect Chinese."""
    yield
    translation.deactivate()


def _switch(client: Client, language: str, next_url: str) -> None:
    resp = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert resp.status_code == 302 and resp["Location"] == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def test_new_visitor_gets_chinese_even_with_an_english_browser(client, db):
    resp = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=EN_BROWSER)
    body = resp.content.decode()
    assert resp.status_code == 200
    assert '<html lang="zh-CN"' in body
    assert ">登录</button>" in body and "用户名" in body
    assert "Sign in" not in body and "Username" not in body
    assert resp["Content-Language"] == "zh-hans"
    # The switch on the login page offers English, labelled in English.
    assert 'name="language" value="en"' in body and ">English</button>" in body


def test_login_page_in_english_after_the_switch(client, db):
    login_url = reverse("accounts:login")
    _switch(client, "en", login_url)
    body = client.get(login_url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert '<html lang="en"' in body
    assert ">Sign in</button>" in body and ">Username</label>" in body and ">Password</label>" in body
    assert "Liaoning Postal Industry Civic Culture Management Platform" in body
    assert "用户名" not in body and "请输入密码" not in body
    assert ">中文</button>" in body


def test_workbench_and_outlets_switch_to_english_and_back(client, personas):
    client.force_login(personas.province_admin)
    home_url = reverse("workbench:home")
    outlets_url = reverse("organizations:outlet-list")

    _switch(client, "en", home_url)
    body = client.get(home_url, HTTP_ACCEPT_LANGUAGE=EN_BROWSER).content.decode()
    assert '<html lang="en"' in body
    # Menu (group and item labels), top bar and page labels.
    for text in (">Workbench</a>", ">Notifications</a>", "Organisations &amp; people", ">Outlets</a>", ">Couriers</a>"):
        assert text in body, text
    for text in (
        "Organisation tree",
        "Care mode",
        "Change password",
        "Sign out",
        "To-do",
        "Due soon",
        "Done this month",
    ):
        assert text in body, text
    assert "Data scope: 辽宁省邮政管理局" in body  # data stays as entered
    for text in ("组织与人员", ">网点</a>", "待办", "关怀模式", "退出登录"):
        assert text not in body, text
    assert ">中文</button>" in body

    body = client.get(outlets_url).content.decode()
    assert '<html lang="en"' in body
    assert "<h1>Outlets</h1>" in body and "<th>Outlet name</th>" in body and 'data-label="Outlet name"' in body
    assert ">Search</button>" in body and ">Reset</a>" in body
    assert "2 records in total" in body
    assert "顺丰沈阳和平营业部" in body and "中通大连中山营业部" in body
    assert "<th>网点名称</th>" not in body and "共 2 条" not in body

    _switch(client, "zh-hans", outlets_url)
    body = client.get(outlets_url, HTTP_ACCEPT_LANGUAGE=EN_BROWSER).content.decode()
    assert '<html lang="zh-CN"' in body
    assert "<h1>网点</h1>" in body and "<th>网点名称</th>" in body and "共 2 条" in body
    assert "Outlet name" not in body and "records in total" not in body
    body = client.get(home_url).content.decode()
    assert ">工作台</a>" in body and "组织与人员" in body and ">English</button>" in body
    assert "Workbench" not in body and "Organisations &amp; people" not in body


def test_catalogue_covers_every_menu_label_of_the_finished_modules(client, personas):
    """Each menu label registered by the finished modules has an English translation."""
    from wenming.core.menu import _entries

    finished = (
        "workbench:",
        "accounts:",
        "organizations:",
        "people:",
        "imports:",
        "audit:",
        "plans:",
        "workdays:",
        "activities:",
    )
    labels = {e.label for e in _entries if e.url_name.startswith(finished)}
    labels |= {e.group for e in _entries if e.url_name.startswith(finished)}
    assert "网点" in labels and "组织与人员" in labels and "督办任务" in labels and "志愿服务" in labels
    with translation.override("en"):
        untranslated = sorted(label for label in labels if translation.gettext(label) == label)
    assert untranslated == []


def test_plans_activities_and_public_pages_switch_to_english(client, personas, org_tree):
    from datetime import timedelta

    from django.utils import timezone

    from conftest import make_user
    from wenming.activities import services as activities
    from wenming.plans.services import dispatch_approve, dispatch_create, dispatch_send

    by = personas.province_admin
    drafter = make_user("p_office", role="committee_office", org=org_tree.province)  # two-person rule
    d = dispatch_create(
        issuer=org_tree.province,
        title="开展文明创建专项行动",
        content="按方案要求推进，按时反馈。",
        due_date=timezone.localdate() + timedelta(days=30),
        assignees=[org_tree.shenyang],
        plan=None,
        by=drafter,
    )
    dispatch_approve(dispatch_id=d.pk, by=by)
    dispatch_send(dispatch_id=d.pk, by=by)
    now = timezone.now()
    event = activities.volunteer_event_create(
        by=personas.shenyang_admin,
        organization=org_tree.shenyang,
        data={
            "title": "社区快递知识宣讲志愿服务",
            "place": "和平区南市场社区",
            "starts_at": now,
            "ends_at": now + timedelta(hours=3),
        },
    )
    scan_url = reverse("public:volunteer-scan", args=[activities.volunteer_token_make(event, "in")])
    cert_url = reverse("public:volunteer-certificate", args=["ZYFW-2026-000001", "0000000000"])
    tasks_url = reverse("plans:tasks")

    # Chinese first: the pages keep their Chinese text and button names.
    body = client.get(scan_url, HTTP_ACCEPT_LANGUAGE=EN_BROWSER).content.decode()
    assert "<h1>志愿服务签到</h1>" in body and ">签到</button>" in body and "Check in" not in body

    client.force_login(by)
    _switch(client, "en", tasks_url)
    body = client.get(tasks_url).content.decode()
    assert '<html lang="en"' in body
    # Menu entries of the supervision and activities modules, then the task list itself.
    for text in ("Work supervision", ">Supervision tasks</a>", ">Work plans</a>", ">Work calendar</a>"):
        assert text in body, text
    for text in (
        "Civic activities",
        ">Activity records</a>",
        ">Volunteer service</a>",
        ">Hour totals &amp; certificates</a>",
    ):
        assert text in body, text
    assert "<h1>Supervision tasks</h1>" in body and ">New supervision item</a>" in body
    assert "<th>Handling unit</th>" in body and "<th>Assigning unit</th>" in body and "Progress (%)</th>" in body
    assert 'data-label="Deadline"' in body and "1 record in total" in body
    assert "开展文明创建专项行动" in body  # data stays as entered
    for text in ("<h1>督办任务</h1>", "<th>承办单位</th>", ">工作日历</a>", ">志愿服务</a>"):
        assert text not in body, text

    body = client.get(reverse("activities:list")).content.decode()
    assert "<h1>Civic activities</h1>" in body and 'aria-label="Activity list"' in body
    assert ">Activity calendar</a>" in body and ">Photo wall</a>" in body and ">Partnerships</a>" in body
    assert "<h1>创建活动</h1>" not in body and ">照片墙</a>" not in body

    # Public pages follow the same language cookie.
    client.logout()  # drops every cookie, the language one included
    _switch(client, "en", cert_url)
    resp = client.get(cert_url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    body = resp.content.decode()
    assert resp.status_code == 404 and '<html lang="en"' in body
    assert "<h1>Certificate verification</h1>" in body
    assert (
        "Verification failed: the certificate was not found" in body and "Certificate number: ZYFW-2026-000001" in body
    )
    assert "Operated by the Liaoning Provincial Postal Administration" in body
    assert "验证失败" not in body and "证书编号" not in body

    body = client.get(scan_url).content.decode()
    assert "<h1>Volunteer service check-in</h1>" in body and ">Check in</button>" in body
    assert "社区快递知识宣讲志愿服务" in body and "<h1>志愿服务签到</h1>" not in body
