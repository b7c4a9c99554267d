"""Couriers and the governing bodies (指导委员会, 领导小组) with their members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core import crypto, pii
from wenming.core.models import TimeStampedModel
from wenming.organizations.models import Organization
from wenming.organizations.scoping import ScopedQuerySet


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class CourierStatus(models.TextChoices):
    ACTIVE = "active", _("在岗")  # employed and delivering
    LEFT = "left", _("离职")  # left the employer; kept for history and honours


class CourierQuerySet(ScopedQuerySet):
    scope_field = "outlet"


class Courier(TimeStampedModel):
    """A pickup-and-delivery worker (快递员/投递员/乡村邮递员). ID number and phone are SM4-encrypted."""

    outlet = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="couriers", verbose_name=_("所属网点")
    )
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    started_delivery_on = models.DateField(_("从事收投工作时间"))
    has_labour_contract = models.BooleanField(_("签订劳动合同"), default=True)
    is_party_member = models.BooleanField(_("中共党员"), default=False)
    is_league_member = models.BooleanField(_("共青团员"), default=False)
    is_union_member = models.BooleanField(_("工会会员"), default=False)
    job = models.CharField(
        _("岗位"),
        max_length=20,
        default="courier",
        choices=[("courier", _("快递员")), ("postal_carrier", _("投递员")), ("rural_carrier", _("乡村邮递员"))],
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=CourierStatus.choices, default=CourierStatus.ACTIVE, db_index=True
    )
    # Personal data: ciphertext + keyed blind index (never plaintext in the database).
    id_number_enc = models.CharField(max_length=200, editable=False)
    id_number_index = models.CharField(max_length=64, editable=False, unique=True)
    id_number_hint = models.CharField(_("身份证号(脱敏)"), max_length=18, editable=False)
    phone_enc = models.CharField(max_length=200, editable=False, blank=True)
    phone_index = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    phone_hint = models.CharField(_("手机号(脱敏)"), max_length=11, editable=False, blank=True)

    objects = CourierQuerySet.as_manager()

    class Meta:
        verbose_name = _("快递员")
        verbose_name_plural = _("快递员")
        ordering = ["outlet_id", "name", "id"]
        indexes = [
            models.Index(fields=["outlet", "status"]),
            # The list's order (Meta.ordering, people.selectors.courier_list): LIMIT without a sort.
            models.Index(fields=["outlet", "name", "id"], name="courier_outlet_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    # --- personal data -------------------------------------------------------------------------
    def set_id_number(self, value: str) -> None:
        v = pii.parse_id_number(value)
        self.id_number_enc = crypto.encrypt(v)
        self.id_number_index = crypto.blind_index(v, "id_number")
        self.id_number_hint = pii.mask_id_number(v)

    def set_phone(self, value: str) -> None:
        if not value:
            self.phone_enc = self.phone_index = self.phone_hint = ""
            return
        v = pii.parse_phone(value)
        self.phone_enc = crypto.encrypt(v)
        self.phone_index = crypto.blind_index(v, "phone")
        self.phone_hint = pii.mask_phone(v)

    def reveal_id_number(self) -> str:
        """Plaintext; call only through ``people.services.courier_reveal`` (permission, reason, audit)."""
        return crypto.decrypt(self.id_number_enc)

    def reveal_phone(self) -> str:
        return crypto.decrypt(self.phone_enc) if self.phone_enc else ""

    @property
    def masked_id_number(self) -> str:
        """The policy's mask (``pii.mask_id_number``), also over hints stored under an older, wider mask."""
        return pii.mask_id_number(self.id_number_hint)

    @property
    def masked_phone(self) -> str:
        return self.phone_hint or "--"

    @property
    def masked_name(self) -> str:
        return pii.mask_name(self.name)


class CourierMoveQuerySet(ScopedQuerySet):
    scope_field = "courier__outlet"


class CourierMove(models.Model):
    """A courier transferred between outlets (调动): the history shown on the courier page."""

    courier = models.ForeignKey(Courier, on_delete=models.CASCADE, related_name="moves", verbose_name=_("快递员"))
    from_outlet = models.ForeignKey(
        Organization, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("调出网点")
    )
    to_outlet = models.ForeignKey(
        Organization, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("调入网点")
    )
    moved_on = models.DateField(_("调动日期"), default=timezone.localdate)
    reason = models.CharField(_("调动原因"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("记录时间"), default=timezone.now)

    objects = CourierMoveQuerySet.as_manager()

    class Meta:
        verbose_name = _("快递员调动")
        verbose_name_plural = _("快递员调动")
        ordering = ["-moved_on", "-at", "-id"]

    def __str__(self) -> str:
        return f"{self.courier.masked_name} 调动（{self.moved_on:%Y-%m-%d}）"


class BodyKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("精神文明建设指导委员会")
    COMMITTEE_OFFICE = "committee_office", _("指导委员会办公室")
    LEADING_GROUP = "leading_group", _("精神文明建设领导小组")


class GoverningBodyQuerySet(ScopedQuerySet):
    scope_field = "organization"


class GoverningBody(TimeStampedModel):
    """The provincial steering committee (and its office) or a city bureau's leading group (三(一))."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="governing_bodies", verbose_name=_("所属单位")
    )
    kind = models.CharField(_("类型"), max_length=30, choices=BodyKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    objects = GoverningBodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导机构")
        verbose_name_plural = _("领导机构")
        ordering = ["organization__path", "kind"]

    def __str__(self) -> str:
        return self.name


class Position(models.TextChoices):
    CHAIR = "chair", _("主任")
    VICE_CHAIR = "vice_chair", _("副主任")
    OFFICE_HEAD = "office_head", _("办公室主任")
    MEMBER = "member", _("成员")
    GROUP_HEAD = "group_head", _("组长")
    DEPUTY_HEAD = "deputy_head", _("副组长")
    LIAISON = "liaison", _("联络员")


class MembershipQuerySet(ScopedQuerySet):
    scope_field = "body__organization"


class Membership(TimeStampedModel):
    """A seat on a governing body, with effective dates (valid_to empty = current)."""

    body = models.ForeignKey(GoverningBody, on_delete=models.CASCADE, related_name="memberships")
    person_name = models.CharField(_("姓名"), max_length=50)
    post_title = models.CharField(_("职务"), max_length=100, help_text=_("如：局长、分管副局长、办公室主任"))
    position = models.CharField(_("委内职务"), max_length=20, choices=Position.choices)
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    valid_from = models.DateField(_("任职起始"))
    valid_to = models.DateField(_("任职截止"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        ordering = ["body", "sort_order", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="membership_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_name}（{self.get_position_display()}）"
