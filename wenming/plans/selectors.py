"""Read side: every query starts from ``visible_to``; traffic lights and progress are computed here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from wenming.accounts.roles import Action
from wenming.organizations.scoping import grant_paths, scope_roots
from wenming.plans.permissions import PlanAction as PA
from wenming.workdays.services import add_working_days, working_days_between

from .choices import (
    ExtensionStatus,
    ProgressMode,
    ProgressReportStatus,
    TrafficLight,
    WorkTaskStatus,
)
from .models import (
    Attachment,
    ExtensionRequest,
    Institution,
    ProgressReport,
    SupervisionSettings,
    WorkDispatch,
    WorkGoal,
    WorkPlan,
    WorkTask,
)

S = WorkTaskStatus
LIGHT_CSS = {
    TrafficLight.GREEN: "tag-ok",
    TrafficLight.BLUE: "tag-soon",
    TrafficLight.YELLOW: "tag-warn",
    TrafficLight.RED: "tag-bad",
}


def task_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[WorkTask]:
    """Tasks in the user's scope; drafts and approved-not-sent tasks only for the issuing side."""
    qs = WorkTask.objects.visible_to(user, action)
    not_sent = Q(status__in=[S.DRAFT, S.APPROVED])
    roots = scope_roots(user, PA.PLAN_DISPATCH)
    if roots:
        issuing = reduce(or_, (Q(dispatch__issuer__path__startswith=r) for r in roots))
        qs = qs.filter(~not_sent | issuing)
    else:
        qs = qs.exclude(not_sent)
    return qs.select_related("dispatch", "dispatch__issuer", "dispatch__plan", "assignee")


def attachment_list(*, user: Any) -> QuerySet[Attachment]:
    """Attachments visible with their owner (``Attachment.objects.visible_to``), where a task counts only
    as :func:`task_list` shows it (an assignee sees nothing of a dispatch before it is sent)."""
    tasks = task_list(user=user)
    return (
        Attachment.objects.visible_to(user, Action.VIEW)
        .filter(
            Q(task__in=tasks)
            | Q(dispatch__in=WorkDispatch.objects.visible_to(user, Action.VIEW))
            | Q(dispatch__tasks__in=tasks)
            | Q(report__isnull=False)
        )
        .distinct()
    )


def institution_list(*, user: Any) -> QuerySet[Institution]:
    return (
        Institution.objects.visible_to(user, Action.VIEW)
        .select_related("issuing_org")
        .prefetch_related("goals", "tasks")
    )


def plan_list(*, user: Any) -> QuerySet[WorkPlan]:
    """Plans in the user's scope, each with ``goal_count`` (one query for the page, not one per plan)."""
    return (
        WorkPlan.objects.visible_to(user, Action.VIEW)
        .select_related("organization")
        .annotate(goal_count=Count("goals", distinct=True))
        .order_by("-year", "id")  # an annotated (GROUP BY) query drops Meta.ordering: pages need a stable order
    )


def goal_list(*, user: Any) -> QuerySet[WorkGoal]:
    return WorkGoal.objects.visible_to(user, Action.VIEW).select_related("plan", "plan__organization", "owner")


def report_list(*, user: Any) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.visible_to(user, Action.VIEW).select_related("organization")


def direct_org_paths(user: Any, action: str) -> list[str]:
    """Paths of the nodes on which the user holds ``action`` directly (their own units)."""
    return grant_paths(user, action)


def plan_mode_of(task: WorkTask) -> str:
    plan = task.dispatch.plan
    return plan.progress_mode if plan else ProgressMode.MANUAL


def subtasks_of(task: WorkTask) -> QuerySet[WorkTask]:
    return WorkTask.objects.filter(dispatch__parent_task=task).exclude(status=S.CANCELLED)


def rollup_progress(task: WorkTask, _depth: int = 0) -> int | None:
    """Average progress of the subtasks (closed counts 100); ``None`` when there are none."""
    subs = list(subtasks_of(task).select_related("dispatch__plan"))
    if not subs or _depth > 5:
        return None
    values = [effective_progress(s, mode=ProgressMode.ROLLUP, _depth=_depth + 1) for s in subs]
    return round(sum(values) / len(values))


