"""Seed the activity types of the plan (domain glossary); administrators may add more later."""

from django.db import migrations

TYPES = [
    ("post_contribution", "岗位建功", 2, [("pledges", "服务承诺（项）"), ("people_served", "服务群众（人次）")]),
    ("volunteer_service", "志愿服务", 3, [("volunteers", "志愿者（人）"), ("service_hours", "服务时长（小时）")]),
    (
        "civility_promotion",
        "讲文明树新风",
        2,
        [("leaflets", "发放宣传单（份）"), ("people_reached", "覆盖群众（人次）")],
    ),
    ("model_learning", "学先进树典型", 2, [("models_presented", "宣传典型（人）"), ("attendees", "参加人数（人）")]),
    ("public_welfare", "社会公益", 2, [("items_donated", "捐赠物品（件）"), ("amount_yuan", "捐款金额（元）")]),
    ("twinning", "结对共建", 2, [("joint_projects", "共建项目（个）"), ("people_helped", "帮扶人数（人）")]),
    ("china_dream_practice", "中国梦主题实践", 2, [("attendees", "参加人数（人）")]),
    (
        "consumer_day_315",
        "3·15主题宣传",
        2,
        [
            ("leaflets", "发放宣传单（份）"),
            ("people_consulted", "现场咨询（人次）"),
            ("complaints_handled", "受理问题（件）"),
        ],
    ),
    ("world_post_day", "世界邮政日", 2, [("leaflets", "发放宣传单（份）"), ("visitors", "开放参观（人次）")]),
    ("traditional_festival", "我们的节日", 2, [("attendees", "参加人数（人）")]),
    ("study_lecture", "道德讲堂", 2, [("attendees", "参加人数（人）"), ("sessions", "场次（场）")]),
    ("skills_competition", "技能竞赛", 2, [("contestants", "参赛人数（人）"), ("winners", "获奖人数（人）")]),
]


def seed(apps, schema_editor):
    ActivityType = apps.get_model("activities", "ActivityType")
    for i, (code, name, min_photos, figures) in enumerate(TYPES):
        ActivityType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "min_photos": min_photos,
                "figure_fields": [{"key": k, "label": label} for k, label in figures],
                "sort_order": (i + 1) * 10,
            },
        )


def unseed(apps, schema_editor):
    ActivityType = apps.get_model("activities", "ActivityType")
    ActivityType.objects.filter(code__in=[t[0] for t in TYPES], activities__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
