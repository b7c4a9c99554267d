"""Transition tables of activities (ACTIVITY) and volunteer records (HOURS). No I/O."""

from wenming.accounts.roles import Action
from wenming.core.workflows import Transition, Workflow

from .choices import ActivityStatus as S
from .choices import VolunteerRecordStatus as V

ACTIVITY_WORKFLOW = Workflow(
    Transition("submit", {S.DRAFT}, S.SUBMITTED, Action.ACTIVITY_RECORD, "提交"),
    Transition("resubmit", {S.RETURNED}, S.SUBMITTED, Action.ACTIVITY_RECORD, "重新提交"),
    Transition("verify", {S.SUBMITTED}, S.VERIFIED, Action.ACTIVITY_VERIFY, "核实通过"),
    Transition("return", {S.SUBMITTED}, S.RETURNED, Action.ACTIVITY_VERIFY, "退回"),
)

# Check-in creates the record (status CHECKED_IN); these are the moves after it.
VOLUNTEER_RECORD_WORKFLOW = Workflow(
    Transition("check_out", {V.CHECKED_IN}, V.PENDING, "public", "签退"),
    Transition("auto_check_out", {V.CHECKED_IN}, V.PENDING, "system", "自动签退"),
    Transition("approve", {V.PENDING}, V.APPROVED, Action.ACTIVITY_RECORD, "批准"),
    Transition("decline", {V.PENDING}, V.DECLINED, Action.ACTIVITY_RECORD, "不予认定"),
)
