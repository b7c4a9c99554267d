"""Demo data of 创建活动 (called by ``seed_demo`` with the shared ``DemoContext``).

A few hundred activities across the 14 cities (most verified, some submitted, returned or draft),
pairings with joint activities, volunteer events with sign-ups and hours (approved, pending and one
automatic check-out flagged for review) and one certificate. Bulk writes; deterministic via ``ctx.rng``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F, Value
from django.db.models.functions import Least
from django.utils import timezone

from wenming.activities.choices import ActivityStatus, CoreValue, PartnerType, PostalValue, VolunteerRecordStatus
from wenming.activities.models import (
    Activity,
    ActivityEvent,
    ActivityPhoto,
    ActivityType,
    Pairing,
    VolunteerEvent,
    VolunteerRecord,
    VolunteerRecordEvent,
    VolunteerSignup,
)
from wenming.demo.images import activity_scene_jpeg
from wenming.people.models import Courier

PER_CITY = {"tiny": 8, "default": 28, "full": 60}
EVENTS_PER_CITY = {"tiny": 2, "default": 3, "full": 5}

TITLES = {
    "post_contribution": ["“我为群众办实事”岗位承诺", "青年文明号服务示范岗", "旺季保畅通岗位建功"],
    "volunteer_service": ["爱心助老快递上门", "文明交通志愿服务", "社区便民寄递志愿服务"],
    "civility_promotion": ["文明寄递进社区", "绿色包装宣传", "讲文明树新风公益广告进网点"],
    "model_learning": ["最美快递员事迹分享会", "学习身边好人座谈", "先进典型宣讲"],
    "public_welfare": ["爱心捐书进乡村", "冬季送温暖", "助农直播公益寄递"],
    "twinning": ["结对共建联合服务日", "共建单位快递知识讲座", "结对帮扶走访"],
    "china_dream_practice": ["“中国梦·邮政情”主题实践", "青春建功新时代主题团日"],
    "consumer_day_315": ["3·15 消费者权益日宣传", "寄递安全消费提示"],
    "world_post_day": ["世界邮政日开放参观", "世界邮政日集邮展"],
    "traditional_festival": ["我们的节日·端午", "我们的节日·中秋", "我们的节日·春节"],
    "study_lecture": ["道德讲堂：诚信经营", "道德讲堂：敬业奉献"],
    "skills_competition": ["快递员技能竞赛", "分拣操作技能比武"],
}
PARTNERS = [
    ("village", "{}农村寄递物流示范村"),
    ("school", "{}实验小学"),
    ("community", "{}街道第一社区"),
]


_scene_names: dict[tuple[str, str, int], str] = {}  # stored names, re-checked against the storage


def _scene(title: str, unit: str, variant: int) -> str:
    """The stored picture of an activity (a drawn scene with its banner and unit), made once per key."""
    key = (title, unit, variant % 2)
    if key not in _scene_names or not default_storage.exists(_scene_names[key]):
        digest = hashlib.sha1("|".join(map(str, key)).encode()).hexdigest()[:20]
        name = f"activities/demo/scene-{digest}.jpg"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(activity_scene_jpeg(title, unit, variant % 2)))
        _scene_names[key] = name
    return _scene_names[key]


#: activities whose names tie them to a season: (month, first day, last day)
SEASONS = {
    "端午": (6, 5, 25),
    "中秋": (9, 10, 30),
    "春节": (2, 1, 15),
    "冬季": (12, 5, 28),
    "旺季": (11, 5, 25),
    "3·15": (3, 13, 15),
    "世界邮政日": (10, 9, 9),
}
#: recorded activities (not drafts) lie at least this many days back, so their verification is past too
MIN_DAYS_BACK = 5


def seasonal_day(title: str, today, rng) -> Any:
    """The most recent day in the season the title names (at least MIN_DAYS_BACK ago), or ``None``."""
    for word, (month, first, last) in SEASONS.items():
        if word in title:
            day = rng.randint(first, last)
            candidate = today.replace(year=today.year, month=month, day=day)
            if candidate > today - timedelta(days=MIN_DAYS_BACK):
                candidate = candidate.replace(year=today.year - 1)
            return candidate
    return None


def _figures(t: ActivityType, participants: int, rng) -> dict[str, int]:
    """Figures that agree with each other: 获奖 ≤ 参赛 ≤ 参与, 参加人数 = 参与人数."""
    figures = {f["key"]: rng.randint(5, 500) for f in t.figure_fields}
    if "attendees" in figures:
        figures["attendees"] = participants
    if "contestants" in figures:
        figures["contestants"] = rng.randint(max(1, participants // 2), participants)
        figures["winners"] = rng.randint(1, max(1, min(figures["contestants"] // 3, 12)))
    return figures


def _aware(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _tags(rng, choices, k: int) -> str:
    return Activity.pack_tags(sorted(rng.sample(list(choices.values), k), key=list(choices.values).index))


def seed(ctx: Any) -> None:
    rng = ctx.rng
    if Activity.objects.exists():
        return
    types = list(ActivityType.objects.filter(is_active=True))
    by_code = {t.code: t for t in types}
    per_city = PER_CITY.get(ctx.size, 28)
    province_user = ctx.users.get("province")
    city_users = {"210100": ctx.users.get("shenyang"), "210200": ctx.users.get("dalian")}
    units_by_city: dict[str, list] = {}
    for o in list(ctx.enterprises) + list(ctx.branches) + list(ctx.outlets):
        units_by_city.setdefault(o.city_code, []).append(o)

    # pairings: two per city, under the city bureau or one of its units
    pairings: list[Pairing] = []
    for code, city in ctx.cities.items():
        short = city.name.replace("市邮政管理局", "")
        for ptype, pattern in rng.sample(PARTNERS, 2):
            owner = rng.choice([city] + units_by_city.get(code, [])[:5])
            start = ctx.today - timedelta(days=rng.randint(60, 400))
            pairings.append(
                Pairing(
                    organization=owner,
                    partner_name=pattern.format(short),
                    partner_type=ptype,
                    title=f"{short}{PartnerType(ptype).label}共建项目",
                    plan="每季度开展一次联合服务活动；设立快递便民服务点；开展寄递安全宣传。",
                    goals="服务群众满意度提升，共建活动全年不少于 4 次。",
                    period_start=start,
                    period_end=start + timedelta(days=730),
                    created_by=city_users.get(code) or province_user,
                )
            )
    Pairing.objects.bulk_create(pairings)
    pairing_by_city: dict[str, list[Pairing]] = {}
    for p in Pairing.objects.select_related("organization"):
        pairing_by_city.setdefault(p.organization.city_code, []).append(p)

    activities: list[Activity] = []
    for code, city in ctx.cities.items():
        units = [city] + units_by_city.get(code, [])
        outlets = [o for o in units_by_city.get(code, []) if o.kind == "outlet"]
        for _ in range(per_city):
            t = rng.choice(types)
            org = rng.choice(units)
            title = rng.choice(TITLES.get(t.code, [t.name]))
            day = seasonal_day(title, ctx.today, rng) or ctx.today - timedelta(days=rng.randint(MIN_DAYS_BACK, 364))
            start = _aware(day, rng.choice([9, 10, 14, 15]))
            status = rng.choices(
                [ActivityStatus.VERIFIED, ActivityStatus.SUBMITTED, ActivityStatus.RETURNED, ActivityStatus.DRAFT],
                [70, 15, 5, 10],
            )[0]
            outlet = rng.choice(outlets) if outlets and rng.random() < 0.5 else None
            participants = rng.randint(8, 60)
            figures = _figures(t, participants, rng)
            pairing = rng.choice(pairing_by_city[code]) if t.code == "twinning" and pairing_by_city.get(code) else None
            activities.append(
                Activity(
                    organization=pairing.organization if pairing else org,
                    activity_type=t,
                    title=title,
                    starts_at=start,
                    ends_at=start + timedelta(hours=rng.choice([2, 3, 4])),
                    outlet=outlet,
                    address=""
                    if outlet
                    else f"{city.name.replace('邮政管理局', '')}{rng.choice(['中心广场', '市民服务中心', '社区服务站', '人民公园'])}",
                    participant_count=participants,
                    beneficiaries=rng.choice(["过往群众", "社区居民", "中小学生", "农村留守老人", "快递从业人员"]),
                    beneficiary_count=rng.randint(20, 800),
                    figures=figures,
                    core_values=_tags(rng, CoreValue, rng.randint(1, 3)),
                    postal_values=_tags(rng, PostalValue, rng.randint(1, 2)),
                    description="组织开展活动，现场留存照片，按要求填报数据。",
                    pairing=pairing,
                    status=status,
                    created_by=city_users.get(code) or province_user,
                    verified_at=start + timedelta(days=3) if status == ActivityStatus.VERIFIED else None,
                    verified_by=(city_users.get(code) or province_user) if status == ActivityStatus.VERIFIED else None,
                )
            )
    Activity.objects.bulk_create(activities, batch_size=500)
    created = list(Activity.objects.select_related("activity_type", "organization").order_by("id"))
    photo_rows, event_rows = [], []
    for a in created:
        n = max(a.activity_type.min_photos, 2) + (1 if rng.random() < 0.3 else 0)
        for i in range(n if a.status != ActivityStatus.DRAFT else rng.randint(0, 1)):
            photo_rows.append(
                ActivityPhoto(activity=a, image=_scene(a.title, a.organization.name, i), width=640, height=480)
            )
        t0 = a.starts_at + timedelta(days=1)
        if a.status != ActivityStatus.DRAFT:
            event_rows.append(
                ActivityEvent(
                    activity=a, kind="submit", from_status="draft", to_status="submitted", by=a.created_by, at=t0
                )
            )
        if a.status == ActivityStatus.RETURNED:
            event_rows.append(
                ActivityEvent(
                    activity=a,
                    kind="return",
                    from_status="submitted",
                    to_status="returned",
                    by=a.created_by,
                    comment="照片未体现单位名称，请补充",
                    at=t0 + timedelta(days=1),
                )
            )
        if a.status == ActivityStatus.VERIFIED:
            event_rows.append(
                ActivityEvent(
                    activity=a,
                    kind="verify",
                    from_status="submitted",
                    to_status="verified",
                    by=a.verified_by,
                    at=a.verified_at,
                )
            )
    ActivityPhoto.objects.bulk_create(photo_rows, batch_size=1000)
    ActivityEvent.objects.bulk_create(event_rows, batch_size=1000)

    # volunteer events with sign-ups and hours
    now = timezone.now()
    n_records = 0
    for code, city in ctx.cities.items():
        couriers = list(Courier.objects.filter(outlet__city_code=code, status="active").order_by("id")[:200])
        if not couriers:
            continue
        for k in range(EVENTS_PER_CITY.get(ctx.size, 3)):
            days_ago = rng.randint(MIN_DAYS_BACK, 120) if k else 0
            # today's event began about four hours ago, so every check-in and check-out is already past
            start = (
                _aware(ctx.today - timedelta(days=days_ago), 9)
                if days_ago
                else (now - timedelta(hours=4, minutes=30)).replace(minute=0, second=0, microsecond=0)
            )
            organiser = city_users.get(code) or province_user
            activity = Activity.objects.create(
                organization=city,
                activity_type=by_code["volunteer_service"],
                title=rng.choice(TITLES["volunteer_service"]),
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                address=f"{city.name.replace('邮政管理局', '')}市民服务中心",
                participant_count=0,
                description="志愿者扫码签到、签退，时长由组织单位审核认定。",
                status=ActivityStatus.VERIFIED if days_ago else ActivityStatus.DRAFT,
                created_by=organiser,
            )
            ActivityPhoto.objects.bulk_create(
                [
                    ActivityPhoto(activity=activity, image=_scene(activity.title, city.name, i), width=640, height=480)
                    for i in range(3)
                ]
            )
            ev = VolunteerEvent.objects.create(
                organization=city,
                activity=activity,
                title=activity.title,
                place=activity.address,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                capacity=20,
                signup_open=not days_ago,
                auto_checkout_hours=4,
                organiser=organiser,
            )
            chosen = rng.sample(couriers, min(len(couriers), rng.randint(5, 12)))
            signups = VolunteerSignup.objects.bulk_create(
                [
                    VolunteerSignup(
                        event=ev,
                        courier=c,
                        name=c.name,
                        personal_code=f"{100000 + i * 7919 % 900000:06d}",
                        created_by=organiser,
                    )
                    for i, c in enumerate(chosen)
                ]
            )
            for i, s in enumerate(signups):
                if not days_ago and i % 3 == 0:
                    continue  # today's event: some have not come yet
                check_in = start + timedelta(minutes=rng.randint(-20, 20))
                hours = Decimal(rng.choice(["2.0", "2.5", "3.0", "3.5"]))
                auto = not days_ago and i == 1
                status = (
                    VolunteerRecordStatus.PENDING
                    if (not days_ago or rng.random() < 0.1)
                    else VolunteerRecordStatus.APPROVED
                )
                rec = VolunteerRecord.objects.create(
                    signup=s,
                    check_in_at=check_in,
                    check_out_at=check_in + timedelta(hours=4 if auto else float(hours)),
                    hours=Decimal("4.0") if auto else hours,
                    status=status,
                    auto_checked_out=auto,
                    needs_review=auto,
                    decided_by=organiser if status == VolunteerRecordStatus.APPROVED else None,
                    decided_at=now if status == VolunteerRecordStatus.APPROVED else None,
                )
                VolunteerRecordEvent.objects.bulk_create(
                    [
                        VolunteerRecordEvent(record=rec, kind="check_in", to_status="checked_in", at=check_in),
                        VolunteerRecordEvent(
                            record=rec,
                            kind="auto_check_out" if auto else "check_out",
                            from_status="checked_in",
                            to_status="pending",
                            at=rec.check_out_at,
                        ),
                    ]
                    + (
                        [
                            VolunteerRecordEvent(
                                record=rec,
                                kind="approve",
                                from_status="pending",
                                to_status="approved",
                                by=organiser,
                                at=now,
                            )
                        ]
                        if status == VolunteerRecordStatus.APPROVED
                        else []
                    )
                )
                n_records += 1
            Activity.objects.filter(pk=activity.pk).update(participant_count=len(signups))
    # rows were written "now"; date them like real records (registered a few hours after the activity)
    Activity.objects.update(created_at=Least(F("starts_at") + timedelta(hours=6), Value(now)))
    ctx.note("创建活动", Activity.objects.count())
    ctx.note("结对共建", len(pairings))
    ctx.note("志愿服务活动", VolunteerEvent.objects.count())
    ctx.note("志愿服务记录", n_records)
