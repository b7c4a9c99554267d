"""待办 lines of 申诉: to accept, to reply, to call back, past a time limit.

Each line's count is ``selectors.todo_count`` and its link opens ``complaints:list?todo=<code>``, which
filters with the same ``selectors.todo_filter``: a counter always equals the rows of its list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from wenming.organizations.scoping import has_action_anywhere
from wenming.workbench.services import TodoItem

from .permissions import ComplaintAction as CA
from .selectors import todo_count

LINES = (
    ("accept", CA.HANDLE, gettext_noop("受理"), gettext_noop("待受理的申诉 %(n)s 件")),
    ("reply", CA.REPLY, gettext_noop("答复"), gettext_noop("待企业答复的申诉 %(n)s 件")),
    ("callback", CA.HANDLE, gettext_noop("回访"), gettext_noop("待回访和调解中的申诉 %(n)s 件")),
    ("overdue", None, gettext_noop("超时"), gettext_noop("已超过办理时限的申诉 %(n)s 件")),
)


def complaint_todos(user: Any) -> Iterable[TodoItem]:
    if not getattr(user, "is_authenticated", False):
        return
    handles = has_action_anywhere(user, CA.HANDLE)
    replies = has_action_anywhere(user, CA.REPLY)
    if not (handles or replies):
        return
    base = reverse("complaints:list")
    for code, action, category, title in LINES:
        if action is not None and not has_action_anywhere(user, action):
            continue
        n = todo_count(user, code)
        if n:
            yield TodoItem(
                category=gettext(category),
                title=gettext(title) % {"n": n},
                url=f"{base}?todo={code}",
                overdue=code == "overdue",
            )
