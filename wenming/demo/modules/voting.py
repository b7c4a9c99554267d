"""Demo data of 网络投票: the 3rd 最美快递员 edition's public vote, open now.

The honours demo put the edition (第三届辽宁“最美快递员”寻找活动) in its 公众投票 stage with twelve nominees
from six cities; here the edition's poll is opened the way staff open it (``editions.poll_for_edition``
→ each candidate's consent recorded → ``poll_schedule``), so the candidates are the nominees and the
tally feeds the edition's combined score. About three days of votes are written through the vote path
itself (database engine, so the recount matches), plus one newspaper batch entered as the edition's
offline ballots (``honours.tally_enter``). No photos: the cards show the initial. Idempotent: a second
run finds the edition's poll and leaves it alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from wenming.honours import services as honours
from wenming.honours.choices import TallySource
from wenming.honours.models import Cycle
from wenming.voting import editions, engine, services
from wenming.voting.identity import Voter

VOTES = {"tiny": 120, "default": 900, "full": 3000}


def seed(ctx: Any) -> None:
    boss = ctx.users.get("province")
    cycle = Cycle.objects.filter(programme__code="most_beautiful_courier", year=2026, edition=3).first()
    if boss is None or cycle is None or editions.poll_of(cycle) is not None:
        return
    if not editions.nominees(cycle).exists():
        return
    poll = editions.poll_for_edition(cycle=cycle, by=boss)
    cands = list(poll.candidates.order_by("pk"))
    for c in cands:
        services.candidate_consent(candidate_id=c.pk, by=boss, note="候选人已签署公开事迹授权书（演示数据）")
    poll = services.poll_schedule(poll_id=poll.pk, by=boss)
    now = timezone.now()
    rng = ctx.rng
    weights = [rng.uniform(0.5, 3.0) for _ in cands]
    opened = max(poll.opens_at, now - timedelta(days=3))
    start = opened.timestamp() + 60
    span = (now - timedelta(minutes=5)).timestamp() - start
    total = VOTES.get(ctx.size, VOTES["default"])
    cast = 0
    for n in range(total):
        at = start + span * n / total
        if 1 <= datetime.fromtimestamp(at, engine.LOCAL_TZ).hour < 6:
            continue  # hardly anyone votes in the small hours
        cast += 1
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
    top = editions.nominees(cycle).first()
    honours.tally_enter(
        application_id=top.pk,
        votes=36,
        source=TallySource.NEWSPAPER,
        batch_ref="《辽宁日报》第 3 期剪报选票",
        counted_on=ctx.today,
        by=boss,
    )
    engine.seal(poll.pk, settle=timedelta(0))
    ctx.note("网络投票（第三届最美快递员，进行中）", cast)
