"""Named rules of judging: what the tree alone cannot decide (registered from ``JudgingConfig.ready``).

* ``judging.own_assignment`` — the expert of the assignment, holding ``Action.REVIEW`` somewhere: an
  expert scores only what they were assigned, wherever the entry's unit sits in the tree.
* ``judging.committee_member`` — a member of the committee vote (any staff account the office named).
"""

from __future__ import annotations

from typing import Any

from wenming.accounts.roles import Action
from wenming.organizations.scoping import has_action_anywhere
from wenming.workflow.policy import register_rule

OWN_ASSIGNMENT = "judging.own_assignment"
COMMITTEE_MEMBER = "judging.committee_member"


def _own_assignment(user: Any, assignment: Any) -> bool:
    return getattr(assignment, "expert_id", None) == user.pk and has_action_anywhere(user, Action.REVIEW)


def _committee_member(user: Any, vote: Any) -> bool:
    return vote.members.filter(user_id=user.pk).exists()


def register_rules() -> None:
    register_rule(OWN_ASSIGNMENT, _own_assignment, action=Action.REVIEW, label="评审本人受托的参评对象")
    register_rule(COMMITTEE_MEMBER, _committee_member, action=Action.VIEW, label="委员会表决成员")
