"""The staff menu, built from entries that modules register.

Each entry declares the permission it needs — an action or a named rule of ``workflow.policy`` — and is
shown only to a user who could exercise it somewhere (``policy.may_anywhere``), the same question the
page's ``staff_view`` gate asks, so a menu never offers a page that answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_noop

from wenming.workflow.policy import may_anywhere


@dataclass(frozen=True)
class MenuEntry:
    # group and label are Chinese msgids, marked with gettext_noop so that makemessages finds them;
    # menu_for translates them for the request's language.
    group: str
    label: str
    url_name: str
    action: str | None  # the permission (action or named rule); None: every signed-in staff user
    order: int = 100


_entries: list[MenuEntry] = []
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


def register_menu(group: str, label: str, url_name: str, action: str | None = None, order: int = 100) -> None:
    entry = MenuEntry(group, label, url_name, action, order)
    if entry not in _entries:
        _entries.append(entry)


def menu_for(user: Any, current_path: str) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for e in sorted(_entries, key=lambda e: e.order):
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
