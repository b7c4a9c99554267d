"""Seed the official 2017, 2025 and 2026 holiday arrangements (editable afterwards)."""

from django.db import migrations


def seed(apps, schema_editor):
    from wenming.workdays.data import OFFICIAL, official_days

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    for year in OFFICIAL:
        for d, kind, name in official_days(year):
            CalendarDay.objects.get_or_create(date=d, defaults={"kind": kind, "name": name})


def unseed(apps, schema_editor):
    from wenming.workdays.data import OFFICIAL, official_days

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    for year in OFFICIAL:
        CalendarDay.objects.filter(date__in=[d for d, _, _ in official_days(year)]).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
