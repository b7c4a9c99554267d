"""Services of 申诉: registration (public form, staff intake), the workflow, time limits, overdue flags
and escalation, item volumes, statistics and retention.

Time limits of 《邮政业消费者申诉处理办法》 (2014, in force in 2017), all computed with
``wenming.workdays.services`` (domain.md §5.3):

======================  =========================================  ==========================
limit                   from                                       computed as
======================  =========================================  ==========================
accept and forward      the day the case is registered             2 working days later
enterprise reply        the day the case is forwarded              15 days, on a working day
callback                the day the enterprise replied             3 working days later
callback retry          a failed callback attempt                  4 hours later
final answer            the day the case is accepted               30 days, on a working day
======================  =========================================  ==========================

A limit is missed when the step happens on a later day than its due date; the step's flag is then
set (also by the periodic job ``flag_overdue`` while the step is still pending), and the first missed
limit of a case is escalated once to the supervising bureau.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import actions_for
from wenming.audit.models import AuditAction, AuditEvent
from wenming.audit.services import audit_record
from wenming.core import pii
from wenming.core.errors import ApplicationError
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Brand, Organization, RoleAssignment
from wenming.organizations.services import issuing_bureau
from wenming.workbench.services import notify_many
from wenming.workdays.services import add_working_days, next_working_day
from wenming.workflow.engine import lock, perform, record_event
from wenming.workflow.policy import require

from .choices import Channel, ComplaintStatus, Deadline, RefuseReason, Satisfaction
from .deadlines import PENDING, overdue_q
from .models import Complaint, ItemVolume
from .permissions import ComplaintAction as CA
from .workflows import COMPLAINT_WORKFLOW as WF

S = ComplaintStatus
CATEGORY = "申诉"

# --- the numbers of the rules (domain.md §7 "Appeal timers") -----------------------------------------
PRIOR_COMPLAINT_DAYS = 7  # the enterprise had 7 days to answer the complaint (先投诉后申诉)
APPEAL_BAR_DAYS = 365  # at most one year after mailing
ACCEPT_WORKING_DAYS = 2
REPLY_DAYS = 15
CALLBACK_WORKING_DAYS = 3
CALLBACK_RETRY = timedelta(hours=4)
FINAL_DAYS = 30
MIN_RETENTION_YEARS = 3


# --- deadlines --------------------------------------------------------------------------------------
def accept_due_for(received_on: date) -> date:
    return add_working_days(received_on, ACCEPT_WORKING_DAYS)


def reply_due_for(forwarded_on: date) -> date:
    return next_working_day(forwarded_on + timedelta(days=REPLY_DAYS))


def callback_due_for(replied_on: date) -> date:
    return add_working_days(replied_on, CALLBACK_WORKING_DAYS)


def final_due_for(accepted_on: date) -> date:
    return next_working_day(accepted_on + timedelta(days=FINAL_DAYS))


def retention_years() -> int:
    """``WENMING_COMPLAINT_RETENTION_YEARS`` (default 3); refused below the rules' three years."""
    years = getattr(settings, "WENMING_COMPLAINT_RETENTION_YEARS", MIN_RETENTION_YEARS)
    if not isinstance(years, int) or years < MIN_RETENTION_YEARS:
        raise ApplicationError(
            f"WENMING_COMPLAINT_RETENTION_YEARS 设置为 {years}，申诉档案至少保存 {MIN_RETENTION_YEARS} 年，请调大后再执行"
        )
    return years


def retain_until_for(closed_on: date) -> date:
    years = retention_years()
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:  # 29 February
        return closed_on.replace(year=closed_on.year + years, day=28)


def _local(dt: datetime) -> date:
    return timezone.localtime(dt).date()


