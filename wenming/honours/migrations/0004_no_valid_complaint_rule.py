"""文明窗口 and 最美快递员 also require no valid complaint (有效申诉) in the last 12 months."""

from django.db import migrations

RULE = {"code": "no_valid_complaint", "params": {"months": 12, "max": 0}}
PROGRAMMES = ("civilized_window", "most_beautiful_courier")


def add_rule(apps, schema_editor):
    Programme = apps.get_model("honours", "Programme")
    for prog in Programme.objects.filter(code__in=PROGRAMMES):
        if not any(r.get("code") == RULE["code"] for r in prog.rules):
            prog.rules = [*prog.rules, dict(RULE)]
            prog.save(update_fields=["rules"])


def remove_rule(apps, schema_editor):
    Programme = apps.get_model("honours", "Programme")
    for prog in Programme.objects.filter(code__in=PROGRAMMES):
        prog.rules = [r for r in prog.rules if r.get("code") != RULE["code"]]
        prog.save(update_fields=["rules"])


class Migration(migrations.Migration):
    dependencies = [("honours", "0003_title_certificate_through_certificates")]
    operations = [migrations.RunPython(add_rule, remove_rule)]
