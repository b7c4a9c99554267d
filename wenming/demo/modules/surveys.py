"""Demo data of 满意度: a year of outlet survey responses ending today, with comments and follow-ups.

Realistic rather than uniform: each brand starts from its 2017 national score (domain §5.1), each
outlet gets its own offset, a few outlets are clearly weak, the express peak (November–December) and
the Spring Festival month score lower, and the outlet of one recorded activity improves after it (so
the effect panel of that activity shows a real difference-in-differences). Answers are generated per
indicator and scored by the same code as the public page. Bulk writes; deterministic via ``ctx.rng``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from wenming.organizations.models import Outlet
from wenming.surveys import comments, rollup, scoring, services
from wenming.surveys.choices import Dimension, FollowUpStatus
from wenming.surveys.models import CommentInsight, SurveyResponse

OUTLETS = {"tiny": 30, "default": 200, "full": 600}
PER_OUTLET = {"tiny": 100, "default": 180, "full": 200}
BRAND_BASE = {
    "SF": 83.4, "EMS": 79.9, "ZTO": 76.8, "YUNDA": 76.5, "YTO": 75.0, "STO": 74.1,
    "BEST": 74.0, "ZJS": 71.9, "TTK": 70.9, "FAST": 67.3, "CNPOST": 80.5, "JD": 81.0, "DEPPON": 78.0,
    "ANE": 72.0, "UC": 71.0,
}  # fmt: skip
SEASON = {1: -0.5, 2: -2.5, 3: 0.5, 4: 1.0, 5: 1.0, 6: 0.5, 7: 0.0, 8: 0.0, 9: 0.5, 10: 0.0, 11: -3.5, 12: -2.5}
VOLUME = {1: 0.9, 2: 0.7, 3: 1.0, 4: 1.0, 5: 1.0, 6: 1.1, 7: 1.0, 8: 1.0, 9: 1.0, 10: 1.0, 11: 1.5, 12: 1.3}
# stages score differently (after-sales is the national weak point, domain §5.1)
STAGE_OFFSET = {"acceptance": 1.5, "pickup": 2.5, "delivery": 0.0, "after_sales": -6.0, "information": 1.0}
GOOD_COMMENTS = [
    "快递员服务热情周到，送货很快，非常满意",
    "网点工作人员态度好，寄件方便",
    "投递及时，还提前电话联系，点赞",
    "包装很仔细，东西完好无损，谢谢",
    "取件很准时，收费透明",
]
BAD_COMMENTS = [
    "快递员态度恶劣，包裹被摔坏了，太差劲了",
    "没打电话就直接放驿站，取件很不方便，很不满意",
    "投诉了好几天没人回复，问题件一直没处理",
    "收费不透明，乱收费，体验很差",
    "物流信息一直不更新，延误了一个星期",
]
NEUTRAL_COMMENTS = ["希望周末也能上门取件", "网点营业时间能不能延长一些", "建议增加自提柜"]


def _answers(fq: services.FrozenQuestionnaire, target: float, rng: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in fq.questions:
        if q.is_scored:
            if q.dimension == Dimension.AFTER_SALES and rng.random() < 0.6:
                continue  # most people never needed after-sales service
            v = 1 + (target + STAGE_OFFSET.get(q.dimension, 0.0) + rng.gauss(0, 9)) / 25
            answers[q.key] = max(1, min(5, round(v)))
    answers["problem"] = "有" if target < 70 and rng.random() < 0.6 else "没有"
    if answers["problem"] == "有":
        answers["problem_kind"] = rng.sample(["延误", "丢失短少", "损毁", "态度差", "乱收费", "未按址投递"], k=1)
    return answers


def _pick_activity(outlet_ids: set[int], today: date):
    try:
        from wenming.activities.models import Activity  # deferred: the activities demo may not be installed
    except ImportError:  # pragma: no cover
        return None
    lo, hi = today - timedelta(days=250), today - timedelta(days=130)
    return (
        Activity.objects.filter(outlet_id__in=outlet_ids, starts_at__date__gte=lo, starts_at__date__lte=hi)
        .order_by("starts_at", "pk")
        .first()
    )


def seed(ctx: Any) -> None:
    rng = ctx.rng
    today = getattr(ctx, "today", None) or date.today()
    q = services.ensure_default_questionnaire(organization=ctx.province)
    fq = services.frozen_questionnaire(q.pk)
    outlets = list(Outlet.objects.select_related("organization", "brand").order_by("pk"))
    if not outlets:
        return
    n_out = min(OUTLETS.get(ctx.size, 30), len(outlets))
    chosen = rng.sample(outlets, n_out)
    # the outlets of a mid-year activity and its city's others are surveyed, so the activity can be evaluated
    activity = _pick_activity({o.pk for o in outlets}, today)
    if activity is not None:
        city = activity.outlet.city_code
        same_city = [o for o in outlets if o.organization.city_code == city][:25]
        chosen = list({o.pk: o for o in [*same_city, *chosen]}.values())
    start = today - timedelta(days=364)
    rollup.ensure_partitions(start=start)
    weak = set(rng.sample([o.pk for o in chosen], k=max(2, len(chosen) // 25)))
    rows: list[SurveyResponse] = []
    n_days = (today - start).days + 1
    for o in chosen:
        info = services.outlet_info(o.pk)
        if info is None:
            continue
        base = BRAND_BASE.get(o.brand.code, 75.0) + rng.gauss(0, 3.0) - (9.0 if o.pk in weak else 0.0)
        volume = PER_OUTLET.get(ctx.size, 100) * rng.uniform(0.7, 1.3)
        if activity is not None and o.pk == activity.outlet_id:
            volume *= 1.6  # a busy outlet: enough answers before and after for the evaluation
        n = int(volume)
        for _ in range(n):
            day = start + timedelta(days=rng.randrange(n_days))
            if rng.random() > VOLUME[day.month] / 1.5:
                day = start + timedelta(days=rng.randrange(n_days))  # fewer in quiet months, more at the peak
            target = base + SEASON[day.month]
            if activity is not None and o.pk == activity.outlet_id and day > timezone.localdate(activity.starts_at):
                target += 7.0  # the activity's outlet improved afterwards
            answers = _answers(fq, target, rng)
            s = scoring.score(fq.questions, answers)
            r = rng.random()
            if r < 0.12:
                pool = (
                    BAD_COMMENTS
                    if (s["score"] or 0) < 650
                    else GOOD_COMMENTS
                    if (s["score"] or 0) > 800
                    else NEUTRAL_COMMENTS
                )
                answers["comment"] = rng.choice(pool)
            submitted = timezone.make_aware(datetime.combine(day, time(rng.randint(8, 20), rng.randint(0, 59))))
            rows.append(
                SurveyResponse(
                    outlet_id=info.outlet_id,
                    enterprise_id=info.enterprise_id,
                    brand_id=info.brand_id,
                    city_code=info.city_code,
                    questionnaire_id=q.pk,
                    day=day,
                    month=day.replace(day=1),
                    submitted_at=submitted,
                    device=f"{rng.getrandbits(128):032x}",
                    answers=answers,
                    comment=scoring.comment_of(fq.questions, answers),
                    score=s["score"],
                    s_acceptance=s[Dimension.ACCEPTANCE],
                    s_pickup=s[Dimension.PICKUP],
                    s_delivery=s[Dimension.DELIVERY],
                    s_after_sales=s[Dimension.AFTER_SALES],
                    s_information=s[Dimension.INFORMATION],
                )
            )
    rows.sort(key=lambda r: r.submitted_at)  # ids in time order, as the live table would have them
    SurveyResponse.objects.bulk_create(rows, batch_size=2000)
    while comments.process(batch=5000, notify=False):
        pass
    old = today - timedelta(days=45)
    CommentInsight.objects.filter(status=FollowUpStatus.OPEN, day__lt=old).update(
        status=FollowUpStatus.HANDLED, handling_note="已回访群众并整改"
    )
    rollup.rebuild()
    ctx.note("满意度答卷", len(rows))
    ctx.note("满意度留言", CommentInsight.objects.count())
