"""Writes of the activities app: activity records and verification, pairings, volunteer hours, certificates.

Every service is keyword-only, takes ``by`` (or is public/system), checks scope with the same
``is_in_scope`` the lists use, writes an event row per transition and an audit row per decision.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.activities.permissions import ActivityAction as AA
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.certificates import services as certificates
from wenming.certificates.models import Certificate
from wenming.core import crypto, pii
from wenming.core.errors import ApplicationError
from wenming.core.uploads import CleanImage
from wenming.organizations.models import Organization
from wenming.organizations.scoping import is_in_scope
from wenming.workbench.services import notify, notify_many
from wenming.workflow.engine import perform, record_event
from wenming.workflow.policy import require

from .certificates import KIND as CERT_KIND
from .certificates import subject_key as cert_subject_key
from .choices import (
    ActivityStatus,
    CoreValue,
    PairingStatus,
    PostalValue,
    VolunteerEventStatus,
    VolunteerRecordStatus,
)
from .models import (
    Activity,
    ActivityPhoto,
    ActivityType,
    Pairing,
    VolunteerEvent,
    VolunteerRecord,
    VolunteerSignup,
)
from .workflows import ACTIVITY_WORKFLOW, PAIRING_WORKFLOW, VOLUNTEER_EVENT_WORKFLOW, VOLUNTEER_RECORD_WORKFLOW

MAX_PHOTOS_PER_ACTIVITY = 30
TOKEN_SALT = "wenming.activities.volunteer-qr"
TOKEN_MAX_AGE = 60 * 60 * 24 * 30  # belt and braces; the payload carries the real expiry


# --- activities -----------------------------------------------------------------------------------
def _clean_figures(activity_type: ActivityType, figures: dict[str, Any] | None) -> dict[str, int]:
    allowed = activity_type.figure_labels()
    out: dict[str, int] = {}
    for key, value in (figures or {}).items():
        if key not in allowed or value in (None, ""):
            continue
        try:
            n = int(value)
        except (TypeError, ValueError) as exc:
            raise ApplicationError(f"{allowed[key]}应为整数", field=f"fig_{key}") from exc
        if n < 0:
            raise ApplicationError(f"{allowed[key]}不能为负数", field=f"fig_{key}")
        out[key] = n
    return out


def _clean_tags(values: list[str] | None, choices: type) -> str:
    valid = [v for v in (values or []) if v in choices.values]
    return Activity.pack_tags(sorted(set(valid), key=list(choices.values).index))


def _store_photos(*, activity: Activity, photos: list[CleanImage], by: Any, saved: list[str]) -> None:
    if activity.photos.count() + len(photos) > MAX_PHOTOS_PER_ACTIVITY:
        raise ApplicationError(f"每个活动最多 {MAX_PHOTOS_PER_ACTIVITY} 张照片", field="photos")
    for p in photos:
        photo = ActivityPhoto(
            activity=activity,
            width=p.width,
            height=p.height,
            size=len(p.content),
            sha256=p.sha256,
            uploaded_by=by,
        )
        photo.image.save("photo.jpg", ContentFile(p.content), save=False)
        saved.append(photo.image.name)
        photo.save()


def _check_refs(*, by: Any, organization: Organization, outlet: Organization | None, pairing: Pairing | None) -> None:
    require(by, AA.ACTIVITY_RECORD, organization)
    if outlet is not None and not is_in_scope(by, outlet, Action.VIEW):
        raise ApplicationError(_("活动网点不在您的数据范围内"), field="outlet")
    if pairing is not None and not pairing.organization.path.startswith(organization.path):
        if not organization.path.startswith(pairing.organization.path):
            raise ApplicationError(_("所选结对共建不属于组织单位"), field="pairing")


def _apply_fields(activity: Activity, data: dict[str, Any]) -> None:
    activity.title = data["title"].strip()
    activity.starts_at = data["starts_at"]
    activity.ends_at = data.get("ends_at")
    activity.outlet = data.get("outlet")
    activity.address = (data.get("address") or "").strip()
    activity.participant_count = data.get("participant_count") or 0
    activity.beneficiaries = (data.get("beneficiaries") or "").strip()
    activity.beneficiary_count = data.get("beneficiary_count") or 0
    activity.figures = _clean_figures(activity.activity_type, data.get("figures"))
    activity.core_values = _clean_tags(data.get("core_values"), CoreValue)
    activity.postal_values = _clean_tags(data.get("postal_values"), PostalValue)
    activity.description = data["description"].strip()
    activity.pairing = data.get("pairing")
    if activity.ends_at and activity.ends_at < activity.starts_at:
        raise ApplicationError(_("结束时间不能早于开始时间"), field="ends_at")
    if not activity.outlet and not activity.address:
        raise ApplicationError(_("请选择活动网点或填写活动地点"), field="address")


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def activity_create(
    *,
    by: Any,
    organization: Organization,
    activity_type: ActivityType,
    data: dict[str, Any],
    couriers: list[Any] | None = None,
    staff: list[Any] | None = None,
    photos: list[CleanImage] | None = None,
    submit: bool = False,
) -> Activity:
    """Create a draft (and optionally submit it). Photos are already checked; a failure stores nothing."""
    saved: list[str] = []
    try:
        with transaction.atomic():
            _check_refs(by=by, organization=organization, outlet=data.get("outlet"), pairing=data.get("pairing"))
            activity = Activity(organization=organization, activity_type=activity_type, created_by=by)
            _apply_fields(activity, data)
            activity.save()
            _set_people(activity=activity, by=by, couriers=couriers, staff=staff)
            _store_photos(activity=activity, photos=photos or [], by=by, saved=saved)
            audit_record(
                AuditAction.CREATE,
                user=by,
                obj=activity,
                detail={"type": activity_type.code, "photos": len(photos or [])},
            )
            if submit:
                activity_submit(activity_id=activity.pk, by=by)
                activity.refresh_from_db()
            return activity
    except Exception:
        _delete_files(saved)
        raise


def _set_people(*, activity: Activity, by: Any, couriers: list[Any] | None, staff: list[Any] | None) -> None:
    for c in couriers or []:
        if not is_in_scope(by, c, Action.VIEW):
            raise ApplicationError(_("参与快递员不在您的数据范围内"), field="couriers")
    activity.couriers.set(couriers or [])
    activity.staff.set(staff or [])
    if not activity.participant_count:
        activity.participant_count = len(couriers or []) + len(staff or [])
        activity.save(update_fields=["participant_count"])


def activity_update(
    *,
    activity_id: int,
    by: Any,
    data: dict[str, Any],
    couriers: list[Any] | None = None,
    staff: list[Any] | None = None,
    photos: list[CleanImage] | None = None,
) -> Activity:
    saved: list[str] = []
    try:
        with transaction.atomic():
            activity = Activity.objects.select_for_update().get(pk=activity_id)
            require(by, AA.ACTIVITY_RECORD, activity)
            if activity.status not in (ActivityStatus.DRAFT, ActivityStatus.RETURNED):
                raise ApplicationError(_("已提交或已核实的活动不能修改"))
            _check_refs(
                by=by, organization=activity.organization, outlet=data.get("outlet"), pairing=data.get("pairing")
            )
            _apply_fields(activity, data)
            activity.save()
            _set_people(activity=activity, by=by, couriers=couriers, staff=staff)
            _store_photos(activity=activity, photos=photos or [], by=by, saved=saved)
            audit_record(AuditAction.UPDATE, user=by, obj=activity, detail={"photos": len(saved)})
            return activity
    except Exception:
        _delete_files(saved)
        raise


def _activity_move(*, activity_id: int, by: Any, name: str, comment: str = "") -> Activity:
    def prepare(activity: Activity, t: Any) -> dict[str, Any]:
        if t.target == ActivityStatus.VERIFIED:
            return {"verified_at": timezone.now(), "verified_by": by}
        return {}

    return perform(ACTIVITY_WORKFLOW, activity_id, name, by=by, comment=comment, prepare=prepare).obj


@transaction.atomic
def activity_submit(*, activity_id: int, by: Any) -> Activity:
    """draft/returned → submitted; refused below the type's minimum number of evidence photos."""
    activity = Activity.objects.select_related("activity_type").get(pk=activity_id)
    require(by, AA.ACTIVITY_RECORD, activity)
    need = activity.activity_type.min_photos
    have = activity.photos.count()
    if have < need:
        raise ApplicationError(
            f"“{activity.activity_type.name}”活动至少需要 {need} 张佐证照片，当前 {have} 张", field="photos"
        )
    name = "resubmit" if activity.status == ActivityStatus.RETURNED else "submit"
    return _activity_move(activity_id=activity_id, by=by, name=name)


