"""Complaints (申诉) against postal and express enterprises, their history, and monthly item volumes.

A complaint is scoped by the enterprise complained about (``enterprise``): the enterprise's users,
the city bureau that supervises it and the provincial bureau see it. The complainant's phone is stored
as SM4 ciphertext with a blind index (for the public lookup) and a masked hint; it is never stored in
clear. Closed case files are kept at least three years (``retain_until``, see ``services.retention``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core import crypto, pii
from wenming.core.models import TimeStampedModel, TransitionEvent
from wenming.organizations.models import Brand, Organization
from wenming.organizations.scoping import ScopedQuerySet

from .choices import BusinessType, Category, Channel, ComplaintStatus, RefuseReason, Satisfaction
from .workflows import COMPLAINT_WORKFLOW


class ComplaintQuerySet(ScopedQuerySet):
    scope_field = "enterprise"


class Complaint(TimeStampedModel):
    """One 申诉 case: who complains about which enterprise (and outlet), what happened, every time limit."""

    case_no = models.CharField(_("申诉编号"), max_length=20, unique=True)
    channel = models.CharField(_("申诉渠道"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    enterprise = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("被申诉企业"),
        limit_choices_to={"kind": "enterprise"},
    )
    outlet = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_at_outlet",
        verbose_name=_("网点"),
        limit_choices_to={"kind": "outlet"},
    )
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("品牌"))
    city_code = models.CharField(_("所属地市代码"), max_length=6, db_index=True)
    waybill_no = models.CharField(_("运单号"), max_length=40)
    category = models.CharField(_("申诉类别"), max_length=10, choices=Category.choices)
    business_type = models.CharField(
        _("业务类型"), max_length=10, choices=BusinessType.choices, default=BusinessType.PARCEL
    )
    description = models.TextField(_("申诉内容"), max_length=2000)
    claim = models.CharField(_("申诉诉求"), max_length=500, blank=True)
    complainant_name = models.CharField(_("申诉人"), max_length=50, blank=True)
    # Personal data: ciphertext + keyed blind index + mask (never plaintext in the database).
    phone_enc = models.CharField(max_length=200, editable=False, blank=True)
    phone_index = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    phone_hint = models.CharField(_("联系电话(脱敏)"), max_length=11, editable=False, blank=True)
    mailed_on = models.DateField(_("寄件日期"))
    prior_complaint_on = models.DateField(_("向企业投诉日期"))
    prior_unsatisfied = models.BooleanField(_("企业已答复但不满意"), default=False)
    enterprise_answer = models.CharField(_("企业的处理意见"), max_length=500, blank=True)

    status = models.CharField(
        _("状态"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED, db_index=True
    )
    received_at = models.DateTimeField(_("登记时间"))
    received_on = models.DateField(_("登记日期"), db_index=True)
    accept_due = models.DateField(_("受理转办期限"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    refuse_reason = models.CharField(_("不予受理原因"), max_length=20, choices=RefuseReason.choices, blank=True)
    reply_due = models.DateField(_("企业答复期限"), null=True, blank=True)
    reply_text = models.TextField(_("企业答复"), max_length=2000, blank=True)
    reply_handler = models.CharField(_("企业经办人"), max_length=50, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    callback_due = models.DateField(_("回访期限"), null=True, blank=True)
    callback_attempts = models.PositiveSmallIntegerField(_("回访未接通次数"), default=0)
    last_attempt_at = models.DateTimeField(_("最近回访时间"), null=True, blank=True)
    final_due = models.DateField(_("办结期限"), null=True, blank=True)
    is_valid = models.BooleanField(_("有效申诉"), null=True, blank=True)
    compensation = models.DecimalField(_("赔偿金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    satisfaction = models.CharField(_("对处理的满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    retain_until = models.DateField(_("档案保存至"), null=True, blank=True)

    accept_overdue = models.BooleanField(_("受理超时"), default=False)
    reply_overdue = models.BooleanField(_("企业答复超时"), default=False, db_index=True)
    callback_overdue = models.BooleanField(_("回访超时"), default=False)
    final_overdue = models.BooleanField(_("办结超时"), default=False)
    escalated_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "received_on"]),
            models.Index(fields=["outlet", "received_on"]),
            models.Index(fields=["status", "received_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ComplaintStatus]), name="complaint_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.case_no

    def set_phone(self, value: str) -> None:
        v = pii.parse_phone(value)
        self.phone_enc = crypto.encrypt(v)
        self.phone_index = crypto.blind_index(v, "phone")
        self.phone_hint = pii.mask_phone(v)

    def phone_matches(self, value: str) -> bool:
        try:
            v = pii.parse_phone(value)
        except pii.ParseError:
            return False
        return bool(self.phone_index) and crypto.blind_index(v, "phone") == self.phone_index

    def reveal_phone(self) -> str:
        return crypto.decrypt(self.phone_enc) if self.phone_enc else ""

    @property
    def masked_phone(self) -> str:
        return self.phone_hint or "--"

    @property
    def masked_name(self) -> str:
        return pii.mask_name(self.complainant_name) if self.complainant_name else "--"

    @property
    def is_overdue(self) -> bool:
        return self.accept_overdue or self.reply_overdue or self.callback_overdue or self.final_overdue

    def overdue_labels(self) -> list[str]:
        labels = []
        if self.accept_overdue:
            labels.append(str(_("受理超时")))
        if self.reply_overdue:
            labels.append(str(_("企业答复超时")))
        if self.callback_overdue:
            labels.append(str(_("回访超时")))
        if self.final_overdue:
            labels.append(str(_("办结超时")))
        return labels


class ComplaintEventQuerySet(ScopedQuerySet):
    scope_field = "complaint__enterprise"


class ComplaintEvent(TransitionEvent):
    """One step of a complaint's history (registered, accepted, replied, overdue …): append-only."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=COMPLAINT_WORKFLOW.kind_choices())

    objects = ComplaintEventQuerySet.as_manager()


class ItemVolumeQuerySet(ScopedQuerySet):
    scope_field = "enterprise"


class ItemVolume(TimeStampedModel):
    """An enterprise's items handled in one month (业务量, 件): the denominator of the per-million rates."""

    enterprise = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="item_volumes",
        verbose_name=_("企业"),
        limit_choices_to={"kind": "enterprise"},
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    items = models.PositiveBigIntegerField(_("业务量（件）"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ItemVolumeQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业月度业务量")
        verbose_name_plural = _("企业月度业务量")
        ordering = ["-month", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="item_volume_one_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="item_volume_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.month:%Y-%m}"
