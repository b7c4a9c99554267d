"""Transition table of a complaint (申诉, domain.md §6.4). No I/O.

Registration (登记: public web form or staff intake) creates the case in ``received``. The overdue
flags, the escalation to the supervising bureau, progress notes and failed callback attempts are
history rows without a change of state.
"""

from django.utils.translation import gettext_noop

from wenming.complaints.permissions import ComplaintAction as CA
from wenming.workflow.engine import Transition, Workflow

from .choices import ComplaintStatus as S

COMPLAINT_WORKFLOW = Workflow(
    key="complaints.complaint",
    model="complaints.Complaint",
    event_model="complaints.ComplaintEvent",
    event_fk="complaint",
    lock_related=("enterprise",),
    transitions=(
        Transition("accept", {S.RECEIVED}, S.FORWARDED, CA.HANDLE, gettext_noop("受理并转办")),
        Transition("refuse", {S.RECEIVED}, S.NOT_ACCEPTED, CA.HANDLE, gettext_noop("不予受理")),
        Transition("reply", {S.FORWARDED}, S.REPLIED, CA.REPLY, gettext_noop("企业答复")),
        Transition("return", {S.REPLIED}, S.FORWARDED, CA.HANDLE, gettext_noop("退回重新答复")),
        Transition("callback", {S.REPLIED}, S.CLOSED, CA.HANDLE, gettext_noop("回访办结")),
        Transition("mediate", {S.REPLIED, S.CLOSED}, S.MEDIATION, CA.HANDLE, gettext_noop("转入调解")),
        Transition("conclude", {S.MEDIATION}, S.CLOSED, CA.HANDLE, gettext_noop("调解办结")),
    ),
    kinds={
        "register": gettext_noop("登记"),
        "progress": gettext_noop("进展说明"),
        "callback_attempt": gettext_noop("回访未接通"),
        "overdue": gettext_noop("超时"),
        "escalate": gettext_noop("上报监管部门"),
    },
)