# --- preconditions ---------------------------------------------------------------------------------
def check_preconditions(*, mailed_on: date, prior_complaint_on: date, prior_unsatisfied: bool, today: date) -> None:
    """先投诉后申诉 and the one-year bar; the refusal names the rule and what the complainant can do."""
    if mailed_on > today:
        raise ApplicationError(_("寄件日期不能晚于今天"), field="mailed_on")
    if prior_complaint_on > today:
        raise ApplicationError(_("向企业投诉的日期不能晚于今天"), field="prior_complaint_on")
    if prior_complaint_on < mailed_on:
        raise ApplicationError(_("向企业投诉的日期不能早于寄件日期"), field="prior_complaint_on")
    if (today - mailed_on).days > APPEAL_BAR_DAYS:
        raise ApplicationError(
            _("不予受理：自寄件之日起已超过1年，超出申诉期限（《邮政业消费者申诉处理办法》）。"),
            field="mailed_on",
            code=RefuseReason.TOO_OLD,
        )
    waited = (today - prior_complaint_on).days
    if waited < PRIOR_COMPLAINT_DAYS and not prior_unsatisfied:
        can_on = prior_complaint_on + timedelta(days=PRIOR_COMPLAINT_DAYS)
        raise ApplicationError(
            _(
                "暂不能受理：请先向企业投诉，企业自投诉之日起7日内处理。您于 %(on)s 向企业投诉，"
                "如企业未答复，可于 %(can)s 起提出申诉；如企业已答复但您不满意，请勾选“企业已答复但不满意”。"
            )
            % {"on": f"{prior_complaint_on:%Y-%m-%d}", "can": f"{can_on:%Y-%m-%d}"},
            field="prior_complaint_on",
            code=RefuseReason.NO_PRIOR,
        )


# --- helpers ----------------------------------------------------------------------------------------
def org_users(org: Organization | None, action: str) -> list[Any]:
    """Active users holding ``action`` through a role granted on ``org`` itself."""
    if org is None:
        return []
    rows = RoleAssignment.objects.filter(organization=org, user__is_active=True).select_related("user")
    users = {ra.user.pk: ra.user for ra in rows if action in actions_for(ra.role)}
    return [users[k] for k in sorted(users)]


def complaint_url(c: Complaint) -> str:
    return reverse("complaints:detail", args=[c.pk])


def _new_case_no(today: date) -> str:
    return f"SS{today:%Y%m%d}{secrets.randbelow(10**6):06d}"


# --- registration -----------------------------------------------------------------------------------
@transaction.atomic
def complaint_register(*, data: dict[str, Any], channel: str = Channel.WEB, by: Any = None) -> Complaint:
    """A new case in 待受理: from the public form (``by`` None, channel web) or staff intake (phone, letter).

    ``data``: enterprise, outlet (optional), waybill_no, category, business_type, description, claim,
    complainant_name, phone, mailed_on, prior_complaint_on, prior_unsatisfied, enterprise_answer.
    """
    if channel not in Channel.values:
        raise ApplicationError(_("未知的申诉渠道"), field="channel")
    enterprise: Organization = data["enterprise"]
    if enterprise.kind != OrgKind.ENTERPRISE or not enterprise.is_active or not hasattr(enterprise, "enterprise"):
        raise ApplicationError(_("请选择被申诉的企业"), field="enterprise")
    if by is None:
        if channel != Channel.WEB:
            raise ApplicationError(_("电话、信函申诉由工作人员登记"), field="channel")
    else:
        require(by, CA.HANDLE, enterprise)
    outlet: Organization | None = data.get("outlet")
    if outlet is not None and (outlet.kind != OrgKind.OUTLET or not outlet.is_descendant_of(enterprise)):
        raise ApplicationError(_("所选网点不属于该企业"), field="outlet")
    now = timezone.now()
    today = timezone.localdate()
    check_preconditions(
        mailed_on=data["mailed_on"],
        prior_complaint_on=data["prior_complaint_on"],
        prior_unsatisfied=bool(data.get("prior_unsatisfied")),
        today=today,
    )
    waybill = "".join((data.get("waybill_no") or "").split()).upper()
    if not waybill:
        raise ApplicationError(_("请填写运单号"), field="waybill_no")
    description = (data.get("description") or "").strip()
    if len(description) < 10:
        raise ApplicationError(_("请具体描述申诉的问题（至少10个字）"), field="description")
    c = Complaint(
        channel=channel,
        enterprise=enterprise,
        outlet=outlet,
        brand=enterprise.enterprise.brand,
        city_code=enterprise.city_code,
        waybill_no=waybill[:40],
        category=data["category"],
        business_type=data.get("business_type") or "parcel",
        description=description[:2000],
        claim=(data.get("claim") or "").strip()[:500],
        complainant_name=(data.get("complainant_name") or "").strip()[:50],
        mailed_on=data["mailed_on"],
        prior_complaint_on=data["prior_complaint_on"],
        prior_unsatisfied=bool(data.get("prior_unsatisfied")),
        enterprise_answer=(data.get("enterprise_answer") or "").strip()[:500],
        received_at=now,
        received_on=today,
        accept_due=accept_due_for(today),
        created_by=by,
    )
    try:
        c.set_phone(data.get("phone") or "")
    except pii.ParseError as exc:
        raise ApplicationError(str(exc), field="phone") from exc
    for _attempt in range(5):
        c.case_no = _new_case_no(today)
        try:
            with transaction.atomic():
                c.save()
            break
        except IntegrityError:
            if Complaint.objects.filter(case_no=c.case_no).exists():
                continue
            raise
    else:  # pragma: no cover - 10^6 numbers a day
        raise ApplicationError(_("系统繁忙，请稍后再试"))
    record_event(WF, c, "register", by=by, new=c.status, comment=c.get_channel_display())
    audit_record(AuditAction.CREATE, user=by, obj=c, detail={"channel": channel})
    return c


