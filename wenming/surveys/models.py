"""Questionnaires (versioned), the raw outlet responses, their monthly rollups and comment insights.

Scores are kept in tenths of a point (0–1000 for 0–100.0) as integers, so sums and sums of squares in
the rollup are exact and a rollup can be compared with a live aggregate for equality.

``SurveyResponse`` is append-only. On PostgreSQL it is a table partitioned by month on ``day`` (the
migration creates it with RunSQL; SQLite gets the plain table); nothing holds a foreign key to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel, TransitionEvent
from wenming.organizations.models import Brand, Organization, Outlet
from wenming.organizations.scoping import ScopedQuerySet

from .choices import DIMENSIONS, Dimension, FollowUpStatus, QuestionKind, QuestionnaireStatus
from .workflows import FOLLOW_UP_WORKFLOW, QUESTIONNAIRE_WORKFLOW


class QuestionnaireQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Questionnaire(TimeStampedModel):
    """One version of a questionnaire. A published version never changes; an edit makes a new version."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="questionnaires", verbose_name=_("所属单位")
    )
    family = models.CharField(_("问卷编号"), max_length=40, help_text=_("同一问卷的各个版本共用此编号"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    title = models.CharField(_("问卷名称"), max_length=100)
    intro = models.TextField(_("说明"), max_length=1000, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT, db_index=True
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("上一版本")
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("满意度问卷")
        verbose_name_plural = _("满意度问卷")
        ordering = ["family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="survey_family_version_unique"),
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(status="published"),
                name="survey_one_published_per_family",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=QuestionnaireStatus.values), name="survey_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（v{self.version}）"

    @property
    def is_editable(self) -> bool:
        return self.status == QuestionnaireStatus.DRAFT


class QuestionnaireEventQuerySet(ScopedQuerySet):
    scope_field = "questionnaire__organization"


class QuestionnaireEvent(TransitionEvent):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=QUESTIONNAIRE_WORKFLOW.kind_choices())

    objects = QuestionnaireEventQuerySet.as_manager()


class QuestionQuerySet(ScopedQuerySet):
    scope_field = "questionnaire__organization"


class Question(models.Model):
    """A question of one questionnaire version. Rating questions with a dimension are scored 0–100.

    Skip logic: with ``show_if_key`` the question is asked only when the answer to that earlier question
    is one of ``show_if_values`` (a hidden question is never required).
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    key = models.SlugField(_("题号"), max_length=30)
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=200)
    help_text = models.CharField(_("提示"), max_length=200, blank=True)
    required = models.BooleanField(_("必答"), default=False)
    dimension = models.CharField(_("环节"), max_length=20, choices=Dimension.choices, blank=True)
    indicator = models.CharField(_("指标"), max_length=40, blank=True)
    options = models.JSONField(_("选项"), default=list, blank=True)
    show_if_key = models.SlugField(_("显示条件：题号"), max_length=30, blank=True)
    show_if_values = models.JSONField(_("显示条件：答案"), default=list, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("问卷题目")
        verbose_name_plural = _("问卷题目")
        ordering = ["questionnaire", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="survey_question_key_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=QuestionKind.values), name="survey_question_kind"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_scored(self) -> bool:
        return self.kind in (QuestionKind.RATING5, QuestionKind.RATING10) and bool(self.dimension)


class SurveyResponseQuerySet(ScopedQuerySet):
    scope_field = "outlet__organization"


class SurveyResponse(models.Model):
    """One anonymous response at one outlet (append-only; partitioned by month on PostgreSQL).

    The outlet's enterprise, brand and city are copied at submission, so the index keeps the attribution
    the response had when it was given. ``device`` is a keyed hash of the browser's device cookie: one
    response per device, outlet and day (the unique constraint includes the partition key ``day``).
    """

    id = models.BigAutoField(primary_key=True)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="+", db_index=False)
    enterprise = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", db_index=False)
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="+", db_index=False)
    city_code = models.CharField(max_length=6)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+", db_index=False)
    day = models.DateField()
    month = models.DateField()  # first day of ``day``'s month: the rollup's period key
    submitted_at = models.DateTimeField(default=timezone.now)
    device = models.CharField(max_length=32)
    answers = models.JSONField(default=dict)
    comment = models.CharField(max_length=500, blank=True)
    score = models.SmallIntegerField(null=True)  # overall, tenths of a point
    s_acceptance = models.SmallIntegerField(null=True)
    s_pickup = models.SmallIntegerField(null=True)
    s_delivery = models.SmallIntegerField(null=True)
    s_after_sales = models.SmallIntegerField(null=True)
    s_information = models.SmallIntegerField(null=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("满意度答卷")
        verbose_name_plural = _("满意度答卷")
        constraints = [
            # Its index also serves every (outlet, day) look-up: a separate (outlet, day) index was one more
            # index to write on each submit for nothing (removed in 0004).
            models.UniqueConstraint(fields=["outlet", "day", "device"], name="survey_one_per_device_day"),
        ]


class ScoreRollupQuerySet(ScopedQuerySet):
    scope_field = "outlet__organization"


class ScoreRollup(models.Model):
    """Sums and counts per outlet (with its enterprise, brand and city) and month: every index reads these.

    ``n``/``s``/``ss``: scored responses, sum and sum of squares of the overall score (tenths);
    ``n_<dim>``/``s_<dim>``: the same per dimension. Maintained incrementally by ``rollup.refresh``.
    """

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    city_code = models.CharField(max_length=6)
    month = models.DateField()
    responses = models.BigIntegerField(default=0)  # every response, scored or not
    n = models.BigIntegerField(default=0)
    s = models.BigIntegerField(default=0)
    ss = models.BigIntegerField(default=0)
    n_acceptance = models.BigIntegerField(default=0)
    s_acceptance = models.BigIntegerField(default=0)
    n_pickup = models.BigIntegerField(default=0)
    s_pickup = models.BigIntegerField(default=0)
    n_delivery = models.BigIntegerField(default=0)
    s_delivery = models.BigIntegerField(default=0)
    n_after_sales = models.BigIntegerField(default=0)
    s_after_sales = models.BigIntegerField(default=0)
    n_information = models.BigIntegerField(default=0)
    s_information = models.BigIntegerField(default=0)

    objects = ScoreRollupQuerySet.as_manager()

    class Meta:
        verbose_name = _("满意度汇总")
        verbose_name_plural = _("满意度汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["outlet", "enterprise", "brand", "city_code", "month"], name="survey_rollup_key"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "city_code"], name="survey_rollup_month_city"),
            models.Index(fields=["enterprise", "month"], name="survey_rollup_ent_month"),
        ]


SUM_FIELDS: tuple[str, ...] = (
    "responses",
    "n",
    "s",
    "ss",
    *(f"{p}_{d}" for d in DIMENSIONS for p in ("n", "s")),
)


class RollupState(models.Model):
    """The watermark of an incremental job: every raw row with ``id <= watermark`` has been counted."""

    name = models.CharField(max_length=40, unique=True)
    watermark = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    last_rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("汇总水位")
        verbose_name_plural = _("汇总水位")


class RollupCheck(models.Model):
    """One sampled comparison of rollup rows with a live aggregate of the raw rows (nightly)."""

    at = models.DateTimeField(default=timezone.now)
    sampled = models.PositiveIntegerField(default=0)
    mismatches = models.PositiveIntegerField(default=0)
    detail = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("汇总核对")
        verbose_name_plural = _("汇总核对")
        ordering = ["-at"]


class CommentInsightQuerySet(ScopedQuerySet):
    scope_field = "outlet__organization"


class CommentInsight(models.Model):
    """A response's comment with its sentiment (0 negative … 1 positive) and keywords; negative ones are
    follow-ups for the outlet's enterprise."""

    response_id = models.BigIntegerField(unique=True)
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(db_index=True)
    text = models.CharField(_("留言"), max_length=500)
    sentiment = models.FloatField(_("情感倾向"))
    keywords = models.JSONField(_("关键词"), default=list)
    negative = models.BooleanField(_("负面"), default=False, db_index=True)
    status = models.CharField(
        _("跟进状态"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.NONE, db_index=True
    )
    handling_note = models.CharField(_("跟进情况"), max_length=300, blank=True)

    objects = CommentInsightQuerySet.as_manager()

    class Meta:
        verbose_name = _("留言分析")
        verbose_name_plural = _("留言分析")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["outlet", "day"], name="survey_comment_outlet_day")]


class CommentInsightEventQuerySet(ScopedQuerySet):
    scope_field = "insight__outlet__organization"


class CommentInsightEvent(TransitionEvent):
    insight = models.ForeignKey(CommentInsight, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=FOLLOW_UP_WORKFLOW.kind_choices())

    objects = CommentInsightEventQuerySet.as_manager()
