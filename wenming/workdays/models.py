"""The official holiday arrangement per year: statutory holidays and make-up working days (调休)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel

from .choices import CalendarDayKind


class CalendarDay(TimeStampedModel):
    """One exception to the Monday–Friday rule: a holiday on a weekday or a make-up working weekend day."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("节日"), max_length=40, help_text=_("如：国庆节、春节"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in CalendarDayKind]), name="calendar_day_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"
