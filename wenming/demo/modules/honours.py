"""Demo data of 荣誉评选 (called by ``seed_demo`` with the shared ``DemoContext``).

* the 2026 青年文明号 cycle in expert scoring: a judging round whose entries are assigned to the
  ``expert1`` account, plus applications still at the city review (shenyang), the province review
  (province) and one returned for 补正 (sf_shenyang);
* a 2026 文明单位 cycle in 公示, with one real-name objection received (province / office);
* a 巾帼文明岗 title in rectification after a warning, one title expiring within 90 days, and the
  city-level 青年文明号 titles the provincial applicants hold (the honour roll);
* the 3rd 最美快递员 edition (2026) in its public vote: twelve nominees of six cities past the
  eligibility check (the voting module opens the edition's poll with them).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wenming.honours import services
from wenming.honours.models import (
    Application,
    ApplicationEvent,
    Cycle,
    CycleStage,
    Notice,
    Objection,
    Programme,
    Recheck,
    Title,
    TitleEvent,
)
from wenming.judging import services as judging
from wenming.organizations.models import Organization
from wenming.people.models import Courier
from wenming.workdays.services import next_working_day

STATEMENTS = [
    "班组坚持“快递进村、服务到户”，旺季日均派件 3,000 余件，全年无有效申诉；组建青年志愿服务队，开展助老寄递、防诈骗宣传 20 余次。",
    "营业部推行“首问负责、限时办结”，开展绿色包装回收，设立便民服务角，群众满意度连续两年居全市前列。",
    "网点青年员工占比 70%，结对帮扶两个行政村，开展农产品寄递直播，带动销售特产 6 万余件。",
    "面向老年群体开设“暖心窗口”，推出预约上门、代填面单等便民举措，获市民来信表扬 12 次。",
]


# The nominees' deeds as their recommendation letters put them (invented people of the demo).
COURIER_STORIES = [
    "坚守乡村投递线路九年，雪天徒步进山把药品送到独居老人家中。",
    "旺季日均派件三百余件零投诉，主动帮助新同事熟悉片区。",
    "发现包裹异常及时报告，协助警方破获一起寄递诈骗案。",
    "每周为社区行动不便的老人上门收件，被居民称为“贴心小哥”。",
    "暴雨夜里把被困在积水中的市民护送回家，事后才被网友认出。",
    "带头推广绿色包装，网点纸箱回收利用率提高到六成以上。",
    "连续三年获得企业“服务之星”，带出十二名技能骨干。",
    "在高校驿站开设寄递安全小课堂，讲解防诈骗知识。",
    "拾到装有现金的包裹原封不动交还失主，婉拒酬谢。",
    "参加全省技能竞赛获分拣项目一等奖，改进了网点分拣流程。",
    "利用休息时间为留守儿童代寄书信和礼物，坚持五年。",
    "扎根海岛投递点七年，风浪天也按时把邮件送上岛。",
]


def _stages(cycle: Cycle, windows: list[tuple[str, str, date, date]]) -> None:
    CycleStage.objects.bulk_create(
        [
            CycleStage(cycle=cycle, order=i, code=c, label=label, starts_on=s, ends_on=e)
            for i, (c, label, s, e) in enumerate(windows)
        ]
    )


def _chain(prog: Programme, start: date, current: str, today: date) -> list[tuple[str, str, date, date]]:
    """Stage windows so that ``current`` (a stage code, or "apply") contains ``today``."""
    rows = [("apply", "申报推荐"), *[(s["code"], s["label"]) for s in prog.stages]]
    idx = [c for c, _ in rows].index(current)
    out = []
    for i, (code, label) in enumerate(rows):
        s = today + timedelta(days=15 * (i - idx) - 7)
        out.append((code, label, s, s + timedelta(days=14)))
    return out


def _event(app: Application, kind: str, frm: str, to: str, by: Any, at: Any, comment: str = "") -> ApplicationEvent:
    return ApplicationEvent(application=app, kind=kind, from_status=frm, to_status=to, by=by, at=at, comment=comment)


def _members(outlet: Organization) -> list[Courier]:
    return list(Courier.objects.filter(outlet=outlet, status="active").order_by("birth_date"))


def seed(ctx: Any) -> None:
    today: date = ctx.today
    now = timezone.now()
    users = ctx.users
    province, boss = ctx.province, users.get("province")
    expert = users.get("expert1")
    if boss is None:
        return
    progs = {p.code: p for p in Programme.objects.all()}
    for p in progs.values():
        p.supervision_phone = p.supervision_phone or "024-23860591"
        p.supervision_email = p.supervision_email or "wmb@lnpost.example.cn"
        p.save(update_fields=["supervision_phone", "supervision_email"])
    rng = ctx.rng
    outlets = [o for o in ctx.outlets if o.is_active]
    rng.shuffle(outlets)

    # --- city-level 青年文明号 held by outlets, the provincial applicants among them ------------------
    youth = progs["youth_civilization"]
    held = outlets[:12]
    titles = [
        Title(
            programme=youth,
            level="city",
            star=1,
            organization=o,
            holder=f"{o.name}青年服务班组",
            conferred_by=f"共青团{ctx.cities.get(o.city_code, province).name.replace('邮政管理局', '')}委员会",
            decision_no=f"团{2023 + i % 2}〔{10 + i}〕号",
            decision_date=date(2023 + i % 2, 5, 4),
            valid_from=date(2023 + i % 2, 5, 4),
            valid_to=date(2026 + i % 2, 5, 3),
            status="active",
        )
        for i, o in enumerate(held)
    ]
    Title.objects.bulk_create(titles)

    # --- 2026 青年文明号 (provincial) in expert scoring -----------------------------------------------
    c1 = Cycle.objects.create(
        programme=youth,
        year=2026,
        level="provincial",
        organizer=province,
        name="2026年度辽宁省邮政行业青年文明号评审认定",
    )
    _stages(c1, _chain(youth, today, "scoring", today))
    plan = [("scoring", 4), ("city_review", 2), ("province_review", 1), ("returned", 1)]
    apps: list[Application] = []
    k = 0
    sf = ctx.enterprise_of("210100", "SF")
    sf_outlets = [o for o in outlets if sf and o.path.startswith(sf.path)]
    for status, n in plan:
        for _ in range(n):
            o = sf_outlets[0] if status == "returned" and sf_outlets else held[k % len(held)]
            k += 1
            members = _members(o)
            app = Application.objects.create(
                cycle=c1,
                organization=o,
                recommender=ctx.cities.get(o.city_code) or province,
                name=f"{o.name}青年服务班组",
                statement=STATEMENTS[k % len(STATEMENTS)],
                leader=members[-1] if members else None,
                star=1 + k % 2,
                status=status,
                submitted_at=now - timedelta(days=20 - k),
                created_by=users.get("sf_shenyang") if status == "returned" else None,
                last_comment="请补充公示牌（含监督电话）照片及近一年创建活动记录。" if status == "returned" else "",
            )
            res = services.screen(app)
            app.eligibility, app.eligible, app.screened_at = [r.as_dict() for r in res], all(r.ok for r in res), now
            app.save(update_fields=["eligibility", "eligible", "screened_at"])
            apps.append(app)
    events = []
    for a in apps:
        t0 = a.submitted_at
        events.append(_event(a, "create", "", "draft", a.created_by, t0 - timedelta(days=3)))
        events.append(_event(a, "submit", "draft", "city_review", a.created_by, t0))
        if a.status in ("province_review", "scoring", "returned"):
            events.append(
                _event(
                    a,
                    "advance",
                    "city_review",
                    "province_review",
                    None,
                    t0 + timedelta(days=3),
                    "符合申报条件，同意推荐",
                )
            )
        if a.status == "scoring":
            events.append(_event(a, "advance", "province_review", "scoring", boss, t0 + timedelta(days=6), "材料齐全"))
        if a.status == "returned":
            events.append(
                _event(a, "return", "province_review", "returned", boss, t0 + timedelta(days=6), a.last_comment)
            )
    ApplicationEvent.objects.bulk_create(events)
    scoring_apps = [a for a in apps if a.status == "scoring"]
    if expert is not None and scoring_apps:
        scheme = judging.scheme_create(
            organization=province, family="youth-civilization", name="青年文明号评审测评体系", by=boss
        )
        for name, pts in (
            ("创建工作机制", "20"),
            ("岗位建功与服务质量", "40"),
            ("青年志愿服务", "20"),
            ("群众评价", "20"),
        ):
            judging.indicator_add(scheme_id=scheme.pk, by=boss, data={"name": name, "max_points": pts})
        judging.veto_add(scheme_id=scheme.pk, by=boss, text="发生重大寄递安全事故或造成恶劣社会影响")
        scheme = judging.scheme_publish(scheme_id=scheme.pk, by=boss)
        panel = judging.panel_create(organization=province, name="2026年青年文明号评审专家组", by=boss)
        judging.panel_add_member(panel_id=panel.pk, user=expert, by=boss)
        rnd = services.scoring_open(
            cycle_id=c1.pk,
            scheme=scheme,
            panel=panel,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=10),
            by=boss,
        )
        judging.assign(
            round_id=rnd.pk, entry_ids=list(rnd.entries.values_list("pk", flat=True)), expert_ids=[expert.pk], by=boss
        )
        judging.round_start(round_id=rnd.pk, by=boss)

    # --- 2026 文明单位 in 公示, one objection -------------------------------------------------------------
    cu = progs["civilized_unit"]
    c2 = Cycle.objects.create(
        programme=cu, year=2026, level="provincial", organizer=province, name="2026年度全省邮政管理系统文明单位评选"
    )
    _stages(c2, _chain(cu, today, "notice", today))
    units = [ctx.cities[c] for c in ("210100", "210200", "210300") if c in ctx.cities]
    entries = [
        Application.objects.create(
            cycle=c2,
            organization=u,
            recommender=u,
            name=u.name,
            statement="机关作风建设扎实，12305 申诉处理及时率 100%，连续三年开展“邮政服务进社区”活动。",
            status="notice",
            submitted_at=now - timedelta(days=60),
            expert_mean=Decimal("88.5") - i,
            committee_result="adopted",
            position=i + 1,
        )
        for i, u in enumerate(units)
    ]
    start = next_working_day(today - timedelta(days=2))
    notice = Notice.objects.create(
        cycle=c2,
        starts_on=start,
        ends_on=services.notice_end(start, cu.notice_workdays),
        phone=cu.supervision_phone,
        email=cu.supervision_email,
        text="经单位申报、市局初审、省局复审、专家评审和评审委员会审定，拟命名以下单位为全省邮政管理系统文明单位，现予公示。",
        published_by=boss,
    )
    notice.entries.set(entries)
    if entries:
        o = Objection(
            notice=notice,
            application=entries[-1],
            content="该单位窗口在今年 9 月曾因推诿群众咨询被市民投诉，建议核实后再予命名。",
        )
        o.set_person("孙立伟", "13804001234")
        o.save()

    # --- titles: one in rectification after a warning, one expiring soon -------------------------------
    women = progs["women_civilization_post"]
    wo = outlets[12] if len(outlets) > 12 else outlets[0]
    w = Title.objects.create(
        programme=women,
        level="provincial",
        star=2,
        organization=wo,
        holder=f"{wo.name}巾帼服务岗",
        conferred_by=women.conferring_body,
        decision_no="辽妇字〔2024〕21号",
        decision_date=date(2024, 3, 8),
        valid_from=date(2024, 3, 8),
        valid_to=date(2027, 3, 7),
        status="rectifying",
        rectify_due=today + timedelta(days=18),
    )
    Recheck.objects.create(
        title=w,
        year=today.year,
        opened_on=today - timedelta(days=45),
        due_on=today - timedelta(days=15),
        result="warned",
        self_report="本年度开展巾帼志愿服务 5 次；服务承诺卡已上墙；旺季有 2 起延误投诉，已整改。",
        reported_at=now - timedelta(days=20),
        note="群众评议满意度 78%，低于 80% 的要求；服务承诺卡内容未更新。限期 30 日整改。",
        platform_data={
            "activities": 5,
            "volunteer_hours": "46",
            "points": -2,
            "since": (today - timedelta(days=365)).isoformat(),
        },
    )
    TitleEvent.objects.bulk_create(
        [
            TitleEvent(title=w, kind="create", by=boss, at=now - timedelta(days=1000), comment="辽妇字〔2024〕21号"),
            TitleEvent(
                title=w,
                kind="recheck_open",
                from_status="active",
                to_status="under_review",
                at=now - timedelta(days=45),
            ),
            TitleEvent(title=w, kind="self_report", at=now - timedelta(days=20)),
            TitleEvent(
                title=w,
                kind="warn",
                from_status="under_review",
                to_status="rectifying",
                by=users.get("shenyang") or boss,
                at=now - timedelta(days=12),
                comment="群众评议满意度低于要求，限期整改",
            ),
        ]
    )
    win = progs["civilized_window"]
    xo = outlets[13] if len(outlets) > 13 else outlets[0]
    Title.objects.create(
        programme=win,
        level="provincial",
        organization=xo,
        holder=f"{xo.name}服务窗口",
        conferred_by=win.conferring_body,
        decision_no="辽邮管〔2023〕45号",
        decision_date=today - timedelta(days=3 * 365 - 60),
        valid_from=today - timedelta(days=3 * 365 - 60),
        valid_to=today + timedelta(days=59),
    )

    # --- the 3rd 最美快递员 (2026) in nomination ----------------------------------------------------------
    mb = progs["most_beautiful_courier"]
    c4 = Cycle.objects.create(
        programme=mb,
        year=2026,
        edition=3,
        level="provincial",
        organizer=province,
        name="第三届辽宁“最美快递员”寻找活动",
        vote_weight=Decimal("0.30"),
    )
    _stages(c4, _chain(mb, today, "vote", today))
    # Each city bureau recommended its ranked couriers (quota 5; the demo takes two from each of six
    # cities); after the eligibility check they stand in the public vote (wenming/demo/modules/voting.py
    # opens the edition's poll with them as candidates).
    noms = []
    k = 0
    for code in ("210100", "210200", "210300", "210600", "210800", "211300"):
        city = ctx.cities.get(code)
        if city is None:
            continue
        picks = list(
            Courier.objects.filter(
                outlet__path__startswith=city.path,
                status="active",
                has_labour_contract=True,
                started_delivery_on__lte=today - timedelta(days=3 * 365),
            ).order_by("started_delivery_on")[:2]
        )
        for rank, c in enumerate(picks, start=1):
            noms.append(
                Application.objects.create(
                    cycle=c4,
                    organization=c.outlet,
                    courier=c,
                    recommender=city,
                    rank=rank,
                    name=c.name,
                    statement=COURIER_STORIES[k % len(COURIER_STORIES)],
                    status="vote",
                    submitted_at=now - timedelta(days=19 - k % 4),
                    created_by={"210100": users.get("shenyang"), "210200": users.get("dalian")}.get(code, boss),
                )
            )
            k += 1
    ApplicationEvent.objects.bulk_create(
        [_event(a, "submit", "draft", "eligibility", a.created_by, a.submitted_at) for a in noms]
        + [
            _event(a, "advance", "eligibility", "vote", boss, a.submitted_at + timedelta(days=9), "资格审查通过")
            for a in noms
        ]
    )
    ctx.note("荣誉评选批次", Cycle.objects.count())
    ctx.note("荣誉申报与推荐", Application.objects.count())
    ctx.note("荣誉称号", Title.objects.count())
