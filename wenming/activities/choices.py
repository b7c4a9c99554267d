"""Enumerations of creation activities, pairings and volunteer service."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")  # being written by the organising unit; not visible as a record yet
    SUBMITTED = "submitted", _("待核实")  # sent to the city bureau (first time or after a return)
    RETURNED = "returned", _("已退回")  # the bureau sent it back with a comment; the unit fixes and resubmits
    VERIFIED = "verified", _("已核实")  # the bureau confirmed it; counts in ledgers and statistics


class CoreValue(models.TextChoices):
    """The 24-character socialist core values (12 words)."""

    PROSPERITY = "prosperity", _("富强")
    DEMOCRACY = "democracy", _("民主")
    CIVILITY = "civility", _("文明")
    HARMONY = "harmony", _("和谐")
    FREEDOM = "freedom", _("自由")
    EQUALITY = "equality", _("平等")
    JUSTICE = "justice", _("公正")
    RULE_OF_LAW = "rule_of_law", _("法治")
    PATRIOTISM = "patriotism", _("爱国")
    DEDICATION = "dedication", _("敬业")
    INTEGRITY = "integrity", _("诚信")
    FRIENDSHIP = "friendship", _("友善")


class PostalValue(models.TextChoices):
    """The postal industry's 4S values."""

    INTEGRITY = "integrity", _("诚信")
    SERVICE = "service", _("服务")
    STANDARDS = "standards", _("规范")
    SHARING = "sharing", _("共享")


class PartnerType(models.TextChoices):
    VILLAGE = "village", _("村")
    SCHOOL = "school", _("学校")
    COMMUNITY = "community", _("社区")
    ENTERPRISE = "enterprise", _("企事业单位")
    OTHER = "other", _("其他")


class PairingStatus(models.TextChoices):
    ACTIVE = "active", _("共建中")  # within the plan period
    ENDED = "ended", _("已结束")  # period over or ended early; kept for the ledger


class VolunteerEventStatus(models.TextChoices):
    OPEN = "open", _("已发布")  # sign-up and check-in as configured
    CANCELLED = "cancelled", _("已取消")  # kept with the reason; the people signed up were told


class VolunteerRecordStatus(models.TextChoices):
    CHECKED_IN = "checked_in", _("已签到")  # on site; hours not yet known
    PENDING = "pending", _("待审核")  # checked out (by hand or automatically); the organiser decides
    APPROVED = "approved", _("已认定")  # hours count towards totals and certificates
    DECLINED = "declined", _("不予认定")  # kept with the reason; never deleted
