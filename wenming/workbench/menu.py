"""The staff menu, built from entries that modules register.

Each entry declares the permission it needs — an action or a named rule of ``workflow.policy`` — and is
shown only to a user who could exercise it somewhere (``policy.may_anywhere``), the same question the
page's ``staff_view`` gate asks, so a menu never offers a page that answers 403.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_noop

from wenming.core.menu import MenuEntry, menu_entries, register_menu
from wenming.workflow.policy import may_anywhere

__all__ = ["GROUP_ORDER", "MenuEntry", "menu_for", "register_menu"]


GROUP_ORDER = [
    gettext_noop("工作台"),
    gettext_noop("组织与人员"),
    gettext_noop("工作督办"),
    gettext_noop("创建活动"),
    gettext_noop("荣誉评选"),
    gettext_noop("统计报表"),
    gettext_noop("系统管理"),
    gettext_noop("安全审计"),
]


def menu_for(user: Any, current_path: str) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for e in menu_entries():
        if e.action is not None and not may_anywhere(user, e.action):
            continue
        try:
            url = reverse(e.url_name)
        except NoReverseMatch:
            continue
        groups.setdefault(e.group, []).append({"label": gettext(e.label), "url": url, "active": False})
    # Exactly one entry is current: the one whose URL is the longest prefix of the path.
    best = None
    for items in groups.values():
        for item in items:
            url = item["url"]
            if current_path == url or (url != "/" and current_path.startswith(url)):
                if best is None or len(url) > len(best["url"]):
                    best = item
    if best is not None:
        best["active"] = True
    out = []
    for g in sorted(groups, key=lambda g: GROUP_ORDER.index(g) if g in GROUP_ORDER else 99):
        items = groups[g]
        if g == "工作台":
            out.extend(items)
        else:
            out.append({"label": gettext(g), "children": items})
    return out
