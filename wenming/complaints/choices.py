"""Enumerations of 申诉 (domain.md §5.3): categories as in 12305, business types, channels, states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("待受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    FORWARDED = "forwarded", _("待企业答复")
    REPLIED = "replied", _("待回访")
    MEDIATION = "mediation", _("调解中")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.FORWARDED,
    ComplaintStatus.REPLIED,
    ComplaintStatus.MEDIATION,
)


class Category(models.TextChoices):
    DELIVERY = "delivery", _("投递服务")
    DELAY = "delay", _("延误")
    LOSS = "loss", _("丢失短少")
    DAMAGE = "damage", _("损毁")
    PICKUP = "pickup", _("收寄服务")
    CHARGE = "charge", _("违规收费")
    OTHER = "other", _("其他")


class BusinessType(models.TextChoices):
    PARCEL = "parcel", _("包件")
    LETTER = "letter", _("函件")
    PHILATELY = "philately", _("集邮")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    WEB = "web", _("网上申诉")
    PHONE = "phone", _("电话（12305）")
    LETTER = "letter", _("信函")
    FAX = "fax", _("传真")


STAFF_CHANNELS = (Channel.PHONE, Channel.LETTER, Channel.FAX)


class RefuseReason(models.TextChoices):
    NO_PRIOR = "no_prior", _("未先向企业投诉或企业处理未满7日")
    TOO_OLD = "too_old", _("超过1年申诉期限")
    DUPLICATE = "duplicate", _("重复申诉")
    IN_COURT = "in_court", _("已进入诉讼或仲裁程序")
    OTHER = "other", _("其他不予受理情形")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("未能联系")


SATISFIED_VALUES = (Satisfaction.SATISFIED, Satisfaction.BASIC)


class Deadline(models.TextChoices):
    """The four time limits of the 2014 rules whose misses are flagged."""

    ACCEPT = "accept", _("受理转办")
    REPLY = "reply", _("企业答复")
    CALLBACK = "callback", _("回访")
    FINAL = "final", _("办结")
