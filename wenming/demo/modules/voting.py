"""Demo data of 网络投票: the 3rd 最美快递员 poll, open now, with twelve demo couriers as candidates.

Every candidate's consent is recorded (the demo couriers are invented people); no photos — the cards
show the initial. About three days of votes are written through the vote path itself (database engine,
so the recount matches), plus one newspaper batch for the offline channel. Idempotent: a second run
finds the poll by its title and leaves it alone.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from wenming.people.models import Courier
from wenming.voting import engine, services
from wenming.voting.choices import PollStatus
from wenming.voting.identity import Voter
from wenming.voting.models import Poll

TITLE = "第三届辽宁省“最美快递员”网络投票"
VOTES = {"tiny": 120, "default": 900, "full": 3000}
STORIES = [
    "坚守乡村投递线路九年，雪天徒步进山把药品送到独居老人家中。",
    "旺季日均派件三百余件零投诉，主动帮助新同事熟悉片区。",
    "发现包裹异常及时报告，协助警方破获一起寄递诈骗案。",
    "每周为社区行动不便的老人上门收件，被居民称为“贴心小哥”。",
    "暴雨夜里把被困在积水中的市民护送回家，事后才被网友认出。",
    "带头推广绿色包装，网点纸箱回收利用率提高到六成以上。",
    "连续三年获得企业“服务之星”，带出十二名技能骨干。",
    "疫情期间坚持为医院运送防护物资，从未耽误一单。",
    "在高校驿站开设寄递安全小课堂，讲解防诈骗知识。",
    "拾到装有现金的包裹原封不动交还失主，婉拒酬谢。",
    "参加全省技能竞赛获分拣项目一等奖，改进了网点分拣流程。",
    "利用休息时间为留守儿童代寄书信和礼物，坚持五年。",
]


def seed(ctx: Any) -> None:
    if Poll.objects.filter(title=TITLE).exists():
        return
    couriers = list(
        Courier.objects.filter(status="active")
        .select_related("outlet")
        .order_by("pk")[:: max(1, Courier.objects.count() // 40)][:12]
    ) or list(Courier.objects.select_related("outlet").order_by("pk")[:12])
    if not couriers:
        return
    now = timezone.now()
    poll = services.poll_create(
        by=None,
        organization=ctx.province,
        title=TITLE,
        intro="“最美快递员”评选由省邮政管理局、省精神文明建设指导委员会办公室联合开展。网络投票是评选的参考依据之一"
        "（占综合得分的 30%），最终结果以评审委员会审定并公示为准。",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=10),
        ballots_per_day=1,
        choices_per_ballot=10,
    )
    cands = []
    for i, c in enumerate(couriers):
        cands.append(
            services.candidate_add(
                by=None,
                poll=poll,
                name=c.name,
                unit=c.outlet.name,
                story=STORIES[i % len(STORIES)],
                consent=True,
                consent_note="候选人已签署公开事迹授权书（演示数据）",
                subject_key=f"people.courier:{c.pk}",
            )
        )
    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.SCHEDULED)
    engine.forget_rules(poll.pk)
    rng = ctx.rng
    weights = [rng.uniform(0.5, 3.0) for _ in cands]
    start = (now - timedelta(days=3)).timestamp() + 60
    span = (now - timedelta(minutes=5)).timestamp() - start
    total = VOTES.get(ctx.size, VOTES["default"])
    for n in range(total):
        at = start + span * n / total
        picks = {rng.choices(cands, weights=weights)[0].pk for _ in range(rng.choice([1, 1, 1, 2, 3]))}
        voter = Voter(provider="sms", key=f"demo{n:060d}", verified_at=int(at) - 40, first_seen_at=int(at) - 86400 * 60)
        net = f"10.{rng.randint(0, 40)}.{rng.randint(0, 255)}.0/24"
        engine.cast(
            poll_id=poll.pk,
            voter=voter,
            candidate_ids=picks,
            meta=engine.Meta(ip=net.replace("0/24", str(rng.randint(2, 250))), net=net),
            now=at,
            via="db",
        )
    top = cands[0]
    services.offline_add(
        by=ctx.users["province"],
        poll=poll,
        candidate=top,
        kind="newspaper",
        votes=36,
        source="《辽宁日报》第 3 期“最美快递员”剪报选票",
        counted_on=ctx.today,
        witnesses="省局办公室 王敏、李强（演示数据）",
    )
    engine.seal(poll.pk, settle=timedelta(0))
    ctx.note("网络投票（第三届最美快递员，进行中）", total)