@transaction.atomic
def activity_verify(*, activity_id: int, by: Any, comment: str = "") -> Activity:
    activity = _activity_move(activity_id=activity_id, by=by, name="verify", comment=comment)
    if activity.created_by_id:
        notify(
            recipient=activity.created_by,
            title=f"活动“{activity.title}”已核实",
            url=reverse("activities:detail", args=[activity.pk]),
            category="审核",
        )
    return activity


@transaction.atomic
def activity_return(*, activity_id: int, by: Any, comment: str) -> Activity:
    if not (comment or "").strip():
        raise ApplicationError(_("退回时请填写意见"), field="comment")
    activity = _activity_move(activity_id=activity_id, by=by, name="return", comment=comment.strip())
    if activity.created_by_id:
        notify(
            recipient=activity.created_by,
            title=f"活动“{activity.title}”被退回",
            body=comment.strip()[:500],
            url=reverse("activities:detail", args=[activity.pk]),
            category="审核",
        )
    return activity


# --- pairings -------------------------------------------------------------------------------------
@transaction.atomic
def pairing_create(*, by: Any, organization: Organization, data: dict[str, Any]) -> Pairing:
    require(by, AA.ACTIVITY_RECORD, organization)
    if data["period_end"] < data["period_start"]:
        raise ApplicationError(_("截止日期不能早于起始日期"), field="period_end")
    pairing = Pairing.objects.create(
        organization=organization,
        partner_name=data["partner_name"].strip(),
        partner_type=data["partner_type"],
        title=data["title"].strip(),
        plan=data["plan"].strip(),
        goals=data["goals"].strip(),
        period_start=data["period_start"],
        period_end=data["period_end"],
        created_by=by,
    )
    record_event(PAIRING_WORKFLOW, pairing, "create", by=by, new=pairing.status)
    audit_record(AuditAction.CREATE, user=by, obj=pairing)
    return pairing


