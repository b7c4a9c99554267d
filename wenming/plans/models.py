"""Work plans, goals (以点带面), supervised tasks (督办), progress reports, bulletins, institutions.

Design (docs/workflows.md): a ``WorkDispatch`` is one 督办事项 written by an issuing organisation;
it has one ``WorkTask`` per assignee. A task can be broken down further: a dispatch whose
``parent_task`` is set holds the subtasks (e.g. a city bureau dispatching to its enterprises).
"""

from __future__ import annotations

import os
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from wenming.core import context
from wenming.core.models import TimeStampedModel, TransitionEvent
from wenming.organizations.scoping import ScopedQuerySet

from .choices import (
    BulletinStatus,
    ExtensionStatus,
    ProgressMode,
    ProgressReportStatus,
    ReportKind,
    WorkGoalStatus,
    WorkTaskStatus,
)
from .workflows import EXTENSION_WORKFLOW, PROGRESS_REPORT_WORKFLOW, WORK_GOAL_WORKFLOW, WORK_TASK_WORKFLOW

ORG = "organizations.Organization"
USER = settings.AUTH_USER_MODEL


def attachment_path(instance: models.Model, filename: str) -> str:
    """Server-generated names: the uploaded name is kept only as a label."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"plans/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class SupervisionSettings(models.Model):
    """The configurable numbers of supervision and reporting (one row)."""

    due_soon_working_days = models.PositiveSmallIntegerField(gettext_lazy("临期提示（工作日）"), default=3)
    lag_points = models.PositiveSmallIntegerField(gettext_lazy("滞后判定（百分点）"), default=20)
    escalation_working_days = models.PositiveSmallIntegerField(gettext_lazy("逾期无进展上报（工作日）"), default=14)
    ack_reminder_working_days = models.PositiveSmallIntegerField(gettext_lazy("签收提醒（工作日）"), default=2)
    monthly_due_day = models.PositiveSmallIntegerField(gettext_lazy("月度报送截止（次月几日）"), default=5)
    half_year_due_month = models.PositiveSmallIntegerField(gettext_lazy("半年报送截止（月）"), default=7)
    half_year_due_day = models.PositiveSmallIntegerField(gettext_lazy("半年报送截止（日）"), default=5)
    annual_due_month = models.PositiveSmallIntegerField(gettext_lazy("年度报送截止（月）"), default=12)
    annual_due_day = models.PositiveSmallIntegerField(gettext_lazy("年度报送截止（日）"), default=31)
    monthly_max_chars = models.PositiveIntegerField(gettext_lazy("月度报告字数上限"), default=800)
    half_year_max_chars = models.PositiveIntegerField(gettext_lazy("半年报告字数上限"), default=1500)
    annual_max_chars = models.PositiveIntegerField(gettext_lazy("年度报告字数上限"), default=1500)
    attachment_max_mb = models.PositiveSmallIntegerField(gettext_lazy("附件大小上限（MB）"), default=10)
    two_person_rule = models.BooleanField(
        gettext_lazy("审核与起草分离"),
        default=True,
        help_text=gettext_lazy("开启后，起草督办事项的人不能审核通过同一事项（须由另一人审核）"),
    )

    class Meta:
        verbose_name = gettext_lazy("督办设置")
        verbose_name_plural = gettext_lazy("督办设置")

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        context.forget(_SETTINGS_MEMO)

    @classmethod
    def current(cls) -> SupervisionSettings:
        """The one settings row, read once per request (a list of tasks consults it for every row)."""

        return context.memo(_SETTINGS_MEMO, lambda: cls.objects.get_or_create(pk=1)[0])


_SETTINGS_MEMO = "plans.supervision_settings"


class WorkPlanQuerySet(ScopedQuerySet):
    scope_field = "organization"


class WorkPlan(TimeStampedModel):
    """An annual work plan (年度工作方案) of an organisation."""

    year = models.PositiveSmallIntegerField(gettext_lazy("年度"), db_index=True)
    organization = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="work_plans", verbose_name=gettext_lazy("制定单位")
    )
    title = models.CharField(gettext_lazy("标题"), max_length=200)
    summary = models.TextField(gettext_lazy("说明"), blank=True)
    progress_mode = models.CharField(
        gettext_lazy("进度计算方式"), max_length=10, choices=ProgressMode.choices, default=ProgressMode.MANUAL
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = WorkPlanQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("工作方案")
        verbose_name_plural = gettext_lazy("工作方案")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "title"], name="work_plan_unique_title"),
            models.CheckConstraint(
                condition=models.Q(progress_mode__in=ProgressMode.values), name="work_plan_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class WorkGoalQuerySet(ScopedQuerySet):
    scope_field = "plan__organization"


class WorkGoal(TimeStampedModel):
    """A work goal (工作目标) of a plan, rolled out from pilot units to every unit (以点带面)."""

    plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=gettext_lazy("工作方案")
    )
    clause = models.CharField(gettext_lazy("条款"), max_length=40, blank=True, help_text=gettext_lazy("如：二（一）"))
    title = models.CharField(gettext_lazy("目标"), max_length=200)
    description = models.TextField(gettext_lazy("内容"), blank=True)
    owner = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="work_goals", verbose_name=gettext_lazy("牵头单位")
    )
    indicators = models.TextField(gettext_lazy("指标"), blank=True)
    target = models.CharField(gettext_lazy("目标值"), max_length=200, blank=True)
    baseline = models.CharField(gettext_lazy("基线"), max_length=200, blank=True)
    pilot_units = models.ManyToManyField(
        ORG, blank=True, related_name="piloted_goals", verbose_name=gettext_lazy("试点单位")
    )
    evidence = models.TextField(gettext_lazy("成效与佐证"), blank=True)
    status = models.CharField(
        gettext_lazy("状态"), max_length=20, choices=WorkGoalStatus.choices, default=WorkGoalStatus.PLANNED
    )
    sort_order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    objects = WorkGoalQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("工作目标")
        verbose_name_plural = gettext_lazy("工作目标")
        ordering = ["plan", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=WorkGoalStatus.values), name="work_goal_status_valid")
        ]

    def __str__(self) -> str:
        return self.title


class WorkGoalEventQuerySet(ScopedQuerySet):
    scope_field = "goal__plan__organization"


class WorkGoalEvent(TransitionEvent):
    """One transition of a work goal (append-only history)."""

    goal = models.ForeignKey(WorkGoal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(gettext_lazy("操作"), max_length=30, choices=WORK_GOAL_WORKFLOW.kind_choices())

    objects = WorkGoalEventQuerySet.as_manager()


class WorkDispatchQuerySet(ScopedQuerySet):
    scope_field = "issuer"


class WorkDispatch(TimeStampedModel):
    """One 督办事项: written once by the issuing organisation, sent to one or more assignees."""

    plan = models.ForeignKey(
        WorkPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dispatches",
        verbose_name=gettext_lazy("工作方案"),
    )
    goal = models.ForeignKey(
        WorkGoal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dispatches",
        verbose_name=gettext_lazy("工作目标"),
    )
    parent_task = models.ForeignKey(
        "WorkTask",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sub_dispatches",
        verbose_name=gettext_lazy("上级任务"),
    )
    issuer = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="issued_dispatches", verbose_name=gettext_lazy("交办单位")
    )
    title = models.CharField(gettext_lazy("督办事项"), max_length=200)
    content = models.TextField(gettext_lazy("工作要求"))
    due_date = models.DateField(gettext_lazy("办理期限"))
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = WorkDispatchQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("督办事项")
        verbose_name_plural = gettext_lazy("督办事项")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class WorkTaskQuerySet(ScopedQuerySet):
    scope_field = "assignee"


class WorkTask(TimeStampedModel):
    """The part of a 督办事项 that one assignee handles: 签收, progress, report, re-check."""

    dispatch = models.ForeignKey(
        WorkDispatch, on_delete=models.CASCADE, related_name="tasks", verbose_name=gettext_lazy("督办事项")
    )
    assignee = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="work_tasks", verbose_name=gettext_lazy("承办单位")
    )
    status = models.CharField(
        gettext_lazy("状态"), max_length=20, choices=WorkTaskStatus.choices, default=WorkTaskStatus.DRAFT
    )
    original_due_date = models.DateField(gettext_lazy("原定期限"))
    due_date = models.DateField(gettext_lazy("办理期限"))
    dispatched_at = models.DateTimeField(gettext_lazy("下发时间"), null=True, blank=True)
    first_viewed_at = models.DateTimeField(gettext_lazy("首次查看"), null=True, blank=True)
    first_viewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(gettext_lazy("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    progress_manual = models.PositiveSmallIntegerField(gettext_lazy("填报进度（%）"), default=0)
    progress_note = models.TextField(gettext_lazy("进展情况"), blank=True)
    reported_at = models.DateTimeField(gettext_lazy("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(gettext_lazy("办结时间"), null=True, blank=True)
    returned = models.BooleanField(gettext_lazy("被退回"), default=False)  # set on return, cleared on the next report
    last_change_at = models.DateTimeField(gettext_lazy("最后更新"), default=timezone.now)
    escalated_at = models.DateTimeField(gettext_lazy("上报时间"), null=True, blank=True)

    objects = WorkTaskQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("督办任务")
        verbose_name_plural = gettext_lazy("督办任务")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "assignee"], name="work_task_one_per_assignee"),
            models.CheckConstraint(condition=models.Q(status__in=WorkTaskStatus.values), name="work_task_status_valid"),
            models.CheckConstraint(condition=models.Q(progress_manual__lte=100), name="work_task_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.dispatch.title}（{self.assignee.name}）"

    @property
    def awaiting_acknowledgement(self) -> bool:
        """Sent and not yet signed for (签收) — the dispatch page flags it 未读 / 未签收."""
        return self.status == WorkTaskStatus.DISPATCHED

    @property
    def title(self) -> str:
        return self.dispatch.title

    @property
    def dispatched_on(self) -> date | None:
        return timezone.localdate(self.dispatched_at) if self.dispatched_at else None


class WorkTaskEventQuerySet(ScopedQuerySet):
    scope_field = "task__assignee"


class WorkTaskEvent(TransitionEvent):
    """One step in a task's history: a transition, a progress update, an extension, a view."""

    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(
        gettext_lazy("操作"),
        max_length=30,
        choices=[*WORK_TASK_WORKFLOW.kind_choices(), *EXTENSION_WORKFLOW.kind_choices()],
    )

    objects = WorkTaskEventQuerySet.as_manager()


