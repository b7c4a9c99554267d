"""Shared steps of the browser journeys."""

from __future__ import annotations


def pick(page, label: str, query: str, option: str) -> None:
    """Choose ``option`` in the unit / person picker labelled ``label`` by typing ``query``."""
    box = page.get_by_label(label, exact=True)
    box.fill(query)
    picker = box.locator("xpath=ancestor::div[@data-picker][1]")
    picker.locator(".picker-results [role=option]", has_text=option).first.click()
    picker.locator(".picker-chosen .picker-item", has_text=option).first.wait_for()
