"""Writes of the plans app: one service per transition, an event row each, decisions audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from wenming.accounts.roles import Action, actions_for
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core import uploads
from wenming.core.errors import ApplicationError
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization, RoleAssignment
from wenming.workbench.services import notify

from . import rules
from .choices import (
    ExtensionStatus,
    ProgressMode,
    ProgressReportStatus,
    ReportKind,
    WorkGoalStatus,
    WorkTaskStatus,
)
from .models import (
    Attachment,
    Bulletin,
    ExtensionRequest,
    Institution,
    ProgressReport,
    ProgressReportEvent,
    ReportFieldComment,
    SupervisionSettings,
    WorkDispatch,
    WorkGoal,
    WorkGoalEvent,
    WorkPlan,
    WorkTask,
    WorkTaskEvent,
)
from .workflows import (
    EXTENSION_REQUEST_STATES,
    EXTENSION_WORKFLOW,
    PROGRESS_REPORT_WORKFLOW,
    WORK_GOAL_WORKFLOW,
    WORK_TASK_WORKFLOW,
)

S = WorkTaskStatus
R = ProgressReportStatus
CATEGORY = "督办"
# What attachments and institution files may be (wenming.core.uploads: content-checked, images stripped).
ATTACHMENT_KINDS = (uploads.DOCUMENT, uploads.SPREADSHEET, uploads.IMAGE, uploads.ARCHIVE)
# Which kinds of unit an issuing organisation may dispatch to.
ASSIGNEE_KINDS = {
    OrgKind.PROVINCIAL_BUREAU: {OrgKind.DIVISION, OrgKind.CITY_BUREAU, OrgKind.ENTERPRISE},
    OrgKind.CITY_BUREAU: {OrgKind.SECTION, OrgKind.ENTERPRISE, OrgKind.BRANCH, OrgKind.OUTLET},
    OrgKind.ENTERPRISE: {OrgKind.BRANCH, OrgKind.OUTLET},
    OrgKind.BRANCH: {OrgKind.BRANCH, OrgKind.OUTLET},
}


# --- helpers ----------------------------------------------------------------------------------
def _check(permission: str, by: Any, obj: Any) -> None:
    if not rules.has_perm(by, permission, obj):
        raise PermissionDenied


def org_users(org: Organization, action: str) -> list[Any]:
    """Active users holding ``action`` through a role granted on ``org`` itself."""
    roles = {r for r in RoleAssignment.objects.filter(organization=org).values_list("role", flat=True)}
    ok_roles = [r for r in roles if action in actions_for(r)]
    users = {
        ra.user
        for ra in RoleAssignment.objects.filter(
            organization=org, role__in=ok_roles, user__is_active=True
        ).select_related("user")
    }
    return sorted(users, key=lambda u: u.pk)


def _notify_all(users: Iterable[Any], *, title: str, body: str = "", url: str = "", skip: Any = None) -> int:
    n = 0
    for u in {u.pk: u for u in users}.values():
        if skip is not None and u.pk == getattr(skip, "pk", None):
            continue
        notify(recipient=u, title=title, body=body, url=url, category=CATEGORY)
        n += 1
    return n


def task_url(task: WorkTask) -> str:
    return reverse("plans:task-detail", args=[task.pk])


def report_url(report: ProgressReport) -> str:
    return reverse("plans:report-detail", args=[report.pk])


def _lock_task(task_id: int) -> WorkTask:
    return WorkTask.objects.select_for_update().select_related("dispatch__issuer", "assignee").get(pk=task_id)


def _task_event(task: WorkTask, kind: str, by: Any, comment: str = "", old: str = "", new: str = "") -> WorkTaskEvent:
    now = timezone.now()
    WorkTask.objects.filter(pk=task.pk).update(last_change_at=now)
    task.last_change_at = now
    return WorkTaskEvent.objects.create(
        task=task, kind=kind, from_status=old, to_status=new, by=by, at=now, comment=comment
    )


def _transition(task: WorkTask, name: str, by: Any, comment: str = "", **fields: Any) -> WorkTask:
    t = WORK_TASK_WORKFLOW.get(name, task.status)
    _check(t.permission, by, task)
    old = task.status
    task.status = t.target
    for k, v in fields.items():
        setattr(task, k, v)
    task.save(update_fields=["status", "updated_at", *fields.keys()])
    _task_event(task, name, by, comment, old, t.target)
    return task


def attachment_add(*, upload: Any, by: Any, dispatch=None, task=None, report=None) -> Attachment:
    """Check the file on the one upload path (content, size, bombs; images stripped), store it, add the row."""
    cfg = SupervisionSettings.current()
    clean = uploads.check_file(
        upload, kinds=ATTACHMENT_KINDS, max_bytes=cfg.attachment_max_mb * 1024 * 1024, field="files"
    )
    return Attachment.objects.create(
        file=uploads.save(clean, prefix="plans"),
        original_name=clean.original_name or "附件",
        size=clean.size,
        uploaded_by=by,
        dispatch=dispatch,
        task=task,
        report=report,
    )


# --- plans and goals --------------------------------------------------------------------------
@transaction.atomic
def plan_create(
    *, organization: Organization, year: int, title: str, progress_mode: str, summary: str = "", by: Any
) -> WorkPlan:
    if not rules.holds_over(by, organization, Action.PLAN_DISPATCH):
        raise PermissionDenied
    if WorkPlan.objects.filter(organization=organization, year=year, title=title).exists():
        raise ApplicationError("同一单位同一年度已有同名方案", field="title")
    plan = WorkPlan.objects.create(
        organization=organization, year=year, title=title, progress_mode=progress_mode, summary=summary, created_by=by
    )
    audit_record(AuditAction.CREATE, user=by, obj=plan, detail={"year": year})
    return plan


@transaction.atomic
def plan_set_progress_mode(*, plan_id: int, mode: str, by: Any) -> WorkPlan:
    """Switch manual ↔ rollup. Manual values stay stored untouched, so switching back restores them."""
    plan = WorkPlan.objects.select_for_update().get(pk=plan_id)
    if not rules.holds_over(by, plan.organization, Action.PLAN_DISPATCH):
        raise PermissionDenied
    if mode not in ProgressMode.values:
        raise ApplicationError("请选择进度计算方式", field="mode")
    old = plan.progress_mode
    plan.progress_mode = mode
    plan.save(update_fields=["progress_mode", "updated_at"])
    audit_record(AuditAction.UPDATE, user=by, obj=plan, detail={"progress_mode": [old, mode]})
    return plan


@transaction.atomic
def goal_create(
    *,
    plan: WorkPlan,
    owner: Organization,
    title: str,
    by: Any,
    clause: str = "",
    description: str = "",
    indicators: str = "",
    target: str = "",
) -> WorkGoal:
    if not rules.holds_over(by, plan.organization, Action.PLAN_DISPATCH):
        raise PermissionDenied
    if not owner.path.startswith(plan.organization.path):
        raise ApplicationError("牵头单位须在方案制定单位之下", field="owner")
    if not (indicators.strip() and target.strip()):
        raise ApplicationError("请填写指标和目标值", field="target")
    order = (plan.goals.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    goal = WorkGoal.objects.create(
        plan=plan,
        owner=owner,
        title=title,
        clause=clause,
        description=description,
        indicators=indicators,
        target=target,
        sort_order=order,
    )
    WorkGoalEvent.objects.create(goal=goal, kind="create", to_status=goal.status, by=by)
    return goal


@transaction.atomic
def goal_transition(
    *,
    goal_id: int,
    name: str,
    by: Any,
    comment: str = "",
    pilot_unit_ids: Sequence[int] | None = None,
    baseline: str = "",
    evidence: str = "",
) -> WorkGoal:
    goal = WorkGoal.objects.select_for_update().select_related("plan__organization", "owner").get(pk=goal_id)
    t = WORK_GOAL_WORKFLOW.get(name, goal.status)
    _check(t.permission, by, goal)
    if name == "start_pilot":
        if pilot_unit_ids:
            units = Organization.objects.filter(pk__in=pilot_unit_ids, path__startswith=goal.owner.path)
            goal.pilot_units.add(*units)
        if not goal.pilot_units.exists():
            raise ApplicationError("请至少选择一个试点单位", field="pilot_units")
        goal.baseline = baseline.strip() or goal.baseline
        if not goal.baseline:
            raise ApplicationError("请填写基线数据", field="baseline")
    if name == "evaluate":
        if not evidence.strip():
            raise ApplicationError("请填写试点成效（满意度、申诉率等变化）", field="evidence")
        goal.evidence = (goal.evidence + "\n" if goal.evidence else "") + evidence.strip()
    if name == "institutionalise" and not goal.institutions.exists():
        raise ApplicationError("请先在长效机制中关联制度文件", field="comment")
    if name in ("cancel", "revise") and not comment.strip():
        raise ApplicationError("请填写理由", field="comment")
    old = goal.status
    goal.status = t.target
    goal.save()
    WorkGoalEvent.objects.create(goal=goal, kind=name, from_status=old, to_status=t.target, by=by, comment=comment)
    audit_record(AuditAction.DECISION, user=by, obj=goal, detail={"transition": name, "from": old, "to": t.target})
    return goal


# --- dispatches and tasks ---------------------------------------------------------------------
@transaction.atomic
def dispatch_create(
    *,
    issuer: Organization,
    title: str,
    content: str,
    due_date: date,
    assignees: Sequence[Organization],
    by: Any,
    plan: WorkPlan | None = None,
    goal: WorkGoal | None = None,
    parent_task: WorkTask | None = None,
    uploads: Sequence[Any] = (),
) -> WorkDispatch:
    """Write a 督办事项 with one draft task per assignee."""
    if not rules.holds_over(by, issuer, Action.PLAN_DISPATCH):
        raise PermissionDenied
    if not assignees:
        raise ApplicationError("请选择承办单位", field="assignees")
    if due_date < timezone.localdate():
        raise ApplicationError("办理期限不能早于今天", field="due_date")
    allowed = ASSIGNEE_KINDS.get(issuer.kind, set())
    for org in assignees:
        if org.pk == issuer.pk or not org.path.startswith(issuer.path) or org.kind not in allowed:
            raise ApplicationError(f"“{org.name}”不是本单位可交办的单位", field="assignees")
    if parent_task is not None:
        if parent_task.assignee_id != issuer.pk:
            raise ApplicationError("只能由承办单位分解任务", field="assignees")
        if due_date > parent_task.due_date:
            raise ApplicationError("子任务期限不能晚于上级任务期限", field="due_date")
        plan = plan or parent_task.dispatch.plan
    d = WorkDispatch.objects.create(
        issuer=issuer,
        title=title.strip(),
        content=content.strip(),
        due_date=due_date,
        plan=plan,
        goal=goal,
        parent_task=parent_task,
        created_by=by,
    )
    for org in assignees:
        task = WorkTask.objects.create(dispatch=d, assignee=org, original_due_date=due_date, due_date=due_date)
        _task_event(task, "create", by, new=task.status)
    for f in uploads:
        attachment_add(upload=f, by=by, dispatch=d)
    audit_record(AuditAction.CREATE, user=by, obj=d, detail={"assignees": len(assignees), "due": due_date.isoformat()})
    return d


@transaction.atomic
def dispatch_approve(*, dispatch_id: int, by: Any) -> WorkDispatch:
    d = WorkDispatch.objects.select_for_update().get(pk=dispatch_id)
    tasks = [_lock_task(t.pk) for t in d.tasks.filter(status=S.DRAFT)]
    if not tasks:
        raise ApplicationError("没有待审核的草稿")
    for task in tasks:
        _transition(task, "approve", by)
    audit_record(AuditAction.DECISION, user=by, obj=d, detail={"transition": "approve", "tasks": len(tasks)})
    return d


@transaction.atomic
def dispatch_send(*, dispatch_id: int, by: Any) -> WorkDispatch:
    """下发: every approved task goes to its assignee, who is notified."""
    d = WorkDispatch.objects.select_for_update().get(pk=dispatch_id)
    tasks = [_lock_task(t.pk) for t in d.tasks.filter(status=S.APPROVED)]
    if not tasks:
        raise ApplicationError("没有待下发的任务")
    now = timezone.now()
    for task in tasks:
        _transition(task, "dispatch", by, dispatched_at=now)
        _notify_all(
            org_users(task.assignee, Action.PLAN_HANDLE),
            title=f"[督办] 《{d.title}》请签收，办理期限 {task.due_date:%Y-%m-%d}",
            url=task_url(task),
        )
    audit_record(AuditAction.DECISION, user=by, obj=d, detail={"transition": "dispatch", "tasks": len(tasks)})
    return d


def task_mark_viewed(*, task: WorkTask, by: Any) -> bool:
    """Record the assignee side's first view (for 未读 lists). Dispatchers' views do not count."""
    if task.first_viewed_at or task.status == S.DRAFT or not rules.is_handler(by, task):
        return False
    with transaction.atomic():
        now = timezone.now()
        n = WorkTask.objects.filter(pk=task.pk, first_viewed_at__isnull=True).update(
            first_viewed_at=now, first_viewed_by=by
        )
        if n:
            task.first_viewed_at, task.first_viewed_by = now, by
            WorkTaskEvent.objects.create(task=task, kind="view", by=by, at=now)
    return bool(n)


@transaction.atomic
def task_acknowledge(*, task_id: int, by: Any) -> WorkTask:
    task = _lock_task(task_id)
    now = timezone.now()
    fields: dict[str, Any] = {"acknowledged_at": now, "acknowledged_by": by}
    if not task.first_viewed_at:
        fields.update(first_viewed_at=now, first_viewed_by=by)
    return _transition(task, "acknowledge", by, **fields)


@transaction.atomic
def task_update_progress(*, task_id: int, by: Any, progress: int, note: str) -> WorkTask:
    """A progress update while working (no state change)."""
    task = _lock_task(task_id)
    if task.status != S.IN_PROGRESS:
        raise ApplicationError("当前状态下不能更新进度")
    _check("plans.handle_task", by, task)
    if not 0 <= progress <= 100:
        raise ApplicationError("进度应在 0–100 之间", field="progress")
    task.progress_manual, task.progress_note = progress, note.strip()
    task.save(update_fields=["progress_manual", "progress_note", "updated_at"])
    _task_event(task, "progress", by, f"进度 {progress}%：{note.strip()}")
    return task


@transaction.atomic
def task_report(*, task_id: int, by: Any, progress: int, note: str, uploads: Sequence[Any] = ()) -> WorkTask:
    """反馈: the assignee reports completion with evidence; the dispatcher re-checks."""
    task = _lock_task(task_id)
    if not note.strip():
        raise ApplicationError("请填写办理情况", field="note")
    if not 0 <= progress <= 100:
        raise ApplicationError("进度应在 0–100 之间", field="progress")
    _transition(
        task,
        "report",
        by,
        f"进度 {progress}%：{note.strip()}",
        progress_manual=progress,
        progress_note=note.strip(),
        reported_at=timezone.now(),
        returned=False,
    )
    for f in uploads:
        attachment_add(upload=f, by=by, task=task)
    _notify_all(
        org_users(task.dispatch.issuer, Action.PLAN_DISPATCH) + [u for u in [task.dispatch.created_by] if u],
        title=f"[督办] {task.assignee.name}已反馈《{task.title}》，请复核",
        url=task_url(task),
        skip=by,
    )
    return task


@transaction.atomic
def task_return(*, task_id: int, by: Any, reason: str) -> WorkTask:
    """退办: back to the assignee with a reason (a decision: audited)."""
    task = _lock_task(task_id)
    if not reason.strip():
        raise ApplicationError("请填写退回理由", field="reason")
    _transition(task, "return", by, reason.strip(), returned=True)
    audit_record(AuditAction.DECISION, user=by, obj=task, detail={"transition": "return", "reason": reason.strip()})
    _notify_all(
        org_users(task.assignee, Action.PLAN_HANDLE),
        title=f"[督办] 《{task.title}》被退回，请继续办理",
        body=reason.strip(),
        url=task_url(task),
    )
    return task


@transaction.atomic
def task_close(*, task_id: int, by: Any, comment: str = "") -> WorkTask:
    """复核 → 办结."""
    task = _lock_task(task_id)
    _transition(task, "close", by, comment.strip(), closed_at=timezone.now())
    audit_record(AuditAction.DECISION, user=by, obj=task, detail={"transition": "close"})
    _notify_all(
        org_users(task.assignee, Action.PLAN_HANDLE), title=f"[督办] 《{task.title}》已办结", url=task_url(task)
    )
    return task


@transaction.atomic
def task_cancel(*, task_id: int, by: Any, reason: str) -> WorkTask:
    task = _lock_task(task_id)
    if not reason.strip():
        raise ApplicationError("请填写撤销理由", field="reason")
    was_live = task.status in (S.DISPATCHED, S.IN_PROGRESS, S.REPORTED)
    _transition(task, "cancel", by, reason.strip())
    ExtensionRequest.objects.filter(task=task, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.DENIED, decided_by=by, decided_at=timezone.now(), decision_comment="任务已撤销"
    )
    audit_record(AuditAction.DECISION, user=by, obj=task, detail={"transition": "cancel", "reason": reason.strip()})
    if was_live:
        _notify_all(
            org_users(task.assignee, Action.PLAN_HANDLE),
            title=f"[督办] 《{task.title}》已撤销",
            body=reason.strip(),
            url=task_url(task),
        )
    return task


@transaction.atomic
def extension_request(*, task_id: int, by: Any, new_due_date: date, reason: str) -> ExtensionRequest:
    """延期申请: before the due date, with a reason and the date asked for."""
    task = _lock_task(task_id)
    if task.status not in EXTENSION_REQUEST_STATES:
        raise ApplicationError("当前状态下不能申请延期")
    _check("plans.handle_task", by, task)
    if timezone.localdate() > task.due_date:
        raise ApplicationError("已超过办理期限，不能再申请延期", field="new_due_date")
    if new_due_date <= task.due_date:
        raise ApplicationError("申请日期须晚于当前办理期限", field="new_due_date")
    if not reason.strip():
        raise ApplicationError("请填写延期理由", field="reason")
    if task.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ApplicationError("已有待审批的延期申请")
    ext = ExtensionRequest.objects.create(
        task=task, requested_due_date=new_due_date, reason=reason.strip(), requested_by=by
    )
    _task_event(task, "extension_request", by, f"申请延至 {new_due_date:%Y-%m-%d}：{reason.strip()}")
    _notify_all(
        org_users(task.dispatch.issuer, Action.PLAN_DISPATCH) + [u for u in [task.dispatch.created_by] if u],
        title=f"[督办] {task.assignee.name}申请《{task.title}》延期至 {new_due_date:%Y-%m-%d}",
        url=task_url(task),
        skip=by,
    )
    return ext


@transaction.atomic
def extension_decide(*, extension_id: int, by: Any, approve: bool, comment: str = "") -> ExtensionRequest:
    """批准 moves the due date; the original due date stays for rankings. Refusal needs a reason."""
    ext = ExtensionRequest.objects.select_for_update().get(pk=extension_id)
    task = _lock_task(ext.task_id)
    t = EXTENSION_WORKFLOW.get("approve" if approve else "deny", ext.status)
    _check(t.permission, by, task)
    if not approve and not comment.strip():
        raise ApplicationError("请填写不予批准的理由", field="comment")
    ext.status, ext.decided_by, ext.decided_at, ext.decision_comment = t.target, by, timezone.now(), comment.strip()
    ext.save()
    old_due = task.due_date
    if approve:
        task.due_date = ext.requested_due_date
        task.escalated_at = None
        task.save(update_fields=["due_date", "escalated_at", "updated_at"])
    text = f"延期至 {ext.requested_due_date:%Y-%m-%d}{'，已批准' if approve else '，未批准'}"
    _task_event(task, f"extension_{t.name}", by, text + (f"：{comment.strip()}" if comment.strip() else ""))
    audit_record(
        AuditAction.DECISION,
        user=by,
        obj=task,
        detail={
            "transition": f"extension_{t.name}",
            "old_due": old_due.isoformat(),
            "requested": ext.requested_due_date.isoformat(),
        },
    )
    if ext.requested_by:
        notify(
            recipient=ext.requested_by, title=f"[督办] 《{task.title}》{text}", url=task_url(task), category=CATEGORY
        )
    return ext


# --- progress reports -------------------------------------------------------------------------
def report_due_date(kind: str, year: int, period: int, cfg: SupervisionSettings | None = None) -> date:
    cfg = cfg or SupervisionSettings.current()
    if kind == ReportKind.MONTHLY:
        y, m = (year + 1, 1) if period == 12 else (year, period + 1)
        return date(y, m, min(cfg.monthly_due_day, 28))
    if kind == ReportKind.HALF_YEAR:
        return date(year, cfg.half_year_due_month, cfg.half_year_due_day)
    return date(year, cfg.annual_due_month, cfg.annual_due_day)


def report_max_chars(kind: str, cfg: SupervisionSettings | None = None) -> int:
    cfg = cfg or SupervisionSettings.current()
    return {
        ReportKind.MONTHLY: cfg.monthly_max_chars,
        ReportKind.HALF_YEAR: cfg.half_year_max_chars,
        ReportKind.ANNUAL: cfg.annual_max_chars,
    }[kind]


@transaction.atomic
def report_create(*, organization: Organization, kind: str, year: int, period: int, by: Any) -> ProgressReport:
    if organization.kind != OrgKind.CITY_BUREAU:
        raise ApplicationError("工作进展由市局报送", field="organization")
    if not (
        rules.holds_on(by, organization, Action.PLAN_HANDLE) or rules.holds_on(by, organization, Action.PLAN_APPROVE)
    ):
        raise PermissionDenied
    if kind == ReportKind.MONTHLY and not 1 <= period <= 12:
        raise ApplicationError("请选择月份", field="period")
    if kind != ReportKind.MONTHLY:
        period = 1
    if ProgressReport.objects.filter(organization=organization, kind=kind, year=year, period=period).exists():
        raise ApplicationError("该期报告已存在", field="period")
    report = ProgressReport(organization=organization, kind=kind, year=year, period=period, created_by=by)
    report.title = f"{organization.name}{report.period_label}{ReportKind(kind).label}工作进展"
    report.due_date = report_due_date(kind, year, period)
    report.save()
    ProgressReportEvent.objects.create(report=report, kind="create", to_status=report.status, by=by)
    return report


@transaction.atomic
def report_update(*, report_id: int, by: Any, **sections: str) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().get(pk=report_id)
    if report.status != R.DRAFT:
        raise ApplicationError("只有草稿可以修改")
    if not rules.can_edit_report(by, report):
        raise PermissionDenied
    for f in ProgressReport.SECTIONS:
        if f in sections:
            setattr(report, f, (sections[f] or "").strip())
    limit = report_max_chars(report.kind)
    if report.text_length() > limit:
        raise ApplicationError(f"正文合计不超过 {limit:,} 字（当前 {report.text_length():,} 字）", field="summary")
    report.save()
    return report


def _report_transition(report: ProgressReport, name: str, by: Any, comment: str = "") -> ProgressReportEvent:
    t = PROGRESS_REPORT_WORKFLOW.get(name, report.status)
    _check(t.permission, by, report)
    old = report.status
    report.status = t.target
    report.save()
    return ProgressReportEvent.objects.create(
        report=report, kind=name, from_status=old, to_status=t.target, by=by, comment=comment
    )


def _lock_report(report_id: int) -> ProgressReport:
    return ProgressReport.objects.select_for_update().select_related("organization").get(pk=report_id)


def _reviewers(report: ProgressReport) -> list[Any]:
    out: list[Any] = []
    for org in report.organization.ancestors():
        out += org_users(org, Action.REPORT_REVIEW)
    return out


@transaction.atomic
def report_submit(*, report_id: int, by: Any) -> ProgressReport:
    report = _lock_report(report_id)
    if not report.summary.strip():
        raise ApplicationError("请填写工作开展情况", field="summary")
    limit = report_max_chars(report.kind)
    if report.text_length() > limit:
        raise ApplicationError(f"正文合计不超过 {limit:,} 字", field="summary")
    now = timezone.now()
    report.submitted_at = now
    report.is_late = timezone.localdate(now) > report.due_date
    _report_transition(report, "submit", by, "逾期报送" if report.is_late else "")
    _notify_all(_reviewers(report), title=f"[报送] {report.title}待审核", url=report_url(report), skip=by)
    return report


@transaction.atomic
def report_return(
    *, report_id: int, by: Any, reason: str, field_comments: dict[str, str] | None = None
) -> ProgressReport:
    """Back to draft with a reason and comments per section (a decision: audited)."""
    report = _lock_report(report_id)
    comments = {k: v.strip() for k, v in (field_comments or {}).items() if k in ProgressReport.SECTIONS and v.strip()}
    if not reason.strip() and not comments:
        raise ApplicationError("请填写退回理由或逐项意见", field="reason")
    ev = _report_transition(report, "return", by, reason.strip())
    for f, c in comments.items():
        ReportFieldComment.objects.create(report=report, event=ev, field=f, comment=c)
    audit_record(
        AuditAction.DECISION,
        user=by,
        obj=report,
        detail={"transition": "return", "reason": reason.strip(), "fields": sorted(comments)},
    )
    _notify_all(
        org_users(report.organization, Action.PLAN_HANDLE),
        title=f"[报送] {report.title}被退回修改",
        body=reason.strip(),
        url=report_url(report),
    )
    return report


@transaction.atomic
def report_decide(
    *, report_id: int, name: str, by: Any, comment: str = "", for_bulletin: bool = False, for_publication: bool = False
) -> ProgressReport:
    """accept / adopt / archive / publish (decisions: audited)."""
    if name not in ("accept", "adopt", "archive", "publish"):
        raise ApplicationError("不支持的操作")
    report = _lock_report(report_id)
    if name == "adopt":
        report.for_bulletin, report.for_publication = for_bulletin, for_publication
    _report_transition(report, name, by, comment.strip())
    audit_record(
        AuditAction.DECISION,
        user=by,
        obj=report,
        detail={"transition": name, "for_bulletin": report.for_bulletin, "for_publication": report.for_publication},
    )
    if name == "adopt":
        _notify_all(
            org_users(report.organization, Action.PLAN_HANDLE),
            title=f"[报送] {report.title}已被采用",
            url=report_url(report),
        )
    return report


@transaction.atomic
def report_set_flags(*, report_id: int, by: Any, for_bulletin: bool, for_publication: bool) -> ProgressReport:
    report = _lock_report(report_id)
    if report.status not in (R.ADOPTED, R.PUBLISHED):
        raise ApplicationError("只有已采用的稿件可以编入简报或发布")
    if not rules.can_review_report(by, report):
        raise PermissionDenied
    report.for_bulletin, report.for_publication = for_bulletin, for_publication
    report.save(update_fields=["for_bulletin", "for_publication", "updated_at"])
    ProgressReportEvent.objects.create(
        report=report,
        kind="flags",
        from_status=report.status,
        to_status=report.status,
        by=by,
        comment=f"编入简报：{'是' if for_bulletin else '否'}；拟公开发布：{'是' if for_publication else '否'}",
    )
    audit_record(
        AuditAction.DECISION,
        user=by,
        obj=report,
        detail={"for_bulletin": for_bulletin, "for_publication": for_publication},
    )
    return report


# --- bulletins and institutions ---------------------------------------------------------------
def bulletin_candidates(*, organization: Organization, start: date, end: date):
    return (
        ProgressReport.objects.filter(
            organization__path__startswith=organization.path,
            status__in=[R.ADOPTED, R.PUBLISHED],
            for_bulletin=True,
            submitted_at__date__gte=start,
            submitted_at__date__lte=end,
        )
        .select_related("organization")
        .order_by("organization__path", "submitted_at")
    )


@transaction.atomic
def bulletin_create(
    *, organization: Organization, period_start: date, period_end: date, issued_on: date, by: Any, editor_note: str = ""
) -> Bulletin:
    if not rules.holds_over(by, organization, Action.REPORT_REVIEW):
        raise PermissionDenied
    if period_end < period_start:
        raise ApplicationError("截止日期不能早于起始日期", field="period_end")
    items = list(bulletin_candidates(organization=organization, start=period_start, end=period_end))
    if not items:
        raise ApplicationError("所选期间没有已采用并编入简报的稿件", field="period_start")
    year = issued_on.year
    no = (Bulletin.objects.filter(organization=organization, year=year).aggregate(m=Max("issue_no"))["m"] or 0) + 1
    b = Bulletin.objects.create(
        organization=organization,
        year=year,
        issue_no=no,
        period_start=period_start,
        period_end=period_end,
        issued_on=issued_on,
        editor_note=editor_note.strip(),
        created_by=by,
    )
    b.reports.set(items)
    audit_record(AuditAction.CREATE, user=by, obj=b, detail={"items": len(items)})
    return b


@transaction.atomic
def institution_create(
    *,
    title: str,
    issuing_org: Organization,
    by: Any,
    doc_number: str = "",
    issued_on: date | None = None,
    link: str = "",
    upload: Any = None,
    goals: Sequence[WorkGoal] = (),
    dispatches: Sequence[WorkDispatch] = (),
) -> Institution:
    if not rules.holds_over(by, issuing_org, Action.PLAN_HANDLE):
        raise PermissionDenied
    if not upload and not link:
        raise ApplicationError("请上传文件或填写链接", field="link")
    inst = Institution(
        title=title.strip(),
        doc_number=doc_number.strip(),
        issued_on=issued_on,
        issuing_org=issuing_org,
        link=link,
        created_by=by,
    )
    if upload:
        cfg = SupervisionSettings.current()
        clean = uploads.check_file(
            upload, kinds=ATTACHMENT_KINDS, max_bytes=cfg.attachment_max_mb * 1024 * 1024, field="file"
        )
        inst.file = uploads.save(clean, prefix="plans")
        inst.original_name = clean.original_name
    inst.save()
    inst.goals.set(goals)
    inst.tasks.set(dispatches)
    audit_record(AuditAction.CREATE, user=by, obj=inst, detail={"doc_number": inst.doc_number})
    return inst


def goal_status_done(goal: WorkGoal) -> bool:
    return goal.status in (WorkGoalStatus.INSTITUTIONALISED, WorkGoalStatus.CANCELLED)
