"""Enumerations of the satisfaction surveys."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    """The national survey's stages (domain §5.1); every scored question belongs to one."""

    ACCEPTANCE = "acceptance", _("受理")
    PICKUP = "pickup", _("揽收")
    DELIVERY = "delivery", _("投递")
    AFTER_SALES = "after_sales", _("售后")
    INFORMATION = "information", _("信息")


DIMENSIONS: tuple[str, ...] = tuple(Dimension.values)


class QuestionKind(models.TextChoices):
    RATING5 = "rating5", _("评分（1–5）")
    RATING10 = "rating10", _("评分（1–10）")
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TEXT = "text", _("文字")


RATING_KINDS = frozenset({QuestionKind.RATING5, QuestionKind.RATING10})
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")  # editable
    PUBLISHED = "published", _("已发布")  # immutable; the outlets' survey pages use it
    RETIRED = "retired", _("已停用")  # replaced by a newer version; kept for the responses that used it


class Grain(models.TextChoices):
    OUTLET = "outlet", _("网点")
    ENTERPRISE = "enterprise", _("企业")
    BRAND = "brand", _("品牌")
    CITY = "city", _("地市")
    PROVINCE = "province", _("全省")


class Period(models.TextChoices):
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年")


class Band(models.TextChoices):
    GOOD = "good", _("良好")
    MIDDLE = "middle", _("中等")
    WEAK = "weak", _("待改进")
    NONE = "none", _("样本不足")


class FollowUpStatus(models.TextChoices):
    NONE = "none", _("无需跟进")  # not negative
    OPEN = "open", _("待跟进")  # negative: routed to the outlet's enterprise
    HANDLED = "handled", _("已跟进")
