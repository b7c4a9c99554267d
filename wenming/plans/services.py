"""Writes of the plans app: one service per transition, an event row each, decisions audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import actions_for
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core import uploads
from wenming.core.errors import ApplicationError
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization, RoleAssignment
from wenming.plans.permissions import PlanAction as PA
from wenming.workbench.services import notify, notify_many
from wenming.workdays.services import next_working_day
from wenming.workflow.engine import lock, perform, record_event
from wenming.workflow.policy import require

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
    ReportFieldComment,
    SupervisionSettings,
    WorkDispatch,
    WorkGoal,
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
    require(by, permission, obj)


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


def _notify_all(
    users: Iterable[Any], *, title: str, body: str = "", url: str = "", skip: Any = None, category: str = CATEGORY
) -> int:
    skip_pk = getattr(skip, "pk", None)
    recipients = [u for u in {u.pk: u for u in users}.values() if u.pk != skip_pk]
    return notify_many(recipients=recipients, title=title, body=body, url=url, category=category)


def task_url(task: WorkTask) -> str:
    return reverse("plans:task-detail", args=[task.pk])


def report_url(report: ProgressReport) -> str:
    return reverse("plans:report-detail", args=[report.pk])


def _lock_task(task_id: int) -> WorkTask:
    return lock(WORK_TASK_WORKFLOW, task_id)


def _task_event(task: WorkTask, kind: str, by: Any, comment: str = "") -> WorkTaskEvent:
    """A history entry that is not a transition (progress, extension request, first view)."""
    now = timezone.now()
    WorkTask.objects.filter(pk=task.pk).update(last_change_at=now)
    task.last_change_at = now
    return record_event(WORK_TASK_WORKFLOW, task, kind, by=by, comment=comment, at=now)


def _move(
    task_id: int, name: str, by: Any, comment: str = "", *, detail: dict | None = None, **fields: Any
) -> WorkTask:
    """One task transition through the kernel; every move also stamps ``last_change_at``."""
    now = timezone.now()
    out = perform(
        WORK_TASK_WORKFLOW,
        task_id,
        name,
        by=by,
        comment=comment,
        fields={**fields, "last_change_at": now},
        detail=detail,
        event_at=now,
    )
    return out.obj


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
    if not rules.holds_over(by, organization, PA.PLAN_DISPATCH):
        raise PermissionDenied
    if WorkPlan.objects.filter(organization=organization, year=year, title=title).exists():
        raise ApplicationError(_("同一单位同一年度已有同名方案"), field="title")
    plan = WorkPlan.objects.create(
        organization=organization, year=year, title=title, progress_mode=progress_mode, summary=summary, created_by=by
    )
    audit_record(AuditAction.CREATE, user=by, obj=plan, detail={"year": year})
    return plan


@transaction.atomic
def plan_set_progress_mode(*, plan_id: int, mode: str, by: Any) -> WorkPlan:
    """Switch manual ↔ rollup. Manual values stay stored untouched, so switching back restores them."""
    plan = WorkPlan.objects.select_for_update().get(pk=plan_id)
    if not rules.holds_over(by, plan.organization, PA.PLAN_DISPATCH):
        raise PermissionDenied
    if mode not in ProgressMode.values:
        raise ApplicationError(_("请选择进度计算方式"), field="mode")
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
    if not rules.holds_over(by, plan.organization, PA.PLAN_DISPATCH):
        raise PermissionDenied
    if not owner.path.startswith(plan.organization.path):
        raise ApplicationError(_("牵头单位须在方案制定单位之下"), field="owner")
    if not (indicators.strip() and target.strip()):
        raise ApplicationError(_("请填写指标和目标值"), field="target")
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
    record_event(WORK_GOAL_WORKFLOW, goal, "create", by=by, new=goal.status)
    return goal


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
    if name in ("cancel", "revise") and not comment.strip():
        raise ApplicationError(_("请填写理由"), field="comment")

    def prepare(goal: WorkGoal, t: Any) -> dict[str, Any]:
        if name == "start_pilot":
            if pilot_unit_ids:
                units = Organization.objects.filter(pk__in=pilot_unit_ids).in_subtree(goal.owner.path)
                goal.pilot_units.add(*units)
            if not goal.pilot_units.exists():
                raise ApplicationError(_("请至少选择一个试点单位"), field="pilot_units")
            value = baseline.strip() or goal.baseline
            if not value:
                raise ApplicationError(_("请填写基线数据"), field="baseline")
            return {"baseline": value}
        if name == "evaluate":
            if not evidence.strip():
                raise ApplicationError(_("请填写试点成效（满意度、申诉率等变化）"), field="evidence")
            return {"evidence": (goal.evidence + "\n" if goal.evidence else "") + evidence.strip()}
        if name == "institutionalise" and not goal.institutions.exists():
            raise ApplicationError(_("请先在长效机制中关联制度文件"), field="comment")
        return {}

    return perform(WORK_GOAL_WORKFLOW, goal_id, name, by=by, comment=comment.strip(), prepare=prepare).obj


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
    if not rules.holds_over(by, issuer, PA.PLAN_DISPATCH):
        raise PermissionDenied
    if not assignees:
        raise ApplicationError(_("请选择承办单位"), field="assignees")
    if due_date < timezone.localdate():
        raise ApplicationError(_("办理期限不能早于今天"), field="due_date")
    allowed = ASSIGNEE_KINDS.get(issuer.kind, set())
    for org in assignees:
        if org.pk == issuer.pk or not org.path.startswith(issuer.path) or org.kind not in allowed:
            raise ApplicationError(f"“{org.name}”不是本单位可交办的单位", field="assignees")
    if parent_task is not None:
        if parent_task.assignee_id != issuer.pk:
            raise ApplicationError(_("只能由承办单位分解任务"), field="assignees")
        if due_date > parent_task.due_date:
            raise ApplicationError(_("子任务期限不能晚于上级任务期限"), field="due_date")
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
        record_event(WORK_TASK_WORKFLOW, task, "create", by=by, new=task.status, at=task.last_change_at)
    for f in uploads:
        attachment_add(upload=f, by=by, dispatch=d)
    audit_record(AuditAction.CREATE, user=by, obj=d, detail={"assignees": len(assignees), "due": due_date.isoformat()})
    return d


@transaction.atomic
def dispatch_approve(*, dispatch_id: int, by: Any) -> WorkDispatch:
    d = WorkDispatch.objects.select_for_update().get(pk=dispatch_id)
    tasks = list(d.tasks.filter(status=S.DRAFT).values_list("pk", flat=True))
    if not tasks:
        raise ApplicationError(_("没有待审核的草稿"))
    for task_id in tasks:
        _move(task_id, "approve", by)
    audit_record(AuditAction.DECISION, user=by, obj=d, detail={"transition": "approve", "tasks": len(tasks)})
    return d


@transaction.atomic
def dispatch_send(*, dispatch_id: int, by: Any) -> WorkDispatch:
    """下发: every approved task goes to its assignee, who is notified."""
    d = WorkDispatch.objects.select_for_update().get(pk=dispatch_id)
    tasks = list(d.tasks.filter(status=S.APPROVED).values_list("pk", flat=True))
    if not tasks:
        raise ApplicationError(_("没有待下发的任务"))
    now = timezone.now()
    for task_id in tasks:
        task = _move(task_id, "dispatch", by, dispatched_at=now)
        _notify_all(
            org_users(task.assignee, PA.PLAN_HANDLE),
            title=f"《{d.title}》请签收，办理期限 {task.due_date:%Y-%m-%d}",
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
            record_event(WORK_TASK_WORKFLOW, task, "view", by=by, at=now)
    return bool(n)


@transaction.atomic
def task_acknowledge(*, task_id: int, by: Any) -> WorkTask:
    task = _lock_task(task_id)
    now = timezone.now()
    fields: dict[str, Any] = {"acknowledged_at": now, "acknowledged_by": by}
    if not task.first_viewed_at:
        fields.update(first_viewed_at=now, first_viewed_by=by)
    return _move(task.pk, "acknowledge", by, **fields)


@transaction.atomic
def task_update_progress(*, task_id: int, by: Any, progress: int, note: str) -> WorkTask:
    """A progress update while working (no state change)."""
    task = _lock_task(task_id)
    if task.status != S.IN_PROGRESS:
        raise ApplicationError(_("当前状态下不能更新进度"))
    _check("plans.handle_task", by, task)
    if not 0 <= progress <= 100:
        raise ApplicationError(_("进度应在 0–100 之间"), field="progress")
    task.progress_manual, task.progress_note = progress, note.strip()
    task.save(update_fields=["progress_manual", "progress_note", "updated_at"])
    _task_event(task, "progress", by, f"进度 {progress}%：{note.strip()}")
    return task


@transaction.atomic
def task_report(*, task_id: int, by: Any, progress: int, note: str, uploads: Sequence[Any] = ()) -> WorkTask:
    """反馈: the assignee reports completion with evidence; the dispatcher re-checks."""
    task = _lock_task(task_id)
    if not note.strip():
        raise ApplicationError(_("请填写办理情况"), field="note")
    if not 0 <= progress <= 100:
        raise ApplicationError(_("进度应在 0–100 之间"), field="progress")
    task = _move(
        task.pk,
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
        org_users(task.dispatch.issuer, PA.PLAN_DISPATCH) + [u for u in [task.dispatch.created_by] if u],
        title=f"{task.assignee.name}已反馈《{task.title}》，请复核",
        url=task_url(task),
        skip=by,
    )
    return task


@transaction.atomic
def task_return(*, task_id: int, by: Any, reason: str) -> WorkTask:
    """退办: back to the assignee with a reason (a decision: audited)."""
    if not reason.strip():
        raise ApplicationError(_("请填写退回理由"), field="reason")
    task = _move(task_id, "return", by, reason.strip(), detail={"reason": reason.strip()}, returned=True)
    _notify_all(
        org_users(task.assignee, PA.PLAN_HANDLE),
        title=f"《{task.title}》被退回，请继续办理",
        body=reason.strip(),
        url=task_url(task),
    )
    return task


@transaction.atomic
def task_close(*, task_id: int, by: Any, comment: str = "") -> WorkTask:
    """复核 → 办结."""
    task = _move(task_id, "close", by, comment.strip(), closed_at=timezone.now())
    _notify_all(org_users(task.assignee, PA.PLAN_HANDLE), title=f"《{task.title}》已办结", url=task_url(task))
    return task


@transaction.atomic
def task_cancel(*, task_id: int, by: Any, reason: str) -> WorkTask:
    if not reason.strip():
        raise ApplicationError(_("请填写撤销理由"), field="reason")
    was_live = _lock_task(task_id).status in (S.DISPATCHED, S.IN_PROGRESS, S.REPORTED)
    task = _move(task_id, "cancel", by, reason.strip(), detail={"reason": reason.strip()})
    ExtensionRequest.objects.filter(task=task, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.DENIED, decided_by=by, decided_at=timezone.now(), decision_comment="任务已撤销"
    )
    if was_live:
        _notify_all(
            org_users(task.assignee, PA.PLAN_HANDLE),
            title=f"《{task.title}》已撤销",
            body=reason.strip(),
            url=task_url(task),
        )
    return task


@transaction.atomic
def extension_request(*, task_id: int, by: Any, new_due_date: date, reason: str) -> ExtensionRequest:
    """延期申请: before the due date, with a reason and the date asked for."""
    task = _lock_task(task_id)
    if task.status not in EXTENSION_REQUEST_STATES:
        raise ApplicationError(_("当前状态下不能申请延期"))
    _check("plans.handle_task", by, task)
    if timezone.localdate() > task.due_date:
        raise ApplicationError(_("已超过办理期限，不能再申请延期"), field="new_due_date")
    if new_due_date <= task.due_date:
        raise ApplicationError(_("申请日期须晚于当前办理期限"), field="new_due_date")
    if not reason.strip():
        raise ApplicationError(_("请填写延期理由"), field="reason")
    if task.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ApplicationError(_("已有待审批的延期申请"))
    ext = ExtensionRequest.objects.create(
        task=task, requested_due_date=new_due_date, reason=reason.strip(), requested_by=by
    )
    _task_event(task, "extension_request", by, f"申请延至 {new_due_date:%Y-%m-%d}：{reason.strip()}")
    _notify_all(
        org_users(task.dispatch.issuer, PA.PLAN_DISPATCH) + [u for u in [task.dispatch.created_by] if u],
        title=f"{task.assignee.name}申请《{task.title}》延期至 {new_due_date:%Y-%m-%d}",
        url=task_url(task),
        skip=by,
    )
    return ext


@transaction.atomic
def extension_decide(*, extension_id: int, by: Any, approve: bool, comment: str = "") -> ExtensionRequest:
    """批准 moves the due date; the original due date stays for rankings. Refusal needs a reason."""
    if not approve and not comment.strip():
        raise ApplicationError(_("请填写不予批准的理由"), field="comment")
    pending = ExtensionRequest.objects.select_related("task").get(pk=extension_id)
    task = _lock_task(pending.task_id)
    old_due = task.due_date
    text = f"延期至 {pending.requested_due_date:%Y-%m-%d}{'，已批准' if approve else '，未批准'}"
    now = timezone.now()
    out = perform(
        EXTENSION_WORKFLOW,
        extension_id,
        "extension_approve" if approve else "extension_deny",
        by=by,
        comment=text + (f"：{comment.strip()}" if comment.strip() else ""),
        fields={"decided_by": by, "decided_at": now, "decision_comment": comment.strip()},
        detail={"old_due": old_due.isoformat(), "requested": pending.requested_due_date.isoformat()},
        event_at=now,
    )
    ext = out.obj
    task.last_change_at = now
    fields = ["last_change_at", "updated_at"]
    if approve:
        task.due_date = ext.requested_due_date
        task.escalated_at = None
        fields += ["due_date", "escalated_at"]
    task.save(update_fields=fields)
    if ext.requested_by:
        notify(recipient=ext.requested_by, title=f"《{task.title}》{text}", url=task_url(task), category=CATEGORY)
    return ext


# --- progress reports -------------------------------------------------------------------------
def report_due_date(kind: str, year: int, period: int, cfg: SupervisionSettings | None = None) -> date:
    """The configured day of the report, moved to the next working day when it is a weekend or holiday."""
    cfg = cfg or SupervisionSettings.current()
    if kind == ReportKind.MONTHLY:
        y, m = (year + 1, 1) if period == 12 else (year, period + 1)
        return next_working_day(date(y, m, min(cfg.monthly_due_day, 28)))
    if kind == ReportKind.HALF_YEAR:
        return next_working_day(date(year, cfg.half_year_due_month, cfg.half_year_due_day))
    return next_working_day(date(year, cfg.annual_due_month, cfg.annual_due_day))


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
        raise ApplicationError(_("工作进展由市局报送"), field="organization")
    if not (rules.holds_on(by, organization, PA.PLAN_HANDLE) or rules.holds_on(by, organization, PA.PLAN_APPROVE)):
        raise PermissionDenied
    if kind == ReportKind.MONTHLY and not 1 <= period <= 12:
        raise ApplicationError(_("请选择月份"), field="period")
    if kind != ReportKind.MONTHLY:
        period = 1
    if ProgressReport.objects.filter(organization=organization, kind=kind, year=year, period=period).exists():
        raise ApplicationError(_("该期报告已存在"), field="period")
    report = ProgressReport(organization=organization, kind=kind, year=year, period=period, created_by=by)
    with translation.override(settings.LANGUAGE_CODE):  # stored data is Chinese whoever creates it
        report.title = f"{organization.name}{report.period_label}{ReportKind(kind).label}工作进展"
    report.due_date = report_due_date(kind, year, period)
    report.save()
    record_event(PROGRESS_REPORT_WORKFLOW, report, "create", by=by, new=report.status)
    return report


@transaction.atomic
def report_update(*, report_id: int, by: Any, **sections: str) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().get(pk=report_id)
    if report.status != R.DRAFT:
        raise ApplicationError(_("只有草稿可以修改"))
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


def _lock_report(report_id: int) -> ProgressReport:
    return lock(PROGRESS_REPORT_WORKFLOW, report_id)


def _reviewers(report: ProgressReport) -> list[Any]:
    out: list[Any] = []
    for org in report.organization.ancestors():
        out += org_users(org, PA.REPORT_REVIEW)
    return out


@transaction.atomic
def report_submit(*, report_id: int, by: Any) -> ProgressReport:
    report = _lock_report(report_id)
    now = timezone.now()
    is_late = timezone.localdate(now) > report.due_date

    def prepare(report: ProgressReport, t: Any) -> dict[str, Any]:
        if not report.summary.strip():
            raise ApplicationError(_("请填写工作开展情况"), field="summary")
        limit = report_max_chars(report.kind)
        if report.text_length() > limit:
            raise ApplicationError(f"正文合计不超过 {limit:,} 字", field="summary")
        return {"submitted_at": now, "is_late": is_late}

    report = perform(
        PROGRESS_REPORT_WORKFLOW, report_id, "submit", by=by, comment="逾期报送" if is_late else "", prepare=prepare
    ).obj
    _notify_all(_reviewers(report), title=f"{report.title}待审核", url=report_url(report), skip=by, category="报送")
    return report


@transaction.atomic
def report_return(
    *, report_id: int, by: Any, reason: str, field_comments: dict[str, str] | None = None
) -> ProgressReport:
    """Back to draft with a reason and comments per section (a decision: audited)."""
    comments = {k: v.strip() for k, v in (field_comments or {}).items() if k in ProgressReport.SECTIONS and v.strip()}
    if not reason.strip() and not comments:
        raise ApplicationError(_("请填写退回理由或逐项意见"), field="reason")
    out = perform(
        PROGRESS_REPORT_WORKFLOW,
        report_id,
        "return",
        by=by,
        comment=reason.strip(),
        detail={"reason": reason.strip(), "fields": sorted(comments)},
    )
    report = out.obj
    for f, c in comments.items():
        ReportFieldComment.objects.create(report=report, event=out.event, field=f, comment=c)
    _notify_all(
        org_users(report.organization, PA.PLAN_HANDLE),
        title=f"{report.title}被退回修改",
        body=reason.strip(),
        url=report_url(report),
        category="报送",
    )
    return report


@transaction.atomic
def report_decide(
    *, report_id: int, name: str, by: Any, comment: str = "", for_bulletin: bool = False, for_publication: bool = False
) -> ProgressReport:
    """accept / adopt / archive / publish (decisions: audited)."""
    if name not in ("accept", "adopt", "archive", "publish"):
        raise ApplicationError(_("不支持的操作"))

    def prepare(report: ProgressReport, t: Any) -> dict[str, Any]:
        if name == "adopt":
            return {"for_bulletin": for_bulletin, "for_publication": for_publication}
        return {}

    flags = {"for_bulletin": for_bulletin, "for_publication": for_publication} if name == "adopt" else None
    report = perform(
        PROGRESS_REPORT_WORKFLOW, report_id, name, by=by, comment=comment.strip(), prepare=prepare, detail=flags
    ).obj
    if name == "adopt":
        _notify_all(
            org_users(report.organization, PA.PLAN_HANDLE),
            title=f"{report.title}已被采用",
            url=report_url(report),
            category="报送",
        )
    return report


@transaction.atomic
def report_set_flags(*, report_id: int, by: Any, for_bulletin: bool, for_publication: bool) -> ProgressReport:
    report = _lock_report(report_id)
    if report.status not in (R.ADOPTED, R.PUBLISHED):
        raise ApplicationError(_("只有已采用的稿件可以编入简报或发布"))
    if not rules.can_review_report(by, report):
        raise PermissionDenied
    report.for_bulletin, report.for_publication = for_bulletin, for_publication
    report.save(update_fields=["for_bulletin", "for_publication", "updated_at"])
    record_event(
        PROGRESS_REPORT_WORKFLOW,
        report,
        "flags",
        by=by,
        old=report.status,
        new=report.status,
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
def bulletin_candidates(*, organization: Organization, start: date, end: date) -> QuerySet[ProgressReport]:
    """Adopted items of the period meant for the bulletin that no earlier issue of this unit printed."""
    return (
        ProgressReport.objects.filter(
            organization__path__startswith=organization.path,
            status__in=[R.ADOPTED, R.PUBLISHED],
            for_bulletin=True,
            submitted_at__date__gte=start,
            submitted_at__date__lte=end,
        )
        .exclude(bulletins__organization=organization)
        .select_related("organization")
        .order_by("organization__path", "submitted_at")
    )


@transaction.atomic
def bulletin_create(
    *, organization: Organization, period_start: date, period_end: date, issued_on: date, by: Any, editor_note: str = ""
) -> Bulletin:
    if not rules.holds_over(by, organization, PA.REPORT_REVIEW):
        raise PermissionDenied
    if period_end < period_start:
        raise ApplicationError(_("截止日期不能早于起始日期"), field="period_end")
    items = list(bulletin_candidates(organization=organization, start=period_start, end=period_end))
    if not items:
        raise ApplicationError(_("所选期间没有尚未编入往期简报的已采用稿件"), field="period_start")
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
    if not rules.holds_over(by, issuing_org, PA.PLAN_HANDLE):
        raise PermissionDenied
    if not upload and not link:
        raise ApplicationError(_("请上传文件或填写链接"), field="link")
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