# --- the workflow -----------------------------------------------------------------------------------
def complaint_accept(*, complaint_id: int, by: Any, note: str = "") -> Complaint:
    """受理并转办: the enterprise gets 15 days to reply; the final answer is due 30 days from today."""
    now = timezone.now()

    def prepare(c: Complaint, t: Any) -> dict[str, Any]:
        today = _local(now)
        return {
            "accepted_at": now,
            "reply_due": reply_due_for(today),
            "final_due": final_due_for(today),
            "accept_overdue": c.accept_overdue or today > c.accept_due,
        }

    def after(c: Complaint, outcome: Any) -> None:
        notify_many(
            recipients=org_users(c.enterprise, CA.REPLY),
            title=f"申诉 {c.case_no} 已转办，请于 {c.reply_due:%Y-%m-%d} 前答复",
            url=complaint_url(c),
            category=CATEGORY,
        )

    return perform(WF, complaint_id, "accept", by=by, comment=note.strip(), prepare=prepare, after=after).obj


def complaint_refuse(*, complaint_id: int, by: Any, reason: str, note: str = "") -> Complaint:
    """不予受理, with one of the rules' reasons (and a note the complainant reads on the lookup page)."""
    if reason not in RefuseReason.values:
        raise ApplicationError(_("请选择不予受理的原因"), field="reason")
    note = (note or "").strip()
    if reason == RefuseReason.OTHER and len(note) < 4:
        raise ApplicationError(_("请说明不予受理的具体原因"), field="note")
    now = timezone.now()

    def prepare(c: Complaint, t: Any) -> dict[str, Any]:
        today = _local(now)
        return {
            "refuse_reason": reason,
            "closed_at": now,
            "retain_until": retain_until_for(today),
            "accept_overdue": c.accept_overdue or today > c.accept_due,
        }

    label = RefuseReason(reason).label
    comment = f"{label}。{note}" if note else str(label)
    return perform(WF, complaint_id, "refuse", by=by, comment=comment, prepare=prepare, detail={"reason": reason}).obj


def complaint_reply(
    *, complaint_id: int, by: Any, text: str, handler: str, compensation: Decimal | None = None
) -> Complaint:
    """企业答复: findings, liability, outcome and the handler; the callback is due 3 working days later."""
    text = (text or "").strip()
    handler = (handler or "").strip()
    if len(text) < 10:
        raise ApplicationError(_("请填写调查核实情况、责任认定和处理结果（至少10个字）"), field="text")
    if not handler:
        raise ApplicationError(_("请填写企业经办人"), field="handler")
    if compensation is not None and compensation < 0:
        raise ApplicationError(_("赔偿金额不能为负数"), field="compensation")
    now = timezone.now()

    def prepare(c: Complaint, t: Any) -> dict[str, Any]:
        today = _local(now)
        return {
            "reply_text": text[:2000],
            "reply_handler": handler[:50],
            "replied_at": now,
            "compensation": compensation if compensation is not None else c.compensation,
            "callback_due": callback_due_for(today),
            "callback_attempts": 0,
            "last_attempt_at": None,
            "reply_overdue": c.reply_overdue or (c.reply_due is not None and today > c.reply_due),
        }

    return perform(WF, complaint_id, "reply", by=by, comment=text[:500], prepare=prepare).obj


