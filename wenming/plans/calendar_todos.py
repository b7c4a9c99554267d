"""The calendar's line in the workbench: next year's holidays still to be entered (from 1 November).

It lives here, not in ``workdays``: the calendar sits beside the workbench in the layers and cannot
feed it; the supervision module that depends on the calendar does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from wenming.organizations.scoping import has_action_anywhere
from wenming.workbench.services import TodoItem
from wenming.workdays.permissions import CalendarAction
from wenming.workdays.services import next_year_calendar_due


def calendar_todos(user: Any) -> Iterable[TodoItem]:
    # imported here: importing the calendar's action at app loading would register it out of order

    if not getattr(user, "is_authenticated", False) or not has_action_anywhere(user, CalendarAction.CALENDAR_MANAGE):
        return []
    today = timezone.localdate()
    year = next_year_calendar_due(today)
    if year is None:
        return []
    return [
        TodoItem(
            category=gettext("工作日历"),
            title=gettext("%(year)s年节假日安排尚未录入，请按国务院办公厅通知录入，否则%(year)s年的期限只按周末计算")
            % {"year": year},
            url=reverse("workdays:notice"),
            due=date(today.year, 12, 31),
        )
    ]
