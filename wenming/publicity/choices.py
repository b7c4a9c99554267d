"""Enumerations of the publicity app (labels in Chinese, English in the app's catalogue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExemplarKind(models.TextChoices):
    PERSON = "person", _("个人")
    TEAM = "team", _("集体")


class ExemplarStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    VERIFIED = "verified", _("单位已核实")
    PUBLISHED = "published", _("已发布")


class ConsentScope(models.TextChoices):
    """What the person (or the team's representative) agreed may be published."""

    FULL = "full", _("实名公开：姓名、照片、事迹")
    MASKED = "masked", _("姓名脱敏公开：照片、事迹")
    DEEDS = "deeds", _("仅公开事迹：姓名脱敏、不含照片")


class Medium(models.TextChoices):
    TV = "tv", _("电视")
    NEWSPAPER = "newspaper", _("报纸")
    WEB = "web", _("网络")
    WECHAT = "wechat", _("微信")
    GOV_OPEN = "gov_open", _("政务公开")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已发送")


class NoticeTarget(models.TextChoices):
    CITY_BUREAUS = "city_bureaus", _("全部市局")
    ENTERPRISES = "enterprises", _("全部企业")
    CITY_ENTERPRISES = "city_enterprises", _("某市的全部企业")
    UNITS = "units", _("指定单位")


class SuggestionSource(models.TextChoices):
    COURIER = "courier", _("快递员")
    STAFF = "staff", _("工作人员")
    PUBLIC = "public", _("社会公众")


class SuggestionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待分办")
    ROUTED = "routed", _("办理中")
    ANSWERED = "answered", _("已答复")
    ADOPTED = "adopted", _("已采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


class SuggestionTopic(models.TextChoices):
    REFORM = "reform", _("行业改革")
    SERVICE = "service", _("寄递服务")
    CIVILITY = "civility", _("精神文明建设")
    RIGHTS = "rights", _("从业人员权益")
    OTHER = "other", _("其他")


class ValuesStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")
