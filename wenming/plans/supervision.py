"""Timed supervision: the daily reminder digest and the one-time escalation of stale overdue tasks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from wenming.organizations.models import RoleAssignment
from wenming.plans.permissions import PlanAction as PA
from wenming.workbench.services import notify
from wenming.workdays.services import working_days_between
from wenming.workflow.engine import record_event

from .choices import WorkTaskStatus
from .models import DigestLog, SupervisionSettings, WorkTask
from .selectors import dispatcher_tasks, handler_tasks, pending_extensions, reports_to_review
from .services import CATEGORY, org_users, task_url
from .workflows import WORK_TASK_WORKFLOW

S = WorkTaskStatus
OPEN = (S.DISPATCHED, S.IN_PROGRESS)


def digest_lines(user: Any, today: date, cfg: SupervisionSettings | None = None) -> list[str]:
    """What a user's digest says today; empty when there is nothing to say."""
    cfg = cfg or SupervisionSettings.current()
    lines: list[str] = []
    mine = list(handler_tasks(user).filter(status__in=OPEN))
    overdue = [t for t in mine if t.due_date < today]
    soon = [t for t in mine if 0 <= working_days_between(today, t.due_date) <= cfg.due_soon_working_days]
    unack = [
        t
        for t in mine
        if t.status == S.DISPATCHED
        and t.dispatched_on
        and working_days_between(t.dispatched_on, today) >= cfg.ack_reminder_working_days
    ]
    for t in overdue:
        lines.append(f"已逾期：《{t.title}》应于 {t.due_date:%Y-%m-%d} 完成")
    for t in soon:
        lines.append(f"临期：《{t.title}》将于 {t.due_date:%Y-%m-%d} 到期")
    for t in unack:
        if t not in overdue:
            lines.append(f"待签收：《{t.title}》已下发 {working_days_between(t.dispatched_on, today)} 个工作日")
    issued = dispatcher_tasks(user)
    n_over = issued.filter(status__in=OPEN, due_date__lt=today).count()
    if n_over:
        lines.append(f"本单位交办的任务中有 {n_over} 项已逾期")
    n_check = issued.filter(status=S.REPORTED).count()
    if n_check:
        lines.append(f"待复核：{n_check} 项任务已反馈")
    n_ext = pending_extensions(user).count()
    if n_ext:
        lines.append(f"延期待批：{n_ext} 项")
    n_rep = reports_to_review(user).count()
    if n_rep:
        lines.append(f"待审核：{n_rep} 份工作进展报告")
    return lines


def digests_send(*, today: date | None = None) -> int:
    """One digest per user per day (DigestLog makes a second run on the same day a no-op)."""
    today = today or timezone.localdate()
    cfg = SupervisionSettings.current()
    user_ids = RoleAssignment.objects.values_list("user_id", flat=True).distinct()
    sent = 0
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk"):
        if DigestLog.objects.filter(user=user, day=today).exists():
            continue
        lines = digest_lines(user, today, cfg)
        if not lines:
            continue
        try:
            with transaction.atomic():
                DigestLog.objects.create(user=user, day=today, items=len(lines))
                notify(
                    recipient=user,
                    title=f"{today:%Y-%m-%d} 待办提醒（{len(lines)} 项）",
                    body="\n".join(lines),
                    url=reverse("plans:task-list") + "?mine=1",
                    category=CATEGORY,
                )
        except IntegrityError:  # a parallel run got there first
            continue
        sent += 1
    return sent


def tasks_escalate(*, today: date | None = None) -> int:
    """An overdue task unchanged for N working days goes to the issuing unit's head, once."""
    today = today or timezone.localdate()
    cfg = SupervisionSettings.current()
    n = 0
    qs = WorkTask.objects.filter(status__in=OPEN, due_date__lt=today, escalated_at__isnull=True).select_related(
        "dispatch__issuer", "assignee"
    )
    for task in qs:
        idle = working_days_between(timezone.localdate(task.last_change_at), today)
        if idle < cfg.escalation_working_days:
            continue
        with transaction.atomic():
            if not WorkTask.objects.filter(pk=task.pk, escalated_at__isnull=True).update(escalated_at=timezone.now()):
                continue
            record_event(
                WORK_TASK_WORKFLOW,
                task,
                "escalate",
                by=None,
                comment=f"逾期且 {idle} 个工作日无进展，已报告交办单位负责人",
            )
            heads = org_users(task.dispatch.issuer, PA.PLAN_APPROVE)
            for u in heads:
                notify(
                    recipient=u,
                    title=f"《{task.title}》（{task.assignee.name}）逾期 {idle} 个工作日无进展",
                    body=f"办理期限 {task.due_date:%Y-%m-%d}",
                    url=task_url(task),
                    category=CATEGORY,
                )
        n += 1
    return n
