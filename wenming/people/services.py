"""Writes for couriers and governing bodies. Personal data is encrypted on the model; never audited."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.audit.models import AuditAction, AuditEvent
from wenming.audit.services import audit_record
from wenming.core import crypto, pii
from wenming.core.errors import ApplicationError
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization
from wenming.organizations.scoping import is_in_scope

from .models import Courier, CourierMove, GoverningBody, Membership

DUPLICATE_ID_MESSAGE = "该身份证号码已登记，不能重复录入"
REVEAL_FIELDS = {"id_number": gettext_lazy("身份证号"), "phone": gettext_lazy("手机号")}
COURIER_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "started_delivery_on",
    "has_labour_contract",
    "is_party_member",
    "is_league_member",
    "is_union_member",
    "job",
    "status",
)


def _require(user: Any, obj: Any, action: str) -> None:
    if not is_in_scope(user, obj, action):
        raise PermissionDenied


def _check_outlet(outlet: Organization, by: Any) -> None:
    if outlet.kind != OrgKind.OUTLET:
        raise ApplicationError(_("快递员只能登记在网点下"), field="outlet")
    if not outlet.is_active:
        raise ApplicationError(_("该网点已停用"), field="outlet")
    _require(by, outlet, Action.PEOPLE_MANAGE)


def _set_id_number(courier: Courier, id_number: str) -> None:
    canonical = pii.parse_id_number(id_number)
    index = crypto.blind_index(canonical, "id_number")
    if Courier.objects.filter(id_number_index=index).exclude(pk=courier.pk).exists():
        raise ApplicationError(DUPLICATE_ID_MESSAGE, field="id_number", code="duplicate_id")
    courier.set_id_number(canonical)


def _save(courier: Courier) -> None:
    try:
        with transaction.atomic():
            courier.save()
    except IntegrityError as exc:  # a concurrent insert of the same person
        if "id_number_index" in str(exc) or "unique" in str(exc).lower():
            raise ApplicationError(DUPLICATE_ID_MESSAGE, field="id_number", code="duplicate_id") from exc
        raise


@transaction.atomic
def courier_create(
    *, outlet: Organization, fields: dict[str, Any], id_number: str, phone: str = "", by: Any
) -> Courier:
    """Register a courier at an outlet the user manages people for; the ID number must be new."""
    _check_outlet(outlet, by)
    courier = Courier(outlet=outlet, **{k: v for k, v in fields.items() if k in COURIER_FIELDS})
    _set_id_number(courier, id_number)
    courier.set_phone(phone)
    _save(courier)
    audit_record(AuditAction.CREATE, user=by, obj=courier, detail={"outlet": outlet.name})
    return courier


@transaction.atomic
def courier_update(
    *,
    courier: Courier,
    fields: dict[str, Any],
    outlet: Organization | None = None,
    id_number: str = "",
    phone: str = "",
    moved_on: date | None = None,
    move_reason: str = "",
    by: Any,
) -> Courier:
    """Edit a courier; an empty ID number or phone keeps the stored value. Only field names are audited.

    A new outlet is a transfer (调动): a ``CourierMove`` keeps the old and new outlet, the date
    (today unless given) and the reason, and the audit row names both outlets.
    """
    _require(by, courier, Action.PEOPLE_MANAGE)
    changed = [k for k in COURIER_FIELDS if k in fields and getattr(courier, k) != fields[k]]
    for k in changed:
        setattr(courier, k, fields[k])
    detail: dict[str, Any] = {}
    move: CourierMove | None = None
    if outlet is not None and outlet.pk != courier.outlet_id:
        _check_outlet(outlet, by)
        move = _courier_move(courier, outlet, moved_on=moved_on, reason=move_reason, by=by)
        detail["move"] = {"from": courier.outlet.name, "to": outlet.name, "moved_on": move.moved_on.isoformat()}
        courier.outlet = outlet
        changed.append("outlet")
    if id_number:
        _set_id_number(courier, id_number)
        changed.append("id_number")
    if phone:
        courier.set_phone(phone)
        changed.append("phone")
    _save(courier)
    if move is not None:
        move.save()
    audit_record(AuditAction.UPDATE, user=by, obj=courier, detail={"fields": changed, **detail})
    return courier


def _courier_move(courier: Courier, to: Organization, *, moved_on: date | None, reason: str, by: Any) -> CourierMove:
    """The (unsaved) transfer record of ``courier`` to ``to``, checked."""
    moved_on = moved_on or timezone.localdate()
    reason = (reason or "").strip()
    if moved_on > timezone.localdate():
        raise ApplicationError(_("调动日期不能晚于今天"), field="moved_on")
    if len(reason) > 200:
        raise ApplicationError(_("调动原因最多200个字"), field="move_reason")
    last = courier.moves.order_by("-moved_on").values_list("moved_on", flat=True).first()
    if last and moved_on < last:
        raise ApplicationError(f"调动日期不能早于上次调动（{last:%Y-%m-%d}）", field="moved_on")
    return CourierMove(
        courier=courier, from_outlet=courier.outlet, to_outlet=to, moved_on=moved_on, reason=reason, by=by
    )


def _today_start() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def reveals_today(user: Any) -> int:
    """Successful reveals by ``user`` since local midnight, counted from the audit log."""
    return AuditEvent.objects.filter(
        action=AuditAction.PII_REVEAL, actor_id=user.pk, outcome="success", at__gte=_today_start()
    ).count()


def courier_reveal(*, courier: Courier, field: str, reason: str, by: Any) -> str:
    """The plaintext of one masked field, for one page view: PII_REVEAL in scope, a reason, a daily cap, audit."""
    if field not in REVEAL_FIELDS:
        raise ApplicationError(_("不支持查看此项信息"), field="field")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ApplicationError(_("请填写查看原因（至少5个字）"), field="reason")
    _require(by, courier, Action.PII_REVEAL)
    limit = settings.WENMING_UNMASK_DAILY_LIMIT
    detail = {"field": field, "reason": reason[:200]}
    with transaction.atomic():
        if reveals_today(by) < limit:
            value = courier.reveal_id_number() if field == "id_number" else courier.reveal_phone()
            audit_record(AuditAction.PII_REVEAL, user=by, obj=courier, detail=detail)
            return value
        audit_record(
            AuditAction.PII_REVEAL,
            user=by,
            obj=courier,
            outcome="denied",
            detail={**detail, "limit": limit},
        )
    raise ApplicationError(f"今日查看完整信息已达上限（{limit}次），请明日再试", code="reveal_limit")


@transaction.atomic
def governing_body_create(
    *,
    organization: Organization,
    kind: str,
    name: str,
    established_on: date | None = None,
    basis: str = "",
    by: Any,
) -> GoverningBody:
    """Set up a steering committee, its office or a city leading group (PEOPLE_MANAGE on the unit)."""
    _require(by, organization, Action.PEOPLE_MANAGE)
    if organization.kind not in (OrgKind.PROVINCIAL_BUREAU, OrgKind.CITY_BUREAU):
        raise ApplicationError(_("领导机构只能设在省局或市局"), field="organization")
    body = GoverningBody.objects.create(
        organization=organization, kind=kind, name=name.strip(), established_on=established_on, basis=basis
    )
    audit_record(AuditAction.CREATE, user=by, obj=body)
    return body


@transaction.atomic
def membership_add(
    *,
    body: GoverningBody,
    person_name: str,
    post_title: str,
    position: str,
    valid_from: date,
    valid_to: date | None = None,
    by: Any,
) -> Membership:
    _require(by, body, Action.PEOPLE_MANAGE)
    if valid_to is not None and valid_to < valid_from:
        raise ApplicationError(_("任职截止日期不能早于起始日期"), field="valid_to")
    last = body.memberships.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    m = Membership.objects.create(
        body=body,
        person_name=person_name.strip(),
        post_title=post_title.strip(),
        position=position,
        valid_from=valid_from,
        valid_to=valid_to,
        sort_order=last + 1,
    )
    audit_record(AuditAction.CREATE, user=by, obj=m, detail={"body": body.name})
    return m


@transaction.atomic
def membership_end(*, membership: Membership, valid_to: date, by: Any) -> Membership:
    """Close a seat: the row stays with its end date (history of who served when)."""
    _require(by, membership, Action.PEOPLE_MANAGE)
    if membership.valid_to is not None and membership.valid_to <= timezone.localdate():
        raise ApplicationError(_("该成员已离任"))
    if valid_to < membership.valid_from:
        raise ApplicationError(_("任职截止日期不能早于起始日期"), field="valid_to")
    membership.valid_to = valid_to
    membership.save(update_fields=["valid_to", "updated_at"])
    audit_record(AuditAction.UPDATE, user=by, obj=membership, detail={"valid_to": valid_to.isoformat()})
    return membership
