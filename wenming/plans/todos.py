"""Feeds the workbench: 待办 (待签收, 待审核, 延期待批, 已逾期), 已办, 我发起的 and the deadline counters.

Every row's light is :func:`selectors.task_light` (tasks) or :func:`selectors.deadline_light` (items with
only a deadline); the counters 即将到期 / 已逾期 count :func:`selectors.tasks_with_light` over the task list
and link to that list with the same filter.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from wenming.accounts.roles import Action
from wenming.organizations.scoping import has_action_anywhere
from wenming.workbench.services import Counter, TodoItem

from .choices import TrafficLight, WorkTaskStatus
from .models import ProgressReportEvent, SupervisionSettings, WorkDispatch, WorkTaskEvent
from .selectors import (
    deadline_light,
    dispatcher_tasks,
    handler_tasks,
    light_view,
    pending_extensions,
    reports_to_review,
    task_light,
    task_list,
    tasks_with_light,
)

S = WorkTaskStatus


def _signed_in(user: Any) -> bool:
    return getattr(user, "is_authenticated", False)


def plans_todos(user: Any) -> list[TodoItem]:
    if not _signed_in(user):
        return []
    today = timezone.localdate()
    cfg = SupervisionSettings.current()
    items: list[TodoItem] = []

    def task_item(category: str, title: str, t: Any) -> TodoItem:
        code = task_light(t, today=today, cfg=cfg)
        return TodoItem(
            category,
            title,
            reverse("plans:task-detail", args=[t.pk]),
            t.due_date,
            code == TrafficLight.RED,
            light=light_view(code),
        )

    for t in handler_tasks(user).filter(status__in=[S.DISPATCHED, S.IN_PROGRESS]).select_related("dispatch__plan"):
        if t.due_date < today:
            items.append(task_item("已逾期", f"《{t.title}》", t))
        elif t.status == S.DISPATCHED:
            items.append(task_item("待签收", f"《{t.title}》", t))
    for t in dispatcher_tasks(user).filter(status=S.REPORTED).select_related("dispatch__plan"):
        items.append(task_item("待审核", f"《{t.title}》（{t.assignee.name}）已反馈", t))
    for e in pending_extensions(user):
        light = deadline_light(e.task.due_date, today)
        items.append(
            TodoItem(
                "延期待批",
                f"《{e.task.title}》（{e.task.assignee.name}）申请延至 {e.requested_due_date:%Y-%m-%d}",
                reverse("plans:task-detail", args=[e.task_id]),
                e.task.due_date,
                light is not None and light.code == TrafficLight.RED,
                light=light,
            )
        )
    for r in reports_to_review(user):
        light = deadline_light(r.due_date, today)
        items.append(
            TodoItem(
                "待审核",
                r.title,
                reverse("plans:report-detail", args=[r.pk]),
                r.due_date,
                light is not None and light.code == TrafficLight.RED,
                light=light,
            )
        )
    return items


def plans_done(user: Any, since: date | None) -> list[TodoItem]:
    """已办: the 督办 steps and report steps the user took (latest per task / report)."""
    if not _signed_in(user):
        return []
    items: list[TodoItem] = []
    seen: set[tuple[str, int]] = set()
    tasks = WorkTaskEvent.objects.filter(by=user, task__in=task_list(user=user)).exclude(kind__in=["view", "create"])
    reports = ProgressReportEvent.objects.filter(by=user).exclude(kind="create")
    if since is not None:
        tasks = tasks.filter(at__date__gte=since)
        reports = reports.filter(at__date__gte=since)
    for ev in tasks.select_related("task__dispatch").order_by("-at", "-id"):
        if ("t", ev.task_id) in seen:
            continue
        seen.add(("t", ev.task_id))
        url = reverse("plans:task-detail", args=[ev.task_id])
        items.append(TodoItem(ev.label, f"《{ev.task.title}》", url, ev.task.due_date, at=ev.at))
    for ev in reports.select_related("report").order_by("-at", "-id"):
        if ("r", ev.report_id) in seen:
            continue
        seen.add(("r", ev.report_id))
        url = reverse("plans:report-detail", args=[ev.report_id])
        items.append(TodoItem(ev.label, ev.report.title, url, ev.report.due_date, at=ev.at))
    return items


def plans_started(user: Any) -> list[TodoItem]:
    """我发起的: the 督办事项 the user drafted."""
    if not _signed_in(user):
        return []
    out = []
    for d in WorkDispatch.objects.filter(created_by=user).order_by("-created_at", "-id"):
        url = reverse("plans:dispatch-detail", args=[d.pk])
        out.append(TodoItem("督办事项", f"《{d.title}》", url, d.due_date, at=d.created_at))
    return out


def _light_counter(code: str):
    def count(user: Any) -> Counter | None:
        if not _signed_in(user) or not has_action_anywhere(user, Action.VIEW):
            return None
        n = tasks_with_light(task_list(user=user), code).count()
        return Counter(n, f"{reverse('plans:tasks')}?light={code}")

    return count


due_soon_counter = _light_counter(TrafficLight.BLUE)
overdue_counter = _light_counter(TrafficLight.RED)
