"""The staff menu: entries by action, one current entry."""

from wenming.workbench.menu import menu_for


def _flatten(menu):
    for item in menu:
        yield from item.get("children", [item])


def test_only_the_longest_matching_entry_is_current(personas):
    menu = menu_for(personas.shenyang_admin, "/activities/calendar/")
    active = [i["url"] for i in _flatten(menu) if i["active"]]
    assert active == ["/activities/calendar/"]


def test_menu_hides_entries_without_the_action(personas):
    labels = {i["label"] for i in _flatten(menu_for(personas.auditor, "/"))}
    assert "审计日志" in labels or any("审计" in lbl for lbl in labels)
    assert "网点" not in labels
    labels_city = {i["label"] for i in _flatten(menu_for(personas.shenyang_admin, "/"))}
    assert "网点" in labels_city
