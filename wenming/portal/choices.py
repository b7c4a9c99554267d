"""Categories and states of news articles (栏目 and 稿件状态)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    WORK = "work", _("工作动态")
    GRASSROOTS = "grassroots", _("基层风采")
    DEEDS = "deeds", _("典型事迹")
    NOTICE = "notice", _("通知公告")
    POLICY = "policy", _("政策文件")


#: URL slugs of the public columns (栏目), in navigation order
CATEGORY_ORDER = [Category.WORK, Category.NOTICE, Category.GRASSROOTS, Category.DEEDS, Category.POLICY]


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")  # being written by its unit
    CITY_REVIEW = "city_review", _("待市局审核")  # submitted by a unit under a city bureau
    PROVINCE_REVIEW = "province_review", _("待省局发布")  # passed the city bureau, or a provincial unit's own
    SCHEDULED = "scheduled", _("定时发布")  # approved by the province, goes public at publish_at
    PUBLISHED = "published", _("已发布")  # public on the portal
    RETURNED = "returned", _("已退回")  # sent back to its unit for changes
    WITHDRAWN = "withdrawn", _("已撤稿")  # taken off the portal by the province


EDITABLE = frozenset({ArticleStatus.DRAFT, ArticleStatus.RETURNED})
