"""Every editorial transition of the news CMS, for the generic suite (tests/test_every_transition.py).

A story of the Shenyang 顺丰 enterprise (reviewed by the Shenyang bureau, published by the province), and
one of the provincial bureau's office (submitted straight to the province).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from wenming.portal import services
from wenming.portal.choices import ArticleStatus as S
from wenming.portal.models import Article
from wenming.workflow.testing import TransitionCase, cases


def story(ns: Any, status: str, *, org: Any = None, by: Any = None, **extra: Any) -> Article:
    return Article.objects.create(
        organization=org or ns.t.shenyang_enterprise,
        category="grassroots",
        title="和平营业部开展文明寄递进社区活动",
        summary="快递小哥走进社区讲解安全寄递知识。",
        body="11月20日，和平营业部的快递员走进长白街道第一社区。\n\n## 现场服务\n- 讲解安全寄递\n- 回收包装",
        status=status,
        created_by=by or ns.p.shenyang_enterprise,
        revision=1,
        **extra,
    )


def _act(name: str, **data: Any):
    return lambda a: (reverse("portal:article-act", args=[a.pk, name]), data)


enterprise = lambda ns: ns.p.shenyang_enterprise  # noqa: E731
city = lambda ns: ns.p.shenyang_admin  # noqa: E731
province = lambda ns: ns.p.province_admin  # noqa: E731
dalian = lambda ns: ns.p.dalian_admin  # noqa: E731
expert = lambda ns: ns.p.expert  # noqa: E731

cases(
    TransitionCase(
        "portal.article",
        "submit",
        make=lambda ns: story(ns, S.DRAFT),
        fire=lambda a, by: services.article_submit(article_id=a.pk, by=by),
        allowed=enterprise,
        denied=expert,  # writes nothing
        wrong_state=S.PUBLISHED,
        http=_act("submit"),
        outsider=dalian,
    ),
    TransitionCase(
        "portal.article",
        "submit_direct",
        make=lambda ns: story(ns, S.RETURNED, org=ns.t.office, by=ns.p.province_admin),
        fire=lambda a, by: services.article_submit(article_id=a.pk, by=by),
        allowed=province,
        denied=expert,
        wrong_state=S.PROVINCE_REVIEW,
        http=_act("submit"),
        outsider=city,  # a city bureau does not write for the province's office
    ),
    TransitionCase(
        "portal.article",
        "approve",
        make=lambda ns: story(ns, S.CITY_REVIEW),
        fire=lambda a, by: services.article_approve(article_id=a.pk, by=by),
        allowed=city,
        denied=province,  # the province publishes; it does not do the city's review
        wrong_state=S.DRAFT,
        http=_act("approve"),
        outsider=dalian,
    ),
    TransitionCase(
        "portal.article",
        "return",
        make=lambda ns: story(ns, S.CITY_REVIEW),
        fire=lambda a, by: services.article_return(article_id=a.pk, by=by, comment="请补充活动照片"),
        allowed=city,
        denied=enterprise,
        wrong_state=S.PROVINCE_REVIEW,
        http=_act("return", comment="请补充"),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "portal.article",
        "publish",
        make=lambda ns: story(ns, S.PROVINCE_REVIEW),
        fire=lambda a, by: services.article_publish(article_id=a.pk, by=by),
        allowed=province,
        denied=city,  # reviews, never publishes
        wrong_state=S.CITY_REVIEW,
        http=_act("publish"),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "portal.article",
        "schedule",
        make=lambda ns: story(ns, S.PROVINCE_REVIEW),
        fire=lambda a, by: services.article_schedule(
            article_id=a.pk, publish_at=timezone.now() + timedelta(hours=2), by=by
        ),
        allowed=province,
        denied=city,
        wrong_state=S.DRAFT,
        http=_act("schedule", publish_at=(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")),
        outsider=dalian,
    ),
    TransitionCase(
        "portal.article",
        "province_return",
        make=lambda ns: story(ns, S.PROVINCE_REVIEW),
        fire=lambda a, by: services.article_province_return(article_id=a.pk, by=by, comment="标题请更简洁"),
        allowed=province,
        denied=city,
        wrong_state=S.RETURNED,
        http=_act("province_return", comment="请修改"),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "portal.article",
        "release",
        make=lambda ns: story(ns, S.SCHEDULED, publish_at=timezone.now() - timedelta(minutes=1)),
        fire=lambda a, by: services.release_due(),
        allowed=None,  # the scheduler alone
        denied=None,
        wrong_state=S.PUBLISHED,
        notifies=True,
    ),
    TransitionCase(
        "portal.article",
        "withdraw",
        make=lambda ns: story(ns, S.PUBLISHED, published_at=timezone.now()),
        fire=lambda a, by: services.article_withdraw(article_id=a.pk, by=by, comment="信息有误"),
        allowed=province,
        denied=city,
        wrong_state=S.DRAFT,
        http=_act("withdraw", comment="信息有误"),
        outsider=dalian,
        notifies=True,
    ),
)
