"""Snapshots of the metrics per city and period, versioned assessment schemes, audited adjustments."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel
from wenming.organizations.models import Organization
from wenming.organizations.scoping import ScopedQuerySet

from .choices import PeriodKindChoice, SchemeStatus, ScoringRule
from .metrics import Period, metric

NUMBER = {"max_digits": 18, "decimal_places": 4, "null": True, "blank": True}
POINTS = {"max_digits": 7, "decimal_places": 2}


class MetricSnapshotQuerySet(ScopedQuerySet):
    scope_field = "org"


class MetricSnapshot(models.Model):
    """One metric's value for one city bureau and one period, as of ``computed_at`` (数据截至)."""

    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="metric_snapshots", verbose_name=_("市局")
    )
    period_kind = models.CharField(_("周期"), max_length=10, choices=PeriodKindChoice.choices)
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    metric_key = models.CharField(_("指标"), max_length=60)
    value = models.DecimalField(_("数值"), **NUMBER)
    numerator = models.DecimalField(_("分子"), **NUMBER)
    denominator = models.DecimalField(_("分母"), **NUMBER)
    computed_at = models.DateTimeField(_("数据截至"), default=timezone.now)

    objects = MetricSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标快照")
        verbose_name_plural = _("指标快照")
        ordering = ["period_start", "org_id", "metric_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "period_kind", "period_start", "metric_key"], name="assessment_snapshot_unique"
            )
        ]
        indexes = [models.Index(fields=["period_kind", "period_start", "metric_key"], name="assessment_snap_period")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.metric_key} {self.period_start}"

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start, self.period_end)  # type: ignore[arg-type]


class SchemeQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Scheme(TimeStampedModel):
    """One version of a year's 考核方案. A published version never changes; an edit makes a new version."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="assessment_schemes", verbose_name=_("制定单位")
    )
    year = models.PositiveSmallIntegerField(
        _("考核年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="assessment_scheme_year_version")]

    def __str__(self) -> str:
        return _("%(name)s（第 %(v)s 版）") % {"name": self.name, "v": self.version}

    @property
    def is_published(self) -> bool:
        return self.status == SchemeStatus.PUBLISHED


class IndicatorQuerySet(ScopedQuerySet):
    scope_field = "scheme__organization"


class Indicator(models.Model):
    """One weighted indicator of a scheme: a registered metric and the rule turning its value into points."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("方案"))
    metric_key = models.CharField(_("指标"), max_length=60)
    weight = models.DecimalField(
        _("权重（分）"), validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))], **POINTS
    )
    rule = models.CharField(_("计分规则"), max_length=20, choices=ScoringRule.choices, default=ScoringRule.LINEAR)
    target = models.DecimalField(_("目标值"), max_digits=14, decimal_places=4, null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "metric_key"], name="assessment_indicator_once_per_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.metric_key} {self.weight}"

    @property
    def label(self) -> str:
        try:
            return gettext(metric(self.metric_key).label)
        except KeyError:
            return self.metric_key


class AdjustmentQuerySet(ScopedQuerySet):
    scope_field = "org"


class Adjustment(models.Model):
    """加减分: points added to (or taken from) one city's total for one assessment year, with a reason.

    Never edited in place: a wrong one is revoked (audited) and a new one recorded.
    """

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="assessment_adjustments")
    year = models.PositiveSmallIntegerField(_("考核年度"))
    points = models.DecimalField(
        _("加减分"), validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))], **POINTS
    )
    reason = models.TextField(_("理由"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(_("撤销理由"), blank=True)

    objects = AdjustmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核加减分")
        verbose_name_plural = _("考核加减分")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["year", "org"], name="assessment_adj_year_org")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.points}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
