"""启动试点 through the unit picker: search, choose two units, remove one (transfer list), start the pilot.

Screenshots of the open picker at 1280 and 390 px are written to the test's tmp directory (and to
``$WENMING_SCREENSHOTS`` when set) for a person to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .helpers import login, pick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=False)
    target = os.environ.get("WENMING_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / name), full_page=False)


def test_start_pilot_picks_units_through_the_picker(page, live_server, personas, org_tree, tmp_path):
    from wenming.organizations.choices import OrgKind
    from wenming.organizations.services import org_create
    from wenming.plans.models import WorkGoal, WorkPlan
    from wenming.plans.services import goal_create

    t = org_tree
    for i in range(1, 26):  # more units than the picker lists at once
        org_create(parent=t.shenyang_enterprise, kind=OrgKind.OUTLET, name=f"顺丰沈阳铁西第{i}营业部", audit=False)
    plan = WorkPlan.objects.create(year=2026, organization=t.shenyang, title="沈阳市局2026年精神文明建设工作要点")
    goal = goal_create(
        plan=plan,
        owner=t.shenyang,
        title="网点文明服务提升",
        indicators="有效申诉率",
        target="下降20%",
        by=personas.province_admin,
    )
    login(page, live_server, "sy_admin")
    page.goto(live_server.url + reverse("plans:goal-detail", args=[goal.pk]))
    assert page.locator("select[name=pilot_units]").count() == 0  # no dropdown of the whole subtree

    box = page.get_by_label("试点单位", exact=True)
    box.fill("铁西")
    results = page.locator(".picker-results [role=option]")
    page.locator(".picker-status", has_text="请输入更多字").wait_for()
    assert results.count() == 20  # capped; the status line asks for more characters
    assert all("铁西" in text for text in results.all_inner_texts())
    _shot(page, tmp_path, "picker-results-1280.png")

    pick(page, "试点单位", "和平", t.shenyang_outlet.name)
    pick(page, "试点单位", "铁西第25", "顺丰沈阳铁西第25营业部")
    chosen = page.locator(".picker-chosen .picker-item")
    assert chosen.count() == 2
    chosen.filter(has_text="铁西第25").get_by_role("button", name=re.compile("移除")).click()
    assert chosen.count() == 1

    page.set_viewport_size({"width": 390, "height": 844})
    box.fill("铁西第1")
    page.locator(".picker-status", has_text="找到 11 项").wait_for()  # 第1, 第10…第19
    page.get_by_text("试点单位", exact=True).first.evaluate("el => el.scrollIntoView({block: 'start'})")
    _shot(page, tmp_path, "picker-results-390.png")
    box.press("Escape")
    expect(page.locator(".picker-results:visible")).to_have_count(0)  # Escape closes the list
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_label("基线数据").fill("申诉率 1.2‰")
    page.get_by_role("button", name="启动试点", exact=True).click()
    page.wait_for_load_state("load")
    assert "操作成功" in page.content()
    goal = WorkGoal.objects.get(pk=goal.pk)
    assert goal.status == "piloting"
    assert list(goal.pilot_units.all()) == [t.shenyang_outlet]
    assert t.shenyang_outlet.name in page.locator("dl").first.inner_text()
