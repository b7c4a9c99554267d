"""Publicity: exemplary people and teams (先进典型库), media coverage (媒体报道), staff notices with read
receipts (通知公告), suggestions (建言献策) and the enterprises' value-system records (价值体系)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core import crypto, pii
from wenming.core.models import TimeStampedModel, TransitionEvent
from wenming.organizations.models import Organization
from wenming.organizations.scoping import ScopedQuerySet

from .choices import (
    ConsentScope,
    ExemplarKind,
    ExemplarStatus,
    Medium,
    NoticeStatus,
    NoticeTarget,
    SuggestionSource,
    SuggestionStatus,
    SuggestionTopic,
    ValuesStatus,
)
from .workflows import EXEMPLAR_WORKFLOW, NOTICE_WORKFLOW, SUGGESTION_WORKFLOW, VALUES_WORKFLOW

USER = settings.AUTH_USER_MODEL


def public_key() -> str:
    """The unguessable part of a public address (a profile's page is not found by counting ids)."""
    return secrets.token_urlsafe(9)


# --- 先进典型库 -------------------------------------------------------------------------------------
class ExemplarQuerySet(ScopedQuerySet):
    scope_field = "organization"

    def public(self) -> ExemplarQuerySet:
        """Published profiles whose consent stands (recorded, not withdrawn, not expired)."""
        today = timezone.localdate()
        return self.filter(
            status=ExemplarStatus.PUBLISHED,
            consent_at__isnull=False,
            consent_withdrawn_at__isnull=True,
        ).filter(models.Q(consent_until__isnull=True) | models.Q(consent_until__gte=today))


class Exemplar(TimeStampedModel):
    """One exemplary person or team, kept by its unit; published only with recorded consent."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="exemplars", verbose_name=_("所在单位")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ExemplarKind.choices, default=ExemplarKind.PERSON)
    courier = models.ForeignKey(
        "people.Courier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exemplar_profiles",
        verbose_name=_("关联快递员"),
    )
    name = models.CharField(_("姓名或集体名称"), max_length=60)
    headline = models.CharField(_("一句话简介"), max_length=100)
    honours = models.TextField(
        _("所获荣誉"), max_length=2000, blank=True, help_text=_("每行一项，如：2025年度辽宁省最美快递员")
    )
    deeds = models.TextField(_("先进事迹"), max_length=6000)
    video_url = models.URLField(_("视频链接"), blank=True, max_length=300)
    status = models.CharField(
        _("状态"), max_length=12, choices=ExemplarStatus.choices, default=ExemplarStatus.DRAFT, db_index=True
    )
    public_key = models.CharField(max_length=16, unique=True, default=public_key, editable=False)
    # Consent (PIPL art. 14): who agreed, when, to what, until when; withdrawal takes the page down.
    consent_by = models.CharField(_("同意人"), max_length=60, blank=True)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    consent_scope = models.CharField(_("同意公开范围"), max_length=10, choices=ConsentScope.choices, blank=True)
    consent_until = models.DateField(_("同意有效期至"), null=True, blank=True)
    consent_note = models.CharField(_("同意方式"), max_length=200, blank=True)
    consent_recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    consent_withdrawn_at = models.DateTimeField(_("撤回同意时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verified_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ExemplarQuerySet.as_manager()

    class Meta:
        verbose_name = _("先进典型")
        verbose_name_plural = _("先进典型")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"], name="exemplar_status_pub_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ExemplarStatus]), name="exemplar_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Staff pages: a person's name masked (张*明), a team's name as it is."""
        return self.name if self.kind == ExemplarKind.TEAM else pii.mask_name(self.name)

    @property
    def public_name(self) -> str:
        """What the public page shows: the full name only if the consent says so."""
        if self.kind == ExemplarKind.TEAM or self.consent_scope == ConsentScope.FULL:
            return self.name
        return pii.mask_name(self.name)

    @property
    def photos_public(self) -> bool:
        return self.consent_scope in (ConsentScope.FULL, ConsentScope.MASKED)

    @property
    def has_consent(self) -> bool:
        if self.consent_at is None or self.consent_withdrawn_at is not None:
            return False
        return self.consent_until is None or self.consent_until >= timezone.localdate()

    def honour_lines(self) -> list[str]:
        return [x.strip() for x in (self.honours or "").splitlines() if x.strip()]

    def public_path(self) -> str:
        return reverse("public:publicity-profile", args=[self.public_key])


class ExemplarPhotoQuerySet(ScopedQuerySet):
    scope_field = "exemplar__organization"


class ExemplarPhoto(models.Model):
    """A photo of a profile, stored through the one upload path (re-encoded, no metadata)."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    public_key = models.CharField(max_length=16, unique=True, default=public_key, editable=False)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ExemplarPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("典型照片")
        verbose_name_plural = _("典型照片")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.exemplar} #{self.pk}"


class ExemplarEventQuerySet(ScopedQuerySet):
    scope_field = "exemplar__organization"


class ExemplarEvent(TransitionEvent):
    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=EXEMPLAR_WORKFLOW.kind_choices())

    objects = ExemplarEventQuerySet.as_manager()


# --- 媒体报道 ---------------------------------------------------------------------------------------
class MediaCoverageQuerySet(ScopedQuerySet):
    scope_field = "organization"


class MediaCoverage(TimeStampedModel):
    """One report in the media about the work of a unit (TV, newspaper, web, WeChat, 政务公开)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="media_coverage", verbose_name=_("报送单位")
    )
    title = models.CharField(_("报道标题"), max_length=150)
    outlet_name = models.CharField(_("媒体名称"), max_length=80)
    medium = models.CharField(_("媒体类型"), max_length=10, choices=Medium.choices, db_index=True)
    published_on = models.DateField(_("刊播日期"), db_index=True)
    url = models.URLField(_("报道链接"), blank=True, max_length=400)
    clipping = models.FileField(_("报道剪报"), blank=True, max_length=200)
    clipping_name = models.CharField(_("剪报文件名"), max_length=200, blank=True)
    reach = models.PositiveIntegerField(_("预估覆盖人次"), default=0)
    summary = models.TextField(_("内容摘要"), max_length=2000, blank=True)
    activity = models.ForeignKey(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="media_coverage",
        verbose_name=_("相关活动"),
    )
    exemplars = models.ManyToManyField(Exemplar, blank=True, related_name="coverage", verbose_name=_("相关先进典型"))
    honours = models.CharField(_("相关荣誉"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = MediaCoverageQuerySet.as_manager()

    class Meta:
        verbose_name = _("媒体报道")
        verbose_name_plural = _("媒体报道")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["organization", "published_on"], name="coverage_org_date_idx")]

    def __str__(self) -> str:
        return self.title


