"""Builders of the judging tests (and the transition cases): a small published scheme, a panel of
experts, a round with entries in Shenyang and Dalian."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wenming.judging import services
from wenming.judging.choices import Method
from wenming.judging.models import Indicator, Round, Scheme, VetoItem
from wenming.judging.services import EntrySpec

_n = {"i": 0}


def _next() -> int:
    _n["i"] += 1
    return _n["i"]


def published_scheme(org: Any, by: Any, *, family: str = "", pass_mark: str = "80") -> Scheme:
    """服务质量 60 (窗口服务 40 + 投诉处理 20) + 安全生产 40; one veto item; published."""
    scheme = services.scheme_create(
        organization=org,
        family=family or f"test-{_next()}",
        name="文明窗口测评体系",
        by=by,
        pass_mark=Decimal(pass_mark),
    )
    q = services.indicator_add(scheme_id=scheme.pk, by=by, data={"name": "服务质量", "max_points": "60"})
    services.indicator_add(
        scheme_id=scheme.pk,
        by=by,
        parent_id=q.pk,
        data={"name": "窗口服务", "max_points": "40", "method": Method.ON_SITE},
    )
    services.indicator_add(scheme_id=scheme.pk, by=by, parent_id=q.pk, data={"name": "投诉处理", "max_points": "20"})
    services.indicator_add(scheme_id=scheme.pk, by=by, data={"name": "安全生产", "max_points": "40"})
    services.veto_add(scheme_id=scheme.pk, by=by, text="发生重大寄递安全事故")
    return services.scheme_publish(scheme_id=scheme.pk, by=by)


def leaf_ids(scheme: Scheme) -> list[int]:
    return list(
        Indicator.objects.filter(scheme=scheme, children__isnull=True).order_by("code").values_list("pk", flat=True)
    )


def veto_id(scheme: Scheme) -> int:
    return VetoItem.objects.filter(scheme=scheme).values_list("pk", flat=True).first()


def make_expert(username: str, org: Any) -> Any:
    from conftest import make_user

    return make_user(username, role="expert", org=org, display_name=f"专家{username}")


def scoring_round(
    ns: Any,
    *,
    organization: Any = None,
    experts: list[Any] | None = None,
    affiliations: dict[int, Any] | None = None,
    entries: list[tuple[str, Any]] | None = None,
    start: bool = True,
    assign_all: bool = True,
) -> Round:
    """A round of the province (or ``organization``) with entries of Shenyang/Dalian outlets."""
    t, p = ns.t, ns.p
    org = organization or t.province
    by = p.province_admin if org == t.province else p.shenyang_admin
    scheme = published_scheme(t.province, p.province_admin)
    panel = services.panel_create(organization=org, name="文明窗口评审组", by=by)
    experts = experts if experts is not None else [p.expert]
    for e in experts:
        services.panel_add_member(panel_id=panel.pk, user=e, by=by, affiliation=(affiliations or {}).get(e.pk))
    entries = entries or [("沈阳和平营业部", t.shenyang_outlet), ("大连中山营业部", t.dalian_outlet)]
    now = timezone.now()
    rnd = services.open_round(
        scheme=scheme,
        title="2026年度文明窗口评审",
        organization=org,
        entries=[EntrySpec(f"test.entry:{_next()}", label, unit) for label, unit in entries],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        panel=panel,
        by=by,
    )
    if assign_all:
        services.assign(
            round_id=rnd.pk,
            entry_ids=list(rnd.entries.values_list("pk", flat=True)),
            expert_ids=[e.pk for e in experts],
            by=by,
        )
    if start:
        services.round_start(round_id=rnd.pk, by=by)
    rnd.refresh_from_db()
    return rnd


def score(assignment: Any, points: list[str], *, submit: bool = True, veto: bool = False) -> None:
    """Give the leaves (in code order) ``points`` and submit."""
    scheme = assignment.entry.round.scheme
    ids = leaf_ids(scheme)
    services.save_scores(
        assignment_id=assignment.pk,
        by=assignment.expert,
        points=dict(zip(ids, points, strict=True)),
        vetoes={veto_id(scheme): "发现事故"} if veto else {},
    )
    if submit:
        services.submit_scores(assignment_id=assignment.pk, by=assignment.expert)
