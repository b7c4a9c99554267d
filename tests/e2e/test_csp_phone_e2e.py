"""In the browser: the Content-Security-Policy holds on the main pages (0 violations), and on a 390 px
phone the list's first row shows in the first screen, the drawer's scrim closes it, and 关怀模式 keeps
headings larger than text (issue 9 item 6, issue 10 item 7; ui.md §1.5, §2.2)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Runs before any page script and outside the page's policy: records every violation the browser reports.
COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _context(browser, live_server, username: str | None, *, viewport=None, care: bool = False):
    ctx = browser.new_context(locale="zh-CN", viewport=viewport or {"width": 1280, "height": 800})
    if care:
        ctx.add_cookies([{"name": "care", "value": "1", "url": live_server.url}])
    page = ctx.new_page()
    page.add_init_script(COLLECT)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.csp_console = console
    if username:
        page.goto(live_server.url + reverse("accounts:login"))
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r".*/$"))
    return page


def _violations(page) -> list[str]:
    return list(page.evaluate("window.__csp || []")) + list(page.csp_console)


@pytest.fixture
def courier(org_tree):
    from wenming.core.pii import id_check_char
    from wenming.people.models import Courier

    c = Courier(
        outlet=org_tree.shenyang_outlet,
        name="王小明",
        gender="M",
        birth_date=date(1990, 3, 7),
        started_delivery_on=date(2015, 6, 1),
    )
    c.set_id_number("21010219900307123" + id_check_char("21010219900307123"))
    c.set_phone("13812345678")
    c.save()
    return c


def test_main_pages_raise_no_csp_violation(browser, live_server, personas, org_tree, courier):
    from wenming.workdays.models import CalendarDay

    year = timezone.localdate().year
    CalendarDay.objects.update_or_create(date=date(year, 10, 1), defaults={"kind": "holiday", "name": "国庆节"})

    anon = _context(browser, live_server, None)
    anon.goto(live_server.url + reverse("accounts:login"))
    assert anon.get_by_role("button", name="登录").is_visible()
    # the page really is styled from the static file (a blocked stylesheet would leave the default white)
    assert anon.evaluate("getComputedStyle(document.querySelector('.login-page')).display") == "grid"
    resp = anon.goto(live_server.url + reverse("public:volunteer-certificate", args=["NO-SUCH", "0" * 16]))
    assert resp.status == 404 and "验证失败" in anon.content()
    assert (
        anon.evaluate("getComputedStyle(document.querySelector('.pub-header')).backgroundColor") == "rgb(10, 110, 60)"
    )
    assert _violations(anon) == []

    staff = _context(browser, live_server, "p_admin")
    visited = []
    for url in (
        reverse("workbench:home"),
        reverse("organizations:outlet-list"),
        reverse("people:courier-detail", args=[courier.pk]),
        reverse("activities:calendar"),
        reverse("workdays:calendar") + f"?year={year}",
    ):
        r = staff.goto(live_server.url + url)
        assert r.status == 200, url
        visited.append(url)
    # htmx is loaded and works under the policy: the query form swaps the table in place
    staff.goto(live_server.url + reverse("organizations:outlet-list"))
    assert staff.evaluate("typeof window.htmx") == "object"
    assert staff.evaluate("htmx.config.includeIndicatorStyles") is False
    staff.get_by_label("关键字").fill("和平")
    with staff.expect_response(lambda r: "q=" in r.url):
        staff.get_by_role("button", name="查询").click()
    staff.wait_for_url(re.compile(r".*q=.*"))
    assert "顺丰沈阳和平营业部" in staff.locator("#table").inner_text()
    # the calendar's delete asks first (static script, no onclick): dismissing keeps the day
    staff.goto(live_server.url + reverse("workdays:calendar") + f"?year={year}")
    asked: list[str] = []

    def dismiss(d):
        asked.append(d.message)
        d.dismiss()

    staff.on("dialog", dismiss)
    staff.locator("tr", has_text="国庆节").get_by_role("button", name="删除").first.click()
    staff.wait_for_timeout(300)
    assert asked and "国庆节" in asked[0]
    assert CalendarDay.objects.filter(date=date(year, 10, 1)).exists()
    assert _violations(staff) == [], visited


def test_phone_list_page_shows_the_first_row_in_the_first_screen(browser, live_server, personas, org_tree):
    page = _context(browser, live_server, "sy_admin", viewport=PHONE)
    page.goto(live_server.url + reverse("organizations:outlet-list"))
    fold = page.locator("details.query-fold")
    assert fold.get_attribute("open") is None  # no filter set: folded on a phone
    assert not page.get_by_label("关键字").is_visible()
    row = page.locator("#table tbody tr").first
    box = row.bounding_box()
    assert box is not None and box["y"] + min(box["height"], 40) <= PHONE["height"], box
    # 展开 shows the fields; with a filter set the form comes back open
    page.get_by_text("展开查询条件").click()
    assert page.get_by_label("关键字").is_visible()
    page.goto(live_server.url + reverse("organizations:outlet-list") + "?q=和平")
    assert page.locator("details.query-fold").get_attribute("open") is not None
    assert page.get_by_label("关键字").input_value() == "和平"
    assert page.get_by_text("收起查询条件").is_visible()
    assert _violations(page) == []


def test_desktop_list_page_keeps_the_query_form_open(browser, live_server, personas, org_tree):
    page = _context(browser, live_server, "sy_admin")
    page.goto(live_server.url + reverse("organizations:outlet-list"))
    assert page.get_by_label("关键字").is_visible()
    page.get_by_text("收起查询条件").click()
    assert not page.get_by_label("关键字").is_visible()


def test_phone_drawer_scrim_closes_the_menu(browser, live_server, personas, org_tree):
    page = _context(browser, live_server, "sy_admin", viewport=PHONE)
    page.goto(live_server.url + reverse("workbench:home"))
    sidebar = page.locator("#sidebar")
    toggle = page.get_by_role("button", name="展开菜单")
    assert sidebar.bounding_box()["x"] < 0  # off screen
    toggle.click()
    page.wait_for_timeout(300)
    assert sidebar.bounding_box()["x"] == 0
    assert toggle.get_attribute("aria-expanded") == "true"
    scrim = page.locator(".scrim")
    assert scrim.is_visible()
    # a tap on the dimmed page, right of the 200 px drawer, closes it
    page.mouse.click(340, 500)
    page.wait_for_timeout(300)
    assert sidebar.bounding_box()["x"] < 0
    assert not scrim.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert _violations(page) == []


def test_care_mode_scales_headings_and_tags(browser, live_server, personas, org_tree):
    def sizes(page) -> dict[str, float]:
        return page.evaluate(
            """() => {
              const px = (el) => el ? parseFloat(getComputedStyle(el).fontSize) : 0;
              return {body: px(document.body), h1: px(document.querySelector("h1")),
                      h2: px(document.querySelector("h2")), tag: px(document.querySelector(".tag"))};
            }"""
        )

    for viewport in (PHONE, {"width": 1280, "height": 800}):
        normal = _context(browser, live_server, "sy_admin", viewport=viewport)
        normal.goto(live_server.url + reverse("workbench:home"))
        n = sizes(normal)
        care = _context(browser, live_server, "sy_admin", viewport=viewport, care=True)
        care.goto(live_server.url + reverse("workbench:home"))
        assert care.locator("html").get_attribute("class") == "care"
        c = sizes(care)
        assert c["body"] >= 18, c
        assert c["h2"] > c["body"] and c["h1"] > c["h2"], c  # headings stay above text
        assert c["h2"] / c["body"] >= n["h2"] / n["body"] - 0.01, (n, c)  # the ratio is kept
        care.goto(live_server.url + reverse("organizations:outlet-list"))
        tag = sizes(care)["tag"]
        assert tag >= 16, tag  # status tags grow too
        assert _violations(care) == []