@transaction.atomic
def pairing_end(*, pairing_id: int, by: Any) -> Pairing:
    if Pairing.objects.filter(pk=pairing_id, status=PairingStatus.ENDED).exists():
        raise ApplicationError(_("该结对共建已结束"))
    return perform(PAIRING_WORKFLOW, pairing_id, "end", by=by).obj


# --- volunteer events and sign-ups ----------------------------------------------------------------
@transaction.atomic
def volunteer_event_create(*, by: Any, organization: Organization, data: dict[str, Any]) -> VolunteerEvent:
    require(by, AA.ACTIVITY_RECORD, organization)
    if data["ends_at"] < data["starts_at"]:
        raise ApplicationError(_("结束时间不能早于开始时间"), field="ends_at")
    hours = data.get("auto_checkout_hours") or 4
    if not 1 <= hours <= 24:
        raise ApplicationError(_("自动签退时长应在 1 到 24 小时之间"), field="auto_checkout_hours")
    event = VolunteerEvent.objects.create(
        organization=organization,
        title=data["title"].strip(),
        place=data["place"].strip(),
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        description=(data.get("description") or "").strip(),
        capacity=data.get("capacity") or 0,
        signup_open=data.get("signup_open", True),
        auto_checkout_hours=hours,
        organiser=by,
        activity=data.get("activity"),
    )
    audit_record(AuditAction.CREATE, user=by, obj=event)
    return event


EVENT_FIELDS = (
    "title",
    "place",
    "starts_at",
    "ends_at",
    "description",
    "capacity",
    "signup_open",
    "auto_checkout_hours",
)


def _editable(event: VolunteerEvent, verb: str) -> None:
    if event.status == VolunteerEventStatus.CANCELLED:
        raise ApplicationError(f"该活动已取消，不能{verb}")
    if event.starts_at <= timezone.now():
        raise ApplicationError(f"活动已开始，不能{verb}")


