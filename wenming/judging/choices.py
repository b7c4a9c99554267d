"""Choices of expert judging (测评体系, rounds, assignments, committee votes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Method(models.TextChoices):
    MATERIALS = "materials", _("材料审核")
    ON_SITE = "on_site", _("实地考察")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")
    ONLINE = "online", _("网络调查")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    SCORING = "scoring", _("评分中")
    CLOSED = "closed", _("评分结束")
    PUBLISHED = "published", _("结果已发布")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("待评分")
    SUBMITTED = "submitted", _("已提交")


class CommitteeStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    VOTING = "voting", _("投票中")
    CLOSED = "closed", _("已计票")


class BallotChoice(models.TextChoices):
    YES = "yes", _("同意")
    NO = "no", _("不同意")
    ABSTAIN = "abstain", _("弃权")


#: level numerals of the indicator tree (Ⅰ/Ⅱ/Ⅲ)
LEVEL_NUMERALS = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ"}
MAX_LEVEL = 3
