"""Feeds the workbench to-do panel: 待签收, 待审核, 延期待批, 已逾期."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from wenming.workbench.services import TodoItem

from .choices import WorkTaskStatus
from .selectors import dispatcher_tasks, handler_tasks, pending_extensions, reports_to_review

S = WorkTaskStatus


def plans_todos(user: Any) -> list[TodoItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    items: list[TodoItem] = []
    mine = handler_tasks(user).filter(status__in=[S.DISPATCHED, S.IN_PROGRESS])[:100]
    for t in mine:
        url = reverse("plans:task-detail", args=[t.pk])
        if t.due_date < today:
            items.append(TodoItem("已逾期", f"《{t.title}》", url, t.due_date, True))
        elif t.status == S.DISPATCHED:
            items.append(TodoItem("待签收", f"《{t.title}》", url, t.due_date))
    for t in dispatcher_tasks(user).filter(status=S.REPORTED)[:100]:
        items.append(
            TodoItem(
                "待审核",
                f"《{t.title}》（{t.assignee.name}）已反馈",
                reverse("plans:task-detail", args=[t.pk]),
                t.due_date,
            )
        )
    for e in pending_extensions(user)[:100]:
        items.append(
            TodoItem(
                "延期待批",
                f"《{e.task.title}》（{e.task.assignee.name}）申请延至 {e.requested_due_date:%Y-%m-%d}",
                reverse("plans:task-detail", args=[e.task_id]),
                e.task.due_date,
                e.task.due_date < today,
            )
        )
    for r in reports_to_review(user)[:100]:
        items.append(TodoItem("待审核", r.title, reverse("plans:report-detail", args=[r.pk]), r.due_date))
    return items
