"""Transition tables of activities (ACTIVITY), volunteer events (cancel) and volunteer records (HOURS). No I/O.

Moves run through ``wenming.workflow.engine.perform``; check-out is public (the caller verified the
volunteer's signed QR token), auto check-out belongs to the system alone.
"""

from wenming.activities.permissions import ActivityAction as AA
from wenming.audit.models import AuditAction
from wenming.workflow.engine import Transition, Workflow
from wenming.workflow.policy import PUBLIC, SYSTEM

from .choices import ActivityStatus as S
from .choices import PairingStatus as P
from .choices import VolunteerEventStatus as E
from .choices import VolunteerRecordStatus as V

ACTIVITY_WORKFLOW = Workflow(
    key="activities.activity",
    model="activities.Activity",
    event_model="activities.ActivityEvent",
    event_fk="activity",
    lock_related=("activity_type", "organization"),
    transitions=(
        Transition("submit", {S.DRAFT}, S.SUBMITTED, AA.ACTIVITY_RECORD, "提交"),
        Transition("resubmit", {S.RETURNED}, S.SUBMITTED, AA.ACTIVITY_RECORD, "重新提交"),
        Transition("verify", {S.SUBMITTED}, S.VERIFIED, AA.ACTIVITY_VERIFY, "核实通过"),
        Transition("return", {S.SUBMITTED}, S.RETURNED, AA.ACTIVITY_VERIFY, "退回"),
    ),
)

# A volunteer event is edited freely until it starts; cancelling it (with a reason) tells those signed up.
VOLUNTEER_EVENT_WORKFLOW = Workflow(
    key="activities.volunteer_event",
    model="activities.VolunteerEvent",
    event_model="activities.VolunteerEventEvent",
    event_fk="event",
    lock_related=("organization",),
    transitions=(Transition("cancel", {E.OPEN}, E.CANCELLED, AA.ACTIVITY_RECORD, "取消活动"),),
)

# Check-in creates the record (status CHECKED_IN, history kind "check_in"); these are the moves after it.
VOLUNTEER_RECORD_WORKFLOW = Workflow(
    key="activities.volunteer_record",
    model="activities.VolunteerRecord",
    event_model="activities.VolunteerRecordEvent",
    event_fk="record",
    lock_related=("signup__event",),
    transitions=(
        Transition("check_out", {V.CHECKED_IN}, V.PENDING, PUBLIC, "签退", audit=AuditAction.UPDATE),
        Transition("auto_check_out", {V.CHECKED_IN}, V.PENDING, SYSTEM, "自动签退", audit=AuditAction.UPDATE),
        Transition("approve", {V.PENDING}, V.APPROVED, AA.ACTIVITY_RECORD, "批准"),
        Transition("decline", {V.PENDING}, V.DECLINED, AA.ACTIVITY_RECORD, "不予认定"),
    ),
    kinds={"check_in": "签到"},
)

PAIRING_WORKFLOW = Workflow(
    key="activities.pairing",
    model="activities.Pairing",
    event_model="activities.PairingEvent",
    event_fk="pairing",
    lock_related=("organization",),
    transitions=(Transition("end", {P.ACTIVE}, P.ENDED, AA.ACTIVITY_RECORD, "结束共建", audit=AuditAction.UPDATE),),
    kinds={"create": "创建"},
)
