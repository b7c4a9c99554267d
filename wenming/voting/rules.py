"""Named rules of the voting app: the second approver of a quarantine is never its proposer."""

from __future__ import annotations

from typing import Any

from wenming.organizations.scoping import is_in_scope
from wenming.workflow.policy import register_rule

from .permissions import VotingAction as VA
from .workflows import QUARANTINE_SECOND


def is_second_approver(user: Any, quarantine: Any) -> bool:
    """Holds the audit admin's decision on the poll and did not propose this quarantine."""
    return quarantine.proposed_by_id != user.pk and is_in_scope(user, quarantine.poll, VA.QUARANTINE_DECIDE)


def register_rules() -> None:
    register_rule(
        QUARANTINE_SECOND, is_second_approver, action=VA.QUARANTINE_DECIDE, label="审计管理员确认（非提请人）"
    )
