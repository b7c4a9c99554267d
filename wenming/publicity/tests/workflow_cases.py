"""Every publicity transition, for the generic suite (tests/test_every_transition.py).

Exemplars and values belong to the Shenyang 顺丰 enterprise, notices are sent by the province or the
Shenyang bureau, suggestions are handled by the Shenyang bureau.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from wenming.publicity import services
from wenming.workflow.testing import TransitionCase, cases

from . import factories as f

enterprise = lambda ns: ns.p.shenyang_enterprise  # noqa: E731
outlet = lambda ns: ns.p.shenyang_outlet  # noqa: E731
city = lambda ns: ns.p.shenyang_admin  # noqa: E731
staff = lambda ns: ns.p.shenyang_staff  # noqa: E731
province = lambda ns: ns.p.province_admin  # noqa: E731
dalian = lambda ns: ns.p.dalian_admin  # noqa: E731
expert = lambda ns: ns.p.expert  # noqa: E731


def _move(name):
    return lambda o: (reverse("publicity:exemplar-move", args=[o.pk, name]), {"comment": "测试"})


def _smove(name, data=None):
    return lambda o: (reverse("publicity:suggestion-move", args=[o.pk, name]), data or {})


def _vmove(name):
    return lambda o: (reverse("publicity:values-move", args=[o.pk, name]), {"note": "请补充"})


cases(
    TransitionCase(
        "publicity.exemplar",
        "verify",
        make=lambda ns: f.exemplar(ns.t.shenyang_outlet, "draft"),
        fire=lambda e, by: services.exemplar_verify(by=by, exemplar_id=e.pk),
        allowed=enterprise,
        denied=outlet,  # records, the unit above verifies
        wrong_state="published",
        http=_move("verify"),
        outsider=dalian,
    ),
    TransitionCase(
        "publicity.exemplar",
        "reopen",
        make=lambda ns: f.exemplar(ns.t.shenyang_outlet, "verified"),
        fire=lambda e, by: services.exemplar_reopen(by=by, exemplar_id=e.pk, comment="事迹需补充"),
        allowed=outlet,
        denied=expert,
        wrong_state="draft",
        http=_move("reopen"),
        outsider=dalian,
    ),
    TransitionCase(
        "publicity.exemplar",
        "publish",
        make=lambda ns: f.exemplar(ns.t.shenyang_enterprise, "verified"),
        fire=lambda e, by: services.exemplar_publish(by=by, exemplar_id=e.pk),
        allowed=city,
        denied=enterprise,  # the unit verifies, the bureau publishes
        wrong_state="draft",
        http=_move("publish"),
        outsider=dalian,
    ),
    TransitionCase(
        "publicity.exemplar",
        "unpublish",
        make=lambda ns: f.exemplar(ns.t.shenyang_enterprise, "published"),
        fire=lambda e, by: services.exemplar_unpublish(by=by, exemplar_id=e.pk, comment="事迹有误"),
        allowed=city,
        denied=enterprise,
        wrong_state="verified",
        http=_move("unpublish"),
        outsider=dalian,
    ),
    TransitionCase(
        "publicity.exemplar",
        "withdraw",
        make=lambda ns: f.exemplar(ns.t.shenyang_enterprise, "published"),
        fire=lambda e, by: services.exemplar_withdraw_published(by=by, exemplar_id=e.pk, note="本人电话撤回"),
        allowed=enterprise,
        denied=expert,
        wrong_state="draft",
        http=lambda e: (reverse("publicity:exemplar-withdraw", args=[e.pk]), {"comment": "撤回"}),
        outsider=dalian,
    ),
    TransitionCase(
        "publicity.exemplar",
        "expire",
        make=lambda ns: f.exemplar(
            ns.t.shenyang_enterprise, "published", consent_until=timezone.localdate() - timedelta(days=1)
        ),
        fire=lambda e, by: services.exemplar_expire_consents(),
        allowed=None,  # the hourly job
        denied=None,
        wrong_state="verified",
    ),
    TransitionCase(
        "publicity.notice",
        "send",
        make=lambda ns: f.notice(ns.t.province),
        fire=lambda n, by: services.notice_send(by=by, notice_id=n.pk),
        allowed=province,
        denied=enterprise,
        wrong_state="sent",
        http=lambda n: (reverse("publicity:notice-send", args=[n.pk]), {}),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "publicity.suggestion",
        "route",
        make=lambda ns: f.suggestion(ns.t.shenyang),
        fire=lambda s, by: services.suggestion_route(
            by=by, suggestion_id=s.pk, unit=s.organization.children.get(kind="enterprise")
        ),
        allowed=city,
        denied=outlet,
        wrong_state="routed",
        http=_smove("route"),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "publicity.suggestion",
        "answer",
        make=lambda ns: f.suggestion(ns.t.shenyang_enterprise, "routed", submitted_by=ns.p.shenyang_outlet),
        fire=lambda s, by: services.suggestion_answer(by=by, suggestion_id=s.pk, answer="已采纳试点。"),
        allowed=enterprise,
        denied=outlet,
        wrong_state="submitted",
        http=_smove("answer", {"answer": "答复"}),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "publicity.suggestion",
        "adopt",
        make=lambda ns: f.suggestion(ns.t.shenyang, "answered"),
        fire=lambda s, by: services.suggestion_adopt(by=by, suggestion_id=s.pk, note="纳入明年重点工作"),
        allowed=staff,
        denied=expert,
        wrong_state="routed",
        http=_smove("adopt"),
        outsider=dalian,
    ),
    TransitionCase(
        "publicity.suggestion",
        "decline",
        make=lambda ns: f.suggestion(ns.t.shenyang, "answered"),
        fire=lambda s, by: services.suggestion_decline(by=by, suggestion_id=s.pk, note="条件暂不具备"),
        allowed=city,
        denied=expert,
        wrong_state="adopted",
        http=_smove("decline", {"note": "暂不具备"}),
        outsider=dalian,
    ),
    TransitionCase(
        "publicity.values",
        "submit",
        make=lambda ns: f.values(ns.t.shenyang_enterprise, "draft"),
        fire=lambda v, by: services.values_submit(by=by, statement_id=v.pk),
        allowed=enterprise,
        denied=city,  # reviews, does not write the enterprise's values
        wrong_state="approved",
        http=_vmove("submit"),
        outsider=dalian,
    ),
    TransitionCase(
        "publicity.values",
        "approve",
        make=lambda ns: f.values(ns.t.shenyang_enterprise, "submitted"),
        fire=lambda v, by: services.values_approve(by=by, statement_id=v.pk),
        allowed=city,
        denied=enterprise,
        wrong_state="draft",
        http=_vmove("approve"),
        outsider=dalian,
    ),
    TransitionCase(
        "publicity.values",
        "return",
        make=lambda ns: f.values(ns.t.shenyang_enterprise, "submitted"),
        fire=lambda v, by: services.values_return(by=by, statement_id=v.pk, note="道德规范过于笼统"),
        allowed=city,
        denied=enterprise,
        wrong_state="approved",
        http=_vmove("return"),
        outsider=dalian,
    ),
)
