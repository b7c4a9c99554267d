"""Scheduled reports. Generated files themselves are rows of the one background-file mechanism (exports)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.organizations.scoping import ScopedQuerySet


class ReportKind(models.TextChoices):
    SUMMARY = "summary", _("工作总结（年度总结/季报/月报）")
    NATIONAL = "national", _("上报国家局统计表")


class ReportFormat(models.TextChoices):
    DOCX = "docx", _("Word")
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel")


class Frequency(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class ReportScheduleQuerySet(ScopedQuerySet):
    scope_field = "organization"


class ReportSchedule(models.Model):
    """Every period, on ``day`` of the month after it ends, each recipient gets a copy in their own scope."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位")
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("报告类型"), max_length=10, choices=ReportKind.choices, default=ReportKind.SUMMARY)
    fmt = models.CharField(_("格式"), max_length=5, choices=ReportFormat.choices, default=ReportFormat.DOCX)
    frequency = models.CharField(_("周期"), max_length=10, choices=Frequency.choices, default=Frequency.MONTH)
    day = models.PositiveSmallIntegerField(_("每期第几日生成"), default=1)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("接收人"))
    last_period = models.CharField(_("最近生成期次"), max_length=10, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = ReportScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = _("定时报告")
        verbose_name_plural = _("定时报告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
