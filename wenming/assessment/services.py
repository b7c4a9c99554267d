"""Writes of the assessment: snapshot refresh, versioned schemes, audited adjustments.

Keyword-only, ``by=`` the acting user, every security-relevant write audited in the caller's
transaction, refusals as ``ApplicationError(message, field=…)`` in Chinese.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError
from wenming.organizations.models import Organization

from .choices import SchemeStatus, ScoringRule
from .metrics import MetricValue, Period, all_metrics, metric
from .models import Adjustment, Indicator, MetricSnapshot, Scheme
from .scoring import WEIGHT_TOTAL
from .selectors import all_cities

log = logging.getLogger(__name__)

MIN_REASON = 10


# -------------------------------------------------------------------------------------------- snapshots


def refresh_snapshots(period: Period, *, by: Any = None, keys: Sequence[str] | None = None) -> int:
    """Recompute every registered metric (or ``keys``) for ``period`` and store one row per city and metric.

    Each metric computes all cities in one pass; a failing metric is logged and leaves its previous
    snapshots in place (the others still refresh). Returns the number of rows written.
    """
    cities = all_cities()
    ids = {c.pk for c in cities}
    metrics = all_metrics() if keys is None else [metric(k) for k in keys]
    now = timezone.now()
    written = 0
    for m in metrics:
        try:
            values = m.compute(period)
        except Exception:  # one broken source must not stop the others; the old rows stay
            log.exception("assessment metric %s failed for %s", m.key, period.token)
            continue
        rows = [
            MetricSnapshot(
                org_id=pk,
                period_kind=period.kind,
                period_start=period.start,
                period_end=period.end,
                metric_key=m.key,
                value=values.get(pk, MetricValue(None)).value,
                numerator=values.get(pk, MetricValue(None)).numerator,
                denominator=values.get(pk, MetricValue(None)).denominator,
                computed_at=now,
            )
            for pk in sorted(ids)
        ]
        with transaction.atomic():
            MetricSnapshot.objects.filter(period_kind=period.kind, period_start=period.start, metric_key=m.key).delete()
            MetricSnapshot.objects.bulk_create(rows)
        written += len(rows)
    if by is not None:
        audit_record(
            "assessment.refresh",
            user=by,
            object_type="assessment.MetricSnapshot",
            object_repr=period.token,
            detail={"period": period.token, "rows": written},
        )
    return written


def current_periods(today: Any = None) -> list[Period]:
    today = today or timezone.localdate()
    return [Period.current(kind, today) for kind in ("month", "quarter", "year")]


# ---------------------------------------------------------------------------------------------- schemes


def _decimal(value: Any, *, field: str, label: str, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ApplicationError(_("请填写%(label)s") % {"label": label}, field=field)
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("%(label)s不是有效的数字") % {"label": label}, field=field) from None


def _fmt(d: Decimal) -> str:
    """``90`` not ``9E+1``, ``92.5`` not ``92.50``."""
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def clean_indicators(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Check the indicator rows: known metrics, each once, positive weights summing to 100, a target where
    the rule needs one. Raises ``ApplicationError`` with a Chinese message on the offending field."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for pos, item in enumerate(items):
        key = item.get("metric_key", "")
        try:
            m = metric(key)
        except KeyError:
            raise ApplicationError(_("未知的考核指标：%(key)s") % {"key": key}, field="indicators") from None
        if key in seen:
            raise ApplicationError(_("指标“%(label)s”重复") % {"label": _(m.label)}, field="indicators")
        seen.add(key)
        weight = _decimal(item.get("weight"), field=f"weight_{key}", label=_("权重"))
        assert weight is not None
        if weight <= 0:
            raise ApplicationError(_("权重须大于 0"), field=f"weight_{key}")
        rule = item.get("rule") or ScoringRule.LINEAR
        if rule not in ScoringRule.values:
            raise ApplicationError(_("未知的计分规则"), field=f"rule_{key}")
        target = _decimal(item.get("target"), field=f"target_{key}", label=_("目标值"), required=False)
        if rule == ScoringRule.TARGET and target is None:
            raise ApplicationError(_("按目标值计分须填写目标值"), field=f"target_{key}")
        out.append({"metric_key": key, "weight": weight, "rule": rule, "target": target, "position": pos})
    if not out:
        raise ApplicationError(_("请至少设置一个考核指标"), field="indicators")
    total = sum((i["weight"] for i in out), Decimal(0))
    if total != WEIGHT_TOTAL:
        raise ApplicationError(
            _("各指标权重之和须为 100 分，当前为 %(total)s 分") % {"total": _fmt(total)}, field="indicators"
        )
    return out


def _province() -> Organization:
    root = Organization.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise ApplicationError(_("尚未建立省局机构"))
    return root


def _locked(scheme_id: int) -> Scheme:
    return Scheme.objects.select_for_update().get(pk=scheme_id)


def _write_indicators(scheme: Scheme, rows: list[dict[str, Any]]) -> None:
    Indicator.objects.filter(scheme=scheme).delete()
    Indicator.objects.bulk_create([Indicator(scheme=scheme, **r) for r in rows])


def scheme_create(
    *, by: Any, year: int, name: str, description: str = "", indicators: Sequence[Mapping[str, Any]]
) -> Scheme:
    """A new draft for ``year`` (version 1, or the next version when the year has schemes already)."""
    rows = clean_indicators(indicators)
    if not (name or "").strip():
        raise ApplicationError(_("请填写方案名称"), field="name")
    with transaction.atomic():
        last = Scheme.objects.select_for_update().filter(year=year).aggregate(v=Max("version"))["v"] or 0
        scheme = Scheme.objects.create(
            organization=_province(),
            year=year,
            version=last + 1,
            name=name.strip(),
            description=description,
            created_by=by,
        )
        _write_indicators(scheme, rows)
        audit_record("assessment.scheme_create", user=by, obj=scheme, detail={"year": year, "version": scheme.version})
    return scheme


def scheme_update(
    *, scheme_id: int, by: Any, name: str, description: str = "", indicators: Sequence[Mapping[str, Any]]
) -> Scheme:
    """Edit a draft in place; a published version never changes (make a new version instead)."""
    rows = clean_indicators(indicators)
    if not (name or "").strip():
        raise ApplicationError(_("请填写方案名称"), field="name")
    with transaction.atomic():
        scheme = _locked(scheme_id)
        if scheme.is_published:
            raise ApplicationError(_("已发布的方案不能修改，请另存为新版本"))
        scheme.name, scheme.description = name.strip(), description
        scheme.save(update_fields=["name", "description", "updated_at"])
        _write_indicators(scheme, rows)
        audit_record("assessment.scheme_update", user=by, obj=scheme, detail={"indicators": len(rows)})
    return scheme


def scheme_new_version(*, scheme_id: int, by: Any) -> Scheme:
    """A draft copy of a scheme as the next version of its year (the way to change a published one)."""
    with transaction.atomic():
        src = Scheme.objects.get(pk=scheme_id)
        last = Scheme.objects.select_for_update().filter(year=src.year).aggregate(v=Max("version"))["v"] or 0
        new = Scheme.objects.create(
            organization=src.organization,
            year=src.year,
            version=last + 1,
            name=src.name,
            description=src.description,
            created_by=by,
        )
        Indicator.objects.bulk_create(
            [
                Indicator(
                    scheme=new,
                    metric_key=i.metric_key,
                    weight=i.weight,
                    rule=i.rule,
                    target=i.target,
                    position=i.position,
                )
                for i in src.indicators.all()
            ]
        )
        audit_record("assessment.scheme_new_version", user=by, obj=new, detail={"from": src.pk, "version": new.version})
    return new


def scheme_publish(*, scheme_id: int, by: Any) -> Scheme:
    """Publish a draft: from now on it is immutable and the ranking of its year uses it (latest version)."""
    with transaction.atomic():
        scheme = _locked(scheme_id)
        if scheme.is_published:
            raise ApplicationError(_("该方案已发布"))
        clean_indicators(
            [
                {"metric_key": i.metric_key, "weight": i.weight, "rule": i.rule, "target": i.target}
                for i in scheme.indicators.all()
            ]
        )
        scheme.status, scheme.published_at, scheme.published_by = SchemeStatus.PUBLISHED, timezone.now(), by
        scheme.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        audit_record("assessment.scheme_publish", user=by, obj=scheme, detail={"year": scheme.year})
    return scheme


# ------------------------------------------------------------------------------------------ adjustments


def _reason(text: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_REASON:
        raise ApplicationError(_("请填写理由（不少于 %(n)s 个字）") % {"n": MIN_REASON}, field=field)
    return text


def adjustment_add(*, org: Organization, year: int, points: Any, reason: str, by: Any) -> Adjustment:
    """Record 加减分 for one city and year, with the reason (≥ 10 characters); audited."""
    if org.kind != "city_bureau":
        raise ApplicationError(_("加减分只能登记到市局"), field="org")
    value = _decimal(points, field="points", label=_("加减分"))
    assert value is not None
    if value == 0:
        raise ApplicationError(_("加减分不能为 0"), field="points")
    if abs(value) > 100:
        raise ApplicationError(_("加减分须在 -100 至 100 分之间"), field="points")
    text = _reason(reason, "reason")
    with transaction.atomic():
        adj = Adjustment.objects.create(org=org, year=year, points=value, reason=text, created_by=by)
        audit_record(
            "assessment.adjustment_add",
            user=by,
            obj=adj,
            object_repr=f"{org.name} {year}",
            detail={"org": org.pk, "year": year, "points": str(value), "reason": text},
        )
    return adj


def adjustment_revoke(*, adjustment_id: int, reason: str, by: Any) -> Adjustment:
    """Revoke an adjustment (never edited, never deleted): it stays listed with who/when/why."""
    text = _reason(reason, "reason")
    with transaction.atomic():
        adj = Adjustment.objects.select_for_update().get(pk=adjustment_id)
        if adj.revoked_at is not None:
            raise ApplicationError(_("该加减分已撤销"))
        adj.revoked_at, adj.revoked_by, adj.revoke_reason = timezone.now(), by, text
        adj.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit_record(
            "assessment.adjustment_revoke",
            user=by,
            obj=adj,
            detail={"org": adj.org_id, "year": adj.year, "points": str(adj.points), "reason": text},
        )
    return adj
