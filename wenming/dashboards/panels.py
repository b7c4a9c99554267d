"""The workbench's 数据看板 panel: the dashboard's own figures (same selectors, same cache)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from wenming.organizations.scoping import has_action_anywhere
from wenming.workbench.services import Panel, TodoItem

from . import selectors
from .permissions import DashboardAction as DA

LABELS = {
    "activities": gettext_noop("本年创建活动"),
    "hours": gettext_noop("本年认定志愿时长（小时）"),
    "overdue_complaints": gettext_noop("超时申诉"),
    "expiring_titles": gettext_noop("90 天内到期称号"),
}


def dashboard_panel(user: Any) -> Panel | None:
    if not (getattr(user, "is_authenticated", False) and has_action_anywhere(user, DA.VIEW)):
        return None
    figures = selectors.summary(user)["figures"]
    tag = gettext("数据看板")
    rows = [TodoItem(tag, f"{gettext(LABELS[k])}: {figures[k]['value']}", figures[k]["url"]) for k in LABELS]
    return Panel(gettext_noop("数据看板"), rows, reverse("dashboards:index"))