@transaction.atomic
def complaint_progress(*, complaint_id: int, by: Any, note: str) -> Complaint:
    """An enterprise's progress note on a forwarded case it cannot answer in time (进展说明)."""
    note = (note or "").strip()
    if len(note) < 4:
        raise ApplicationError(_("请填写办理进展"), field="note")
    c = lock(WF, complaint_id)
    require(by, CA.REPLY, c)
    if c.status != S.FORWARDED:
        raise ApplicationError(_("只有待企业答复的申诉可以报送进展"))
    record_event(WF, c, "progress", by=by, comment=note[:1000], old=c.status, new=c.status)
    audit_record(AuditAction.UPDATE, user=by, obj=c, detail={"op": "progress"})
    return c


def complaint_return(*, complaint_id: int, by: Any, reason: str) -> Complaint:
    """退回重新答复: the reply is incomplete; the enterprise answers again within the same 15 days."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ApplicationError(_("请说明退回的原因"), field="reason")

    def after(c: Complaint, outcome: Any) -> None:
        notify_many(
            recipients=org_users(c.enterprise, CA.REPLY),
            title=f"申诉 {c.case_no} 的答复被退回，请重新答复",
            body=reason[:200],
            url=complaint_url(c),
            category=CATEGORY,
        )

    return perform(
        WF,
        complaint_id,
        "return",
        by=by,
        comment=reason,
        fields={"callback_due": None, "callback_attempts": 0, "last_attempt_at": None},
        after=after,
    ).obj


@transaction.atomic
def complaint_callback_failed(*, complaint_id: int, by: Any, now: datetime | None = None) -> Complaint:
    """A callback attempt nobody answered. The one retry comes at least 4 hours after the first attempt."""
    now = now or timezone.now()
    c = lock(WF, complaint_id)
    require(by, CA.HANDLE, c)
    if c.status != S.REPLIED:
        raise ApplicationError(_("只有待回访的申诉可以登记回访"))
    if c.callback_attempts >= 2:
        raise ApplicationError(_("已回访两次未接通，可按“未能联系”办结"))
    if c.callback_attempts == 1 and c.last_attempt_at and now - c.last_attempt_at < CALLBACK_RETRY:
        retry_at = timezone.localtime(c.last_attempt_at + CALLBACK_RETRY)
        raise ApplicationError(_("首次回访未接通，须间隔4小时再次回访（%(at)s 之后）") % {"at": f"{retry_at:%H:%M}"})
    c.callback_attempts += 1
    c.last_attempt_at = now
    c.save(update_fields=["callback_attempts", "last_attempt_at", "updated_at"])
    record_event(WF, c, "callback_attempt", by=by, comment=f"第{c.callback_attempts}次回访未接通", at=now)
    audit_record(AuditAction.UPDATE, user=by, obj=c, detail={"op": "callback_attempt", "n": c.callback_attempts})
    return c


def _closing_fields(c: Complaint, now: datetime, *, is_valid: bool, satisfaction: str) -> dict[str, Any]:
    today = _local(now)
    return {
        "is_valid": is_valid,
        "satisfaction": satisfaction,
        "closed_at": now,
        "retain_until": retain_until_for(today),
        "final_overdue": c.final_overdue or (c.final_due is not None and today > c.final_due),
    }


def _check_closing(is_valid: Any, satisfaction: str) -> None:
    if is_valid not in (True, False):
        raise ApplicationError(_("请认定是否为有效申诉"), field="is_valid")
    if satisfaction not in Satisfaction.values:
        raise ApplicationError(_("请选择申诉人对处理的满意度"), field="satisfaction")


def complaint_callback(
    *, complaint_id: int, by: Any, is_valid: bool, satisfaction: str, note: str = "", now: datetime | None = None
) -> Complaint:
    """回访办结: the complainant was reached (or not, after the retry); 有效申诉 decided; satisfaction recorded."""
    _check_closing(is_valid, satisfaction)
    now = now or timezone.now()

    def prepare(c: Complaint, t: Any) -> dict[str, Any]:
        if satisfaction == Satisfaction.UNREACHABLE and c.callback_attempts < 2:
            raise ApplicationError(
                _("回访未接通的，须间隔4小时再回访一次，仍未接通方可按“未能联系”办结"), field="satisfaction"
            )
        today = _local(now)
        return {
            **_closing_fields(c, now, is_valid=is_valid, satisfaction=satisfaction),
            "callback_overdue": c.callback_overdue or (c.callback_due is not None and today > c.callback_due),
        }

    return perform(
        WF,
        complaint_id,
        "callback",
        by=by,
        comment=note.strip(),
        prepare=prepare,
        detail={"is_valid": is_valid, "satisfaction": satisfaction},
        event_at=now,
    ).obj


def complaint_mediate(*, complaint_id: int, by: Any, note: str) -> Complaint:
    """转入调解: the complainant is not satisfied and agrees to mediation."""
    note = (note or "").strip()
    if len(note) < 4:
        raise ApplicationError(_("请说明调解的事由（申诉人不满意并同意调解）"), field="note")
    return perform(WF, complaint_id, "mediate", by=by, comment=note, fields={"closed_at": None}).obj


def complaint_conclude(*, complaint_id: int, by: Any, is_valid: bool, satisfaction: str, note: str) -> Complaint:
    """调解办结, within 30 days of acceptance (else the final limit is flagged)."""
    _check_closing(is_valid, satisfaction)
    note = (note or "").strip()
    if len(note) < 4:
        raise ApplicationError(_("请填写调解结果"), field="note")
    now = timezone.now()
    return perform(
        WF,
        complaint_id,
        "conclude",
        by=by,
        comment=note,
        prepare=lambda c, t: _closing_fields(c, now, is_valid=is_valid, satisfaction=satisfaction),
        detail={"is_valid": is_valid, "satisfaction": satisfaction},
    ).obj


# --- overdue flags and escalation (periodic, system) ------------------------------------------------
def flag_overdue(*, today: date | None = None) -> int:
    """Flag every pending step past its limit (one history row each) and escalate each case once.

    Idempotent: a flag set stays set, and the escalation (``escalated_at``) happens once per case.
    """
    today = today or timezone.localdate()
    flagged = 0
    for deadline, (_due, flag, _states) in PENDING.items():
        ids = list(Complaint.objects.filter(overdue_q(deadline, today), **{flag: False}).values_list("pk", flat=True))
        for pk in ids:
            with transaction.atomic():
                c = lock(WF, pk)
                if getattr(c, flag) or not Complaint.objects.filter(overdue_q(deadline, today), pk=pk).exists():
                    continue
                setattr(c, flag, True)
                c.save(update_fields=[flag, "updated_at"])
                label = Deadline(deadline).label
                record_event(WF, c, "overdue", by=None, comment=f"{label}超时", old=c.status, new=c.status)
                audit_record(AuditAction.UPDATE, obj=c, detail={"op": "overdue", "deadline": deadline})
                flagged += 1
                if c.escalated_at is None:
                    _escalate(c, deadline)
    return flagged


def _escalate(c: Complaint, deadline: str) -> None:
    """Tell the supervising bureau (its complaint handlers) that a time limit of the case was missed."""
    c.escalated_at = timezone.now()
    c.save(update_fields=["escalated_at", "updated_at"])
    bureau = issuing_bureau(c.enterprise)
    record_event(WF, c, "escalate", by=None, comment=bureau.name if bureau else "")
    label = Deadline(deadline).label
    recipients = org_users(bureau, CA.HANDLE)
    if deadline == Deadline.REPLY:
        recipients += org_users(c.enterprise, CA.REPLY)
    notify_many(
        recipients=recipients,
        title=f"申诉 {c.case_no}（{c.enterprise.name}）{label}超时",
        url=complaint_url(c),
        category=CATEGORY,
    )


# --- the complainant -----------------------------------------------------------------------------------
def complaint_lookup(*, case_no: str, phone: str) -> Complaint | None:
    """The case whose number and phone both match (the lookup page), else None."""
    case_no = "".join((case_no or "").split()).upper()
    if not case_no:
        return None
    c = Complaint.objects.select_related("enterprise").filter(case_no=case_no).first()
    if c is None or not c.phone_matches(phone):
        return None
    return c


def reveals_today(user: Any) -> int:
    start = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    return AuditEvent.objects.filter(
        action=AuditAction.PII_REVEAL, actor_id=user.pk, outcome="success", at__gte=start
    ).count()


def complaint_reveal_phone(*, complaint: Complaint, by: Any, reason: str) -> str:
    """The complainant's phone in full for a callback: the handler in scope, a reason, a daily cap, audit."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ApplicationError(_("请填写查看原因"), field="reason")
    require(by, CA.HANDLE, complaint)
    limit = settings.WENMING_UNMASK_DAILY_LIMIT
    detail = {"field": "phone", "reason": reason[:200]}
    with transaction.atomic():
        if reveals_today(by) < limit:
            audit_record(AuditAction.PII_REVEAL, user=by, obj=complaint, detail=detail)
            return complaint.reveal_phone()
        audit_record(
            AuditAction.PII_REVEAL, user=by, obj=complaint, outcome="denied", detail={**detail, "limit": limit}
        )
    raise ApplicationError(f"今日查看完整信息已达上限（{limit}次），请明日再试", code="reveal_limit")


