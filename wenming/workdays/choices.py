"""Enumerations of the working-day calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")  # a day off, even if it falls on Monday–Friday
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班")  # a Saturday or Sunday that is a working day (调休)
