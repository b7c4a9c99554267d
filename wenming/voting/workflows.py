"""Transition tables of polls (domain.md §6.2) and of quarantines (dual approval). No I/O.

A poll is *open* while it is ``scheduled`` and the clock is inside ``[opens_at, closes_at)``: the window
is exact to the second whatever the scheduler does; ``close`` (system, after the end time) drains the
fast path, freezes the tally and publishes the snapshot hash.
"""

from django.utils.translation import gettext_noop

from wenming.audit.models import AuditAction
from wenming.workflow.engine import Transition, Workflow
from wenming.workflow.policy import SYSTEM

from .choices import PollStatus as P
from .choices import QuarantineStatus as Q
from .permissions import VotingAction as VA

POLL_WORKFLOW = Workflow(
    key="voting.poll",
    model="voting.Poll",
    event_model="voting.PollEvent",
    event_fk="poll",
    lock_related=("organization",),
    transitions=(
        Transition("schedule", {P.DRAFT}, P.SCHEDULED, VA.MANAGE, gettext_noop("发布投票")),
        Transition("pause", {P.SCHEDULED}, P.PAUSED, VA.MANAGE, gettext_noop("暂停投票")),
        Transition("resume", {P.PAUSED}, P.SCHEDULED, VA.MANAGE, gettext_noop("恢复投票")),
        Transition(
            "close", {P.SCHEDULED, P.PAUSED}, P.CLOSED, SYSTEM, gettext_noop("截止投票"), audit=AuditAction.UPDATE
        ),
        Transition("publish", {P.CLOSED}, P.PUBLISHED, VA.MANAGE, gettext_noop("公布结果")),
    ),
    kinds={"create": gettext_noop("创建"), "offline": gettext_noop("录入线下票")},
)

QUARANTINE_SECOND = "voting.quarantine_second"  # the rule (rules.py): audit admin, not the proposer

QUARANTINE_WORKFLOW = Workflow(
    key="voting.quarantine",
    model="voting.Quarantine",
    event_model="voting.QuarantineEvent",
    event_fk="quarantine",
    lock_related=("poll",),
    transitions=(
        Transition("approve", {Q.PENDING}, Q.APPROVED, QUARANTINE_SECOND, gettext_noop("确认隔离")),
        Transition("reject", {Q.PENDING}, Q.REJECTED, QUARANTINE_SECOND, gettext_noop("不予隔离")),
    ),
    kinds={"propose": gettext_noop("提请隔离")},
)