@transaction.atomic
def volunteer_event_update(*, event_id: int, by: Any, data: dict[str, Any]) -> VolunteerEvent:
    """Edit an event until it starts (the organising unit stays; those signed up keep their sign-up)."""
    event = VolunteerEvent.objects.select_for_update().get(pk=event_id)
    require(by, AA.ACTIVITY_RECORD, event)
    _editable(event, "修改")
    if data["ends_at"] < data["starts_at"]:
        raise ApplicationError(_("结束时间不能早于开始时间"), field="ends_at")
    hours = data.get("auto_checkout_hours") or 4
    if not 1 <= hours <= 24:
        raise ApplicationError(_("自动签退时长应在 1 到 24 小时之间"), field="auto_checkout_hours")
    clean = {
        "title": data["title"].strip(),
        "place": data["place"].strip(),
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "description": (data.get("description") or "").strip(),
        "capacity": data.get("capacity") or 0,
        "signup_open": data.get("signup_open", True),
        "auto_checkout_hours": hours,
    }
    changed = sorted(k for k, v in clean.items() if getattr(event, k) != v)
    for k, v in clean.items():
        setattr(event, k, v)
    event.save(update_fields=[*EVENT_FIELDS, "updated_at"])
    audit_record(AuditAction.UPDATE, user=by, obj=event, detail={"fields": changed})
    return event