# --- 通知公告 ---------------------------------------------------------------------------------------
class NoticeQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Notice(TimeStampedModel):
    """A staff notice sent by a unit to a set of units; each recipient unit gets a delivery row."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="notices_sent", verbose_name=_("发文单位")
    )
    title = models.CharField(_("标题"), max_length=150)
    body = models.TextField(_("正文"), max_length=10000)
    target = models.CharField(_("发送范围"), max_length=20, choices=NoticeTarget.choices)
    target_city = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("市局")
    )
    units = models.ManyToManyField(Organization, blank=True, related_name="+", verbose_name=_("指定单位"))
    status = models.CharField(
        _("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT, db_index=True
    )
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class NoticeDeliveryQuerySet(ScopedQuerySet):
    scope_field = "organization"


class NoticeDelivery(models.Model):
    """The notice as received by one unit: read when someone holding a role on that unit first opens it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="notice_deliveries", verbose_name=_("接收单位")
    )
    read_at = models.DateTimeField(_("首次阅读时间"), null=True, blank=True, db_index=True)
    read_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)

    objects = NoticeDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知接收单位")
        verbose_name_plural = _("通知接收单位")
        ordering = ["organization__path"]
        constraints = [models.UniqueConstraint(fields=["notice", "organization"], name="notice_delivery_unique")]

    def __str__(self) -> str:
        return f"{self.notice} → {self.organization}"


class NoticeReadQuerySet(ScopedQuerySet):
    scope_field = "delivery__organization"


class NoticeRead(models.Model):
    """One person's read receipt (the first time each recipient opened the notice)."""

    delivery = models.ForeignKey(NoticeDelivery, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = NoticeReadQuerySet.as_manager()

    class Meta:
        verbose_name = _("阅读回执")
        verbose_name_plural = _("阅读回执")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["delivery", "user"], name="notice_read_unique")]