def effective_progress(task: WorkTask, *, mode: str | None = None, _depth: int = 0) -> int:
    """What the task's progress is, in the plan's mode: manual value, or the subtasks' roll-up."""
    if task.status == S.CLOSED:
        return 100
    mode = mode or plan_mode_of(task)
    if mode == ProgressMode.ROLLUP:
        r = rollup_progress(task, _depth)
        if r is not None:
            return r
    return task.progress_manual


def elapsed_percent(task: WorkTask, today: date) -> int:
    start = task.dispatched_on
    if start is None:
        return 0
    total = working_days_between(start, task.due_date)
    if total <= 0:
        return 100
    done = working_days_between(start, today)
    return max(0, min(100, round(100 * done / total)))


def is_red(task: WorkTask, today: date) -> bool:
    """■ 已逾期: open past the due date, or reported after it (waiting for the re-check). :func:`red_q`
    is the same test as a query."""
    if task.status in (S.DISPATCHED, S.IN_PROGRESS):
        return today > task.due_date
    if task.status == S.REPORTED:
        reported_on = timezone.localdate(task.reported_at) if task.reported_at else today
        return reported_on > task.due_date
    return False


def task_light(task: WorkTask, *, today: date | None = None, cfg: SupervisionSettings | None = None) -> str | None:
    """Traffic light (computed, never stored). ``None`` for drafts and finished tasks."""
    if task.status not in (S.DISPATCHED, S.IN_PROGRESS, S.REPORTED):
        return None
    cfg = (
        cfg or SupervisionSettings.current()
    )  # read before any early answer: a page's cost does not depend on its rows
    today = today or timezone.localdate()
    if is_red(task, today):
        return TrafficLight.RED
    if task.status == S.REPORTED:
        return TrafficLight.GREEN  # waiting for the dispatcher's re-check, reported in time
    if task.returned:
        return TrafficLight.YELLOW
    if effective_progress(task) < elapsed_percent(task, today) - cfg.lag_points:
        return TrafficLight.YELLOW
    if working_days_between(today, task.due_date) <= cfg.due_soon_working_days:
        return TrafficLight.BLUE
    return TrafficLight.GREEN


@dataclass
class LightView:
    code: str
    label: str
    css: str


def light_view(code: str | None) -> LightView | None:
    if code is None:
        return None
    return LightView(code, TrafficLight(code).label, LIGHT_CSS[TrafficLight(code)])


def annotate_lights(tasks: list[WorkTask], today: date | None = None) -> list[WorkTask]:
    cfg = SupervisionSettings.current()
    today = today or timezone.localdate()
    for t in tasks:
        t.light = light_view(task_light(t, today=today, cfg=cfg))
        t.progress = effective_progress(t)
    return tasks


def overdue_q(today: date) -> Q:
    return Q(status__in=[S.DISPATCHED, S.IN_PROGRESS], due_date__lt=today)


def red_q(today: date) -> Q:
    """Exactly the tasks :func:`task_light` calls RED (■ 已逾期), as a query."""
    return overdue_q(today) | Q(status=S.REPORTED, reported_at__date__gt=F("due_date"))


def tasks_with_light(qs: QuerySet[WorkTask], code: str, today: date | None = None) -> QuerySet[WorkTask]:
    """The tasks of ``qs`` whose :func:`task_light` is ``code`` — the filter of the list a workbench
    counter opens, and the counter itself, so both agree row for row."""
    today = today or timezone.localdate()
    if code == TrafficLight.RED:
        return qs.filter(red_q(today))
    cfg = SupervisionSettings.current()
    live = qs.filter(status__in=[S.DISPATCHED, S.IN_PROGRESS, S.REPORTED]).exclude(red_q(today))
    if code == TrafficLight.BLUE:  # a blue light needs the due date within the window: narrow first
        live = live.filter(due_date__lte=add_working_days(today, cfg.due_soon_working_days))
    ids = [t.pk for t in live.select_related("dispatch__plan") if task_light(t, today=today, cfg=cfg) == code]
    return qs.filter(pk__in=ids)


