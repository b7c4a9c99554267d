"""The expert's workbench: 待评分 N (one line, the same selector as the queue page) and a panel."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wenming.accounts.roles import Action
from wenming.organizations.scoping import has_action_anywhere
from wenming.workbench.services import Panel, TodoItem

from .selectors import expert_queue, votes_to_cast


def expert_todos(user: Any) -> Iterable[TodoItem]:
    if not getattr(user, "is_authenticated", False) or not has_action_anywhere(user, Action.REVIEW):
        return
    n = expert_queue(user=user).count()
    if n:
        yield TodoItem(category=_("评审"), title=_("待评分 %(n)s") % {"n": n}, url=reverse("judging:queue"))


def committee_todos(user: Any) -> Iterable[TodoItem]:
    """委员会表决: the votes the user is a member of, open, not yet voted by them (one line each)."""
    if not getattr(user, "is_authenticated", False):
        return
    for v in votes_to_cast(user=user):
        yield TodoItem(
            category=_("表决"),
            title=_("待投票：%(title)s") % {"title": v.title},
            url=reverse("judging:committee-detail", args=[v.pk]),
        )


def expert_panel(user: Any) -> Panel | None:
    """待评分: the first entries of the queue, the nearest deadline first."""
    if not getattr(user, "is_authenticated", False) or not has_action_anywhere(user, Action.REVIEW):
        return None
    qs = expert_queue(user=user)
    rows = [
        TodoItem(
            a.entry.round.title,
            a.entry.label,
            reverse("judging:score", args=[a.pk]),
            due=a.entry.round.closes_at.date(),
        )
        for a in qs[:5]
    ]
    return Panel(
        gettext_noop("待评分"),
        rows,
        reverse("judging:queue"),
        gettext_noop("暂无待评分的参评对象"),
    )
