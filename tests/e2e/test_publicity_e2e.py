"""Browser journey of 建言献策: a courier suggests on a phone, the Shenyang bureau routes, answers and
adopts it, and the suggestion appears on the public list (issue 14, "Done when" 3). A second test walks
the publicity pages at 1366 and 390 px: nothing wider than the phone, screenshots for a person to look
at (the test's tmp directory, and ``$WENMING_SCREENSHOTS`` when set)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.core import pii

from .helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _courier(outlet, name: str, body17: str, phone: str):
    from wenming.people.models import Courier

    c = Courier(outlet=outlet, name=name, gender="M", birth_date=date(1990, 1, 1), started_delivery_on=date(2015, 1, 1))
    c.set_id_number(body17 + pii.id_check_char(body17))
    c.set_phone(phone)
    c.save()
    return c


def _new(browser, viewport):
    return browser.new_context(locale="zh-CN", viewport=viewport).new_page()


def _shot(page, tmp_path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    target = os.environ.get("WENMING_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / name), full_page=True)


def test_courier_suggestion_routed_answered_adopted_published(browser, live_server, personas, org_tree, tmp_path):
    from wenming.publicity.models import Suggestion

    _courier(org_tree.shenyang_outlet, "张晓明", "21010219900101123", "13812345678")
    url = live_server.url

    # a courier on his phone: the public form (consent box unticked until he ticks it)
    phone = _new(browser, PHONE)
    phone.goto(url + reverse("public:publicity-suggest"))
    phone.get_by_label("快递员").check()
    phone.get_by_label("所在城市").select_option(label="沈阳市邮政管理局")
    phone.get_by_label("类别").select_option(label="寄递服务")
    phone.get_by_label("标题").fill("建议在老旧小区增设智能快件箱")
    phone.get_by_label("建议内容").fill("老旧小区没有快递柜，老人取件要走很远，建议与社区合作增设。")
    phone.get_by_label("姓名").fill("张晓明")
    phone.get_by_label("手机号码").fill("13812345678")
    phone.get_by_role("button", name="提交建议").click()
    assert "请先阅读并勾选同意" in phone.content()
    phone.locator("input[name=agree]").check()
    phone.get_by_role("button", name="提交建议").click()
    phone.get_by_text("您的建议已提交").wait_for()
    s = Suggestion.objects.get()
    assert s.number in phone.content()
    assert s.organization == org_tree.shenyang and s.courier is not None
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    # the Shenyang bureau: a to-do on the workbench, then route → answer → adopt
    bureau = _new(browser, DESKTOP)
    login(bureau, live_server, "sy_admin")
    bureau.get_by_role("link", name="待分办的建言献策 1 条").click()
    bureau.get_by_role("link", name="建议在老旧小区增设智能快件箱").click()
    assert "138****5678" in bureau.content() and "13812345678" not in bureau.content()
    bureau.get_by_role("button", name="分办").click()
    bureau.get_by_role("button", name="提交答复").wait_for()
    bureau.get_by_label("答复意见").fill("已协调三家企业在和平区两个老旧小区试点设置快件箱。")
    bureau.get_by_role("button", name="提交答复").click()
    bureau.get_by_role("button", name="采纳并公开").wait_for()
    bureau.get_by_label("采纳说明").fill("纳入明年为民办实事项目")
    _shot(bureau, tmp_path, "suggestion-detail-1366.png")
    bureau.get_by_role("button", name="采纳并公开").click()
    bureau.get_by_text("已在公开页面发布").wait_for()
    s.refresh_from_db()
    assert s.status == "adopted"
    assert [e.kind for e in s.events.order_by("at", "id")] == ["submit", "route", "answer", "adopt"]

    # anyone: the adopted suggestion on the public list, name masked
    phone.goto(url + reverse("public:publicity-suggestions"))
    body = phone.content()
    assert "建议在老旧小区增设智能快件箱" in body and "已协调三家企业" in body
    assert "张*明" in body and "张晓明" not in body and "13812345678" not in body
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(phone, tmp_path, "public-suggestions-390.png")


def test_publicity_pages_fit_desktop_and_phone(browser, live_server, personas, org_tree, settings, tmp_path):
    from wenming.core.uploads import process_images
    from wenming.publicity import services
    from wenming.publicity.tests import factories as f
    from wenming.publicity.tests.conftest import jpeg

    settings.MEDIA_ROOT = tmp_path / "media"
    c = _courier(org_tree.shenyang_outlet, "张晓明", "21010219900101123", "13812345678")
    ex = services.exemplar_create(
        by=personas.shenyang_outlet,
        organization=org_tree.shenyang_outlet,
        data={
            "headline": "扎根社区八年的暖心快递员",
            "deeds": "八年来投递零差错，坚持为社区独居老人送件上门，记下两百多位老人的取件习惯。",
            "honours": "2025年度辽宁省最美快递员\n沈阳市青年岗位能手",
        },
        courier=c,
        photos=process_images([jpeg(), jpeg(color=(30, 120, 60))]),
    )
    services.exemplar_record_consent(
        by=personas.shenyang_outlet,
        exemplar_id=ex.pk,
        consent_by="张晓明",
        scope="masked",
        given_on=timezone.localdate(),
    )
    services.exemplar_verify(by=personas.shenyang_enterprise, exemplar_id=ex.pk)
    services.exemplar_publish(by=personas.shenyang_admin, exemplar_id=ex.pk)
    n = services.notice_create(
        by=personas.province_admin,
        organization=org_tree.province,
        title="关于开展2026年度“最美快递员”推荐工作的通知",
        body="各市邮政管理局：\n请于12月20日前报送推荐人选及事迹材料。",
        target="city_bureaus",
    )
    services.notice_send(by=personas.province_admin, notice_id=n.pk)
    services.notice_open(user=personas.shenyang_admin, delivery_id=n.deliveries.get(organization=org_tree.shenyang).pk)
    v = f.values(org_tree.shenyang_enterprise, "approved")
    services.coverage_create(
        by=personas.shenyang_admin,
        organization=org_tree.shenyang,
        data={
            "title": "沈阳快递小哥张*明：把温暖送到每一户",
            "outlet_name": "沈阳日报",
            "medium": "newspaper",
            "published_on": timezone.localdate() - timedelta(days=3),
            "url": "https://www.lnpost.gov.cn/",
            "reach": 52000,
        },
        exemplars=[ex],
    )
    staff_pages = [
        ("exemplar-detail", reverse("publicity:exemplar-detail", args=[ex.pk])),
        ("exemplar-list", reverse("publicity:exemplar-list")),
        ("notice-detail", reverse("publicity:notice-detail", args=[n.pk]) + "?show=unread"),
        ("coverage-list", reverse("publicity:coverage-list")),
        ("coverage-stats", reverse("publicity:coverage-stats")),
        ("values-detail", reverse("publicity:values-detail", args=[v.pk])),
        ("suggestion-form", reverse("publicity:suggestion-create")),
    ]
    public_pages = [
        ("profile", ex.public_path()),
        ("profiles", reverse("public:publicity-profiles")),
        ("suggest", reverse("public:publicity-suggest")),
        ("unit", reverse("public:publicity-unit", args=[org_tree.shenyang_enterprise.pk])),
    ]
    for label, viewport in (("1366", DESKTOP), ("390", PHONE)):
        staff = _new(browser, viewport)
        login(staff, live_server, "p_admin")
        anon = _new(browser, viewport)
        for name, path in staff_pages:
            resp = staff.goto(live_server.url + path)
            assert resp.status == 200, path
            if name == "exemplar-detail":  # the long public address wraps on a phone
                assert staff.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"], path
            _shot(staff, tmp_path, f"staff-{name}-{label}.png")
        for name, path in public_pages:
            resp = anon.goto(live_server.url + path)
            assert resp.status == 200, path
            assert anon.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"], path
            _shot(anon, tmp_path, f"public-{name}-{label}.png")
    anon.goto(live_server.url + ex.public_path())
    assert "张*明" in anon.content() and "张晓明" not in anon.content()
    assert anon.locator(".pub-qr svg").count() == 1