# --- item volumes -------------------------------------------------------------------------------------
# An enterprise's month above this is a typing error (the largest Liaoning enterprise handles a few tens
# of millions of items a month); the form and the Excel import refuse it.
MAX_MONTHLY_ITEMS = 100_000_000


@transaction.atomic
def volume_set(*, enterprise: Organization, month: date, items: int, by: Any) -> ItemVolume:
    """The enterprise's items in one month (a second entry for the month replaces the first; audited)."""
    if enterprise.kind != OrgKind.ENTERPRISE:
        raise ApplicationError(_("请选择企业"), field="enterprise")
    require(by, CA.VOLUME, enterprise)
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ApplicationError(_("不能录入未来月份的业务量"), field="month")
    if items is None or items < 0:
        raise ApplicationError(_("业务量不能为负数"), field="items")
    if items > MAX_MONTHLY_ITEMS:
        raise ApplicationError(_("业务量超过每月 1 亿件，请核对是否多填了位数"), field="items")
    row = ItemVolume.objects.filter(enterprise=enterprise, month=month).first()
    old = row.items if row else None
    if row is None:
        row = ItemVolume.objects.create(enterprise=enterprise, month=month, items=items, entered_by=by)
        audit_record(AuditAction.CREATE, user=by, obj=row, detail={"items": items})
    elif row.items != items:
        row.items, row.entered_by = items, by
        row.save(update_fields=["items", "entered_by", "updated_at"])
        audit_record(AuditAction.UPDATE, user=by, obj=row, detail={"items": items, "old": old})
    return row


