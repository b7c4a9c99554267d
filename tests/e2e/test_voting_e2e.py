"""Browser journey of the public vote at phone width: request a code, read it from the development SMS
backend, vote, see the confirmation; a second vote the same day is refused with a clear message.

Screenshots (390 px and 1366 px) go to the test's tmp directory and to ``$WENMING_SCREENSHOTS``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from conftest import PASSWORD
from wenming.voting import engine
from wenming.voting.models import Ballot
from wenming.voting.tests.helpers import drain, running_poll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}


def _shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    target = os.environ.get("WENMING_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / name), full_page=True)


def test_phone_vote_journey(browser, live_server, org_tree, personas, settings, tmp_path):
    outbox = tmp_path / "sms.log"
    settings.WENMING_SMS_BACKEND = "development"
    settings.WENMING_SMS_OUTBOX = str(outbox)
    poll = running_poll(org_tree.province, candidates=4, intro="请为您心中的最美快递员投上宝贵一票。")
    first = poll.candidates.order_by("number").first()
    ctx = browser.new_context(locale="zh-CN", viewport=PHONE)
    phone = ctx.new_page()
    phone.goto(live_server.url + reverse("public:voting-poll", args=[poll.pk]))
    _shot(phone, tmp_path, "voting-poll-390.png")
    phone.get_by_role("link", name="验证手机号后投票").click()
    phone.get_by_label("手机号码").fill("13912345678")
    consent = phone.get_by_label("我已阅读并同意上述个人信息处理规则")
    assert not consent.is_checked()
    consent.check()
    _shot(phone, tmp_path, "voting-verify-390.png")
    phone.get_by_role("button", name="获取验证码").click()
    phone.wait_for_load_state("load")
    code = outbox.read_text().strip().splitlines()[-1].split()[-1]
    assert re.fullmatch(r"\d{6}", code)
    phone.get_by_label("短信验证码").fill(code)
    phone.get_by_role("button", name="验证并投票").click()
    phone.wait_for_url(re.compile(rf".*/p/voting/{poll.pk}/$"))
    card = phone.locator(".vote-card", has_text=first.name)
    card.get_by_label("选择").check()
    phone.get_by_role("button", name="投票", exact=True).click()
    phone.wait_for_load_state("load")
    assert "投票成功" in phone.locator("h1").inner_text()
    assert "已为 1 位候选人投票" in phone.content()
    _shot(phone, tmp_path, "voting-done-390.png")

    phone.goto(live_server.url + reverse("public:voting-poll", args=[poll.pk]))
    phone.locator(".vote-card", has_text=first.name).get_by_label("选择").check()
    phone.get_by_role("button", name="投票", exact=True).click()
    phone.wait_for_load_state("load")
    assert "投票未计入" in phone.locator("h1").inner_text()
    assert "您今天已经投过票了" in phone.get_by_role("alert").inner_text()
    _shot(phone, tmp_path, "voting-refused-390.png")
    phone.goto(live_server.url + reverse("public:voting-results", args=[poll.pk]))
    _shot(phone, tmp_path, "voting-results-390.png")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"horizontal scroll at 390 px: {width}"

    drain(poll)
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert engine.recount(poll.pk).ok

    wide = browser.new_context(locale="zh-CN", viewport=WIDE).new_page()
    wide.goto(live_server.url + reverse("public:voting-poll", args=[poll.pk]))
    _shot(wide, tmp_path, "voting-poll-1366.png")
    wide.goto(live_server.url + reverse("accounts:login"))
    wide.get_by_label("用户名").fill("p_admin")
    wide.get_by_label("密码").fill(PASSWORD)
    wide.get_by_role("button", name="登录").click()
    wide.wait_for_url(re.compile(r".*/$"))
    wide.goto(live_server.url + reverse("voting:detail", args=[poll.pk]))
    assert "实时票数" in wide.content()
    _shot(wide, tmp_path, "voting-monitor-1366.png")
    wide.goto(live_server.url + reverse("voting:anomalies", args=[poll.pk]))
    _shot(wide, tmp_path, "voting-anomalies-1366.png")
    ctx.close()