class ExtensionRequestQuerySet(ScopedQuerySet):
    scope_field = "task__assignee"


class ExtensionRequest(models.Model):
    """延期申请: the assignee asks for a later due date; the dispatcher approves or refuses."""

    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="extensions")
    requested_due_date = models.DateField(gettext_lazy("申请延至"))
    reason = models.TextField(gettext_lazy("延期理由"))
    status = models.CharField(
        gettext_lazy("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(gettext_lazy("审批意见"), blank=True)

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("延期申请")
        verbose_name_plural = gettext_lazy("延期申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(status="pending"), name="extension_one_pending_per_task"
            )
        ]


class AttachmentQuerySet(ScopedQuerySet):
    """An attachment is visible with its owner: the task, the dispatch (to its issuer's scope and to every
    assignee of one of its tasks) or the progress report."""

    scope_field = ""  # no single path: visible_to below combines the owners' scopes

    def visible_to(self, user, action: str = "view"):
        tasks = WorkTask.objects.visible_to(user, action)
        return self.filter(
            models.Q(task__in=tasks)
            | models.Q(dispatch__in=WorkDispatch.objects.visible_to(user, action))
            | models.Q(dispatch__tasks__in=tasks)
            | models.Q(report__in=ProgressReport.objects.visible_to(user, action))
        ).distinct()


class Attachment(models.Model):
    """A file attached to a dispatch, a task report or a progress report (access follows its owner)."""

    file = models.FileField(gettext_lazy("文件"), upload_to=attachment_path)
    original_name = models.CharField(gettext_lazy("文件名"), max_length=200)
    size = models.PositiveIntegerField(gettext_lazy("大小"), default=0)
    dispatch = models.ForeignKey(
        WorkDispatch, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    task = models.ForeignKey(WorkTask, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    report = models.ForeignKey(
        "ProgressReport", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("附件")
        verbose_name_plural = gettext_lazy("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class DigestLog(models.Model):
    """One daily reminder digest per user per day (makes the job safe to run twice)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_day")]


class ProgressReportQuerySet(ScopedQuerySet):
    scope_field = "organization"


class ProgressReport(TimeStampedModel):
    """工作进展报送: a monthly, half-year or annual report of a city bureau."""

    organization = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=gettext_lazy("报送单位")
    )
    kind = models.CharField(gettext_lazy("类型"), max_length=10, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    period = models.PositiveSmallIntegerField(
        gettext_lazy("期次"), default=1, help_text=gettext_lazy("月度为月份；半年为1；年度为1")
    )
    title = models.CharField(gettext_lazy("标题"), max_length=200)
    summary = models.TextField(gettext_lazy("工作开展情况"), blank=True)
    highlights = models.TextField(gettext_lazy("主要成效与亮点"), blank=True)
    problems = models.TextField(gettext_lazy("存在问题"), blank=True)
    next_steps = models.TextField(gettext_lazy("下步打算"), blank=True)
    status = models.CharField(
        gettext_lazy("状态"), max_length=10, choices=ProgressReportStatus.choices, default=ProgressReportStatus.DRAFT
    )
    due_date = models.DateField(gettext_lazy("报送期限"))
    submitted_at = models.DateTimeField(gettext_lazy("报送时间"), null=True, blank=True)
    is_late = models.BooleanField(gettext_lazy("逾期报送"), default=False)
    for_bulletin = models.BooleanField(gettext_lazy("编入简报"), default=False)
    for_publication = models.BooleanField(gettext_lazy("拟公开发布"), default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ProgressReportQuerySet.as_manager()

    SECTIONS = ("summary", "highlights", "problems", "next_steps")

    class Meta:
        verbose_name = gettext_lazy("工作进展报告")
        verbose_name_plural = gettext_lazy("工作进展报告")
        ordering = ["-year", "-period", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "year", "period"], name="progress_report_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=ProgressReportStatus.values), name="progress_report_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        """Still with the reporting bureau (being written, or returned to it)."""
        return self.status == ProgressReportStatus.DRAFT

    @property
    def period_label(self) -> str:
        if self.kind == ReportKind.MONTHLY:
            return f"{self.year}年{self.period}月"
        if self.kind == ReportKind.HALF_YEAR:
            return f"{self.year}年上半年"
        return f"{self.year}年度"

    def text_length(self) -> int:
        return sum(len(getattr(self, f) or "") for f in self.SECTIONS)


class ProgressReportEventQuerySet(ScopedQuerySet):
    scope_field = "report__organization"


class ProgressReportEvent(TransitionEvent):
    """One transition of a progress report (append-only history)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(gettext_lazy("操作"), max_length=30, choices=PROGRESS_REPORT_WORKFLOW.kind_choices())

    objects = ProgressReportEventQuerySet.as_manager()


class ReportFieldCommentQuerySet(ScopedQuerySet):
    scope_field = "report__organization"


class ReportFieldComment(models.Model):
    """A reviewer's comment on one section of a report, made when returning it."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="field_comments")
    event = models.ForeignKey(ProgressReportEvent, on_delete=models.CASCADE, related_name="field_comments")
    field = models.CharField(max_length=30)
    comment = models.TextField()

    objects = ReportFieldCommentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    @property
    def field_label(self) -> str:
        return str(ProgressReport._meta.get_field(self.field).verbose_name)


class BulletinQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Bulletin(TimeStampedModel):
    """工作简报: adopted report items of a period, issued as Word and PDF."""

    organization = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="bulletins", verbose_name=gettext_lazy("编印单位")
    )
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    issue_no = models.PositiveSmallIntegerField(gettext_lazy("期号"))
    period_start = models.DateField(gettext_lazy("起始日期"))
    period_end = models.DateField(gettext_lazy("截止日期"))
    issued_on = models.DateField(gettext_lazy("印发日期"))
    editor_note = models.TextField(gettext_lazy("编者按"), blank=True)
    status = models.CharField(
        gettext_lazy("状态"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    reports = models.ManyToManyField(
        ProgressReport, blank=True, related_name="bulletins", verbose_name=gettext_lazy("采用稿件")
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("工作简报")
        verbose_name_plural = gettext_lazy("工作简报")
        ordering = ["-year", "-issue_no"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "issue_no"], name="bulletin_issue_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.issue_no}期"


class InstitutionQuerySet(ScopedQuerySet):
    scope_field = "issuing_org"


class Institution(TimeStampedModel):
    """长效机制: a rule document (制度) that makes a practice routine, linked to goals and tasks."""

    title = models.CharField(gettext_lazy("制度名称"), max_length=200)
    doc_number = models.CharField(gettext_lazy("文号"), max_length=60, blank=True)
    issued_on = models.DateField(gettext_lazy("印发日期"), null=True, blank=True)
    issuing_org = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="institutions", verbose_name=gettext_lazy("印发单位")
    )
    file = models.FileField(gettext_lazy("文件"), upload_to=attachment_path, blank=True)
    original_name = models.CharField(gettext_lazy("文件名"), max_length=200, blank=True)
    link = models.URLField(gettext_lazy("链接"), blank=True)
    goals = models.ManyToManyField(
        WorkGoal, blank=True, related_name="institutions", verbose_name=gettext_lazy("关联目标")
    )
    tasks = models.ManyToManyField(
        WorkDispatch, blank=True, related_name="institutions", verbose_name=gettext_lazy("关联督办事项")
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("制度文件")
        verbose_name_plural = gettext_lazy("制度文件")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title
