"""Choices of the voting app (no imports from its models, so workflows.py can use them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SCHEDULED = "scheduled", _("已排期")
    PAUSED = "paused", _("已暂停")
    CLOSED = "closed", _("已截止")
    PUBLISHED = "published", _("已公布")


class Channel(models.TextChoices):
    ONLINE = "online", _("网络投票")
    OFFLINE = "offline", _("线下投票")


class OfflineKind(models.TextChoices):
    PAPER = "paper", _("纸质选票")
    NEWSPAPER = "newspaper", _("报纸选票")
    OTHER = "other", _("其他线下渠道")


class AnomalyKind(models.TextChoices):
    NET_BURST = "net_burst", _("同一网段集中投票")
    NEW_PHONES = "new_phones", _("新号码集中投给同一候选人")
    NIGHT_BURST = "night_burst", _("夜间集中投票")
    SAME_FINGERPRINT = "same_fingerprint", _("相同设备特征集中投票")
    DB_REJECT = "db_reject", _("数据库拒绝的选票")


class AnomalyStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    PROPOSED = "proposed", _("已提请隔离")
    QUARANTINED = "quarantined", _("已隔离")
    DISMISSED = "dismissed", _("已排除")


class QuarantineStatus(models.TextChoices):
    PENDING = "pending", _("待审计管理员确认")
    APPROVED = "approved", _("已隔离")
    REJECTED = "rejected", _("未通过")
