"""Browser journey of 满意度: a phone opens an outlet's survey from the URL printed in its QR poster,
answers it (skip logic shows the follow-up question), a second response from the same phone that day is
refused politely, and after the rollup job the outlet's index on the staff dashboard counts it. The
public page's critical path stays under 100 KB."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = "/tmp/shots/surveys"


def test_phone_survey_from_qr_then_dashboard(browser, live_server, personas, org_tree):
    from wenming.surveys import documents, rollup, services
    from wenming.surveys.models import SurveyResponse

    services.ensure_default_questionnaire(organization=org_tree.province)
    url = documents.survey_url(org_tree.shenyang_outlet.pk, live_server.url)  # what the poster's QR encodes

    ctx = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    phone = ctx.new_page()
    sizes: dict[str, int] = {}

    def record(resp):
        try:
            sizes[resp.url] = len(resp.body())
        except Exception:  # redirects and aborted requests have no body
            pass

    phone.on("response", record)
    phone.goto(url)
    phone.wait_for_load_state("load")
    assert sum(sizes.values()) <= 100 * 1024, sizes  # critical path ≤ 100 KB (uncompressed, even)
    assert phone.get_by_text("匿名评价").is_visible()
    phone.screenshot(path=f"{SHOTS}/survey-390.png", full_page=True)
    follow_up = phone.locator("#f_problem_kind")
    assert follow_up.is_hidden()
    for box in phone.locator("fieldset.sv-q").all():
        key = box.get_attribute("data-key")
        if key and key[:3] in ("acc", "pic", "del", "inf"):
            box.locator(".sv-opt span", has_text="5" if key != "del2" else "3").first.click()
    phone.locator("#f_problem").get_by_label("有", exact=True).check()
    assert follow_up.is_visible()  # skip logic: asked only after 有
    follow_up.get_by_label("延误").check()
    phone.locator("textarea").fill("投递员很负责，就是有一次晚了两天")
    token = phone.locator("form[data-survey] input[name=csrfmiddlewaretoken]").get_attribute("value")
    phone.get_by_role("button", name="提交评价").click()
    phone.get_by_text("提交成功，感谢您的评价！").wait_for()
    phone.screenshot(path=f"{SHOTS}/thanks-390.png")
    r = SurveyResponse.objects.get()
    assert r.answers["problem_kind"] == ["延误"] and r.score == 938  # (100 + 100 + (100 + 50) / 2 + 100) / 4 = 93.75

    phone.goto(url)  # the same phone again, the same day
    assert phone.get_by_text("您今天已经评价过这个网点了").is_visible()
    phone.screenshot(path=f"{SHOTS}/already-390.png")
    status = phone.evaluate(
        """async ([u, token]) => {
           const body = new URLSearchParams({csrfmiddlewaretoken: token, q_problem: "没有"});
           for (const k of ["acc1","acc2","acc3","acc4","pic1","pic2","pic3","pic4","del1","del2","inf1","inf2"])
             body.append("q_" + k, "1");
           const r = await fetch(u, {method: "POST", body}); return [r.status, await r.text()]; }""",
        [url, token],
    )
    assert status[0] == 409 and "您今天已经评价过这个网点了" in status[1]  # a full second answer: refused politely
    assert SurveyResponse.objects.count() == 1
    ctx.close()

    rollup.refresh()  # the periodic rollup job
    staff = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    login(staff, live_server, personas.shenyang_admin.username)
    staff.goto(live_server.url + reverse("surveys:dashboard") + f"?grain=outlet&period=year&year={r.day.year}")
    row = staff.locator("tr", has_text="顺丰沈阳和平营业部")
    assert row.locator("td").nth(1).inner_text().strip() == "1"
    assert row.locator("td").nth(2).inner_text().strip() == "93.8"
    staff.screenshot(path=f"{SHOTS}/dashboard-1366.png", full_page=True)
    staff.locator("a", has_text="顺丰沈阳和平营业部").click()
    staff.get_by_test_id("outlet-score").wait_for()
    assert staff.get_by_test_id("outlet-score").inner_text() == "93.8"
    staff.screenshot(path=f"{SHOTS}/outlet-1366.png", full_page=True)
    staff.set_viewport_size(PHONE)
    staff.goto(live_server.url + reverse("surveys:dashboard") + f"?grain=outlet&period=year&year={r.day.year}")
    staff.screenshot(path=f"{SHOTS}/dashboard-390.png", full_page=True)
