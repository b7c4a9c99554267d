"""Creation activities (创建活动), their evidence photos, pairings (结对共建) and volunteer service hours."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel, TransitionEvent
from wenming.organizations.models import Organization
from wenming.organizations.scoping import ScopedQuerySet

from .choices import (
    ActivityStatus,
    CoreValue,
    PairingStatus,
    PartnerType,
    PostalValue,
    VolunteerEventStatus,
    VolunteerRecordStatus,
)
from .workflows import ACTIVITY_WORKFLOW, PAIRING_WORKFLOW, VOLUNTEER_EVENT_WORKFLOW, VOLUNTEER_RECORD_WORKFLOW


def _tags_field(verbose: str) -> models.CharField:
    # Stored as ",a,b," so that "contains ,a," filters work on SQLite and PostgreSQL alike.
    return models.CharField(verbose, max_length=200, blank=True, default="")


class ActivityType(models.Model):
    """A kind of creation activity (岗位建功, 志愿服务 …); admins may add more."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    min_photos = models.PositiveSmallIntegerField(_("最少佐证照片"), default=2)
    figure_fields = models.JSONField(
        _("特有数据项"), default=list, blank=True, help_text=_('如 [{"key": "leaflets", "label": "发放宣传单（份）"}]')
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    def figure_labels(self) -> dict[str, str]:
        return {f["key"]: f["label"] for f in self.figure_fields or [] if "key" in f and "label" in f}


class PairingQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Pairing(TimeStampedModel):
    """结对共建: an org node paired with an outside party under a shared plan."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("共建单位")
    )
    partner_name = models.CharField(_("结对对象"), max_length=100)
    partner_type = models.CharField(_("对象类型"), max_length=20, choices=PartnerType.choices)
    title = models.CharField(_("共建项目"), max_length=100)
    plan = models.TextField(_("共建计划"), max_length=3000)
    goals = models.TextField(_("共建目标"), max_length=2000)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=PairingStatus.choices, default=PairingStatus.ACTIVE, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("结对共建")
        verbose_name_plural = _("结对共建")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="pairing_period_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in PairingStatus]), name="pairing_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} × {self.partner_name}"

    @property
    def is_active(self) -> bool:
        return self.status == PairingStatus.ACTIVE


class PairingEventQuerySet(ScopedQuerySet):
    scope_field = "pairing__organization"


class PairingEvent(TransitionEvent):
    """One step of a pairing's history (created, ended): append-only."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=PAIRING_WORKFLOW.kind_choices())

    objects = PairingEventQuerySet.as_manager()


class ActivityQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Activity(TimeStampedModel):
    """One recorded creation activity of an organising unit, with figures, value tags and photos."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="activities", verbose_name=_("组织单位")
    )
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="activities", verbose_name=_("活动类型")
    )
    title = models.CharField(_("活动名称"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outlet = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities_held",
        verbose_name=_("活动网点"),
        limit_choices_to={"kind": "outlet"},
    )
    address = models.CharField(_("活动地点"), max_length=200, blank=True)
    couriers = models.ManyToManyField(
        "people.Courier", blank=True, related_name="activities", verbose_name=_("参与快递员")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="activities_joined", verbose_name=_("参与工作人员")
    )
    participant_count = models.PositiveIntegerField(_("参与人数"), default=0)
    beneficiaries = models.CharField(_("服务对象"), max_length=200, blank=True)
    beneficiary_count = models.PositiveIntegerField(_("受益人数"), default=0)
    figures = models.JSONField(_("特有数据"), default=dict, blank=True)
    core_values = _tags_field("社会主义核心价值观")
    postal_values = _tags_field("邮政行业4S价值观")
    description = models.TextField(_("活动内容"), max_length=3000)
    pairing = models.ForeignKey(
        Pairing, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities", verbose_name=_("所属结对")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("创建活动")
        verbose_name_plural = _("创建活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["organization", "starts_at"]), models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ActivityStatus]), name="activity_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("starts_at")),
                name="activity_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def pack_tags(values: list[str]) -> str:
        return "," + ",".join(values) + "," if values else ""

    @staticmethod
    def unpack_tags(raw: str) -> list[str]:
        return [v for v in (raw or "").split(",") if v]

    def core_value_labels(self) -> list[str]:
        labels = dict(CoreValue.choices)
        return [str(labels.get(v, v)) for v in self.unpack_tags(self.core_values)]

    def postal_value_labels(self) -> list[str]:
        labels = dict(PostalValue.choices)
        return [str(labels.get(v, v)) for v in self.unpack_tags(self.postal_values)]

    def figure_rows(self) -> list[tuple[str, object]]:
        labels = self.activity_type.figure_labels()
        return [(labels.get(k, k), v) for k, v in (self.figures or {}).items()]

    @property
    def place(self) -> str:
        return self.outlet.name if self.outlet_id else (self.address or "--")


def _photo_path(instance: ActivityPhoto, filename: str) -> str:
    # The client's file name is never used: server-generated uuid, always .jpg (we re-encode).
    now = timezone.now()
    return f"activities/photos/{now:%Y/%m}/{uuid.uuid4().hex}.jpg"


class ActivityPhotoQuerySet(ScopedQuerySet):
    scope_field = "activity__organization"


class ActivityPhoto(models.Model):
    """An evidence photo: re-encoded JPEG without metadata, stored under a random name."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("活动"))
    image = models.FileField(_("照片"), upload_to=_photo_path, max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(_("大小"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActivityPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("佐证照片")
        verbose_name_plural = _("佐证照片")
        ordering = ["activity_id", "id"]


class ActivityEventQuerySet(ScopedQuerySet):
    scope_field = "activity__organization"


class ActivityEvent(TransitionEvent):
    """One transition of an activity (submit, verify, return, resubmit): append-only history."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=ACTIVITY_WORKFLOW.kind_choices())
    comment = models.CharField(_("意见"), max_length=500, blank=True)

    objects = ActivityEventQuerySet.as_manager()

    @property
    def to_label(self) -> str:
        return ActivityStatus(self.to_status).label if self.to_status in ActivityStatus.values else self.to_status


class VolunteerEventQuerySet(ScopedQuerySet):
    scope_field = "organization"


class VolunteerEvent(TimeStampedModel):
    """A volunteer service event with sign-ups, QR check-in/out and hours."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="volunteer_events", verbose_name=_("组织单位")
    )
    activity = models.OneToOneField(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_event",
        verbose_name=_("对应活动记录"),
    )
    title = models.CharField(_("活动名称"), max_length=100)
    place = models.CharField(_("服务地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    description = models.TextField(_("服务内容"), max_length=2000, blank=True)
    capacity = models.PositiveIntegerField(_("招募人数"), default=0, help_text=_("0 表示不限"))
    signup_open = models.BooleanField(_("开放报名"), default=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=VolunteerEventStatus.choices, default=VolunteerEventStatus.OPEN, db_index=True
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    auto_checkout_hours = models.PositiveSmallIntegerField(
        _("自动签退时长（小时）"), default=4, help_text=_("签到后超过该时长未签退，自动签退并标记待复核")
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("组织人")
    )

    objects = VolunteerEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿服务活动")
        verbose_name_plural = _("志愿服务活动")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="volunteer_event_times_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(auto_checkout_hours__gte=1, auto_checkout_hours__lte=24),
                name="volunteer_event_auto_checkout_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class VolunteerSignupQuerySet(ScopedQuerySet):
    scope_field = "event__organization"


class VolunteerSignup(models.Model):
    """A courier or staff member signed up for an event; ``personal_code`` lets them check in by QR."""

    event = models.ForeignKey(VolunteerEvent, on_delete=models.CASCADE, related_name="signups")
    courier = models.ForeignKey(
        "people.Courier", null=True, blank=True, on_delete=models.PROTECT, related_name="volunteer_signups"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="volunteer_signups"
    )
    name = models.CharField(_("姓名"), max_length=50)
    personal_code = models.CharField(_("签到码"), max_length=6)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = VolunteerSignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿者报名")
        verbose_name_plural = _("志愿者报名")
        ordering = ["event_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(courier__isnull=False) & models.Q(user__isnull=True))
                | (models.Q(courier__isnull=True) & models.Q(user__isnull=False)),
                name="signup_exactly_one_person",
            ),
            models.UniqueConstraint(
                fields=["event", "courier"], condition=models.Q(courier__isnull=False), name="signup_courier_once"
            ),
            models.UniqueConstraint(
                fields=["event", "user"], condition=models.Q(user__isnull=False), name="signup_user_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def person_kind(self) -> str:
        return gettext("快递员") if self.courier_id else gettext("工作人员")


class VolunteerRecordQuerySet(ScopedQuerySet):
    scope_field = "signup__event__organization"


class VolunteerRecord(TimeStampedModel):
    """The attendance and hours of one sign-up (志愿服务记录): check-in, check-out, decision."""

    signup = models.OneToOneField(VolunteerSignup, on_delete=models.PROTECT, related_name="record")
    check_in_at = models.DateTimeField(_("签到时间"))
    check_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1, default=Decimal("0"))
    measured_hours = models.DecimalField(
        _("实测时长（小时）"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("签到至签退，认定前的时长"),
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=VolunteerRecordStatus.choices,
        default=VolunteerRecordStatus.CHECKED_IN,
        db_index=True,
    )
    auto_checked_out = models.BooleanField(_("自动签退"), default=False)
    needs_review = models.BooleanField(_("需复核"), default=False, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=200, blank=True)

    objects = VolunteerRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        ordering = ["-check_in_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in VolunteerRecordStatus]),
                name="volunteer_record_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(check_out_at__isnull=True) | models.Q(check_out_at__gte=models.F("check_in_at")),
                name="volunteer_record_times_ordered",
            ),
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="volunteer_record_hours_positive"),
        ]

    @property
    def over_measured(self) -> bool:
        """More hours than the measured attendance (approved with a reason; flagged in the lists)."""
        return self.measured_hours is not None and self.hours > self.measured_hours


class VolunteerEventEventQuerySet(ScopedQuerySet):
    scope_field = "event__organization"


class VolunteerEventEvent(TransitionEvent):
    """One transition of a volunteer event (cancel, with its reason)."""

    event = models.ForeignKey(VolunteerEvent, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=VOLUNTEER_EVENT_WORKFLOW.kind_choices())
    comment = models.CharField(max_length=200, blank=True)

    objects = VolunteerEventEventQuerySet.as_manager()


class VolunteerRecordEventQuerySet(ScopedQuerySet):
    scope_field = "record__signup__event__organization"


class VolunteerRecordEvent(TransitionEvent):
    """One transition of a volunteer record (check-in, check-out, auto check-out, approve, decline)."""

    record = models.ForeignKey(VolunteerRecord, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=VOLUNTEER_RECORD_WORKFLOW.kind_choices())
    comment = models.CharField(max_length=200, blank=True)

    objects = VolunteerRecordEventQuerySet.as_manager()
