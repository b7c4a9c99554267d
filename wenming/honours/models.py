"""The honours engine: programmes as data, cycles with dated stages, applications on a review chain,
公示 with objections, titles with dynamic management, offline vote tallies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core import crypto, pii
from wenming.core.models import TimeStampedModel, TransitionEvent
from wenming.organizations.models import Organization
from wenming.organizations.scoping import ScopedQuerySet

from .choices import (
    FIXED_STATUS_LABELS,
    AppStatus,
    CommitteeResult,
    EvidenceKind,
    Level,
    ObjectionStatus,
    ProgrammeKind,
    RecheckKind,
    RecheckResult,
    SubjectKind,
    TallySource,
    TitleStatus,
)
from .workflows import APPLICATION_WORKFLOW, OBJECTION_WORKFLOW, TITLE_WORKFLOW, chain_for


class Programme(TimeStampedModel):
    """One honour type (青年文明号, 巾帼文明岗, 文明单位 …) held as configuration, not code.

    ``rules``: eligibility rule codes with parameters, evaluated by ``honours.eligibility``;
    ``stages``: the review chain (code, label, kind, permission) the kernel runs;
    ``categories``: award categories with quotas; ``evidence``: required evidence items.
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=10, choices=ProgrammeKind.choices, default=ProgrammeKind.HONOUR)
    subject = models.CharField(_("授予对象"), max_length=10, choices=SubjectKind.choices, default=SubjectKind.UNIT)
    level = models.CharField(_("默认级别"), max_length=12, choices=Level.choices, default=Level.PROVINCIAL)
    conferring_body = models.CharField(_("命名机关"), max_length=100)
    cycle_years = models.PositiveSmallIntegerField(_("评选周期（年）"), default=1)
    validity_years = models.PositiveSmallIntegerField(_("有效期（年）"), default=3, help_text=_("0 表示长期"))
    recommender_quota = models.PositiveSmallIntegerField(_("每个推荐单位限报"), default=0, help_text=_("0 表示不限"))
    ranked = models.BooleanField(_("推荐须排序"), default=False)
    star_levels = models.PositiveSmallIntegerField(_("星级数"), default=0)
    categories = models.JSONField(_("奖项类别"), default=list, blank=True)
    evidence = models.JSONField(_("必备材料"), default=list, blank=True)
    rules = models.JSONField(_("资格条件"), default=list, blank=True)
    stages = models.JSONField(_("评审环节"), default=list)
    notice_workdays = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    supervision_phone = models.CharField(_("监督电话"), max_length=30, blank=True)
    supervision_email = models.CharField(_("监督邮箱"), max_length=100, blank=True)
    yearly_recheck = models.BooleanField(_("年度复查"), default=True)
    self_check_days = models.PositiveSmallIntegerField(_("自查期限（天）"), default=30)
    rectification_days = models.PositiveSmallIntegerField(_("整改期限（天）"), default=30)
    pass_mark = models.DecimalField(_("专家评审合格分"), max_digits=5, decimal_places=1, default=Decimal("80"))
    vote_weight = models.DecimalField(_("投票权重"), max_digits=3, decimal_places=2, default=Decimal("0.30"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("评选项目")
        verbose_name_plural = _("评选项目")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def workflow(self):
        return chain_for(self.stages)

    @property
    def is_selection(self) -> bool:
        return self.kind == ProgrammeKind.SELECTION

    def stage(self, code: str) -> dict[str, Any] | None:
        return next((s for s in self.stages if s.get("code") == code), None)

    def status_label(self, code: str) -> str:
        st = self.stage(code)
        if st:
            return str(st.get("label", code))
        return str(FIXED_STATUS_LABELS.get(code, code))

    def category_label(self, code: str) -> str:
        return next((str(c.get("label", code)) for c in self.categories if c.get("code") == code), code)


class CycleQuerySet(ScopedQuerySet):
    scope_field = "organizer"


class Cycle(TimeStampedModel):
    """One year's run (届/批次) of a programme: the stages with their dates are ``CycleStage`` rows."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("项目"))
    year = models.PositiveSmallIntegerField(_("年度"))
    edition = models.PositiveSmallIntegerField(_("届次"), null=True, blank=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    organizer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="honour_cycles", verbose_name=_("组织单位")
    )
    vote_weight = models.DecimalField(_("投票权重"), max_digits=3, decimal_places=2, null=True, blank=True)
    judging_round = models.CharField(_("评审轮次"), max_length=60, blank=True)  # judging subject of the round
    committee_round = models.CharField(_("委员会表决"), max_length=60, blank=True)
    decision_no = models.CharField(_("命名文号"), max_length=60, blank=True)
    decision_date = models.DateField(_("命名日期"), null=True, blank=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("评选批次")
        verbose_name_plural = _("评选批次")
        ordering = ["-year", "programme__sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "year", "level"], name="honours_cycle_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def weight(self) -> Decimal:
        return self.vote_weight if self.vote_weight is not None else self.programme.vote_weight

    def window(self) -> CycleStage | None:
        """The 申报/推荐 window: the stage row with code ``apply``."""
        return next((s for s in self.stage_rows.all() if s.code == "apply"), None)

    def is_open(self, today: date) -> bool:
        w = self.window()
        return bool(w and w.starts_on <= today <= w.ends_on)


class CycleStageQuerySet(ScopedQuerySet):
    scope_field = "cycle__organizer"


class CycleStage(models.Model):
    """One stage of a cycle with its dates (申报 window first, then the programme's review stages)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="stage_rows")
    order = models.PositiveSmallIntegerField(_("顺序"))
    code = models.CharField(_("环节代码"), max_length=20)
    label = models.CharField(_("环节"), max_length=40)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))

    objects = CycleStageQuerySet.as_manager()

    class Meta:
        verbose_name = _("评选环节")
        verbose_name_plural = _("评选环节")
        ordering = ["cycle_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="honours_cycle_stage_unique"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="honours_stage_dates"),
        ]

    def __str__(self) -> str:
        return self.label


class ApplicationQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Application(TimeStampedModel):
    """One application (申报) of a unit, or nomination (推荐) of a person, in a cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="applications", verbose_name=_("批次"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="honour_applications", verbose_name=_("申报单位")
    )
    courier = models.ForeignKey(
        "people.Courier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honour_nominations",
        verbose_name=_("被推荐人"),
    )
    recommender = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honour_recommendations",
        verbose_name=_("推荐单位"),
    )
    rank = models.PositiveSmallIntegerField(_("推荐排序"), null=True, blank=True)
    category = models.CharField(_("申报类别"), max_length=30, blank=True)
    name = models.CharField(_("申报名称"), max_length=100)
    statement = models.TextField(_("主要事迹"), max_length=3000)
    leader = models.ForeignKey(
        "people.Courier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("负责人")
    )
    star = models.PositiveSmallIntegerField(_("申报星级"), default=0)
    status = models.CharField(_("状态"), max_length=20, default=AppStatus.DRAFT, db_index=True)
    eligibility = models.JSONField(_("资格审查结果"), default=list, blank=True)
    eligible = models.BooleanField(_("符合资格"), null=True)
    screened_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    last_comment = models.TextField(_("审核意见"), blank=True)
    vote_count = models.PositiveIntegerField(_("得票数"), null=True, blank=True)
    expert_mean = models.DecimalField(_("专家平均分"), max_digits=6, decimal_places=2, null=True, blank=True)
    vote_score = models.DecimalField(_("投票得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    final_score = models.DecimalField(_("综合得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    committee_result = models.CharField(
        _("委员会表决"), max_length=12, choices=CommitteeResult.choices, blank=True, default=""
    )
    committee_note = models.CharField(_("表决情况"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("荣誉申报")
        verbose_name_plural = _("荣誉申报")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cycle", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "recommender", "rank"],
                condition=models.Q(rank__isnull=False),
                name="honours_rank_unique_per_recommender",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def programme(self) -> Programme:
        return self.cycle.programme

    @property
    def workflow(self):
        return self.cycle.programme.workflow

    def get_status_display(self) -> str:
        return self.cycle.programme.status_label(self.status)

    @property
    def stars(self) -> str:
        return "★" * self.star

    @property
    def category_label(self) -> str:
        return self.cycle.programme.category_label(self.category) if self.category else ""

    @property
    def stage_kind(self) -> str:
        st = self.cycle.programme.stage(self.status)
        return str(st.get("kind", "")) if st else ""

    @property
    def public_name(self) -> str:
        """What public pages show: a unit's name, or a person's masked name with their unit."""
        if self.courier_id:
            return f"{pii.mask_name(self.courier.name)}（{self.organization.name}）"
        return self.name


class ApplicationEventQuerySet(ScopedQuerySet):
    scope_field = "application__organization"


class ApplicationEvent(TransitionEvent):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=APPLICATION_WORKFLOW.kind_choices())

    objects = ApplicationEventQuerySet.as_manager()


class EvidenceQuerySet(ScopedQuerySet):
    scope_field = "application__organization"


class Evidence(models.Model):
    """One piece of evidence: an uploaded file (through ``core.uploads``) or a platform record reused."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    requirement = models.CharField(_("材料项"), max_length=40, blank=True)
    kind = models.CharField(_("来源"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("文件"), max_length=200, blank=True)
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pairing = models.ForeignKey(
        "activities.Pairing", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    volunteer_event = models.ForeignKey(
        "activities.VolunteerEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(_("说明"), max_length=200)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["application_id", "id"]

    def __str__(self) -> str:
        return self.label


class NoticeQuerySet(ScopedQuerySet):
    scope_field = "cycle__organizer"


class Notice(TimeStampedModel):
    """One 公示 of a cycle's proposed results (round 2 = 二次公示 after an upheld objection)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="notices", verbose_name=_("批次"))
    round = models.PositiveSmallIntegerField(_("公示轮次"), default=1)
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示截止"))
    phone = models.CharField(_("监督电话"), max_length=30)
    email = models.CharField(_("监督邮箱"), max_length=100)
    text = models.TextField(_("公示说明"), max_length=2000, blank=True)
    entries = models.ManyToManyField(Application, related_name="notices", verbose_name=_("公示名单"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "round"], name="honours_notice_round_unique")]

    def __str__(self) -> str:
        return f"{self.cycle.name}（{self.round}）"

    def is_running(self, today: date) -> bool:
        return self.starts_on <= today <= self.ends_on


class ObjectionQuerySet(ScopedQuerySet):
    scope_field = "notice__cycle__organizer"


class Objection(TimeStampedModel):
    """A real-name objection (异议) to one entry of a 公示; name and phone SM4-encrypted."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    name_enc = models.CharField(max_length=200, editable=False)
    name_hint = models.CharField(_("异议人"), max_length=20, editable=False)
    phone_enc = models.CharField(max_length=200, editable=False)
    phone_hint = models.CharField(_("联系电话"), max_length=11, editable=False)
    content = models.TextField(_("异议内容"), max_length=2000)
    status = models.CharField(
        _("状态"), max_length=15, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED, db_index=True
    )
    finding = models.TextField(_("调查结论"), max_length=2000, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name_hint} → {self.application}"

    def set_person(self, name: str, phone: str) -> None:
        self.name_enc = crypto.encrypt(name)
        self.name_hint = pii.mask_name(name)
        v = pii.parse_phone(phone)
        self.phone_enc = crypto.encrypt(v)
        self.phone_hint = pii.mask_phone(v)

    @property
    def is_open(self) -> bool:
        return self.status in (ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING)


class ObjectionEventQuerySet(ScopedQuerySet):
    scope_field = "objection__notice__cycle__organizer"


class ObjectionEvent(TransitionEvent):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=OBJECTION_WORKFLOW.kind_choices())

    objects = ObjectionEventQuerySet.as_manager()


class TitleQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Title(TimeStampedModel):
    """An honour title held by a unit or a person: level, star, term, and its dynamic management."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="titles", verbose_name=_("称号"))
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    star = models.PositiveSmallIntegerField(_("星级"), default=0)
    category = models.CharField(_("奖项"), max_length=30, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="honour_titles", verbose_name=_("获得单位")
    )
    courier = models.ForeignKey(
        "people.Courier", null=True, blank=True, on_delete=models.PROTECT, related_name="honour_titles"
    )
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="title"
    )
    holder = models.CharField(_("获得者"), max_length=100)
    conferred_by = models.CharField(_("命名机关"), max_length=100)
    decision_no = models.CharField(_("命名文号"), max_length=60, blank=True)
    decision_date = models.DateField(_("命名日期"))
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=15, choices=TitleStatus.choices, default=TitleStatus.ACTIVE, db_index=True
    )
    rectify_due = models.DateField(_("整改期限"), null=True, blank=True)
    certificate_serial = models.CharField(_("证书编号"), max_length=60, blank=True)

    objects = TitleQuerySet.as_manager()

    class Meta:
        verbose_name = _("荣誉称号")
        verbose_name_plural = _("荣誉称号")
        ordering = ["-decision_date", "-id"]
        indexes = [models.Index(fields=["status", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.holder} · {self.programme.name}"

    @property
    def public_holder(self) -> str:
        if self.courier_id:
            return f"{pii.mask_name(self.courier.name)}（{self.organization.name}）"
        return self.holder

    @property
    def stars(self) -> str:
        return "★" * self.star

    @property
    def category_label(self) -> str:
        return self.programme.category_label(self.category) if self.category else ""


class TitleEventQuerySet(ScopedQuerySet):
    scope_field = "title__organization"


class TitleEvent(TransitionEvent):
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=TITLE_WORKFLOW.kind_choices())

    objects = TitleEventQuerySet.as_manager()


class RecheckQuerySet(ScopedQuerySet):
    scope_field = "title__organization"


class Recheck(models.Model):
    """One 复查 of a title: the unit's self-report plus the platform's own figures, and the outcome."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="rechecks")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=10, choices=RecheckKind.choices, default=RecheckKind.LIGHT)
    opened_on = models.DateField(_("开启日期"))
    due_on = models.DateField(_("自查截止"))
    self_report = models.TextField(_("自查报告"), max_length=3000, blank=True)
    reported_at = models.DateTimeField(_("自查提交时间"), null=True, blank=True)
    platform_data = models.JSONField(_("平台数据"), default=dict, blank=True)
    result = models.CharField(_("结果"), max_length=12, choices=RecheckResult.choices, default=RecheckResult.OPEN)
    note = models.TextField(_("复查意见"), max_length=2000, blank=True)

    objects = RecheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("复查")
        verbose_name_plural = _("复查")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["title", "year", "kind"], name="honours_recheck_unique")]


class PointsEntryQuerySet(ScopedQuerySet):
    scope_field = "title__organization"


class PointsEntry(models.Model):
    """± points of a titled unit's ledger (三年一大评、每年一小评)."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="points")
    on = models.DateField(_("日期"))
    points = models.IntegerField(_("分值"))
    reason = models.CharField(_("事由"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = PointsEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-on", "-id"]


class OfflineTallyQuerySet(ScopedQuerySet):
    scope_field = "application__organization"


class OfflineTally(models.Model):
    """Offline public votes for one nominee (paper or newspaper ballots), entered with their provenance."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="offline_tallies")
    votes = models.PositiveIntegerField(_("票数"))
    source = models.CharField(_("来源"), max_length=12, choices=TallySource.choices)
    batch_ref = models.CharField(_("批次编号"), max_length=60)
    counted_on = models.DateField(_("计票日期"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = OfflineTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("线下计票")
        verbose_name_plural = _("线下计票")
        ordering = ["-counted_on", "-id"]
