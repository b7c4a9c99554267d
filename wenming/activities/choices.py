"""Enumerations of creation activities, pairings and volunteer service."""

from django.db import models


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", "草稿"  # being written by the organising unit; not visible as a record yet
    SUBMITTED = "submitted", "待核实"  # sent to the city bureau (first time or after a return)
    RETURNED = "returned", "已退回"  # the bureau sent it back with a comment; the unit fixes and resubmits
    VERIFIED = "verified", "已核实"  # the bureau confirmed it; counts in ledgers and statistics


class CoreValue(models.TextChoices):
    """The 24-character socialist core values (12 words)."""

    PROSPERITY = "prosperity", "富强"
    DEMOCRACY = "democracy", "民主"
    CIVILITY = "civility", "文明"
    HARMONY = "harmony", "和谐"
    FREEDOM = "freedom", "自由"
    EQUALITY = "equality", "平等"
    JUSTICE = "justice", "公正"
    RULE_OF_LAW = "rule_of_law", "法治"
    PATRIOTISM = "patriotism", "爱国"
    DEDICATION = "dedication", "敬业"
    INTEGRITY = "integrity", "诚信"
    FRIENDSHIP = "friendship", "友善"


class PostalValue(models.TextChoices):
    """The postal industry's 4S values."""

    INTEGRITY = "integrity", "诚信"
    SERVICE = "service", "服务"
    STANDARDS = "standards", "规范"
    SHARING = "sharing", "共享"


class PartnerType(models.TextChoices):
    VILLAGE = "village", "村"
    SCHOOL = "school", "学校"
    COMMUNITY = "community", "社区"
    ENTERPRISE = "enterprise", "企事业单位"
    OTHER = "other", "其他"


class PairingStatus(models.TextChoices):
    ACTIVE = "active", "共建中"  # within the plan period
    ENDED = "ended", "已结束"  # period over or ended early; kept for the ledger


class VolunteerEventStatus(models.TextChoices):
    OPEN = "open", "已发布"  # sign-up and check-in as configured
    CANCELLED = "cancelled", "已取消"  # kept with the reason; the people signed up were told


class VolunteerRecordStatus(models.TextChoices):
    CHECKED_IN = "checked_in", "已签到"  # on site; hours not yet known
    PENDING = "pending", "待审核"  # checked out (by hand or automatically); the organiser decides
    APPROVED = "approved", "已认定"  # hours count towards totals and certificates
    DECLINED = "declined", "不予认定"  # kept with the reason; never deleted
