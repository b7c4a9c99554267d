"""The real programmes with their rules (domain reference §4), present on every fresh install.

Numbers are the documented defaults; every one of them is configuration an administrator may change.
"""

from django.db import migrations

CITY, PROVINCE, MANAGE = "honours.city_review", "honours.province_review", "honours.manage"
STANDARD = [
    {"code": "city_review", "label": "市局初审", "kind": "review", "permission": CITY},
    {"code": "province_review", "label": "省局复审", "kind": "review", "permission": PROVINCE},
    {"code": "scoring", "label": "专家评审", "kind": "scoring", "permission": MANAGE},
    {"code": "committee", "label": "评审委员会审定", "kind": "committee", "permission": MANAGE},
    {"code": "notice", "label": "公示", "kind": "notice", "permission": MANAGE},
]
SELECTION = [
    {"code": "eligibility", "label": "资格审查", "kind": "eligibility", "permission": MANAGE},
    {"code": "vote", "label": "公众投票", "kind": "vote", "permission": MANAGE},
    {"code": "scoring", "label": "专家评审", "kind": "scoring", "permission": MANAGE},
    {"code": "notice", "label": "公示", "kind": "notice", "permission": MANAGE},
]
UNIT_EVIDENCE = [
    {"code": "plan", "label": "创建工作方案", "required": True},
    {"code": "notice_board", "label": "公示牌（含监督电话）照片", "required": True},
    {"code": "records", "label": "创建活动、结对共建、志愿服务记录", "required": False},
]
PROGRAMMES = [
    {
        "code": "youth_civilization",
        "name": "青年文明号",
        "subject": "unit",
        "level": "provincial",
        "conferring_body": "辽宁省创建青年文明号活动组委会",
        "cycle_years": 2,
        "validity_years": 3,
        "star_levels": 3,
        "rules": [
            {"code": "headcount", "params": {"min": 6, "max": 200}},
            {"code": "young_share", "params": {"max_age": 35, "min_pct": 50}},
            {"code": "leader_max_age", "params": {"max_age": 40}},
            {"code": "prior_title", "params": {"years": 1}},
        ],
        "evidence": UNIT_EVIDENCE,
        "stages": STANDARD,
    },
    {
        "code": "women_civilization_post",
        "name": "巾帼文明岗",
        "subject": "unit",
        "level": "provincial",
        "conferring_body": "辽宁省妇女联合会",
        "cycle_years": 2,
        "validity_years": 3,
        "rules": [
            {"code": "women_share", "params": {"min_pct": 50}},
            {"code": "female_leader", "params": {}},
            {"code": "prior_title", "params": {"years": 2}},
        ],
        "evidence": UNIT_EVIDENCE,
        "stages": STANDARD,
    },
    {
        "code": "civilized_unit",
        "name": "文明单位",
        "subject": "unit",
        "level": "provincial",
        "conferring_body": "辽宁省精神文明建设委员会",
        "cycle_years": 3,
        "validity_years": 3,
        "notice_workdays": 5,
        "rules": [],
        "evidence": [
            {"code": "self_assessment", "label": "测评体系自评表", "required": True},
            {"code": "summary", "label": "创建工作总结", "required": True},
            {"code": "records", "label": "创建活动、结对共建、志愿服务记录", "required": False},
        ],
        "stages": STANDARD,
    },
    {
        "code": "civilized_section",
        "name": "文明科室",
        "subject": "unit",
        "level": "provincial",
        "conferring_body": "辽宁省邮政管理局精神文明建设指导委员会",
        "cycle_years": 1,
        "validity_years": 3,
        "rules": [],
        "evidence": [{"code": "summary", "label": "创建工作总结", "required": True}],
        "stages": STANDARD,
    },
    {
        "code": "civilized_window",
        "name": "文明窗口",
        "subject": "unit",
        "level": "provincial",
        "conferring_body": "辽宁省邮政管理局精神文明建设指导委员会",
        "cycle_years": 1,
        "validity_years": 3,
        "rules": [],
        "evidence": [
            {"code": "summary", "label": "创建工作总结", "required": True},
            {"code": "notice_board", "label": "公示牌（含监督电话）照片", "required": True},
        ],
        "stages": STANDARD,
    },
    {
        "code": "most_beautiful_courier",
        "name": "最美快递员",
        "kind": "selection",
        "subject": "person",
        "level": "provincial",
        "conferring_body": "辽宁省邮政管理局",
        "cycle_years": 1,
        "validity_years": 0,
        "recommender_quota": 5,
        "ranked": True,
        "yearly_recheck": False,
        "categories": [
            {"code": "most_beautiful", "label": "最美快递员", "quota": 10, "subject": "person"},
            {"code": "nominee_award", "label": "提名奖", "quota": 10, "subject": "person"},
            {"code": "team", "label": "最美快递团队", "quota": 3, "subject": "unit"},
            {"code": "special", "label": "特别奖", "quota": 2, "subject": "person", "manual": True},
        ],
        "rules": [
            {"code": "licensed_employer", "params": {}},
            {"code": "labour_contract", "params": {}},
            {"code": "delivery_years", "params": {"min_years": 2}},
            {"code": "in_post", "params": {}},
        ],
        "evidence": [],
        "stages": SELECTION,
    },
    {
        "code": "skills_expert",
        "name": "业务能手",
        "subject": "person",
        "level": "provincial",
        "conferring_body": "辽宁省邮政管理局",
        "cycle_years": 2,
        "validity_years": 2,
        "yearly_recheck": False,
        "rules": [
            {"code": "labour_contract", "params": {}},
            {"code": "delivery_years", "params": {"min_years": 2}},
            {"code": "in_post", "params": {}},
        ],
        "evidence": [{"code": "competition", "label": "技能竞赛成绩或业绩证明", "required": True}],
        "stages": STANDARD,
    },
    {
        "code": "women_team",
        "name": "巾帼团队",
        "subject": "unit",
        "level": "city",
        "conferring_body": "辽宁省邮政管理局",
        "cycle_years": 2,
        "validity_years": 2,
        "rules": [
            {"code": "women_share", "params": {"min_pct": 50}},
            {"code": "female_leader", "params": {}},
        ],
        "evidence": [{"code": "summary", "label": "团队事迹材料", "required": True}],
        "stages": STANDARD,
    },
]


def seed(apps, schema_editor):
    Programme = apps.get_model("honours", "Programme")
    for i, row in enumerate(PROGRAMMES):
        Programme.objects.update_or_create(code=row["code"], defaults={**row, "sort_order": i})


class Migration(migrations.Migration):
    dependencies = [("honours", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
