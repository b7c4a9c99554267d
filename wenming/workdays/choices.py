"""Enumerations of the working-day calendar."""

from django.db import models


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"  # a day off, even if it falls on Monday–Friday
    MAKEUP_WORKDAY = "makeup_workday", "调休上班"  # a Saturday or Sunday that is a working day (调休)
