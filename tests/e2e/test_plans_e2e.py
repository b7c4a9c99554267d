"""Browser journey of 工作督办: 下发 → 签收 → 报送进展 → 退回 → 延期 → 办结, a city report that stays
inside its city, the daily reminder digest, and the bulletin downloaded as Word and PDF."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import make_user

from .helpers import login, pick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "开展快递网点文明服务专项检查"
REPORT_TEXT = "沈阳市局组织快递小哥志愿服务进社区活动十二场，覆盖和平区全部营业网点"


@pytest.fixture
def other_page(browser, live_server):
    """A second or third person at their own browser, logged in; closed before the database goes away."""
    contexts = []

    def _open(username: str):
        ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
        contexts.append(ctx)
        p = ctx.new_page()
        login(p, live_server, username)
        return p

    yield _open
    for ctx in contexts:
        ctx.close()


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state("load")


def _download_text(page, button: str, tmp_path, suffix: str) -> str:
    """Press 生成Word/生成PDF on the bulletin, then download through the status page's link."""
    _click(page, button)
    link = page.get_by_role("link", name=re.compile("下载"))
    link.wait_for(timeout=15000)
    with page.expect_download() as info:
        link.click()
    target = tmp_path / f"bulletin{suffix}"
    info.value.save_as(target)
    assert info.value.suggested_filename.endswith(suffix)
    if suffix == ".docx":
        from docx import Document

        doc = Document(str(target))
        return "\n".join(p.text for p in doc.paragraphs) + "\n".join(
            c.text for t in doc.tables for row in t.rows for c in row.cells
        )
    return subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout


def test_task_report_digest_and_bulletin_journey(page, other_page, live_server, personas, org_tree, tmp_path):
    from wenming.plans.models import Bulletin, ExtensionRequest, ProgressReport, WorkTask
    from wenming.workbench.models import Notification
    from wenming.workdays.services import next_working_day

    t = org_tree
    today = timezone.localdate()
    due = next_working_day(today + timedelta(days=60))  # a rest day would bring the form back with a warning
    url = live_server.url

    # --- province writes the 督办事项 through the form, approves it and sends it (下发) -------------
    prov = page
    login(prov, live_server, "p_admin")
    prov.goto(url + reverse("plans:tasks"))
    prov.get_by_role("link", name="新增督办事项").click()
    pick(prov, "交办单位", "辽宁", t.province.name)
    prov.get_by_label("督办事项").fill(TITLE)
    prov.get_by_label("工作要求").fill("各市局对辖区快递网点开展文明服务检查，形成问题清单并整改。")
    prov.get_by_label("办理期限").fill(due.isoformat())
    prov.get_by_label("承办单位", exact=True).fill("办公室")
    # divisions name their bureau
    prov.locator(".picker-results [role=option]", has_text="辽宁省邮政管理局 / 办公室").wait_for()
    pick(prov, "承办单位", "沈阳", t.shenyang.name)
    pick(prov, "承办单位", "大连", t.dalian.name)
    _click(prov, "保存草稿")
    assert "督办事项已保存为草稿" in prov.content()
    # two-person rule (督办设置): the drafter cannot approve; a colleague of the province office does
    assert "起草人不能审核本人起草的事项" in prov.content()
    assert prov.get_by_role("button", name="审核通过", exact=True).count() == 0
    make_user("p_office", role="committee_office", org=t.province)
    office = other_page("p_office")
    office.goto(prov.url)
    _click(office, "审核通过")
    prov.reload()
    _click(prov, "下发")
    assert "已下发" in prov.content()
    assert prov.locator("#as-h + p").inner_text() == "未查看 2 个单位，未签收 2 个单位"
    sy_task = WorkTask.objects.get(dispatch__title=TITLE, assignee=t.shenyang)
    dl_task = WorkTask.objects.get(dispatch__title=TITLE, assignee=t.dalian)
    assert {sy_task.status, dl_task.status} == {"dispatched"}
    assert sy_task.due_date == sy_task.original_due_date == due
    task_url = url + reverse("plans:task-detail", args=[sy_task.pk])

    # --- Shenyang: 签收, 报送进展 -------------------------------------------------------------------
    sy = other_page("sy_admin")
    sy.goto(url + reverse("plans:tasks"))
    sy.get_by_role("link", name=TITLE).click()
    assert "待签收" in sy.locator("h1").inner_text()
    _click(sy, "签收")
    assert "签收成功" in sy.content() and "办理中" in sy.locator("h1").inner_text()
    sy_task.refresh_from_db()
    assert sy_task.status == "in_progress" and sy_task.acknowledged_by == personas.shenyang_admin
    sy.get_by_label("完成进度（%）").fill("60")
    sy.get_by_label("办理情况").fill("已检查网点35个，发现问题8项")
    _click(sy, "报送进展")
    assert "已报送，等待复核" in sy.content()
    sy_task.refresh_from_db()
    assert sy_task.status == "reported" and sy_task.progress_manual == 60

    # --- province: 退回 with a reason ----------------------------------------------------------------
    prov.goto(task_url)
    assert "已检查网点35个" in prov.content()
    prov.get_by_label("理由").fill("请补充整改佐证材料")
    _click(prov, "退回")
    assert "已退回" in prov.content()
    sy_task.refresh_from_db()
    assert sy_task.status == "in_progress"

    # --- Shenyang 申请延期; province 驳回 the first request, 批准 the second ------------------------------
    new_due = next_working_day(due + timedelta(days=14))
    for reason in ("整改需协调企业总部", "整改需协调企业总部，已约谈"):
        sy.goto(task_url)
        sy.get_by_label("申请延至").fill(new_due.isoformat())
        sy.get_by_label("延期理由").fill(reason)
        _click(sy, "申请延期")
        assert "延期申请已提交" in sy.content()
        prov.goto(task_url)
        assert "延期待批" in prov.content()
        if reason == "整改需协调企业总部":
            prov.get_by_label("意见").fill("理由不充分")
            _click(prov, "驳回")
            assert "已驳回延期申请" in prov.content()
        else:
            _click(prov, "批准")
            assert "已批准延期" in prov.content()
    assert list(ExtensionRequest.objects.filter(task=sy_task).order_by("pk").values_list("status", flat=True)) == [
        "denied",
        "approved",
    ]
    sy_task.refresh_from_db()
    assert sy_task.due_date == new_due and sy_task.original_due_date == due
    kv = prov.locator("dl.kv").inner_text()
    assert f"办理期限\n{new_due.isoformat()}" in kv and f"原定期限\n{due.isoformat()}" in kv
    prov.goto(url + reverse("plans:tasks"))
    assert f"（原定 {due.isoformat()}）" in prov.locator("#table").inner_text()

    # --- Shenyang reports again; province 办结 ------------------------------------------------------
    sy.goto(task_url)
    sy.get_by_label("完成进度（%）").fill("100")
    sy.get_by_label("办理情况").fill("问题8项全部整改完毕，佐证材料已补充")
    _click(sy, "报送进展")
    prov.goto(task_url)
    _click(prov, "办结")
    assert "已办结" in prov.locator("h1").inner_text()
    sy_task.refresh_from_db()
    assert sy_task.status == "closed" and sy_task.original_due_date == due

    # --- a Shenyang progress report: written and 提交 by Shenyang; Dalian never sees it --------------
    sy.goto(url + reverse("plans:reports"))
    sy.get_by_role("link", name="新增").click()
    sy.get_by_label("报送单位").select_option(str(t.shenyang.pk))
    sy.get_by_label("类型").select_option("monthly")
    _click(sy, "保存")
    report = ProgressReport.objects.get(organization=t.shenyang)
    assert report.status == "draft" and report.period == today.month
    sy.get_by_label("工作开展情况").fill(REPORT_TEXT)
    sy.get_by_label("主要成效与亮点").fill("群众满意度明显提升")
    _click(sy, "提交")
    assert "已提交" in sy.content() and "待审核" in sy.locator("h1").inner_text()
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_at is not None and not report.is_late
    assert report.events.get(kind="submit").by == personas.shenyang_admin

    dl = other_page("dl_admin")
    dl.goto(url + reverse("plans:reports"))
    assert report.title not in dl.content() and "暂无数据" in dl.content()
    resp = dl.goto(url + reverse("plans:report-detail", args=[report.pk]))
    assert resp.status == 404
    resp = dl.goto(task_url)
    assert resp.status == 404

    # --- province: 审核通过 → 采用 (编入简报) ----------------------------------------------------------
    prov.goto(url + reverse("plans:report-detail", args=[report.pk]))
    _click(prov, "审核通过")
    assert "已审核" in prov.locator("h1").inner_text()
    assert prov.get_by_label("编入简报").is_checked()
    _click(prov, "采用")
    assert "已采用" in prov.locator("h1").inner_text()
    report.refresh_from_db()
    assert report.status == "adopted" and report.for_bulletin

    # --- the daily digest: Dalian's task is overdue, Shenyang's is closed -----------------------------
    WorkTask.objects.filter(pk=dl_task.pk).update(due_date=today - timedelta(days=3))
    before = {u: Notification.objects.filter(recipient__username=u).count() for u in ("dl_admin", "sy_admin")}
    call_command("send_digests")
    call_command("send_digests")  # one digest per user per day
    digests = Notification.objects.filter(title__contains="待办提醒")
    assert digests.filter(recipient__username="dl_admin").count() == 1
    assert digests.filter(recipient__username="sy_admin").count() == 0
    assert Notification.objects.filter(recipient__username="dl_admin").count() == before["dl_admin"] + 1
    assert Notification.objects.filter(recipient__username="sy_admin").count() == before["sy_admin"]
    assert f"已逾期：《{TITLE}》" in digests.get(recipient__username="dl_admin").body
    dl.goto(url + reverse("workbench:notifications"))
    assert "待办提醒" in dl.content()

    # --- the bulletin: generated on the page, downloaded as Word and PDF ------------------------------
    prov.goto(url + reverse("plans:bulletins"))
    prov.get_by_label("起始日期").fill(today.replace(day=1).isoformat())
    prov.get_by_label("截止日期").fill(today.isoformat())
    prov.get_by_label("印发日期").fill(today.isoformat())
    _click(prov, "生成简报")
    assert "已生成第1期" in prov.content() and report.title in prov.content()
    bulletin = Bulletin.objects.get()
    assert list(bulletin.reports.all()) == [report]
    bulletin_url = prov.url
    docx_text = _download_text(prov, "生成Word", tmp_path, ".docx")
    prov.goto(bulletin_url)
    pdf_text = _download_text(prov, "生成PDF", tmp_path, ".pdf")
    for text in (docx_text, re.sub(r"\s+", "", pdf_text)):
        assert REPORT_TEXT in text
        assert "辽宁邮政行业精神文明建设工作简报" in text
