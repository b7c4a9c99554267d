"""Demo data of 申诉 (called by ``seed_demo`` with the shared ``DemoContext``).

A year of complaints up to today across the cities and brands (a few hundred at the default size),
heavier after 双十一 (mid-November to early December) and around the Spring Festival, and heavier for
the brands with the weaker 2017 satisfaction scores; monthly item volumes for every enterprise; most
cases closed (about one in five valid, some with a late reply), some refused, and open cases in every
state — some past their time limit and flagged by the overdue job — for the Shenyang bureau and the
Shenyang 顺丰 enterprise (demo accounts ``shenyang`` and ``sf_shenyang``) to handle. Deterministic via
``ctx.rng``; bulk writes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wenming.complaints import services
from wenming.complaints.choices import BusinessType, Category, Channel, ComplaintStatus, RefuseReason, Satisfaction
from wenming.complaints.models import Complaint, ComplaintEvent, ItemVolume

S = ComplaintStatus
COUNT = {"tiny": 60, "default": 420, "full": 1200}
# 2017 brand scores (domain.md §5.1): a weaker score, more complaints
SCORE = {
    "SF": 83.4,
    "EMS": 79.9,
    "ZTO": 76.8,
    "YUNDA": 76.5,
    "YTO": 75.0,
    "STO": 74.1,
    "BEST": 74.0,
    "ZJS": 71.9,
    "TTK": 70.9,
    "FAST": 67.3,
}
MONTH_WEIGHT = {1: 1.3, 2: 1.5, 3: 0.9, 4: 0.8, 5: 0.9, 6: 1.0, 7: 0.9, 8: 0.9, 9: 1.0, 10: 1.0, 11: 1.8, 12: 1.6}
CATEGORY_WEIGHT = [
    (Category.DELIVERY, 30),
    (Category.DELAY, 25),
    (Category.LOSS, 18),
    (Category.DAMAGE, 12),
    (Category.PICKUP, 6),
    (Category.CHARGE, 4),
    (Category.OTHER, 5),
]
TEXTS = {
    Category.DELIVERY: ["快递员未经同意将快件放在驿站，也未电话通知。", "快件未送货上门，派件员要求自取。"],
    Category.DELAY: ["快件超过承诺时限五天仍未送达，物流信息多日未更新。", "双十一期间的包裹在分拨中心滞留一周。"],
    Category.LOSS: ["寄出的包裹显示签收但收件人未收到，企业拒绝赔偿。", "快件内物品短少两件，外包装有拆封痕迹。"],
    Category.DAMAGE: ["寄递的瓷器到达时已破碎，企业以未保价为由只赔运费。", "快件外箱严重挤压，内物损坏。"],
    Category.PICKUP: ["预约上门取件，揽收员迟迟不来且不接电话。", "网点拒收正常物品，未说明理由。"],
    Category.CHARGE: ["派件时额外收取送货上门费。", "揽收时实际收费高于公示价格。"],
    Category.OTHER: ["客服电话长时间无人接听，投诉无门。", "快递员服务态度恶劣，言语不文明。"],
}
REPLIES = [
    "经核实，快件在转运环节延误，已于次日投递，并向用户致歉。",
    "经调查，派件员未按约定投递，已对其批评教育并扣减绩效，向用户赔礼道歉。",
    "经核实，快件确有丢失，已按保价规定赔偿用户。",
    "经调查，内件破损系包装不当所致，已与用户协商赔偿。",
    "经核实，额外收费属实，已全额退还并对网点处罚。",
]


def _weighted(rng: Any, pairs: list[tuple[Any, float]]) -> Any:
    total = sum(w for _v, w in pairs)
    x = rng.random() * total
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def _at(d: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hour, minute)))


def seed(ctx: Any) -> None:
    rng, today = ctx.rng, ctx.today
    enterprises = [e for e in ctx.enterprises if ctx.enterprise_brand.get(e.pk) in ctx.brands]
    if not enterprises:
        return
    brand_of = {e.pk: ctx.brands[ctx.enterprise_brand[e.pk]] for e in enterprises}
    outlets_of: dict[int, list[Any]] = {e.pk: [] for e in enterprises}
    by_path = sorted(enterprises, key=lambda e: -len(e.path))
    for o in ctx.outlets:
        for e in by_path:
            if o.path.startswith(e.path):
                outlets_of[e.pk].append(o)
                break

    # --- monthly item volumes (the denominator), the last 13 months -----------------------------
    first = (today.replace(day=1) - timedelta(days=365)).replace(day=1)
    months = []
    m = first
    while m <= today:
        months.append(m)
        m = (m + timedelta(days=32)).replace(day=1)
    volumes = []
    for e in enterprises:
        # scaled to the demo's few hundred cases, so that the rates come out near the national 1.64 per million
        base = rng.randint(40_000, 300_000) * (2 if brand_of[e.pk].code in ("SF", "ZTO", "YTO", "EMS") else 1)
        for month in months:
            factor = MONTH_WEIGHT[month.month] * rng.uniform(0.9, 1.1)
            volumes.append(ItemVolume(enterprise=e, month=month, items=int(base * factor)))
    ItemVolume.objects.bulk_create(volumes)

    # --- a year of complaints --------------------------------------------------------------------
    weights = [(e, max(2.0, 88.0 - SCORE.get(brand_of[e.pk].code, 72.0))) for e in enterprises]
    days = [today - timedelta(days=i) for i in range(1, 366)]
    day_weights = [(d, MONTH_WEIGHT[d.month]) for d in days]
    sf_shenyang = ctx.enterprise_of("210100", "SF")
    n = COUNT.get(ctx.size, COUNT["default"])
    rows: list[Complaint] = []
    plans: list[tuple[Complaint, list[tuple[str, str, str, datetime, str]]]] = []
    for i in range(n):
        # about one case in ten concerns the Shenyang 顺丰 enterprise (the demo enterprise account)
        ent = sf_shenyang if sf_shenyang is not None and i % 10 == 0 else _weighted(rng, weights)
        received = _weighted(rng, day_weights)
        c, history = _case(ctx, rng, i, ent, brand_of[ent.pk], outlets_of.get(ent.pk) or [], received, today)
        rows.append(c)
        plans.append((c, history))
    # open cases for the demo accounts, in every state, two of them past their limit
    if sf_shenyang is not None:
        for j, (state, age) in enumerate(
            [(S.RECEIVED, 0), (S.RECEIVED, 6), (S.FORWARDED, 3), (S.FORWARDED, 24), (S.REPLIED, 1), (S.MEDIATION, 12)]
        ):
            received = today - timedelta(days=age)
            c, history = _case(
                ctx,
                rng,
                n + j,
                sf_shenyang,
                brand_of[sf_shenyang.pk],
                outlets_of.get(sf_shenyang.pk) or [],
                received,
                today,
                state=state,
            )
            rows.append(c)
            plans.append((c, history))
    Complaint.objects.bulk_create(rows)
    events = [
        ComplaintEvent(complaint=c, kind=kind, from_status=old, to_status=new, at=at, comment=comment)
        for c, history in plans
        for kind, old, new, at, comment in history
    ]
    ComplaintEvent.objects.bulk_create(events)
    flagged = services.flag_overdue(today=today)
    ctx.note("申诉", len(rows))
    ctx.note("申诉超时标记", flagged)
    ctx.note("企业月度业务量", len(volumes))


def _case(
    ctx: Any,
    rng: Any,
    i: int,
    ent: Any,
    brand: Any,
    outlets: list[Any],
    received: date,
    today: date,
    *,
    state: str | None = None,
) -> tuple[Complaint, list[tuple[str, str, str, datetime, str]]]:
    category = _weighted(rng, CATEGORY_WEIGHT)
    age = (today - received).days
    if state is None:
        if age > 35:
            state = _weighted(rng, [(S.CLOSED, 90), (S.NOT_ACCEPTED, 8), (S.MEDIATION, 0.5)])
        elif age > 20:
            state = _weighted(rng, [(S.CLOSED, 70), (S.REPLIED, 10), (S.FORWARDED, 12), (S.NOT_ACCEPTED, 8)])
        elif age > 3:
            state = _weighted(rng, [(S.CLOSED, 25), (S.REPLIED, 25), (S.FORWARDED, 40), (S.NOT_ACCEPTED, 10)])
        else:
            state = _weighted(rng, [(S.RECEIVED, 70), (S.FORWARDED, 30)])
    rec_at = _at(received, rng.randint(8, 20), rng.randint(0, 59))
    c = Complaint(
        case_no=f"SS{received:%Y%m%d}{i:06d}",
        channel=_weighted(rng, [(Channel.WEB, 55), (Channel.PHONE, 40), (Channel.LETTER, 4), (Channel.FAX, 1)]),
        enterprise=ent,
        outlet=rng.choice(outlets) if outlets and rng.random() < 0.8 else None,
        brand=brand,
        city_code=ent.city_code,
        waybill_no=f"{brand.code[:2]}{rng.randint(10**11, 10**12 - 1)}",
        category=category,
        business_type=_weighted(rng, [(BusinessType.PARCEL, 90), (BusinessType.LETTER, 6), (BusinessType.OTHER, 4)]),
        description=rng.choice(TEXTS[category]),
        claim=rng.choice(["赔偿损失", "尽快投递", "赔礼道歉", "退还多收费用", ""]),
        complainant_name=rng.choice("王李张刘陈杨赵黄周吴")
        + rng.choice(["丽", "强", "敏", "伟", "芳", "军", "静", "磊"]),
        mailed_on=received - timedelta(days=rng.randint(9, 40)),
        prior_complaint_on=received - timedelta(days=rng.randint(7, 12)),
        status=state,
        received_at=rec_at,
        received_on=received,
        accept_due=services.accept_due_for(received),
    )
    c.set_phone(f"1{rng.choice('3589')}{rng.randint(10**8, 10**9 - 1)}")
    history: list[tuple[str, str, str, datetime, str]] = [("register", "", S.RECEIVED, rec_at, c.get_channel_display())]
    if state == S.RECEIVED:
        return c, history
    late_accept = rng.random() < 0.05
    acc_day = (
        c.accept_due + timedelta(days=1) if late_accept else min(received + timedelta(days=rng.randint(0, 1)), today)
    )
    acc_day = min(acc_day, today)
    acc_at = max(_at(acc_day, rng.randint(9, 17)), rec_at + timedelta(minutes=30))
    if state == S.NOT_ACCEPTED:
        reason = _weighted(
            rng,
            [
                (RefuseReason.NO_PRIOR, 50),
                (RefuseReason.DUPLICATE, 30),
                (RefuseReason.IN_COURT, 10),
                (RefuseReason.TOO_OLD, 10),
            ],
        )
        c.refuse_reason = reason
        c.closed_at = acc_at
        c.retain_until = services.retain_until_for(acc_day)
        c.accept_overdue = acc_day > c.accept_due
        history.append(("refuse", S.RECEIVED, S.NOT_ACCEPTED, acc_at, str(RefuseReason(reason).label)))
        return c, history
    c.accepted_at = acc_at
    c.accept_overdue = acc_day > c.accept_due
    c.reply_due = services.reply_due_for(acc_day)
    c.final_due = services.final_due_for(acc_day)
    history.append(("accept", S.RECEIVED, S.FORWARDED, acc_at, ""))
    if state == S.FORWARDED:
        return c, history
    late_reply = rng.random() < (0.15 if brand.code in ("ZJS", "BEST", "STO", "TTK", "FAST") else 0.06)
    rep_day = (
        c.reply_due + timedelta(days=rng.randint(1, 4)) if late_reply else acc_day + timedelta(days=rng.randint(3, 13))
    )
    rep_day = min(rep_day, today)
    rep_at = max(_at(rep_day, rng.randint(9, 17)), acc_at + timedelta(hours=1))
    c.reply_text = rng.choice(REPLIES)
    c.reply_handler = rng.choice(["李明", "王芳", "赵强", "孙丽"])
    c.replied_at = rep_at
    c.reply_overdue = rep_day > c.reply_due
    c.callback_due = services.callback_due_for(rep_day)
    history.append(("reply", S.FORWARDED, S.REPLIED, rep_at, c.reply_text))
    if state == S.REPLIED:
        return c, history
    close_day = min(rep_day + timedelta(days=rng.randint(1, 3)), today)
    close_at = max(_at(close_day, rng.randint(9, 17)), rep_at + timedelta(hours=1))
    valid = rng.random() < 0.2
    c.is_valid = valid
    c.satisfaction = _weighted(
        rng,
        [
            (Satisfaction.SATISFIED, 80),
            (Satisfaction.BASIC, 14),
            (Satisfaction.UNSATISFIED, 4),
            (Satisfaction.UNREACHABLE, 2),
        ],
    )
    if valid:
        c.compensation = Decimal(rng.choice([20, 50, 100, 200, 300]))
    c.callback_overdue = close_day > c.callback_due
    if state == S.MEDIATION:
        c.is_valid, c.satisfaction = None, ""
        history.append(("mediate", S.REPLIED, S.MEDIATION, close_at, "申诉人对赔偿金额不满意，同意调解"))
        return c, history
    c.closed_at = close_at
    c.retain_until = services.retain_until_for(close_day)
    c.final_overdue = close_day > c.final_due
    history.append(("callback", S.REPLIED, S.CLOSED, close_at, ""))
    return c, history