@transaction.atomic
def volunteer_event_cancel(*, event_id: int, by: Any, reason: str) -> VolunteerEvent:
    """Cancel before the start, with a reason; everyone signed up with an account (and the organiser) is
    told after commit. Sign-ups and the reason are kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("请填写取消原因"), field="reason")
    event = VolunteerEvent.objects.get(pk=event_id)
    _editable(event, "取消")
    event = perform(
        VOLUNTEER_EVENT_WORKFLOW,
        event_id,
        "cancel",
        by=by,
        comment=reason[:200],
        fields={"cancel_reason": reason[:200], "signup_open": False},
        detail={"reason": reason[:200]},
    ).obj
    recipients = [*event.signups.exclude(user=None).values_list("user_id", flat=True), event.organiser_id]
    notify_many(
        recipients=[r for r in recipients if r and r != by.pk],
        title=f"志愿服务活动已取消：{event.title}",
        body=f"原定 {timezone.localtime(event.starts_at):%Y-%m-%d %H:%M} 在{event.place}开展，已取消。原因：{reason[:200]}",
        url=reverse("activities:volunteer-detail", args=[event.pk]),
        category="志愿服务",
    )
    return event


def _new_personal_code(event: VolunteerEvent) -> str:
    used = set(event.signups.values_list("personal_code", flat=True))
    while True:
        code = f"{secrets.randbelow(1_000_000):06d}"
        if code not in used:
            return code


@transaction.atomic
def volunteer_signup_add(*, event_id: int, by: Any, courier: Any = None, user: Any = None) -> VolunteerSignup:
    """Add a courier or staff member. Organisers (record right) add anyone in scope; staff may add themselves."""
    event = VolunteerEvent.objects.select_for_update().get(pk=event_id)
    if (courier is None) == (user is None):
        raise ApplicationError(_("请选择一名快递员或工作人员"))
    if event.status == VolunteerEventStatus.CANCELLED:
        raise ApplicationError(_("该活动已取消，不能报名"))
    is_self = user is not None and user.pk == by.pk
    if is_self:
        require(by, Action.VIEW, event)
        if not event.signup_open:
            raise ApplicationError(_("该活动已停止报名"))
    else:
        require(by, AA.ACTIVITY_RECORD, event)
    if courier is not None and not is_in_scope(by, courier, Action.VIEW):
        raise ApplicationError(_("该快递员不在您的数据范围内"), field="courier")
    if user is not None and not is_self:
        home = getattr(user, "home_organization", None)
        if home is None or not is_in_scope(by, home, Action.VIEW):
            raise ApplicationError(_("该工作人员不在您的数据范围内"), field="user")
    if event.capacity and event.signups.count() >= event.capacity:
        raise ApplicationError(_("报名人数已满"))
    dup = event.signups.filter(courier=courier) if courier else event.signups.filter(user=user)
    if dup.exists():
        raise ApplicationError(_("此人已报名"))
    name = courier.name if courier else (user.display_name or user.username)
    signup = VolunteerSignup.objects.create(
        event=event,
        courier=courier,
        user=user,
        name=name,
        personal_code=_new_personal_code(event),
        created_by=by,
    )
    audit_record(
        AuditAction.CREATE,
        user=by,
        obj=signup,
        object_repr=f"{event.title} 报名 {pii.mask_name(name)}",
    )
    return signup


# --- QR tokens --------------------------------------------------------------------------------------
def volunteer_token_expiry(event: VolunteerEvent, action: str) -> datetime:
    if action == "in":
        return event.ends_at
    return event.ends_at + timedelta(hours=event.auto_checkout_hours)


def volunteer_token_make(event: VolunteerEvent, action: str) -> str:
    """A signed, expiring token for the check-in (``in``) or check-out (``out``) QR code of an event."""
    if action not in ("in", "out"):
        raise ValueError(action)
    expiry = int(volunteer_token_expiry(event, action).timestamp())
    return signing.dumps({"e": event.pk, "a": action, "x": expiry}, salt=TOKEN_SALT, compress=True)


def volunteer_token_read(token: str) -> tuple[VolunteerEvent, str]:
    """Return (event, action) or raise ``ApplicationError`` for a forged, damaged or expired token."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ApplicationError(_("二维码已过期，请联系活动组织人"), code="expired") from exc
    except signing.BadSignature as exc:
        raise ApplicationError(_("二维码无效，请扫描现场张贴的二维码"), code="invalid") from exc
    try:
        event_id, action, expiry = int(data["e"]), data["a"], int(data["x"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ApplicationError(_("二维码无效，请扫描现场张贴的二维码"), code="invalid") from exc
    if timezone.now().timestamp() > expiry:
        raise ApplicationError(_("二维码已过期，请联系活动组织人"), code="expired")
    event = VolunteerEvent.objects.filter(pk=event_id).select_related("organization").first()
    if event is None or action not in ("in", "out"):
        raise ApplicationError(_("二维码无效，请扫描现场张贴的二维码"), code="invalid")
    return event, action


def volunteer_identify(*, event: VolunteerEvent, name: str, code: str) -> VolunteerSignup | None:
    """Find the sign-up by name plus one of: the 6-digit personal code, the full mobile number
    (compared through the blind index), or the last 4 digits of the courier's mobile."""
    name = "".join((name or "").split())
    code = "".join((code or "").split())
    if not name or not code:
        return None
    candidates = list(event.signups.filter(name=name).select_related("courier"))
    if not candidates:
        return None
    matches: list[VolunteerSignup] = []
    if len(code) == 6 and code.isdigit():
        matches = [s for s in candidates if constant_time_compare(s.personal_code, code)]
    elif len(code) == 4 and code.isdigit():
        matches = [s for s in candidates if s.courier and (s.courier.phone_hint or "").endswith(code)]
    else:
        try:
            index = crypto.blind_index(pii.parse_phone(code), "phone")
        except pii.ParseError:
            return None
        matches = [s for s in candidates if s.courier and constant_time_compare(s.courier.phone_index or "", index)]
    return matches[0] if len(matches) == 1 else None


def _hours_between(start: datetime, end: datetime, cap: int) -> Decimal:
    hours = Decimal(max(0.0, (end - start).total_seconds()) / 3600)
    hours = min(hours, Decimal(cap))
    return hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def volunteer_check_in(*, event_id: int, signup_id: int) -> VolunteerRecord:
    event = VolunteerEvent.objects.get(pk=event_id)
    signup = VolunteerSignup.objects.select_for_update().get(pk=signup_id, event=event)
    now = timezone.now()
    if event.status == VolunteerEventStatus.CANCELLED:
        raise ApplicationError(_("该活动已取消，无需签到"))
    if now < event.starts_at - timedelta(hours=1):
        raise ApplicationError(_("活动尚未开始，开始前 1 小时内可以签到"))
    existing = VolunteerRecord.objects.filter(signup=signup).first()
    if existing is not None:
        if existing.status == VolunteerRecordStatus.CHECKED_IN:
            raise ApplicationError(f"您已于 {timezone.localtime(existing.check_in_at):%H:%M} 签到，无需重复签到")
        raise ApplicationError(_("您已签退，本次活动不能重复签到"))
    record = VolunteerRecord.objects.create(signup=signup, check_in_at=now)
    record_event(VOLUNTEER_RECORD_WORKFLOW, record, "check_in", by=None, new=record.status, at=now)
    audit_record(
        AuditAction.CREATE,
        obj=record,
        object_repr=f"{event.title} 签到 {pii.mask_name(signup.name)}",
        detail={"kind": "check_in"},
    )
    return record


def _record_close(
    record: VolunteerRecord, *, name: str, at: datetime, by: Any = None, comment: str = "", audit_repr: str = ""
) -> VolunteerRecord:
    """check_out / auto_check_out through the kernel: hours measured and capped at the event's limit."""
    cap = record.signup.event.auto_checkout_hours
    hours = _hours_between(record.check_in_at, at, cap)
    fields: dict[str, Any] = {"check_out_at": at, "hours": hours, "measured_hours": hours}
    if name == "auto_check_out":
        fields.update(auto_checked_out=True, needs_review=True)
    elif (at - record.check_in_at) > timedelta(hours=cap):
        # stayed checked in beyond the event's limit: hours are capped and the organiser should look
        fields["needs_review"] = True
        comment = comment or f"在场超过 {cap} 小时，时长按 {cap} 小时计，需复核"
    return perform(
        VOLUNTEER_RECORD_WORKFLOW,
        record.pk,
        name,
        by=by,
        comment=comment,
        fields=fields,
        audit_repr=audit_repr,
        detail={"hours": str(hours)},
    ).obj


@transaction.atomic
def volunteer_check_out(*, event_id: int, signup_id: int) -> VolunteerRecord:
    """Public (the caller verified the signed QR token and the volunteer's personal code)."""
    signup = VolunteerSignup.objects.select_related("event").get(pk=signup_id, event_id=event_id)
    record = VolunteerRecord.objects.select_for_update().select_related("signup__event").filter(signup=signup).first()
    if record is None:
        raise ApplicationError(_("您还没有签到，请先扫描签到二维码"))
    if record.status != VolunteerRecordStatus.CHECKED_IN:
        raise ApplicationError(_("您已签退，无需重复签退"))
    return _record_close(
        record,
        name="check_out",
        at=timezone.now(),
        audit_repr=f"{signup.event.title} 签退 {pii.mask_name(signup.name)}",
    )


def volunteer_auto_checkout(*, now: datetime | None = None) -> int:
    """Close records checked in longer than the event's limit; hours capped, flagged for review."""
    now = now or timezone.now()
    done = 0
    open_ids = list(
        VolunteerRecord.objects.filter(status=VolunteerRecordStatus.CHECKED_IN).values_list("pk", flat=True)
    )
    for pk in open_ids:
        with transaction.atomic():
            record = (
                VolunteerRecord.objects.select_for_update()
                .select_related("signup__event")
                .filter(pk=pk, status=VolunteerRecordStatus.CHECKED_IN)
                .first()
            )
            if record is None:
                continue
            limit = timedelta(hours=record.signup.event.auto_checkout_hours)
            if record.check_in_at + limit > now:
                continue
            _record_close(
                record,
                name="auto_check_out",
                at=record.check_in_at + limit,
                comment=f"签到超过 {record.signup.event.auto_checkout_hours} 小时未签退，系统自动签退",
                audit_repr=f"{record.signup.event.title} 自动签退",
            )
            done += 1
    return done


def _decide(
    record_id: int, *, name: str, by: Any, note: str, fields: dict[str, Any] | None = None, detail: dict | None = None
) -> VolunteerRecord:
    return perform(
        VOLUNTEER_RECORD_WORKFLOW,
        record_id,
        name,
        by=by,
        comment=note[:200],
        fields={
            **(fields or {}),
            "decided_by": by,
            "decided_at": timezone.now(),
            "decision_note": note[:200],
            "needs_review": False,
        },
        detail=detail,
    ).obj


@transaction.atomic
def volunteer_record_approve(
    *, record_id: int, by: Any, hours: Decimal | None = None, reason: str = ""
) -> VolunteerRecord:
    """Approve the hours; more than the measured attendance needs a ``reason`` (kept in the note and event)."""
    record = VolunteerRecord.objects.get(pk=record_id)
    measured = record.measured_hours if record.measured_hours is not None else record.hours
    reason = (reason or "").strip()
    note, fields = "", {"measured_hours": measured}
    if hours is not None:
        if hours < 0 or hours > 24:
            raise ApplicationError(_("认定时长应在 0 到 24 小时之间"), field="hours")
        if hours != record.hours:
            note = f"时长由 {record.hours} 调整为 {hours}"
            fields["hours"] = hours
    final = fields.get("hours", record.hours)
    detail = {"hours": str(final), "measured_hours": str(measured)}
    if final > measured:
        if not reason:
            raise ApplicationError(f"认定时长 {final} 小时超过实测时长 {measured} 小时，请填写理由", field="reason")
        note = f"{note or f'认定 {final} 小时'}（实测 {measured} 小时）；理由：{reason}"
        detail["reason"] = reason[:200]
    elif reason:
        note = f"{note}；{reason}" if note else reason
    return _decide(record_id, name="approve", by=by, note=note, fields=fields, detail=detail)


@transaction.atomic
def volunteer_record_decline(*, record_id: int, by: Any, reason: str) -> VolunteerRecord:
    if not (reason or "").strip():
        raise ApplicationError(_("请填写不予认定的原因"), field="reason")
    return _decide(record_id, name="decline", by=by, note=reason.strip())


@transaction.atomic
def volunteer_records_bulk_approve(*, record_ids: list[int], by: Any) -> int:
    """Approve every pending record among ``record_ids`` that ``by`` may decide; others are skipped."""
    ids = list(
        VolunteerRecord.objects.visible_to(by, AA.ACTIVITY_RECORD)
        .filter(pk__in=record_ids, status=VolunteerRecordStatus.PENDING)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        _decide(pk, name="approve", by=by, note="批量批准")
    return len(ids)


# --- certificates -----------------------------------------------------------------------------------
@transaction.atomic
def certificate_issue(*, by: Any, courier: Any = None, user: Any = None, base_url: str = "") -> Certificate:
    """Freeze the person's approved hours visible to ``by`` into a 志愿服务记录证明 (one certificate mechanism).

    The issuer is the bureau above the person's unit (``issuing_bureau``), not the outlet; its seal image,
    if it has one, is printed on the PDF, else a seal drawn with its name (the staff page says so).
    """
    if (courier is None) == (user is None):
        raise ApplicationError(_("请选择一名志愿者"))
    unit = courier.outlet if courier is not None else user.home_organization
    if unit is None:
        raise ApplicationError(_("该工作人员没有所属单位，无法出具证明"))
    require(by, AA.ACTIVITY_RECORD, unit)
    records = (
        VolunteerRecord.objects.visible_to(by, Action.VIEW)
        .filter(status=VolunteerRecordStatus.APPROVED)
        .filter(**({"signup__courier": courier} if courier is not None else {"signup__user": user}))
        .select_related("signup__event__organization")
        .order_by("check_in_at", "id")
    )
    rows = [
        {
            "date": timezone.localtime(r.check_in_at).strftime("%Y-%m-%d"),
            "title": r.signup.event.title,
            "unit": r.signup.event.organization.name,
            "hours": str(r.hours),
        }
        for r in records
    ]
    if not rows:
        raise ApplicationError(_("该志愿者没有已认定的服务时长，无法出具证明"))
    total = sum((Decimal(r["hours"]) for r in rows), Decimal("0"))
    return certificates.issue(
        CERT_KIND,
        subject_key=cert_subject_key(courier=courier, user=user),
        subject_name=courier.name if courier is not None else (user.display_name or user.username),
        subject_id_hint=courier.id_number_hint if courier is not None else "",
        organization=unit,
        fields={"records": rows, "total_hours": str(total), "record_count": len(rows), "unit": unit.name},
        by=by,
        base_url=base_url,
    )


@transaction.atomic
def volunteer_record_create_manual(
    *, signup_id: int, by: Any, check_in_at: datetime, check_out_at: datetime
) -> VolunteerRecord:
    """Hours entered by the organiser (no QR scan): created as pending, like a checked-out record."""
    signup = VolunteerSignup.objects.select_related("event").get(pk=signup_id)
    require(by, AA.ACTIVITY_RECORD, signup)
    if check_out_at < check_in_at:
        raise ApplicationError(_("签退时间不能早于签到时间"), field="check_out_at")
    if VolunteerRecord.objects.filter(signup=signup).exists():
        raise ApplicationError(_("此人在该活动已有服务记录"), field="signup")
    record = VolunteerRecord.objects.create(signup=signup, check_in_at=check_in_at)
    record_event(VOLUNTEER_RECORD_WORKFLOW, record, "check_in", by=by, new=record.status, comment="人工录入")
    record = _record_close(record, name="check_out", at=check_out_at, by=by, comment="人工录入")
    audit_record(
        AuditAction.CREATE,
        user=by,
        obj=record,
        object_repr=f"{signup.event.title} 录入时长 {pii.mask_name(signup.name)}",
        detail={"kind": "manual", "hours": str(record.hours)},
    )
    return record