@transaction.atomic
def volumes_import(*, rows: list[tuple[int, date, int]], by: Any) -> int:
    """Write checked (enterprise id, month, items) rows of an Excel import in the caller's transaction.

    Every enterprise must be in the importer's ``complaints.volume`` scope (checked again here, in one
    query); a month already entered is replaced and each replacement is audited with the old value (the
    import batch's own audit row covers the new rows). Returns the number of rows written.
    """
    if not rows:
        return 0
    ent_ids = {e for e, _, _ in rows}
    allowed = set(
        Organization.objects.visible_to(by, CA.VOLUME)
        .filter(kind=OrgKind.ENTERPRISE, pk__in=ent_ids)
        .values_list("pk", flat=True)
    )
    if allowed != ent_ids:
        raise ApplicationError(_("导入的企业不在您的数据范围内"), code="forbidden")
    today = timezone.localdate()
    for _e, month, items in rows:
        if month.day != 1 or month > today or not 0 <= items <= MAX_MONTHLY_ITEMS:
            raise ApplicationError(_("业务量数据未通过校验"))
    existing = {
        (v.enterprise_id, v.month): v
        for v in ItemVolume.objects.select_for_update().filter(
            enterprise_id__in=ent_ids, month__in={m for _, m, _ in rows}
        )
    }
    new, changed = [], []
    for ent_id, month, items in rows:
        row = existing.get((ent_id, month))
        if row is None:
            new.append(ItemVolume(enterprise_id=ent_id, month=month, items=items, entered_by=by))
        elif row.items != items:
            old = row.items
            row.items, row.entered_by = items, by
            changed.append(row)
            audit_record(AuditAction.UPDATE, user=by, obj=row, detail={"items": items, "old": old, "via": "import"})
    ItemVolume.objects.bulk_create(new, batch_size=500)
    if changed:
        now = timezone.now()
        for row in changed:
            row.updated_at = now
        ItemVolume.objects.bulk_update(changed, ["items", "entered_by", "updated_at"], batch_size=500)
    return len(rows)


# --- statistics ------------------------------------------------------------------------------------------
@dataclass
class RateRow:
    key: Any
    label: str
    complaints: int
    valid: int
    items: int

    @property
    def ppm(self) -> Decimal | None:
        return _ppm(self.complaints, self.items)

    @property
    def valid_ppm(self) -> Decimal | None:
        return _ppm(self.valid, self.items)