def deadline_light(due: date | None, today: date | None = None) -> LightView | None:
    """The light of a to-do that has only a deadline (a report awaiting review, an extension request):
    ■ 已逾期 after it, ◆ 临期 within the due-soon window, ● 正常 otherwise — the same thresholds as tasks."""
    if due is None:
        return None
    today = today or timezone.localdate()
    if today > due:
        return light_view(TrafficLight.RED)
    if working_days_between(today, due) <= SupervisionSettings.current().due_soon_working_days:
        return light_view(TrafficLight.BLUE)
    return light_view(TrafficLight.GREEN)


def handler_tasks(user: Any) -> QuerySet[WorkTask]:
    """Tasks addressed to the user's own units (where they hold plans.handle directly)."""
    paths = direct_org_paths(user, PA.PLAN_HANDLE)
    if not paths:
        return WorkTask.objects.none()
    return task_list(user=user).filter(assignee__path__in=paths).exclude(dispatch__issuer__path__in=paths)


def dispatcher_tasks(user: Any) -> QuerySet[WorkTask]:
    """Tasks issued by the user's own units (where they hold plans.dispatch directly)."""
    paths = direct_org_paths(user, PA.PLAN_DISPATCH)
    if not paths:
        return WorkTask.objects.none()
    return WorkTask.objects.filter(dispatch__issuer__path__in=paths).select_related(
        "dispatch", "dispatch__issuer", "assignee"
    )


def pending_extensions(user: Any) -> QuerySet[ExtensionRequest]:
    return ExtensionRequest.objects.filter(
        status=ExtensionStatus.PENDING, task__in=dispatcher_tasks(user).values("pk")
    ).select_related("task__dispatch", "task__assignee")


def reports_to_review(user: Any) -> QuerySet[ProgressReport]:
    if not direct_org_paths(user, PA.REPORT_REVIEW):
        return ProgressReport.objects.none()
    own = direct_org_paths(user, PA.PLAN_HANDLE)
    return (
        ProgressReport.objects.visible_to(user, PA.REPORT_REVIEW)
        .filter(status=ProgressReportStatus.SUBMITTED)
        .exclude(organization__path__in=own)
    )


def original_due_on_time(task: WorkTask) -> bool | None:
    """Rankings use the original due date, whatever extension was granted."""
    if task.status == S.CANCELLED:
        return None
    if task.reported_at:
        return timezone.localdate(task.reported_at) <= task.original_due_date
    if timezone.localdate() > task.original_due_date:
        return False
    return None


def task_timeliness_by_city(period_start: date, period_end: date) -> dict[str, dict[str, int]]:
    """Per city code, over the dispatched tasks assigned under that city whose original due date lies in
    [period_start, period_end] (the assessment reads this; one query, no loop per city):
    ``tasks``; ``due`` (reported, or past the original date); ``on_time`` (reported by the original date);
    ``acked`` (signed for within one working day of dispatch)."""
    today = timezone.localdate()
    out: dict[str, dict[str, int]] = {}
    rows = (
        WorkTask.objects.filter(
            dispatched_at__isnull=False, original_due_date__gte=period_start, original_due_date__lte=period_end
        )
        .exclude(status=WorkTaskStatus.CANCELLED)
        .order_by()
        .values_list("assignee__city_code", "dispatched_at", "acknowledged_at", "reported_at", "original_due_date")
    )
    for code, dispatched, acked, reported, due in rows:
        if not code:
            continue
        r = out.setdefault(code, {"tasks": 0, "due": 0, "on_time": 0, "acked": 0})
        r["tasks"] += 1
        if reported or due < today:
            r["due"] += 1
        if reported and timezone.localdate(reported) <= due:
            r["on_time"] += 1
        if acked and timezone.localdate(acked) <= add_working_days(timezone.localdate(dispatched), 1):
            r["acked"] += 1
    return out


def adopted_reports_by_city(period_start: date, period_end: date) -> dict[str, int]:
    """Progress reports adopted or published (采用), submitted in [period_start, period_end], per city code."""
    return dict(
        ProgressReport.objects.filter(
            status__in=[ProgressReportStatus.ADOPTED, ProgressReportStatus.PUBLISHED],
            submitted_at__date__gte=period_start,
            submitted_at__date__lte=period_end,
        )
        .exclude(organization__city_code="")
        .order_by()
        .values("organization__city_code")
        .annotate(n=Count("pk"))
        .values_list("organization__city_code", "n")
    )
