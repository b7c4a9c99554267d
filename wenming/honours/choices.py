"""Enumerations of the honours engine."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    ENTERPRISE = "enterprise", _("企业级")


# From the highest level down: the "lower level" of a title is the next one in this list.
LEVEL_ORDER = [Level.NATIONAL, Level.PROVINCIAL, Level.CITY, Level.ENTERPRISE]


def lower_level(level: str) -> str | None:
    order = [str(v) for v in LEVEL_ORDER]
    i = order.index(str(level)) if str(level) in order else -1
    return order[i + 1] if 0 <= i < len(order) - 1 else None


class SubjectKind(models.TextChoices):
    UNIT = "unit", _("集体")
    PERSON = "person", _("个人")


class ProgrammeKind(models.TextChoices):
    HONOUR = "honour", _("创建认定")  # apply → review → score → committee → 公示 → designate
    SELECTION = "selection", _("评选活动")  # nominate → eligibility → public vote → experts → 公示 → award


class AppStatus:
    """The fixed ends of every programme's chain; the stages between them are the programme's rows."""

    DRAFT = "draft"
    RETURNED = "returned"
    DONE = "designated"
    REJECTED = "rejected"


FIXED_STATUS_LABELS = {
    AppStatus.DRAFT: _("草稿"),
    AppStatus.RETURNED: _("退回补正"),
    AppStatus.DONE: _("已授予"),
    AppStatus.REJECTED: _("未通过"),
}


class StageKind(models.TextChoices):
    REVIEW = "review", _("审核")  # a reviewer passes, returns or rejects one application
    ELIGIBILITY = "eligibility", _("资格审查")  # automatic screening of every nomination at once
    VOTE = "vote", _("公众投票")  # tallies from the registered sources
    SCORING = "scoring", _("专家评审")  # a judging round over the stage's applications
    COMMITTEE = "committee", _("评审委员会")  # the committee's secret ballot
    NOTICE = "notice", _("公示")  # public notice with objections


class TitleStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    UNDER_REVIEW = "under_review", _("复查中")
    RECTIFYING = "rectifying", _("整改中")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已到期")


class RecheckKind(models.TextChoices):
    LIGHT = "light", _("年度复查")
    FULL = "full", _("届满复核")


class RecheckResult(models.TextChoices):
    OPEN = "open", _("待自查")
    REPORTED = "reported", _("已自查")
    PASSED = "passed", _("通过")
    WARNED = "warned", _("警告整改")
    RECTIFIED = "rectified", _("整改通过")
    DOWNGRADED = "downgraded", _("调整星级")
    REVOKED = "revoked", _("撤销称号")
    MISSED = "missed", _("逾期未自查")


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    INVESTIGATING = "investigating", _("调查中")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class EvidenceKind(models.TextChoices):
    FILE = "file", _("上传材料")
    ACTIVITY = "activity", _("创建活动")
    PAIRING = "pairing", _("结对共建")
    VOLUNTEER = "volunteer", _("志愿服务")


class TallySource(models.TextChoices):
    PAPER = "paper", _("纸质选票")
    NEWSPAPER = "newspaper", _("报纸选票")


class CommitteeResult(models.TextChoices):
    NONE = "", _("未表决")
    ADOPTED = "adopted", _("通过")
    NOT_ADOPTED = "not_adopted", _("未通过")
