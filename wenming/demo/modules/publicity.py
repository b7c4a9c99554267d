"""Demo data of 宣传报道 (called by ``seed_demo`` with the shared ``DemoContext``).

Exemplary people and teams in every city (most published with recorded consent, some awaiting
verification or publication, one whose consent was withdrawn), media coverage across the five media,
notices from the province and from Shenyang with partial read receipts, suggestions in every state, and
the value systems of the main brands' enterprises (approved, with a few newer versions under review).
Deterministic via ``ctx.rng``; idempotent.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from wenming.activities.models import Activity
from wenming.demo.images import activity_scene_jpeg
from wenming.organizations.models import RoleAssignment
from wenming.people.models import Courier
from wenming.publicity.models import (
    Exemplar,
    ExemplarEvent,
    ExemplarPhoto,
    MediaCoverage,
    Notice,
    NoticeDelivery,
    NoticeEvent,
    NoticeRead,
    Suggestion,
    SuggestionCounter,
    SuggestionEvent,
    ValueStatement,
    ValueStatementEvent,
)

PER_CITY = {"tiny": 2, "default": 4, "full": 6}

HEADLINES = [
    (
        "扎根社区{n}年的暖心快递员",
        "{n}年来坚持为社区独居老人、残疾人免费送件上门，记下两百多位老人的取件习惯；投递准确率保持 99.9% 以上，未发生一起有效投诉。",
    ),
    (
        "风雪无阻的乡村投递员",
        "负责 {n} 个行政村的邮件投递，每天往返山路八十多公里；冬季大雪封路时步行送达录取通知书和救命药品，被村民称为“山路上的绿衣使者”。",
    ),
    (
        "拾金不昧的“快递小哥”",
        "派件途中拾到装有现金和证件的挎包，冒雨等候失主两个多小时；从业 {n} 年，累计为客户挽回损失十余万元。",
    ),
    (
        "助农直播带货的带头人",
        "发挥寄递网络优势，帮助当地农户通过直播销售农产品，{n} 年来累计寄递农特产品三十余万件，带动百余户农民增收。",
    ),
    ("技能比武的“分拣能手”", "在全省快递员技能竞赛中获得第一名，总结出“三看一核”分拣法在全市推广，带出徒弟 {n} 名。"),
    (
        "抗疫保通的“逆行者”",
        "疫情期间主动报名承担医疗物资配送任务，连续 {n} 天驻守分拨中心，保障了全市防疫物资的及时送达。",
    ),
]
TEAMS = [
    (
        "{unit}青年突击队",
        "旺季保畅通的青年突击队",
        "由 {n} 名青年员工组成，连续三年在“双十一”旺季承担最繁重的分拣任务，做到快件不积压、服务不打烊。",
    ),
    (
        "{unit}巾帼服务班组",
        "用心服务的巾帼文明岗",
        "{n} 名女职工组成的服务班组，推出“耐心讲解、上门收寄、延时服务”三项承诺，群众满意率连续三年 100%。",
    ),
]
HONOURS = [
    "{year}年度辽宁省最美快递员",
    "{year}年度{city}青年岗位能手",
    "{year}年度辽宁省邮政行业技术能手",
    "{year}年度{city}文明职工",
    "全国邮政行业青年文明号（{year}年）",
    "{year}年度辽宁省巾帼文明岗",
]
OUTLETS = {
    "tv": ["辽宁广播电视台", "{city}电视台", "{city}广播电视台新闻综合频道"],
    "newspaper": ["辽宁日报", "{city}日报", "中国邮政快递报"],
    "web": ["北国网", "东北新闻网", "人民网辽宁频道"],
    "wechat": ["辽宁邮政管理局微信公众号", "{city}邮政管理局微信公众号", "{city}发布"],
    "gov_open": ["辽宁省邮政管理局门户网站", "{city}人民政府门户网站"],
}
REACH = {
    "tv": (50_000, 400_000),
    "newspaper": (20_000, 150_000),
    "web": (5_000, 80_000),
    "wechat": (2_000, 30_000),
    "gov_open": (1_000, 10_000),
}
COVERAGE_TITLES = [
    "{city}快递小哥{name}：把温暖送到每一户",
    "{city}邮政管理局开展“3·15”寄递安全宣传",
    "{city}快递行业举办技能竞赛，{n}名选手同台比武",
    "寄递网络进乡村，{city}助农产品“出山”",
    "{city}快递企业开展“我们的节日”主题活动",
    "“最美快递员”事迹报告会在{city}举行",
]
SUGGESTIONS = [
    (
        "service",
        "建议在老旧小区增设智能快件箱",
        "老旧小区没有物业和快递柜，老人取件要走很远，建议与社区合作在小区门口增设智能快件箱或驿站。",
        "已协调三家企业在两个老旧小区试点设置快件箱，下一步总结经验后推广。",
    ),
    (
        "rights",
        "建议为快递员设立城市驿站休息点",
        "夏季高温、冬季严寒时快递员没有歇脚的地方，建议在商圈设立快递员休息点，提供热水和充电。",
        "已联合总工会在市区设立 12 个“暖蜂驿站”，向快递员免费开放。",
    ),
    (
        "reform",
        "建议推动快递包装循环使用",
        "网购包装浪费严重，建议在网点设置包装回收箱，回收纸箱再利用。",
        "已在全市网点推广包装回收装置，纳入绿色网点评价指标。",
    ),
    (
        "civility",
        "建议开展快递员文明用语培训",
        "部分快递员打电话语气生硬，建议开展文明用语和服务礼仪培训。",
        "已将文明服务培训纳入年度教育培训计划，每季度组织一次。",
    ),
    (
        "service",
        "建议延长农村网点营业时间",
        "农村网点下午四点就关门，村民干完农活来不及取件，建议农忙季节延长营业时间。",
        "已指导相关网点在农忙季节延长营业至晚七点。",
    ),
    (
        "other",
        "建议公布快递投诉处理进度",
        "投诉后不知道处理到哪一步了，建议提供查询渠道。",
        "申诉处理进度可通过 12305 热线查询，我们将进一步做好告知。",
    ),
]
VALUES = {
    "CNPOST": (
        "人民邮政为人民",
        "传递信息、普惠民生、服务社会",
        "建设世界一流邮政企业",
        "迎难而上、勇于担当、永不言败",
        "诚信服务、规范操作、保守通信秘密、爱护邮件快件",
    ),
    "EMS": (
        "以客户为中心，以质量求发展",
        "让寄递更快更安全",
        "成为值得信赖的寄递服务商",
        "快捷、准确、安全、方便",
        "守时守信、规范作业、文明服务",
    ),
    "SF": (
        "成就客户，创新包容，平等尊重，开放共赢",
        "以客户为中心，提供优质的物流服务",
        "成为独立第三方行业解决方案的数智化综合物流服务商",
        "正直、诚信、负责、专业",
        "遵纪守法、诚实守信、文明服务、爱岗敬业",
    ),
    "ZTO": (
        "同建共享",
        "让更多人享受到便捷的快递服务",
        "做中国快递行业的领跑者",
        "勤奋、敬业、感恩、创新",
        "诚信经营、规范收寄、文明投递",
    ),
    "YTO": (
        "客户要求，圆通使命",
        "客户要求，圆通使命",
        "做世界一流的物流服务商",
        "诚信、高效、创新",
        "遵章守纪、文明用语、爱护快件",
    ),
    "STO": (
        "诚信、务实、创新、共享",
        "让快递更便捷",
        "成为值得信赖的快递品牌",
        "拼搏、奉献、进取",
        "诚实守信、规范操作、服务至上",
    ),
    "YUNDA": (
        "诚信、服务、规范、共享",
        "让快递更安全、更便捷",
        "成为受人尊敬的快递企业",
        "团结、拼搏、务实、创新",
        "规范作业、文明服务、廉洁自律",
    ),
    "JD": (
        "客户为先、诚信、协作、感恩、拼搏、担当",
        "技术为本，致力于更高效和可持续的世界",
        "成为全球最值得信赖的供应链基础设施服务商",
        "正道成功",
        "诚信守法、客户至上、规范服务",
    ),
}
NOTICES = [
    (
        "关于开展2026年度“最美快递员”推荐工作的通知",
        "各市邮政管理局：\n根据《辽宁省邮政行业精神文明建设工作实施方案》，现组织开展2026年度“最美快递员”推荐工作。请各市局于12月20日前报送推荐人选及事迹材料。",
        "city_bureaus",
    ),
    (
        "关于报送2026年度精神文明建设工作总结的通知",
        "各市邮政管理局：\n请于2027年1月10日前报送本年度精神文明建设工作总结，重点总结先进典型培育、文明单位创建和志愿服务开展情况。",
        "city_bureaus",
    ),
    (
        "关于做好元旦春节期间寄递服务保障工作的通知",
        "各快递企业：\n元旦春节期间业务量大，请切实做好寄递服务保障，加强从业人员关心关爱，确保寄递渠道安全畅通。",
        "enterprises",
    ),
]


def _at(ctx: Any, days_ago: int, hour: int = 10) -> datetime:
    return timezone.make_aware(
        datetime.combine(ctx.today - timedelta(days=days_ago), time(hour, ctx.rng.randint(0, 59)))
    )


def _city_short(city) -> str:
    return city.name.replace("市邮政管理局", "市")


def _photo(title: str, unit: str, variant: int) -> tuple[str, int, int]:
    digest = hashlib.sha1(f"{title}|{unit}|{variant}".encode()).hexdigest()[:20]
    name = f"publicity/demo/exemplar-{digest}.jpg"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(activity_scene_jpeg(title, unit, variant % 2)))
    return name, 640, 480


def _phone(rng) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"


def seed(ctx: Any) -> None:
    if Exemplar.objects.exists() or Suggestion.objects.exists():
        return
    counts = {
        "exemplars": _exemplars(ctx),
        "coverage": _coverage(ctx),
        "notices": _notices(ctx),
        "suggestions": _suggestions(ctx),
        "values": _values(ctx),
    }
    ctx.note("先进典型", counts["exemplars"])
    ctx.note("媒体报道", counts["coverage"])
    ctx.note("通知公告", counts["notices"])
    ctx.note("建言献策", counts["suggestions"])
    ctx.note("企业价值体系", counts["values"])


def _exemplars(ctx: Any) -> int:
    rng = ctx.rng
    per_city = PER_CITY.get(ctx.size, 4)
    rows: list[Exemplar] = []
    for code, city in ctx.cities.items():
        couriers = list(Courier.objects.filter(outlet__city_code=code, status="active").select_related("outlet")[:200])
        rng.shuffle(couriers)
        cs = _city_short(city)
        for i in range(per_city):
            year = ctx.today.year - rng.randint(0, 3)
            honours = "\n".join(h.format(year=year, city=cs) for h in rng.sample(HONOURS, rng.randint(1, 2)))
            n = rng.randint(3, 12)
            if i == per_city - 1 or not couriers:
                unit = rng.choice([o for o in ctx.outlets if o.city_code == code] or [city])
                name_t, head, deeds = rng.choice(TEAMS)
                ex = Exemplar(
                    organization=unit,
                    kind="team",
                    name=name_t.format(unit=unit.name.replace("营业部", "")),
                    headline=head,
                    deeds=deeds.format(n=n),
                )
            else:
                c = couriers.pop()
                head, deeds = rng.choice(HEADLINES)
                ex = Exemplar(
                    organization=c.outlet,
                    kind="person",
                    courier=c,
                    name=c.name,
                    headline=head.format(n=n),
                    deeds=deeds.format(n=n),
                )
            ex.honours = honours
            # states: most published with consent; one per city waiting; the odd draft and one withdrawal
            roll = i % 4 if per_city > 2 else i
            status = ["published", "published", "verified", "draft"][roll] if roll < 4 else "published"
            if status != "draft" or rng.random() < 0.5:
                ex.consent_by = ex.name if ex.kind == "person" else f"{ex.name}负责人"
                ex.consent_at = _at(ctx, rng.randint(40, 300))
                ex.consent_scope = rng.choice(["full", "masked", "masked"]) if ex.kind == "person" else "full"
                ex.consent_note = rng.choice(["书面同意书已存档", "本人签字确认", "集体讨论同意并签字"])
                ex.consent_recorded_by = ctx.users.get("sf_shenyang") if code == "210100" else None
            if status in ("verified", "published"):
                ex.verified_at = _at(ctx, rng.randint(20, 39))
            if status == "published":
                ex.published_at = _at(ctx, rng.randint(1, 19))
                ex.video_url = rng.choice(["", "", "https://www.lnpost.gov.cn/"])
            ex.status = status
            rows.append(ex)
    # one withdrawal: published once, taken down at the person's request
    if len(rows) > 3:
        w = rows[1]
        w.status, w.consent_withdrawn_at = "verified", _at(ctx, 2)
        w.verified_at = w.verified_at or _at(ctx, 30)
        w.published_at = w.published_at or _at(ctx, 10)
    Exemplar.objects.bulk_create(rows)
    saved = list(Exemplar.objects.order_by("pk"))
    photos, events = [], []
    for ex in saved:
        for v in range(1 if ex.kind == "person" else 2):
            name, w, h = _photo(ex.headline, ex.organization.name, ex.pk + v)
            photos.append(ExemplarPhoto(exemplar=ex, image=name, width=w, height=h))
        events.append(ExemplarEvent(exemplar=ex, kind="create", to_status="draft", at=ex.consent_at or _at(ctx, 300)))
        if ex.verified_at:
            events.append(
                ExemplarEvent(exemplar=ex, kind="verify", from_status="draft", to_status="verified", at=ex.verified_at)
            )
        if ex.published_at:
            events.append(
                ExemplarEvent(
                    exemplar=ex, kind="publish", from_status="verified", to_status="published", at=ex.published_at
                )
            )
        if ex.consent_withdrawn_at:
            events.append(
                ExemplarEvent(
                    exemplar=ex,
                    kind="withdraw",
                    from_status="published",
                    to_status="verified",
                    at=ex.consent_withdrawn_at,
                    comment="本人来电要求撤回",
                )
            )
    ExemplarPhoto.objects.bulk_create(photos)
    ExemplarEvent.objects.bulk_create(events)
    return len(saved)


def _coverage(ctx: Any) -> int:
    rng = ctx.rng
    rows, links = [], []
    published = {}
    for ex in Exemplar.objects.filter(status="published").select_related("organization"):
        published.setdefault(ex.organization.city_code, []).append(ex)
    per_city = PER_CITY.get(ctx.size, 4) + 2
    for ci, (code, city) in enumerate(ctx.cities.items()):
        cs = _city_short(city)
        acts = list(
            Activity.objects.filter(organization__city_code=code, status="verified").order_by("-starts_at")[:10]
        )
        for i in range(per_city):
            medium = ["wechat", "web", "newspaper", "tv", "gov_open"][(i + ci) % 5]
            exs = published.get(code, [])
            ex = rng.choice(exs) if exs and i % 3 == 0 else None
            act = rng.choice(acts) if acts and ex is None and rng.random() < 0.6 else None
            pool = COVERAGE_TITLES if ex else [t for t in COVERAGE_TITLES if "{name}" not in t]
            title = rng.choice(pool).format(city=cs, name=ex.public_name if ex else "", n=rng.randint(20, 80))
            day = ctx.today - timedelta(days=rng.randint(3, 330))
            if act is not None:
                day = max(act.starts_at.date(), day)
                day = min(day, ctx.today - timedelta(days=1))
            lo, hi = REACH[medium]
            org = ex.organization if ex else (act.organization if act else city)
            rows.append(
                MediaCoverage(
                    organization=org,
                    title=title,
                    outlet_name=rng.choice(OUTLETS[medium]).format(city=cs),
                    medium=medium,
                    published_on=day,
                    url="https://www.lnpost.gov.cn/" if medium in ("web", "wechat", "gov_open") else "",
                    reach=rng.randint(lo, hi) // 100 * 100,
                    summary=f"报道了{org.name}{'的先进事迹' if ex else '开展精神文明建设工作的做法和成效'}。",
                    activity=act,
                    honours=ex.honour_lines()[0] if ex and ex.honour_lines() else "",
                )
            )
            links.append(ex)
    MediaCoverage.objects.bulk_create(rows)
    through = MediaCoverage.exemplars.through
    through.objects.bulk_create(
        [through(mediacoverage_id=c.pk, exemplar_id=ex.pk) for c, ex in zip(rows, links, strict=True) if ex is not None]
    )
    return len(rows)


def _users_on(orgs) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for ra in RoleAssignment.objects.filter(organization__in=orgs).values("organization_id", "user_id"):
        out.setdefault(ra["organization_id"], []).append(ra["user_id"])
    return out


def _notices(ctx: Any) -> int:
    rng = ctx.rng
    province_user = ctx.users.get("province")
    made = 0
    for i, (title, body, target) in enumerate(NOTICES):
        sent_at = _at(ctx, [3, 12, 6][i])
        n = Notice.objects.create(
            organization=ctx.province,
            title=title,
            body=body,
            target=target,
            status="sent",
            sent_at=sent_at,
            created_by=province_user,
        )
        orgs = list(ctx.cities.values()) if target == "city_bureaus" else list(ctx.enterprises)
        deliveries = NoticeDelivery.objects.bulk_create([NoticeDelivery(notice=n, organization=o) for o in orgs])
        users = _users_on(orgs)
        share = [0.6, 0.85, 0.4][i]  # partial read receipts
        reads = []
        for d in deliveries:
            own = users.get(d.organization_id, [])
            # the demo's Shenyang account has the first notice still unread (a to-do on its workbench)
            if (i == 0 and d.organization.city_code == "210100") or rng.random() > share:
                continue
            d.read_at = sent_at + timedelta(hours=rng.randint(1, 60))
            d.read_by_id = own[0] if own else None
            if own:
                reads.append(NoticeRead(delivery=d, user_id=own[0], at=d.read_at))
        NoticeDelivery.objects.bulk_update(deliveries, ["read_at", "read_by"])
        NoticeRead.objects.bulk_create(reads)
        NoticeEvent.objects.bulk_create(
            [
                NoticeEvent(
                    notice=n, kind="create", to_status="draft", by=province_user, at=sent_at - timedelta(hours=2)
                ),
                NoticeEvent(notice=n, kind="send", from_status="draft", to_status="sent", by=province_user, at=sent_at),
            ]
        )
        made += 1
    shenyang = ctx.cities.get("210100")
    if shenyang is not None:
        sy_user = ctx.users.get("shenyang")
        sent_at = _at(ctx, 1)
        n = Notice.objects.create(
            organization=shenyang,
            title="关于组织快递员参加“道德讲堂”活动的通知",
            body="各快递企业：\n定于下周三下午在市局三楼会议室举办“道德讲堂”，请各企业组织 3—5 名快递员参加。",
            target="city_enterprises",
            target_city=shenyang,
            status="sent",
            sent_at=sent_at,
            created_by=sy_user,
        )
        ents = [o for o in ctx.enterprises if o.city_code == "210100"]
        NoticeDelivery.objects.bulk_create(
            [
                NoticeDelivery(notice=n, organization=o, read_at=sent_at + timedelta(hours=2) if k % 2 == 0 else None)
                for k, o in enumerate(ents)
            ]
        )
        NoticeEvent.objects.create(notice=n, kind="send", from_status="draft", to_status="sent", by=sy_user, at=sent_at)
        Notice.objects.create(
            organization=shenyang,
            title="关于开展快递员关心关爱“暖蜂行动”的通知（草稿）",
            body="各快递企业：\n为进一步关心关爱快递员，现开展“暖蜂行动”……",
            target="city_enterprises",
            target_city=shenyang,
            created_by=sy_user,
        )
        made += 2
    return made


def _suggestions(ctx: Any) -> int:
    rng = ctx.rng
    year = ctx.today.year
    states = ["submitted", "routed", "answered", "adopted", "adopted", "not_adopted"]
    rows: list[Suggestion] = []
    k = 0
    for code, city in ctx.cities.items():
        couriers = list(Courier.objects.filter(outlet__city_code=code).values_list("name", flat=True)[:50])
        ents = [o for o in ctx.enterprises if o.city_code == code]
        for j in range(3 if ctx.size != "tiny" else 2):
            topic, title, content, answer = SUGGESTIONS[(k + j) % len(SUGGESTIONS)]
            status = states[(k + j) % len(states)]
            source = rng.choice(["courier", "courier", "public", "staff"])
            name = (
                rng.choice(couriers)
                if source == "courier" and couriers
                else rng.choice(["刘洋", "陈静", "王海波", "赵丽娟", "孙建国"])
            )
            created = _at(ctx, rng.randint(5, 200))
            org = city if status == "submitted" or not ents or rng.random() < 0.6 else rng.choice(ents)
            s = Suggestion(
                organization=org,
                number=f"JY{year}-{len(rows) + 1:05d}",
                source=source,
                topic=topic,
                title=title,
                content=content,
                submitter_name=name,
                status=status,
            )
            s.set_phone(_phone(rng))
            if status in ("answered", "adopted", "not_adopted"):
                s.answer, s.answered_at = answer, created + timedelta(days=rng.randint(3, 15))
            if status == "adopted":
                s.adopted_at = s.answered_at + timedelta(days=2)
                s.decision_note = "建议具有可操作性，予以采纳"
            if status == "not_adopted":
                s.decision_note = "现阶段条件尚不具备，留作参考"
            s._created = created
            rows.append(s)
        k += 1
    Suggestion.objects.bulk_create(rows)
    SuggestionCounter.objects.update_or_create(year=year, defaults={"last": len(rows)})
    events = []
    order = ["submitted", "routed", "answered"]
    for s in rows:
        Suggestion.objects.filter(pk=s.pk).update(created_at=s._created)
        events.append(SuggestionEvent(suggestion=s, kind="submit", to_status="submitted", at=s._created))
        reached = {"submitted": 0, "routed": 1, "answered": 2, "adopted": 3, "not_adopted": 3}[s.status]
        for step in range(reached):
            name = ["route", "answer", "adopt" if s.status == "adopted" else "decline"][step]
            to = order[step + 1] if step < 2 else s.status
            events.append(
                SuggestionEvent(
                    suggestion=s,
                    kind=name,
                    from_status=order[step],
                    to_status=to,
                    at=s._created + timedelta(days=step + 1),
                )
            )
    SuggestionEvent.objects.bulk_create(events)
    return len(rows)


def _values(ctx: Any) -> int:
    rng = ctx.rng
    rows = []
    city_user = ctx.users.get("shenyang")
    for o in ctx.enterprises:
        brand = ctx.enterprise_brand.get(o.pk)
        if brand not in VALUES:
            continue
        core, mission, vision, spirit, conduct = VALUES[brand]
        approved = _at(ctx, rng.randint(60, 600))
        base = dict(core_values=core, mission=mission, vision=vision, spirit=spirit, code_of_conduct=conduct)
        rows.append(
            ValueStatement(
                organization=o,
                version=1,
                status="approved",
                approved_at=approved,
                review_note="符合要求",
                approved_by=city_user if o.city_code == "210100" else None,
                **base,
            )
        )
        roll = rng.random()
        if roll < 0.15:
            rows.append(
                ValueStatement(
                    organization=o,
                    version=2,
                    status="submitted",
                    **{**base, "code_of_conduct": conduct + "、保护用户个人信息"},
                )
            )
        elif roll < 0.22:
            rows.append(
                ValueStatement(
                    organization=o, version=2, status="returned", review_note="道德规范请结合岗位细化", **base
                )
            )
    ValueStatement.objects.bulk_create(rows)
    ValueStatementEvent.objects.bulk_create(
        [
            ValueStatementEvent(
                statement=v,
                kind="approve" if v.status == "approved" else "submit",
                to_status=v.status,
                at=v.approved_at or timezone.now(),
            )
            for v in rows
        ]
    )
    return len(rows)
