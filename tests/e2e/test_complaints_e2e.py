"""Browser journey of 申诉: a complaint filed on the public form at phone width, one time limit missed
and flagged by the overdue job, then accepted and forwarded by the city bureau, answered by the
enterprise, called back and closed; the complainant looks the case up by number and phone.

Screenshots (1366 and 390 px) go to the test's tmp directory and to ``$WENMING_SCREENSHOTS`` if set.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
FULL_PHONE = re.compile(r"\b1[3-9]\d{9}\b")


def _shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    target = os.environ.get("WENMING_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / name), full_page=True)


def _page(browser, live_server, username: str | None = None, viewport=DESKTOP):
    ctx = browser.new_context(locale="zh-CN", viewport=viewport)
    p = ctx.new_page()
    if username:
        p.goto(live_server.url + reverse("accounts:login"))
        p.get_by_label("用户名").fill(username)
        p.get_by_label("密码").fill(PASSWORD)
        p.get_by_role("button", name="登录").click()
        p.wait_for_url(re.compile(r".*/$"))
    return p


def _submit(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state("load")


def test_public_complaint_to_closing_with_a_missed_limit(browser, live_server, personas, org_tree, tmp_path):
    from wenming.complaints import services
    from wenming.complaints.models import Complaint

    t = org_tree
    today = timezone.localdate()

    # --- the complainant, on a phone ------------------------------------------------------------
    phone = _page(browser, live_server, viewport=PHONE)
    phone.goto(live_server.url + "/p/complaints/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_label("被申诉企业").select_option(label=t.shenyang_enterprise.name)
    outlet = phone.get_by_label("网点（选填）")
    outlet.locator("option", has_text=t.shenyang_outlet.name).wait_for(state="attached")  # htmx filled it
    outlet.select_option(label=t.shenyang_outlet.name)
    phone.get_by_label("运单号").fill("SF 1029 3847 5610")
    phone.get_by_label("申诉类别").select_option(label="延误")
    phone.get_by_label("寄件日期").fill((today - timedelta(days=15)).isoformat())
    phone.get_by_label("向企业投诉日期").fill((today - timedelta(days=2)).isoformat())
    phone.get_by_label("申诉内容").fill("快件超过承诺时限一周仍未送达，网点电话无人接听，物流信息不再更新。")
    phone.get_by_label("联系电话").fill("13912345678")
    _shot(phone, tmp_path, "complaints-public-form-390.png")
    _submit(phone, "提交申诉")
    # complained to the enterprise only two days ago: refused with the reason, nothing stored
    assert "请先向企业投诉" in phone.content() and not Complaint.objects.exists()
    phone.get_by_label("向企业投诉日期").fill((today - timedelta(days=9)).isoformat())
    _submit(phone, "提交申诉")
    case_no = phone.locator("[data-case-no]").inner_text().strip()
    body = phone.content()
    assert "139****5678" in body and not FULL_PHONE.search(body)
    _shot(phone, tmp_path, "complaints-public-done-390.png")
    c = Complaint.objects.get(case_no=case_no)
    assert c.outlet == t.shenyang_outlet and c.waybill_no == "SF102938475610"

    # --- nobody accepted it in 2 working days: the overdue job flags and escalates it --------------
    Complaint.objects.filter(pk=c.pk).update(accept_due=today - timedelta(days=1))
    assert services.flag_overdue() == 1

    # --- the city bureau: the overdue to-do, accept and forward --------------------------------------
    staff = _page(browser, live_server, "sy_staff")
    staff.goto(live_server.url + reverse("complaints:list") + "?todo=overdue")
    staff.get_by_role("link", name=case_no).click()
    staff.wait_for_load_state("load")
    assert "受理超时" in staff.content()
    _submit(staff, "受理并转办企业")
    assert "已受理并转办企业" in staff.content()
    _shot(staff, tmp_path, "complaints-detail-forwarded-1366.png")

    # --- the enterprise answers -------------------------------------------------------------------------
    ent = _page(browser, live_server, "sy_ent")
    ent.goto(live_server.url + reverse("complaints:list") + "?todo=reply")
    ent.get_by_role("link", name=case_no).click()
    ent.get_by_label("调查核实情况、责任认定和处理结果").fill(
        "经核实，快件在分拨中心滞留，已于次日投递，并向用户致歉。"
    )
    ent.get_by_label("企业经办人").fill("李明")
    _submit(ent, "提交答复")
    assert "答复已提交" in ent.content()

    # --- the bureau calls back, decides 有效申诉, records satisfaction, closes -----------------------------
    staff.goto(live_server.url + reverse("complaints:list") + "?todo=callback")
    staff.get_by_role("link", name=case_no).click()
    staff.get_by_label("查看原因").fill("电话回访")
    _submit(staff, "查看")
    assert "13912345678" in staff.content()  # shown once, audited
    staff.get_by_label("有效申诉", exact=True).check()
    staff.get_by_label("申诉人对处理的满意度").select_option(label="满意")
    _submit(staff, "办结")
    assert "回访完成，申诉已办结" in staff.content()
    c.refresh_from_db()
    assert c.status == "closed" and c.is_valid is True and c.satisfaction == "satisfied"
    assert c.accept_overdue and not c.reply_overdue and c.retain_until is not None
    assert not FULL_PHONE.search(staff.content())
    _shot(staff, tmp_path, "complaints-detail-closed-1366.png")
    staff.set_viewport_size(PHONE)
    _shot(staff, tmp_path, "complaints-detail-closed-390.png")
    staff.set_viewport_size(DESKTOP)
    staff.goto(live_server.url + reverse("complaints:list"))
    _shot(staff, tmp_path, "complaints-list-1366.png")
    staff.goto(live_server.url + reverse("complaints:statistics"))
    _shot(staff, tmp_path, "complaints-statistics-1366.png")
    staff.set_viewport_size(PHONE)
    _shot(staff, tmp_path, "complaints-statistics-390.png")

    # --- the complainant looks it up -------------------------------------------------------------------
    phone.goto(live_server.url + reverse("public:complaints-lookup"))
    phone.get_by_label("申诉编号").fill(case_no)
    phone.get_by_label("联系电话").fill("13912345678")
    _submit(phone, "查询")
    body = phone.content()
    assert "已办结" in body and "经核实" in body and not FULL_PHONE.search(body)
    _shot(phone, tmp_path, "complaints-public-lookup-390.png")
