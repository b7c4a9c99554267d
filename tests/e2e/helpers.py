"""Shared steps of the browser journeys."""

from __future__ import annotations

import re

from django.urls import reverse

from conftest import PASSWORD


def login(page, live_server, username: str, *, landing: str = r".*/$") -> None:
    """Sign ``username`` in through the login form (the test password) and wait for the landing page."""
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(landing))


def pick(page, label: str, query: str, option: str) -> None:
    """Choose ``option`` in the unit / person picker labelled ``label`` by typing ``query``."""
    box = page.get_by_label(label, exact=True)
    box.fill(query)
    picker = box.locator("xpath=ancestor::div[@data-picker][1]")
    picker.locator(".picker-results [role=option]", has_text=option).first.click()
    picker.locator(".picker-chosen .picker-item", has_text=option).first.wait_for()
