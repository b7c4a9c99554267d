"""Comments: sentiment (snownlp) and keywords (jieba) per response, negative ones routed as follow-ups.

Runs in the background over the responses committed since its own watermark (the same safe-id rule as
the rollup), never in the submission request: both libraries load their models on first use.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wenming.accounts.roles import roles_with
from wenming.organizations.models import Organization, RoleAssignment
from wenming.workbench.services import notify_many

from .choices import FollowUpStatus
from .models import CommentInsight, RollupState, SurveyResponse
from .permissions import SurveyAction
from .rollup import safe_max_id

STATE = "surveys.comments"
NEGATIVE_BELOW = 0.3  # default of settings.WENMING_SURVEY_NEGATIVE_BELOW
KEYWORDS = 5
STOP = frozenset(
    {
        "快递",
        "网点",
        "服务",
        "感觉",
        "非常",
        "比较",
        "还是",
        "就是",
        "没有",
        "一个",
        "一些",
        "不能",
        "能不能",
        "可以",
        "什么",
        "这个",
    }
)


def negative_below() -> float:
    return float(getattr(settings, "WENMING_SURVEY_NEGATIVE_BELOW", NEGATIVE_BELOW))


@functools.lru_cache(maxsize=4096)
def analyse(text: str) -> tuple[float, tuple[str, ...]]:
    """(sentiment 0 … 1, keywords) of one comment."""
    # deferred: both libraries load their dictionaries and models at import (seconds); only the job needs them
    import jieba.analyse
    from snownlp import SnowNLP

    sentiment = float(SnowNLP(text).sentiments) if text.strip() else 0.5
    words = [w for w in jieba.analyse.extract_tags(text, topK=KEYWORDS + 3) if w not in STOP and len(w) > 1]
    return round(sentiment, 4), tuple(words[:KEYWORDS])


def _followers(enterprise_ids: set[int]) -> dict[int, set[int]]:
    """enterprise id → users holding a follow-up role on the enterprise or its subtree."""
    roles = roles_with(SurveyAction.FOLLOW_UP)
    out: dict[int, set[int]] = defaultdict(set)
    for ent in Organization.objects.filter(pk__in=enterprise_ids):
        users = RoleAssignment.objects.filter(
            organization__path__startswith=ent.path, role__in=roles, user__is_active=True
        ).values_list("user_id", flat=True)
        out[ent.pk].update(users)
    return out


def process(*, batch: int = 2000, notify: bool = True) -> int:
    """Analyse the comments committed since the last run; returns how many were analysed."""
    safe = safe_max_id()
    if safe is None:
        return 0
    with transaction.atomic():
        RollupState.objects.get_or_create(name=STATE)
        state = RollupState.objects.select_for_update().get(name=STATE)
        hi = min(safe, state.watermark + batch * 50)
        rows = list(
            SurveyResponse.objects.filter(id__gt=state.watermark, id__lte=hi)
            .exclude(comment="")
            .order_by("id")
            .values("id", "outlet_id", "enterprise_id", "day", "comment")[:batch]
        )
        if len(rows) == batch:
            hi = rows[-1]["id"]
        limit = negative_below()
        made = []
        for r in rows:
            sentiment, words = analyse(r["comment"])
            words = list(words)
            negative = sentiment < limit
            made.append(
                CommentInsight(
                    response_id=r["id"],
                    outlet_id=r["outlet_id"],
                    enterprise_id=r["enterprise_id"],
                    day=r["day"],
                    text=r["comment"],
                    sentiment=sentiment,
                    keywords=words,
                    negative=negative,
                    status=FollowUpStatus.OPEN if negative else FollowUpStatus.NONE,
                )
            )
        CommentInsight.objects.bulk_create(made, ignore_conflicts=True)
        state.watermark, state.refreshed_at, state.last_rows = hi, timezone.now(), len(made)
        state.save(update_fields=["watermark", "refreshed_at", "last_rows"])
        if notify:
            per_ent = Counter(m.enterprise_id for m in made if m.negative)
            if per_ent:
                followers = _followers(set(per_ent))
                url = reverse("surveys:comments") + "?status=open"
                for ent_id, n in per_ent.items():
                    notify_many(
                        recipients=followers.get(ent_id, ()),
                        title=f"网点收到 {n} 条负面留言，请跟进",
                        body="群众在网点满意度调查中留下了负面意见，请核实并记录跟进情况。",
                        url=url,
                        category="满意度",
                    )
    return len(made)


def keywords_of(insights: Any, top: int = 10) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for words in insights.values_list("keywords", flat=True):
        counts.update(words)
    return counts.most_common(top)
