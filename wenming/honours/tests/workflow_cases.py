"""Every honours transition, for the generic suite (tests/test_every_transition.py).

Applications of the Shenyang 顺丰 outlet to the 青年文明号 cycle of the province (the registered chain
``honours.application``: city review → province review → scoring → committee → 公示); an objection to
an entry of a running 公示; a 巾帼文明岗 title of the outlet in each state of its dynamic management.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse

from wenming.honours import services
from wenming.honours.choices import TitleStatus as T
from wenming.honours.models import Evidence, Recheck
from wenming.honours.tests import factories as f
from wenming.workflow.testing import TransitionCase, cases


def _cycle(ns: Any):
    return f.cycle("youth_civilization", ns.t.province)


def _ready_draft(ns: Any, status: str):
    """An eligible application (8 young couriers, a leader of 30, a city title held for two years)."""
    members = f.team(ns.t.shenyang_outlet, 8)
    c = _cycle(ns)
    f.title("youth_civilization", ns.t.shenyang_outlet, level="city", valid_from=f.today() - timedelta(days=800))
    app = f.application(c, ns.t.shenyang_outlet, status=status, by=ns.p.shenyang_outlet, leader=members[0])
    for code in ("plan", "notice_board"):
        Evidence.objects.create(
            application=app, requirement=code, kind="file", file="honours/evidence/x.pdf", label=code
        )
    return app


def _app(ns: Any, status: str):
    return f.application(_cycle(ns), ns.t.shenyang_outlet, status=status, by=ns.p.shenyang_outlet)


def _objection(ns: Any, status: str):
    app = _app(ns, "notice")
    n = f.notice(app.cycle, [app])
    return f.objection(n, app, status=status)


def _title(ns: Any, status: str, **kw: Any):
    t = f.title("women_civilization_post", ns.t.shenyang_outlet, status=status, **kw)
    if status == T.UNDER_REVIEW:
        Recheck.objects.create(
            title=t,
            year=f.today().year,
            opened_on=f.today() - timedelta(days=40),
            due_on=f.today() - timedelta(days=1),
            result="reported",
            self_report="本年度开展巾帼志愿服务 12 次，服务承诺全部兑现，无有效投诉。",
        )
    if status == T.RECTIFYING:
        t.rectify_due = f.today() + timedelta(days=10)
        t.save(update_fields=["rectify_due"])
    return t


def _missed(ns: Any, status: str):
    t = f.title("women_civilization_post", ns.t.shenyang_outlet, status=status)
    Recheck.objects.create(
        title=t, year=f.today().year, opened_on=f.today() - timedelta(days=40), due_on=f.today() - timedelta(days=1)
    )
    return t


outlet = lambda ns: ns.p.shenyang_outlet  # noqa: E731
city = lambda ns: ns.p.shenyang_admin  # noqa: E731
province = lambda ns: ns.p.province_admin  # noqa: E731
dalian = lambda ns: ns.p.dalian_admin  # noqa: E731
W = "honours.application"


def decide(d: str, c: str = ""):
    return lambda a, by: services.application_decide(application_id=a.pk, decision=d, comment=c, by=by)


def http_decide(d: str):
    return lambda a: (reverse("honours:application-decide", args=[a.pk]), {"decision": d, "comment": "请补充"})


cases(
    TransitionCase(
        W,
        "submit",
        make=lambda ns: _ready_draft(ns, "draft"),
        fire=lambda a, by: services.application_submit(application_id=a.pk, by=by),
        allowed=outlet,
        denied=province,
        wrong_state="city_review",
        http=lambda a: (reverse("honours:application-submit", args=[a.pk]), {}),
        outsider=dalian,
    ),
    TransitionCase(
        W,
        "resubmit",
        make=lambda ns: _ready_draft(ns, "returned"),
        fire=lambda a, by: services.application_submit(application_id=a.pk, by=by),
        allowed=outlet,
        denied=province,
        wrong_state="province_review",
        http=lambda a: (reverse("honours:application-submit", args=[a.pk]), {}),
        outsider=dalian,
    ),
    TransitionCase(
        W,
        "advance",
        make=lambda ns: _app(ns, "city_review"),
        fire=decide("advance"),
        allowed=city,
        denied=province,  # the province decides the next stage, not the city's
        wrong_state="draft",
        http=http_decide("advance"),
        outsider=dalian,
    ),
    TransitionCase(
        W,
        "return",
        make=lambda ns: _app(ns, "province_review"),
        fire=decide("return", "请补充创建活动照片"),
        allowed=province,
        denied=city,
        wrong_state="draft",
        http=http_decide("return"),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        W,
        "reject",
        make=lambda ns: _app(ns, "city_review"),
        fire=decide("reject", "青年占比不足"),
        allowed=city,
        denied=outlet,
        wrong_state="returned",
        http=http_decide("reject"),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "honours.objection",
        "investigate",
        make=lambda ns: _objection(ns, "received"),
        fire=lambda o, by: services.objection_investigate(objection_id=o.pk, by=by),
        allowed=province,
        denied=city,
        wrong_state="dismissed",
        http=lambda o: (reverse("honours:objection-action", args=[o.pk, "investigate"]), {}),
        outsider=dalian,
    ),
    TransitionCase(
        "honours.objection",
        "uphold",
        make=lambda ns: _objection(ns, "investigating"),
        fire=lambda o, by: services.objection_decide(objection_id=o.pk, upheld=True, finding="经核实投诉属实", by=by),
        allowed=province,
        denied=city,
        wrong_state="received",
        http=lambda o: (reverse("honours:objection-action", args=[o.pk, "uphold"]), {"finding": "属实"}),
        outsider=dalian,
    ),
    TransitionCase(
        "honours.objection",
        "dismiss",
        make=lambda ns: _objection(ns, "investigating"),
        fire=lambda o, by: services.objection_decide(
            objection_id=o.pk, upheld=False, finding="投诉已按期办结，与事迹无关", by=by
        ),
        allowed=province,
        denied=city,
        wrong_state="received",
        http=lambda o: (reverse("honours:objection-action", args=[o.pk, "dismiss"]), {"finding": "不属实"}),
        outsider=dalian,
    ),
    TransitionCase(
        "honours.title",
        "recheck_open",
        make=lambda ns: _title(ns, T.ACTIVE),
        fire=lambda t, by: services.recheck_open(title_id=t.pk),
        allowed=None,
        denied=None,
        wrong_state=T.REVOKED,
    ),
    TransitionCase(
        "honours.title",
        "recheck_pass",
        make=lambda ns: _title(ns, T.UNDER_REVIEW),
        fire=lambda t, by: services.recheck_decide(title_id=t.pk, decision="recheck_pass", note="", by=by),
        allowed=city,
        denied=outlet,
        wrong_state=T.ACTIVE,
        http=lambda t: (reverse("honours:title-action", args=[t.pk, "recheck_pass"]), {}),
        outsider=dalian,
    ),
    TransitionCase(
        "honours.title",
        "warn",
        make=lambda ns: _title(ns, T.UNDER_REVIEW),
        fire=lambda t, by: services.recheck_decide(title_id=t.pk, decision="warn", note="服务承诺卡未上墙", by=by),
        allowed=city,
        denied=outlet,
        wrong_state=T.ACTIVE,
        http=lambda t: (reverse("honours:title-action", args=[t.pk, "warn"]), {"note": "整改"}),
        outsider=dalian,
    ),
    TransitionCase(
        "honours.title",
        "rectified",
        make=lambda ns: _title(ns, T.RECTIFYING),
        fire=lambda t, by: services.rectification_decide(title_id=t.pk, decision="rectified", note="", by=by),
        allowed=city,
        denied=outlet,
        wrong_state=T.ACTIVE,
        http=lambda t: (reverse("honours:title-action", args=[t.pk, "rectified"]), {}),
        outsider=dalian,
    ),
    TransitionCase(
        "honours.title",
        "downgrade",
        make=lambda ns: _title(ns, T.RECTIFYING),
        fire=lambda t, by: services.rectification_decide(title_id=t.pk, decision="downgrade", note="整改不到位", by=by),
        allowed=province,
        denied=city,
        wrong_state=T.ACTIVE,
        http=lambda t: (reverse("honours:title-action", args=[t.pk, "downgrade"]), {"note": "不到位"}),
        outsider=dalian,
    ),
    TransitionCase(
        "honours.title",
        "revoke",
        make=lambda ns: _title(ns, T.RECTIFYING),
        fire=lambda t, by: services.title_revoke(title_id=t.pk, reason="整改期满仍未达标", by=by),
        allowed=province,
        denied=city,
        wrong_state=T.EXPIRED,
        http=lambda t: (reverse("honours:title-action", args=[t.pk, "revoke"]), {"note": "未达标"}),
        outsider=dalian,
    ),
    TransitionCase(
        "honours.title",
        "withdraw_missed",
        make=lambda ns: _missed(ns, T.UNDER_REVIEW),
        fire=lambda t, by: services.titles_tick(),
        allowed=None,
        denied=None,
        wrong_state=T.RECTIFYING,
    ),
    TransitionCase(
        "honours.title",
        "expire",
        make=lambda ns: _title(ns, T.ACTIVE, valid_to=f.today() - timedelta(days=1)),
        fire=lambda t, by: services.titles_tick(),
        allowed=None,
        denied=None,
        wrong_state=T.REVOKED,
    ),
)
