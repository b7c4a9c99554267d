"""Demo data of 工作督办: the 2017 plan itself (clauses 二 and 三 as goals) and a current-year plan
with tasks dispatched to the city bureaus in every state, overdue ones included. Idempotent."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from wenming.organizations.models import Organization
from wenming.plans.choices import ExtensionStatus, ProgressReportStatus, WorkGoalStatus, WorkTaskStatus
from wenming.plans.models import (
    Bulletin,
    ExtensionRequest,
    Institution,
    ProgressReport,
    ProgressReportEvent,
    WorkDispatch,
    WorkGoal,
    WorkGoalEvent,
    WorkPlan,
    WorkTask,
    WorkTaskEvent,
)
from wenming.plans.services import report_due_date
from wenming.workdays.services import add_working_days

TZ = ZoneInfo("Asia/Shanghai")
PLAN_2017 = "辽宁省邮政行业精神文明建设工作实施方案"

# Clause 二: the five focus points (text of the plan).
FOCUS = [
    (
        "二（一）",
        "着力增强行业改革发展的凝聚力",
        "办公室",
        "精神文明建设要紧紧抓住邮政行业改革发展这个主题和供给侧结构性改革这条主线，进一步强化其政治属性和社会属性，"
        "采取多种形式，广泛开展教育，深入宣传贯彻，努力把干部职工的思想统一到中央精神上来。要最大限度地凝聚行业干部职工的思想共识，"
        "引导广大干部职工激发创造激情，拓展发展空间，自觉为行业改革发展建言献策，立足岗位建功立业，形成推动行业改革发展的强大动力。",
        "干部职工建言献策条数；岗位建功活动覆盖率",
        "市局、主要企业全覆盖",
    ),
    (
        "二（二）",
        "着力推进邮政行业核心价值体系建设",
        "机关党委",
        "践行社会主义核心价值观，大力弘扬邮政行业“诚信、服务、规范、共享”的核心价值理念。要以“24字”核心价值观和邮政行业“4S”"
        "核心价值理念统领和深化精神文明创建工作，并贯穿到邮政行业建设、管理、服务和发展的各领域各环节。",
        "制定企业核心价值、使命、愿景、精神、道德规范的企业比例",
        "≥80%",
    ),
    (
        "二（三）",
        "着力提升邮政行业社会满意度",
        "市场监管处",
        "坚持把服务民生作为核心价值的取向，做到民生为先、民生为本、民生为重，不断满足人民群众对邮政和快递服务多样性需求。"
        "要从人民群众最关注的突出问题抓起，在普遍服务、农村物流、快递服务、行业安全、环境保护等行业治理中彰显社会主流价值，赢得公众信赖。",
        "快递服务满意度得分；有效申诉率",
        "满意度≥80分；有效申诉率同比下降",
    ),
    (
        "二（四）",
        "着力深化“学树建创”文明创建活动",
        "办公室",
        "在基层网点、局所广泛深入地开展岗位建功、志愿服务、讲文明树新风、学先进树典型、社会公益、结对共建和争创青年文明号、"
        "巾帼文明岗以及中国梦主题实践等形式多样的精神文明创建活动，促进行业服务水平提升。",
        "开展创建活动的网点比例；志愿服务时长",
        "网点覆盖率≥60%",
    ),
    (
        "二（五）",
        "着力构建邮政行业精神文明建设新格局",
        "办公室",
        "拓展行业精神文明建设的工作领域，把创建的主体进一步向基层延伸、拓展，以“最美快递员”“青年文明号”“3·15主题宣传活动”"
        "“业务能手”“巾帼团队”等精神文明品牌为载体，有效延伸品牌价值，不断开创行业精神文明建设新局面。",
        "精神文明品牌创建数量",
        "每个市局至少1个品牌",
    ),
]
# Clause 三: the four requirements.
REQUIREMENTS = [
    (
        "三（一）",
        "加强领导，提升队伍素质",
        "办公室",
        "成立省局精神文明建设指导委员会，局长任主任。省局精神文明建设指导委员会办公室设在省局办公室，由分管局领导任办公室主任，"
        "各有关处室负责人作为成员。各市局要成立领导小组，做到主要领导亲自抓，分管领导具体抓。",
        "市局领导小组成立数",
        "14个市局全部成立",
    ),
    (
        "三（二）",
        "强化措施，有序推进",
        "办公室",
        "各市局、各部门要按照工作方案要求，明确工作目标，以点带面，有序推进。要以社会反响和群众满意度来评价活动成效，"
        "不搞形式主义，不作表面文章。要把有效做法常态化、制度化，形成活动持续深入开展的长效工作机制。",
        "形成制度文件的工作目标数",
        "每项重点工作形成长效机制",
    ),
    (
        "三（三）",
        "突出重点，抓出成效",
        "人事处",
        "2017年要配合国家局开展第三届“寻找最美快递员”活动，因地制宜组织开展本地“最美”系列活动，打造行业文明品牌。"
        "要积极开展各级邮政管理部门文明单位、文明科室、文明窗口创建活动。要组织企业开展“青年文明号”创建。",
        "“最美快递员”推荐人数；文明单位、文明科室、文明窗口创建数",
        "每个市局推荐不少于2人",
    ),
    (
        "三（四）",
        "强化宣传，注重舆论",
        "办公室",
        "加强精神文明建设先进典型的培养和树立，充分运用电视、报刊、网络等各类媒体及政务公开等，广泛宣传全省邮政行业精神文明创建活动的"
        "新进展、新经验、新成效。注重工作经验的积累，培育工作新亮点，及时总结报送工作进展。",
        "工作进展报送及时率；简报采用篇数",
        "报送及时率100%",
    ),
]
GOAL_STATES_2017 = [
    WorkGoalStatus.INSTITUTIONALISED,
    WorkGoalStatus.ROLLING_OUT,
    WorkGoalStatus.EVALUATED,
    WorkGoalStatus.PILOTING,
    WorkGoalStatus.ROLLING_OUT,
    WorkGoalStatus.INSTITUTIONALISED,
    WorkGoalStatus.INSTITUTIONALISED,
    WorkGoalStatus.ROLLING_OUT,
    WorkGoalStatus.PILOTING,
]
GOAL_PATH = {
    WorkGoalStatus.PLANNED: [],
    WorkGoalStatus.PILOTING: ["start_pilot"],
    WorkGoalStatus.EVALUATED: ["start_pilot", "evaluate"],
    WorkGoalStatus.ROLLING_OUT: ["start_pilot", "evaluate", "roll_out"],
    WorkGoalStatus.INSTITUTIONALISED: ["start_pilot", "evaluate", "roll_out", "institutionalise"],
}
STEP_TARGET = {
    "start_pilot": "piloting",
    "evaluate": "evaluated",
    "roll_out": "rolling_out",
    "institutionalise": "institutionalised",
}
TASKS_2026 = [
    ("组织开展2026年“寻找最美快递员”推荐工作", "各市局按要求推荐候选人不少于2名，附事迹材料。"),
    ("推进文明窗口、文明科室创建", "各市局对照创建标准开展自查，报送创建进展和佐证材料。"),
    ("开展“3·15”主题宣传活动总结", "总结宣传活动开展情况、受众人数和媒体报道情况。"),
    ("农村网点文明服务专项提升", "选择试点网点，统计有效申诉率变化，形成可推广做法。"),
    ("青年文明号创建和复核", "组织企业开展青年文明号创建，做好已命名集体的复核。"),
    ("志愿服务进网点活动", "组织快递员开展志愿服务，记录志愿服务时长和参与人数。"),
]


def _aware(d: date, hour: int = 10) -> datetime:
    return datetime.combine(d, time(hour, 0), tzinfo=TZ)


def _org(ctx: Any, name: str) -> Organization:
    return getattr(ctx, "divisions", {}).get(name) or ctx.province


@transaction.atomic
def seed(ctx: Any) -> None:
    province = ctx.province
    cities: dict[str, Organization] = dict(ctx.cities)
    users = getattr(ctx, "users", {})
    boss = users.get("province")
    rng = ctx.rng
    today = getattr(ctx, "today", None) or date.today()
    summary = getattr(ctx, "summary", None)

    # --- 2017: the plan itself -----------------------------------------------------------------
    plan17, created = WorkPlan.objects.get_or_create(
        organization=province,
        year=2017,
        title=PLAN_2017,
        defaults={"summary": "2017-02-04 征求意见稿。五个着力点（条款二）和四项工作要求（条款三）作为工作目标。"},
    )
    if created:
        city_list = list(cities.values())
        for i, (clause, title, owner_name, text, indicators, target) in enumerate(FOCUS + REQUIREMENTS):
            state = GOAL_STATES_2017[i]
            goal = WorkGoal.objects.create(
                plan=plan17,
                clause=clause,
                title=title,
                description=text,
                owner=_org(ctx, owner_name),
                indicators=indicators,
                target=target,
                baseline="2016年底基线：见年度统计" if state != WorkGoalStatus.PLANNED else "",
                status=state,
                sort_order=i + 1,
            )
            WorkGoalEvent.objects.create(
                goal=goal, kind="create", to_status="planned", by=boss, at=_aware(date(2017, 2, 10))
            )
            at = date(2017, 3, 1)
            prev = "planned"
            for step_name in GOAL_PATH[state]:
                at += timedelta(days=45)
                WorkGoalEvent.objects.create(
                    goal=goal,
                    kind=step_name,
                    from_status=prev,
                    to_status=STEP_TARGET[step_name],
                    by=boss,
                    at=_aware(at),
                )
                prev = STEP_TARGET[step_name]
            if GOAL_PATH[state]:
                goal.pilot_units.add(*rng.sample(city_list, k=min(2, len(city_list))))
                goal.evidence = "试点市局群众满意度提升，有效申诉率下降。" if "evaluate" in GOAL_PATH[state] else ""
                goal.save(update_fields=["evidence"])
            if state == WorkGoalStatus.INSTITUTIONALISED:
                inst = Institution.objects.create(
                    title=f"关于{title}的工作制度",
                    doc_number=f"辽邮管〔2017〕{20 + i}号",
                    issued_on=date(2017, 11, 1) + timedelta(days=i),
                    issuing_org=province,
                    link="",
                    original_name="",
                    created_by=boss,
                )
                inst.goals.add(goal)

    # --- current year: plan, dispatches, tasks in every state ----------------------------------
    year = today.year
    plan, created = WorkPlan.objects.get_or_create(
        organization=province,
        year=year,
        title=f"{year}年全省邮政行业精神文明建设工作要点",
        defaults={"summary": "以点带面推进重点工作，按月督办。"},
    )
    if created:
        _seed_tasks(ctx, plan, province, list(cities.values()), boss, today)
        _seed_reports(ctx, province, list(cities.values()), boss, today)
    if summary is not None:
        summary.append(("督办任务", WorkTask.objects.count()))
        summary.append(("工作进展报告", ProgressReport.objects.count()))


def _ev(task: WorkTask, kind: str, old: str, new: str, by: Any, at: datetime, comment: str = "") -> None:
    WorkTaskEvent.objects.create(task=task, kind=kind, from_status=old, to_status=new, by=by, at=at, comment=comment)


def _seed_tasks(ctx: Any, plan: WorkPlan, province, cities: list, boss: Any, today: date) -> None:
    drafter = getattr(ctx, "users", {}).get("office") or boss  # who drafts a 督办事项 does not approve it
    rng = ctx.rng
    city_users = {u.home_organization_id: u for u in getattr(ctx, "users", {}).values() if u.home_organization_id}
    states = [
        "closed",
        "closed",
        "reported",
        "in_progress",
        "in_progress",
        "overdue",
        "dispatched",
        "dispatched_unread",
        "overdue_unacked",
        "extension",
        "returned",
    ]
    for n, (title, content) in enumerate(TASKS_2026):
        dispatched_on = add_working_days(today, -(40 - n * 5))
        due = add_working_days(dispatched_on, 25 + rng.randint(0, 10))
        d = WorkDispatch.objects.create(
            plan=plan, issuer=province, title=title, content=content, due_date=due, created_by=drafter
        )
        for city in cities:
            kind = rng.choice(states)
            task_due = (
                due if kind not in ("overdue", "overdue_unacked") else add_working_days(today, -rng.randint(3, 20))
            )
            t = WorkTask.objects.create(
                dispatch=d,
                assignee=city,
                status=WorkTaskStatus.DISPATCHED,
                original_due_date=task_due,
                due_date=task_due,
                dispatched_at=_aware(dispatched_on, 9),
            )
            actor = city_users.get(city.pk)
            at0 = _aware(dispatched_on - timedelta(days=1), 15)
            _ev(t, "create", "", "draft", drafter, at0)
            _ev(t, "approve", "draft", "approved", boss, at0 + timedelta(hours=1))
            _ev(t, "dispatch", "approved", "dispatched", boss, t.dispatched_at)
            last = t.dispatched_at
            if kind in ("dispatched_unread",):
                pass
            elif kind in ("dispatched", "overdue_unacked"):
                t.first_viewed_at = last + timedelta(hours=3)
                t.first_viewed_by = actor
                _ev(t, "view", "", "", actor, t.first_viewed_at)
                last = t.first_viewed_at if kind == "dispatched" else t.dispatched_at
            else:
                ack = _aware(add_working_days(dispatched_on, rng.choice([0, 1, 1, 2, 3])), 11)
                t.first_viewed_at, t.first_viewed_by = ack - timedelta(hours=1), actor
                t.acknowledged_at, t.acknowledged_by = ack, actor
                t.status = WorkTaskStatus.IN_PROGRESS
                _ev(t, "view", "", "", actor, t.first_viewed_at)
                _ev(t, "acknowledge", "dispatched", "in_progress", actor, ack)
                t.progress_manual = rng.choice([20, 40, 50, 60, 80])
                t.progress_note = "已制定方案并组织实施。"
                last = ack + timedelta(days=3)
                _ev(t, "progress", "", "", actor, last, f"进度 {t.progress_manual}%：{t.progress_note}")
                if kind in ("closed", "reported", "returned"):
                    rep = min(_aware(t.due_date, 16), _aware(today, 9)) - timedelta(days=rng.randint(0, 3))
                    t.status, t.reported_at, t.progress_manual = WorkTaskStatus.REPORTED, rep, 100
                    _ev(t, "report", "in_progress", "reported", actor, rep, "进度 100%：已完成，佐证材料见附件。")
                    last = rep
                    if kind == "closed":
                        t.status, t.closed_at = WorkTaskStatus.CLOSED, rep + timedelta(days=1)
                        _ev(t, "close", "reported", "closed", boss, t.closed_at, "同意办结")
                        last = t.closed_at
                    elif kind == "returned":
                        t.status, t.returned = WorkTaskStatus.IN_PROGRESS, True
                        t.progress_manual = 80
                        _ev(
                            t,
                            "return",
                            "reported",
                            "in_progress",
                            boss,
                            rep + timedelta(hours=5),
                            "佐证材料不全，请补充照片",
                        )
                        last = rep + timedelta(hours=5)
                elif kind == "extension" and t.due_date >= today:
                    ExtensionRequest.objects.create(
                        task=t,
                        requested_due_date=add_working_days(t.due_date, 10),
                        reason="需协调辖区企业共同推进",
                        status=ExtensionStatus.PENDING,
                        requested_by=actor,
                        requested_at=last + timedelta(days=1),
                    )
                    _ev(
                        t,
                        "extension_request",
                        "",
                        "",
                        actor,
                        last + timedelta(days=1),
                        "申请延期：需协调辖区企业共同推进",
                    )
            t.last_change_at = last
            t.save()


def _seed_reports(ctx: Any, province, cities: list, boss: Any, today: date) -> None:
    rng = ctx.rng
    year = today.year
    texts = [
        "组织辖区企业开展“最美快递员”寻访，推荐候选人3名；开展志愿服务进社区活动5场，参与快递员120人次。",
        "推进文明窗口创建，完成自查整改12项；建立网点服务承诺公示制度，群众满意度较上月提升。",
        "开展“3·15”主题宣传，发放宣传材料2000余份；召开企业座谈会，收集意见建议18条并逐一反馈。",
    ]
    months = [m for m in (today.month - 2, today.month - 1) if m >= 1]
    adopted: list[ProgressReport] = []
    for city in cities:
        for m in months:
            due = report_due_date("monthly", year, m)
            status = rng.choice(["adopted", "adopted", "reviewed", "submitted", "draft", "archived"])
            r = ProgressReport.objects.create(
                organization=city,
                kind="monthly",
                year=year,
                period=m,
                title=f"{city.name}{year}年{m}月月度工作进展",
                summary=rng.choice(texts),
                highlights="打造精神文明品牌1个，树立先进典型2名。",
                next_steps="继续推进文明网点创建，做好下月报送。",
                status=status,
                due_date=due,
            )
            ProgressReportEvent.objects.create(
                report=r, kind="create", to_status="draft", at=_aware(due - timedelta(days=6))
            )
            if status != "draft":
                sub = _aware(due - timedelta(days=rng.randint(-2, 3)), 15)
                # review and adoption follow within two days: all of it lies in the past
                sub = min(sub, timezone.now() - timedelta(days=2, hours=2))
                r.submitted_at, r.is_late = sub, sub.date() > due
                ProgressReportEvent.objects.create(
                    report=r, kind="submit", from_status="draft", to_status="submitted", at=sub
                )
                if status in ("reviewed", "adopted", "archived"):
                    ProgressReportEvent.objects.create(
                        report=r,
                        kind="accept",
                        from_status="submitted",
                        to_status="reviewed",
                        by=boss,
                        at=sub + timedelta(days=1),
                    )
                if status in ("adopted", "archived"):
                    ProgressReportEvent.objects.create(
                        report=r,
                        kind="adopt" if status == "adopted" else "archive",
                        from_status="reviewed",
                        to_status=status,
                        by=boss,
                        at=sub + timedelta(days=2),
                    )
                if status == ProgressReportStatus.ADOPTED:
                    r.for_bulletin = True
                    adopted.append(r)
                r.save()
    if adopted and not Bulletin.objects.filter(organization=province, year=year).exists():
        subs = [r.submitted_at.date() for r in adopted]
        b = Bulletin.objects.create(
            organization=province,
            year=year,
            issue_no=1,
            period_start=min(subs),
            period_end=max(subs),
            issued_on=today,
            editor_note="现将各市局近期精神文明建设工作进展摘编如下。",
            created_by=boss,
        )
        b.reports.set(adopted[:8])