def _ppm(n: int, items: int) -> Decimal | None:
    if not items:
        return None
    return (Decimal(n) * Decimal(1_000_000) / Decimal(items)).quantize(Decimal("0.01"))


GROUPS = ("enterprise", "brand", "city")


def per_million(*, complaints: Any, volumes: Any, start: date, end: date, group: str = "enterprise") -> list[RateRow]:
    """Complaints (accepted or pending, refused ones excluded) and valid complaints per million items, by
    enterprise, brand or city, for cases received in [start, end) and volumes of the months in it.

    ``complaints`` and ``volumes`` are already scoped querysets (the caller's ``visible_to``).
    """
    if group not in GROUPS:
        raise ApplicationError(_("未知的统计口径"), field="group")
    cq = complaints.filter(received_on__gte=start, received_on__lt=end).exclude(status=S.NOT_ACCEPTED)
    vq = volumes.filter(month__gte=start.replace(day=1), month__lt=end)
    key, vkey = {
        "enterprise": ("enterprise_id", "enterprise_id"),
        "brand": ("brand_id", "enterprise__enterprise__brand_id"),
        "city": ("city_code", "enterprise__city_code"),
    }[group]
    counts = {
        r[key]: (r["n"], r["v"])
        for r in cq.values(key).annotate(n=Count("id"), v=Count("id", filter=Q(is_valid=True))).order_by()
    }
    items = {r[vkey]: r["s"] or 0 for r in vq.values(vkey).annotate(s=Sum("items")).order_by()}
    labels = _labels(group, set(counts) | set(items))
    rows = [
        RateRow(k, labels.get(k, str(k)), counts.get(k, (0, 0))[0], counts.get(k, (0, 0))[1], items.get(k, 0))
        for k in set(counts) | set(items)
    ]
    rows.sort(key=lambda r: (-(r.valid_ppm or 0), -(r.ppm or 0), r.label))
    return rows


def _labels(group: str, keys: set[Any]) -> dict[Any, str]:
    if group == "enterprise":
        return dict(Organization.objects.filter(pk__in=keys).values_list("pk", "name"))
    if group == "brand":
        return dict(Brand.objects.filter(pk__in=keys).values_list("pk", "name"))
    return dict(
        Organization.objects.filter(kind=OrgKind.CITY_BUREAU, city_code__in=keys).values_list("city_code", "name")
    )


@dataclass
class OverdueRow:
    city_code: str
    city: str
    enterprise_id: int
    enterprise: str
    forwarded: int
    overdue: int

    @property
    def rate(self) -> Decimal | None:
        if not self.forwarded:
            return None
        return (Decimal(self.overdue) * 100 / Decimal(self.forwarded)).quantize(Decimal("0.1"))


def overdue_replies(*, complaints: Any, start: date, end: date) -> list[OverdueRow]:
    """Per enterprise × city: cases forwarded (received in [start, end)) and those whose reply was late."""
    cq = complaints.filter(received_on__gte=start, received_on__lt=end, accepted_at__isnull=False)
    rows = (
        cq.values("city_code", "enterprise_id", "enterprise__name")
        .annotate(n=Count("id"), late=Count("id", filter=Q(reply_overdue=True)))
        .order_by()
    )
    cities = _labels("city", {r["city_code"] for r in rows})
    out = [
        OverdueRow(
            r["city_code"],
            cities.get(r["city_code"], r["city_code"]),
            r["enterprise_id"],
            r["enterprise__name"],
            r["n"],
            r["late"],
        )
        for r in rows
    ]
    out.sort(key=lambda r: (r.city_code, -r.overdue, r.enterprise))
    return out


# --- retention ----------------------------------------------------------------------------------------
def purge_expired_cases(*, today: date | None = None) -> int:
    """Delete closed or refused case files whose retention (≥ 3 years after closing) has run out; audited."""
    years = retention_years()
    today = today or timezone.localdate()
    qs = Complaint.objects.filter(
        status__in=(S.CLOSED, S.NOT_ACCEPTED), retain_until__isnull=False, retain_until__lt=today
    )
    with transaction.atomic():
        n = qs.count()
        if n:
            qs.delete()
            audit_record(
                AuditAction.DELETE,
                object_type="complaints.Complaint",
                detail={"op": "retention_purge", "before": today.isoformat(), "retention_years": years, "cases": n},
            )
    return n


def volume_items(volumes: Any) -> int:
    return volumes.aggregate(s=Sum("items"))["s"] or 0
