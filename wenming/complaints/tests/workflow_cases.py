"""Every complaint transition, for the generic suite (tests/test_every_transition.py).

A complaint against the Shenyang 顺丰 enterprise: the Shenyang bureau handles it, the enterprise
answers it, the Dalian bureau is out of scope.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from wenming.complaints import services
from wenming.complaints.choices import ComplaintStatus as S
from wenming.complaints.choices import Satisfaction
from wenming.workflow.testing import TransitionCase, cases

from .factories import make_complaint


def _case(ns: Any, status: str):
    today = timezone.localdate()
    extra: dict[str, Any] = {}
    if status != S.RECEIVED:
        extra.update(
            accepted_at=timezone.now(), reply_due=today + timedelta(days=15), final_due=today + timedelta(days=30)
        )
    if status in (S.REPLIED, S.CLOSED, S.MEDIATION):
        extra.update(
            replied_at=timezone.now(),
            reply_text="已核实，快件滞留分拨中心，已安排投递。",
            callback_due=today + timedelta(days=3),
        )
    return make_complaint(ns.t.shenyang_enterprise, outlet=ns.t.shenyang_outlet, status=status, **extra)


enterprise = lambda ns: ns.p.shenyang_enterprise  # noqa: E731
city = lambda ns: ns.p.shenyang_admin  # noqa: E731
dalian = lambda ns: ns.p.dalian_admin  # noqa: E731
close = {"callback-is_valid": "1", "callback-satisfaction": Satisfaction.SATISFIED, "callback-note": ""}

cases(
    TransitionCase(
        "complaints.complaint",
        "accept",
        make=lambda ns: _case(ns, S.RECEIVED),
        fire=lambda c, by: services.complaint_accept(complaint_id=c.pk, by=by),
        allowed=city,
        denied=enterprise,
        wrong_state=S.FORWARDED,
        http=lambda c: (reverse("complaints:accept", args=[c.pk]), {"accept-note": ""}),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "complaints.complaint",
        "refuse",
        make=lambda ns: _case(ns, S.RECEIVED),
        fire=lambda c, by: services.complaint_refuse(complaint_id=c.pk, by=by, reason="duplicate"),
        allowed=city,
        denied=enterprise,
        wrong_state=S.CLOSED,
        http=lambda c: (reverse("complaints:refuse", args=[c.pk]), {"refuse-reason": "duplicate"}),
        outsider=dalian,
    ),
    TransitionCase(
        "complaints.complaint",
        "reply",
        make=lambda ns: _case(ns, S.FORWARDED),
        fire=lambda c, by: services.complaint_reply(
            complaint_id=c.pk, by=by, text="经核实，快件在分拨中心滞留，已于次日投递并致歉。", handler="李明"
        ),
        allowed=enterprise,
        denied=city,
        wrong_state=S.RECEIVED,
        http=lambda c: (
            reverse("complaints:reply", args=[c.pk]),
            {"reply-text": "经核实，快件在分拨中心滞留，已投递。", "reply-handler": "李明"},
        ),
        outsider=dalian,
    ),
    TransitionCase(
        "complaints.complaint",
        "return",
        make=lambda ns: _case(ns, S.REPLIED),
        fire=lambda c, by: services.complaint_return(complaint_id=c.pk, by=by, reason="未说明责任认定"),
        allowed=city,
        denied=enterprise,
        wrong_state=S.FORWARDED,
        http=lambda c: (reverse("complaints:return", args=[c.pk]), {"return-reason": "未说明责任认定"}),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "complaints.complaint",
        "callback",
        make=lambda ns: _case(ns, S.REPLIED),
        fire=lambda c, by: services.complaint_callback(
            complaint_id=c.pk, by=by, is_valid=True, satisfaction=Satisfaction.SATISFIED
        ),
        allowed=city,
        denied=enterprise,
        wrong_state=S.FORWARDED,
        http=lambda c: (reverse("complaints:callback", args=[c.pk]), close),
        outsider=dalian,
    ),
    TransitionCase(
        "complaints.complaint",
        "mediate",
        make=lambda ns: _case(ns, S.CLOSED),
        fire=lambda c, by: services.complaint_mediate(complaint_id=c.pk, by=by, note="申诉人不满意赔偿，同意调解"),
        allowed=city,
        denied=enterprise,
        wrong_state=S.RECEIVED,
        http=lambda c: (reverse("complaints:mediate", args=[c.pk]), {"mediate-note": "同意调解"}),
        outsider=dalian,
    ),
    TransitionCase(
        "complaints.complaint",
        "conclude",
        make=lambda ns: _case(ns, S.MEDIATION),
        fire=lambda c, by: services.complaint_conclude(
            complaint_id=c.pk, by=by, is_valid=True, satisfaction=Satisfaction.BASIC, note="双方达成赔偿协议"
        ),
        allowed=city,
        denied=enterprise,
        wrong_state=S.FORWARDED,
        http=lambda c: (
            reverse("complaints:conclude", args=[c.pk]),
            {"conclude-is_valid": "1", "conclude-satisfaction": "basic", "conclude-note": "达成协议"},
        ),
        outsider=dalian,
    ),
)