class NoticeAttachmentQuerySet(ScopedQuerySet):
    scope_field = "notice__organization"


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = NoticeAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知附件")
        verbose_name_plural = _("通知附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class NoticeEventQuerySet(ScopedQuerySet):
    scope_field = "notice__organization"


class NoticeEvent(TransitionEvent):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=NOTICE_WORKFLOW.kind_choices())

    objects = NoticeEventQuerySet.as_manager()


# --- 建言献策 ---------------------------------------------------------------------------------------
class SuggestionQuerySet(ScopedQuerySet):
    scope_field = "organization"

    def public(self) -> SuggestionQuerySet:
        return self.filter(status=SuggestionStatus.ADOPTED, adopted_at__isnull=False)


class Suggestion(TimeStampedModel):
    """A suggestion for the industry's reform and service, handled by the unit it is routed to."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("办理单位")
    )
    number = models.CharField(_("编号"), max_length=20, unique=True)
    source = models.CharField(_("提出人身份"), max_length=10, choices=SuggestionSource.choices)
    topic = models.CharField(_("类别"), max_length=10, choices=SuggestionTopic.choices, default=SuggestionTopic.OTHER)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("建议内容"), max_length=3000)
    submitter_name = models.CharField(_("提出人"), max_length=50)
    courier = models.ForeignKey(
        "people.Courier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("快递员")
    )
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Contact (PIPL): SM4 ciphertext and the masked hint; never plaintext in the database.
    phone_enc = models.CharField(max_length=200, editable=False, blank=True)
    phone_hint = models.CharField(_("联系电话(脱敏)"), max_length=11, editable=False, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.SUBMITTED, db_index=True
    )
    answer = models.TextField(_("答复意见"), max_length=3000, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_note = models.CharField(_("采纳说明"), max_length=500, blank=True)
    adopted_at = models.DateTimeField(_("采纳时间"), null=True, blank=True, db_index=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("建言献策")
        verbose_name_plural = _("建言献策")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in SuggestionStatus]), name="suggestion_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def set_phone(self, value: str) -> None:
        if not value:
            self.phone_enc = self.phone_hint = ""
            return
        v = pii.parse_phone(value)
        self.phone_enc = crypto.encrypt(v)
        self.phone_hint = pii.mask_phone(v)

    @property
    def masked_submitter(self) -> str:
        return pii.mask_name(self.submitter_name)

    @property
    def masked_phone(self) -> str:
        return self.phone_hint or "--"


class SuggestionEventQuerySet(ScopedQuerySet):
    scope_field = "suggestion__organization"


class SuggestionEvent(TransitionEvent):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=SUGGESTION_WORKFLOW.kind_choices())

    objects = SuggestionEventQuerySet.as_manager()


# --- 价值体系 ---------------------------------------------------------------------------------------
class ValueStatementQuerySet(ScopedQuerySet):
    scope_field = "organization"


class ValueStatement(TimeStampedModel):
    """One version of an enterprise's value system (clause 二(二)); the newest approved one is current."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="value_statements", verbose_name=_("企业")
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    core_values = models.TextField(_("核心价值"), max_length=1000)
    mission = models.TextField(_("使命"), max_length=1000)
    vision = models.TextField(_("共同愿景"), max_length=1000)
    spirit = models.TextField(_("企业精神"), max_length=1000)
    code_of_conduct = models.TextField(_("道德规范"), max_length=3000)
    status = models.CharField(
        _("状态"), max_length=10, choices=ValuesStatus.choices, default=ValuesStatus.DRAFT, db_index=True
    )
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ValueStatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业价值体系")
        verbose_name_plural = _("企业价值体系")
        ordering = ["organization__path", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "version"], name="value_statement_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} v{self.version}"


class ValueStatementEventQuerySet(ScopedQuerySet):
    scope_field = "statement__organization"


class ValueStatementEvent(TransitionEvent):
    statement = models.ForeignKey(ValueStatement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=VALUES_WORKFLOW.kind_choices())

    objects = ValueStatementEventQuerySet.as_manager()


class SuggestionCounter(models.Model):
    """The last number given out per year (建议编号 JY2026-00012)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)
