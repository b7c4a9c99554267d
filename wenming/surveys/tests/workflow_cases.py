"""Every surveys transition, for the generic suite (tests/test_every_transition.py).

A draft questionnaire of the Shenyang bureau with one scored question; a negative comment at the
Shenyang 顺丰 outlet routed to its enterprise.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from wenming.surveys import services
from wenming.surveys.choices import FollowUpStatus, QuestionnaireStatus
from wenming.surveys.models import CommentInsight, Question, Questionnaire
from wenming.workflow.testing import TransitionCase, cases


def _questionnaire(ns: Any, status: str) -> Questionnaire:
    q = Questionnaire.objects.create(
        organization=ns.t.shenyang, family=f"sy-{status}", title="沈阳网点服务评价", status=status
    )
    Question.objects.create(questionnaire=q, order=1, key="d1", kind="rating5", text="投递服务", dimension="delivery")
    return q


def _insight(ns: Any, status: str) -> CommentInsight:
    return CommentInsight.objects.create(
        response_id=10_000 + CommentInsight.objects.count(),
        outlet_id=ns.t.shenyang_outlet.pk,
        enterprise=ns.t.shenyang_enterprise,
        day=date(2026, 3, 1),
        text="快递员态度恶劣，件还丢了",
        sentiment=0.05,
        keywords=["态度恶劣"],
        negative=True,
        status=status,
    )


cases(
    TransitionCase(
        "surveys.questionnaire",
        "publish",
        make=lambda ns: _questionnaire(ns, QuestionnaireStatus.DRAFT),
        fire=lambda q, by: services.questionnaire_publish(questionnaire_id=q.pk, by=by),
        allowed=lambda ns: ns.p.shenyang_admin,
        denied=lambda ns: ns.p.shenyang_staff,  # follows comments up, does not manage questionnaires
        wrong_state=QuestionnaireStatus.RETIRED,
        http=lambda q: (reverse("surveys:questionnaire-publish", args=[q.pk]), {}),
        outsider=lambda ns: ns.p.dalian_admin,
    ),
    TransitionCase(
        "surveys.questionnaire",
        "retire",
        make=lambda ns: _questionnaire(ns, QuestionnaireStatus.PUBLISHED),
        fire=lambda q, by: services.questionnaire_retire(questionnaire_id=q.pk, by=by),
        allowed=lambda ns: ns.p.shenyang_admin,
        denied=lambda ns: ns.p.shenyang_staff,
        wrong_state=QuestionnaireStatus.DRAFT,
        http=lambda q: (reverse("surveys:questionnaire-retire", args=[q.pk]), {}),
        outsider=lambda ns: ns.p.dalian_admin,
    ),
    TransitionCase(
        "surveys.follow_up",
        "handle",
        make=lambda ns: _insight(ns, FollowUpStatus.OPEN),
        fire=lambda c, by: services.follow_up_handle(insight_id=c.pk, note="已电话回访并致歉，丢件已赔偿", by=by),
        allowed=lambda ns: ns.p.shenyang_enterprise,
        denied=lambda ns: ns.p.expert,
        wrong_state=FollowUpStatus.NONE,
        http=lambda c: (reverse("surveys:comment-handle", args=[c.pk]), {"note": "已回访"}),
        outsider=lambda ns: ns.p.dalian_admin,
    ),
)
