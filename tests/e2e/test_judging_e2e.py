"""Browser journey of 专家评审: the expert signs in, the workbench shows 待评分 N with the queue, the
expert scores one entry (a draft first, then submits), the counter drops by one; the organiser's
ranking shows the score, a conflicted expert greyed with the reason. Screenshots of the judging pages
at 1366 px and 390 px (``WENMING_SCREENSHOTS=<dir>`` keeps them)."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse

from wenming.judging import services
from wenming.judging.models import Assignment
from wenming.judging.services import BallotSpec
from wenming.judging.tests.factories import leaf_ids, make_expert, score, scoring_round

from .helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    target = os.environ.get("WENMING_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / name), full_page=True)


def test_expert_scores_from_the_workbench_queue(browser, live_server, personas, org_tree, tmp_path):
    ns = SimpleNamespace(p=personas, t=org_tree)
    t = org_tree
    colleague = make_expert("ex_colleague", t.province)
    rnd = scoring_round(ns, experts=[personas.expert, colleague], affiliations={colleague.pk: t.shenyang})
    first, second = list(rnd.entries.order_by("sort_order"))
    score(Assignment.objects.get(entry=first, expert=colleague), ["30", "10", "30"])  # conflicted: 70, not counted
    score(Assignment.objects.get(entry=second, expert=colleague), ["35", "15", "35"])

    ctx = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = ctx.new_page()
    page.on("dialog", lambda d: d.accept())
    login(page, live_server, "expert")
    work = page.get_by_test_id("work-rows")
    assert work.get_by_role("link", name="待评分 2").is_visible()
    panel = page.locator("section.card", has=page.get_by_role("heading", name=re.compile("^待评分")))
    assert panel.get_by_role("link", name=first.label).is_visible()
    _shot(page, tmp_path, "judging-workbench-1366.png")
    work.get_by_role("link", name="待评分 2").click()
    page.wait_for_url(re.compile(r".*/judging/$"))
    queue = page.get_by_test_id("expert-queue")
    assert queue.locator("tbody tr").count() == 2
    _shot(page, tmp_path, "judging-queue-1366.png")
    queue.get_by_role("link", name=first.label).click()
    page.wait_for_url(re.compile(r".*/judging/score/\d+/$"))

    ids = leaf_ids(rnd.scheme)
    page.locator(f"#points_{ids[0]}").fill("38")
    page.locator(f"#points_{ids[1]}").fill("18.5")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("load")
    assert "评分草稿已保存" in page.content()
    assert page.get_by_test_id("score-total").inner_text() == "56.50"
    page.locator(f"#points_{ids[2]}").fill("45")  # above the maximum of 40
    page.get_by_role("button", name="提交评分").click()
    page.wait_for_load_state("load")
    assert "0 到 40" in page.locator(".form-errors[role=alert]").inner_text()
    page.locator(f"#points_{ids[2]}").fill("36")
    _shot(page, tmp_path, "judging-score-1366.png")
    page.get_by_role("button", name="提交评分").click()
    page.wait_for_url(re.compile(r".*/judging/$"))
    assert "评分已提交" in page.content()
    assert page.get_by_test_id("expert-queue").locator("tbody tr").count() == 1
    page.goto(live_server.url + reverse("workbench:home"))
    assert page.get_by_test_id("work-rows").get_by_role("link", name="待评分 1").is_visible()
    mine = Assignment.objects.get(entry=first, expert=personas.expert)
    assert mine.status == "submitted" and sum(s.points for s in mine.scores.all()) == Decimal("92.5")

    phone = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    login(phone, live_server, "expert")
    phone.goto(live_server.url + reverse("judging:queue"))
    _shot(phone, tmp_path, "judging-queue-390.png")
    pending = Assignment.objects.get(entry=second, expert=personas.expert)
    phone.goto(live_server.url + reverse("judging:score", args=[pending.pk]))
    _shot(phone, tmp_path, "judging-score-390.png")

    # the organiser's ranking: the mean of counted judges; the conflicted colleague greyed with the reason
    org = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    login(org, live_server, "p_admin")
    org.goto(live_server.url + reverse("judging:round-ranking", args=[rnd.pk]))
    table = org.get_by_test_id("ranking")
    first_row = table.locator("tbody tr").first
    assert first.label in first_row.inner_text() and "92.50" in first_row.inner_text()
    assert "同一上下级链条" in first_row.locator(".excluded").inner_text()
    _shot(org, tmp_path, "judging-ranking-1366.png")
    for name, url in [
        ("round", reverse("judging:round-detail", args=[rnd.pk])),
        ("scheme", reverse("judging:scheme-detail", args=[rnd.scheme_id])),
    ]:
        org.goto(live_server.url + url)
        _shot(org, tmp_path, f"judging-{name}-1366.png")
    vote = services.committee_open(
        title="文明窗口审定",
        organization=t.province,
        members=[personas.province_admin, personas.shenyang_admin, personas.dalian_admin],
        present_count=3,
        items=[BallotSpec(e.subject_key, e.label, e) for e in (first, second)],
        by=personas.province_admin,
    )
    org.goto(live_server.url + reverse("judging:committee-detail", args=[vote.pk]))
    ballot = org.get_by_test_id("ballot")
    for fieldset in ballot.locator("fieldset").all():
        fieldset.get_by_label("同意", exact=True).check()
    org.once("dialog", lambda d: d.accept())
    ballot.get_by_role("button", name="投票").click()
    org.wait_for_load_state("load")
    assert "您的选票已投出" in org.content() and vote.voters.count() == 1
    _shot(org, tmp_path, "judging-committee-1366.png")
    orgp = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    login(orgp, live_server, "p_admin")
    for name, url in [
        ("ranking", reverse("judging:round-ranking", args=[rnd.pk])),
        ("scheme", reverse("judging:scheme-detail", args=[rnd.scheme_id])),
        ("round", reverse("judging:round-detail", args=[rnd.pk])),
    ]:
        orgp.goto(live_server.url + url)
        _shot(orgp, tmp_path, f"judging-{name}-390.png")
