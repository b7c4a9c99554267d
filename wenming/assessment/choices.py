"""Enumerations of the assessment."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKindChoice(models.TextChoices):
    YEAR = "year", _("年度")
    QUARTER = "quarter", _("季度")
    MONTH = "month", _("月度")


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class ScoringRule(models.TextChoices):
    # points = weight × (value − worst) / (best − worst) over the cities that have a value
    LINEAR = "linear", _("十四市最低至最高线性计分")
    # points = weight × min(value / target, 1); for a lower-is-better number weight × min(target / value, 1)
    TARGET = "target", _("按目标值计分")
