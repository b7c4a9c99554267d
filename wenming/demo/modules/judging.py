"""Demo data of 专家评审: the published 文明单位 and 文明窗口 测评体系, the province's expert panel, a
文明窗口 round in scoring (``expert1`` has entries to score; one expert of the Shenyang bureau is
flagged on the Shenyang entries), and last year's 文明单位 round with its ranking published and the
committee's secret ballot under way (the ``province`` account has not voted yet).

Written through the judging services (so every row is audited as in real use); deterministic via
``ctx.rng``. The honours demo later opens its own rounds through the same API.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wenming.accounts.models import User
from wenming.accounts.roles import Role
from wenming.judging import selectors, services
from wenming.judging.choices import Method
from wenming.judging.models import Assignment, Indicator, Round, Scheme
from wenming.judging.services import BallotSpec, EntrySpec
from wenming.organizations.models import RoleAssignment

M = Method
ENTRIES = {"tiny": 6, "default": 10, "full": 16}

# (name, points, method, standard, evidence, children)
UNIT_SCHEME = [
    (
        "思想道德建设",
        25,
        M.MATERIALS,
        "",
        "",
        [
            (
                "理论学习",
                8,
                M.MATERIALS,
                "年度学习计划落实，每月至少一次集中学习",
                "学习计划、记录；活动照片不少于2张，可见单位名称",
            ),
            (
                "社会主义核心价值观宣传教育",
                9,
                M.ON_SITE,
                "营业场所、办公区有核心价值观公益广告",
                "现场照片；宣传品清单",
            ),
            ("道德讲堂", 8, M.MATERIALS, "每季度至少一次道德讲堂", "活动方案、签到表、照片不少于2张"),
        ],
    ),
    (
        "服务质量",
        25,
        M.MATERIALS,
        "",
        "",
        [
            ("服务承诺与公开", 8, M.ON_SITE, "资费、时限、监督电话在营业场所公示", "公示牌照片"),
            ("用户满意度", 10, M.QUESTIONNAIRE, "年度用户满意度不低于80分", "满意度调查结果"),
            ("投诉处理", 7, M.MATERIALS, "有效申诉按时处理，72小时处理率达标", "申诉处理台账"),
        ],
    ),
    (
        "安全生产",
        20,
        M.ON_SITE,
        "",
        "",
        [
            (
                "寄递安全制度落实",
                12,
                M.ON_SITE,
                "收寄验视、实名收寄、过机安检三项制度落实到位",
                "现场检查记录；抽查视频",
            ),
            ("应急处置", 8, M.MATERIALS, "有应急预案并每年至少演练一次", "应急预案文本（文号）、演练照片"),
        ],
    ),
    (
        "志愿服务",
        15,
        M.MATERIALS,
        "",
        "",
        [
            ("志愿服务队伍", 5, M.MATERIALS, "建有志愿服务队，注册志愿者占职工10%以上", "志愿者名册"),
            ("志愿服务活动", 10, M.MATERIALS, "人均每月志愿服务不少于3小时", "活动记录与时长；照片不少于3张"),
        ],
    ),
    (
        "文明创建工作机制",
        15,
        M.MATERIALS,
        "",
        "",
        [
            ("组织领导", 6, M.MATERIALS, "成立创建领导小组，主要负责人亲自抓", "成立文件（文号）"),
            ("创建档案", 5, M.MATERIALS, "创建资料分类归档、完整规范", "档案目录"),
            ("网络文明传播", 4, M.ONLINE, "开展网上文明传播，每月至少发布2条", "网页或公众号链接截图"),
        ],
    ),
]
UNIT_VETOES = [
    "领导班子成员中有2人以上受到严重违纪处分",
    "被列入失信联合惩戒黑名单",
    "3名以上职工被追究刑事责任",
    "发生重大安全生产或寄递安全事故",
    "发生群体性事件",
    "发生黄赌毒或邪教活动",
    "受到邮政管理部门行政处罚",
    "有效申诉率超过规定限值",
]
WINDOW_SCHEME = [
    (
        "服务规范",
        30,
        M.ON_SITE,
        "",
        "",
        [
            ("文明礼仪", 12, M.ON_SITE, "着装统一、挂牌服务、用语规范", "现场考察记录"),
            ("便民设施", 10, M.ON_SITE, "设无障碍通道、便民服务台、休息座椅", "现场照片"),
            ("服务公开", 8, M.ON_SITE, "资费、时限、服务承诺与监督电话公示", "公示牌照片"),
        ],
    ),
    (
        "服务质量",
        30,
        M.QUESTIONNAIRE,
        "",
        "",
        [
            ("用户满意度", 15, M.QUESTIONNAIRE, "窗口用户满意度不低于80分", "问卷调查结果（不少于30份）"),
            ("投诉处理", 15, M.MATERIALS, "投诉受理、调查、反馈机制健全，按时办结", "投诉处理台账"),
        ],
    ),
    ("环境秩序", 20, M.ON_SITE, "无脏乱、无吸烟、无乱丢、无损坏、无异味、无秩序混乱（六无）", "现场照片", []),
    ("安全生产", 10, M.ON_SITE, "收寄验视、实名收寄落实到位", "现场抽查记录", []),
    ("志愿服务", 10, M.MATERIALS, "窗口设志愿服务岗，开展便民志愿服务", "活动记录；照片不少于3张", []),
]
WINDOW_VETOES = ["发生重大寄递安全事故", "发生服务质量重大负面舆情", "受到邮政管理部门行政处罚"]

EXPERTS = [
    ("expert2", "沈阳市邮政管理局", "寄递安全"),
    ("expert3", None, "服务质量与用户满意度"),
    ("expert4", None, "精神文明建设"),
]


def _scheme(ctx: Any, by: Any, *, family: str, name: str, tree: list, vetoes: list[str], description: str) -> Scheme:
    s = services.scheme_create(
        organization=ctx.province, family=family, name=name, by=by, pass_mark=Decimal("80"), description=description
    )

    def add(rows: list, parent_id: int | None) -> None:
        for nm, pts, method, standard, evidence, *rest in rows:
            children = rest[0] if rest else []
            ind = services.indicator_add(
                scheme_id=s.pk,
                by=by,
                parent_id=parent_id,
                data={
                    "name": nm,
                    "max_points": str(pts),
                    "method": method,
                    "standard": standard,
                    "evidence": evidence,
                },
            )
            add(children, ind.pk)

    add(tree, None)
    for text in vetoes:
        services.veto_add(scheme_id=s.pk, by=by, text=text)
    return services.scheme_publish(scheme_id=s.pk, by=by)


def _experts(ctx: Any) -> list[tuple[User, Any, str]]:
    """``expert1`` (the demo login) and three panel colleagues. The colleagues have no usable password
    (nobody signs in as them; their scores are seeded), so they are not demo logins."""
    now = timezone.now()
    by_name = {c.name: c for c in ctx.cities.values()}
    out = [(ctx.users["expert1"], None, "文明创建与测评")]
    for i, (username, affiliation, field) in enumerate(EXPERTS):
        user = User(
            username=username,
            display_name=["韩立新", "孙雅静", "周国庆"][i],
            must_change_password=False,
            password_changed_at=now,
            home_organization=ctx.province,
        )
        user.set_unusable_password()
        user.save()
        RoleAssignment.objects.create(user=user, organization=ctx.province, role=Role.EXPERT)
        out.append((user, by_name.get(affiliation) if affiliation else None, field))
    return out


def _points(rng: random.Random, leaves: list[Indicator], level: float) -> dict[int, str]:
    """A plausible sheet: each leaf at ``level`` ± a little of its maximum, in halves."""
    out = {}
    for ind in leaves:
        share = min(1.0, max(0.4, rng.gauss(level, 0.08)))
        out[ind.pk] = str((Decimal(str(round(float(ind.max_points) * share * 2))) / 2).quantize(Decimal("0.1")))
    return out


def _score_all(rng: random.Random, rnd: Round, *, skip_user: Any = None, leave: int = 0) -> int:
    leaves = selectors.leaves(selectors.scheme_tree(rnd.scheme))
    quality = {e.pk: rng.uniform(0.7, 0.95) for e in rnd.entries.all()}
    severity = {}
    n = 0
    mine_left = leave
    for a in Assignment.objects.filter(entry__round=rnd).select_related("expert").order_by("entry__sort_order", "id"):
        if skip_user is not None and a.expert_id == skip_user.pk:
            if mine_left > 0:
                mine_left -= 1
                continue
        bias = severity.setdefault(a.expert_id, rng.uniform(-0.06, 0.04))
        services.save_scores(
            assignment_id=a.pk,
            by=a.expert,
            points=_points(rng, leaves, quality[a.entry_id] + bias),
            comment="材料齐全，现场考察情况与申报一致。" if rng.random() < 0.5 else "",
        )
        services.submit_scores(assignment_id=a.pk, by=a.expert)
        n += 1
    return n


def _entries(ctx: Any, n: int) -> list[EntrySpec]:
    rng = ctx.rng
    by_city: dict[str, list[Any]] = {}
    for o in ctx.outlets:
        by_city.setdefault(o.city_code, []).append(o)
    picked: list[Any] = []
    codes = sorted(by_city)
    # two Shenyang outlets first (the Shenyang expert is flagged on them), then one per city in turn
    picked += rng.sample(by_city.get("210100", []), min(2, len(by_city.get("210100", []))))
    i = 0
    while len(picked) < n and any(by_city.values()):
        code = codes[i % len(codes)]
        pool = [o for o in by_city.get(code, []) if o not in picked]
        if pool:
            picked.append(rng.choice(pool))
        i += 1
        if i > 10 * len(codes):
            break
    return [
        EntrySpec(
            f"organizations.organization:{o.pk}",
            o.name,
            o,
            summary="推行“首问负责、限时办结”，设爱心驿站，年内零有效申诉。",
        )
        for o in picked[:n]
    ]


def seed(ctx: Any) -> None:
    rng = ctx.rng
    by = ctx.users["province"]
    unit = _scheme(
        ctx,
        by,
        family="wenming-unit",
        name="邮政行业文明单位测评体系",
        tree=UNIT_SCHEME,
        vetoes=UNIT_VETOES,
        description="依据《全国文明单位测评体系》，结合邮政行业实际制定。满分100分，80分合格；有一票否决情形之一的不得参评。",
    )
    window = _scheme(
        ctx,
        by,
        family="wenming-window",
        name="邮政行业文明窗口测评体系",
        tree=WINDOW_SCHEME,
        vetoes=WINDOW_VETOES,
        description="“六有六无一高”：有礼仪、有便民设施、有志愿服务、有无障碍、有引导、有投诉机制；六无；用户满意度高。",
    )
    panel = services.panel_create(organization=ctx.province, name="省局文明创建专家评审组", by=by)
    experts = _experts(ctx)
    for user, affiliation, field in experts:
        services.panel_add_member(panel_id=panel.pk, user=user, affiliation=affiliation, expertise=field, by=by)

    now = timezone.now()
    # Last year's 文明单位 round: scored, published; the committee is voting on the units that passed.
    past = services.open_round(
        scheme=unit,
        title=f"{now.year - 1}年度邮政行业文明单位评选·专家评审",
        organization=ctx.province,
        entries=_entries(ctx, ENTRIES[ctx.size] - 2),
        opens_at=now - timedelta(days=40),
        closes_at=now + timedelta(days=1),
        panel=panel,
        by=by,
    )
    services.assign_random(round_id=past.pk, n=3, rng=rng, by=by)
    services.round_start(round_id=past.pk, by=by)
    scored = _score_all(rng, past)
    services.round_close(round_id=past.pk, by=by)
    services.round_publish(round_id=past.pk, by=by)
    Round.objects.filter(pk=past.pk).update(closes_at=now - timedelta(days=20))
    passed = [r for r in selectors.ranking(past) if r.passed] or selectors.ranking(past)[:3]
    members = [ctx.users[u] for u in ("province", "office", "shenyang", "dalian") if u in ctx.users]
    vote = services.committee_open(
        title=f"{now.year - 1}年度文明单位审定",
        organization=ctx.province,
        members=members,
        present_count=len(members),
        items=[BallotSpec(r.entry.subject_key, r.entry.label, r.entry) for r in passed],
        round=past,
        by=by,
    )
    for username in ("office", "shenyang", "dalian"):
        if username in ctx.users:
            services.committee_cast(
                vote_id=vote.pk,
                by=ctx.users[username],
                choices={i.pk: ("yes" if rng.random() < 0.85 else "abstain") for i in vote.items.all()},
            )

    # This year's 文明窗口 round in scoring: expert1 has entries left to score.
    current = services.open_round(
        scheme=window,
        title=f"{now.year}年度邮政行业文明窗口评选·专家评审",
        organization=ctx.province,
        entries=_entries(ctx, ENTRIES[ctx.size]),
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=14),
        panel=panel,
        by=by,
    )
    shenyang_expert = experts[1][0]
    first_shenyang = current.entries.filter(organization__city_code="210100").order_by("sort_order").first()
    if first_shenyang is not None:  # assigned by hand: flagged, shown, not counted
        services.assign(round_id=current.pk, entry_ids=[first_shenyang.pk], expert_ids=[shenyang_expert.pk], by=by)
    services.assign_random(round_id=current.pk, n=3, rng=rng, by=by)
    services.round_start(round_id=current.pk, by=by)
    expert1 = ctx.users["expert1"]
    mine = Assignment.objects.filter(entry__round=current, expert=expert1).count()
    scored += _score_all(rng, current, skip_user=expert1, leave=max(3, mine - 2))
    ctx.note("测评体系", Scheme.objects.count())
    ctx.note("专家评审", Round.objects.count())
    ctx.note("专家评分（已提交）", scored)
