"""Named permissions of the plans app, built from role grants (roles.py) and the org tree.

* dispatcher side — the user holds the action on the issuing organisation or above it;
* handler side — the user holds ``plans.handle`` on the assignee or between it and the issuer
  (never above the issuer: a province admin supervises a city's task but does not 签收 it).
"""

from __future__ import annotations

from typing import Any

from wenming.accounts.roles import Action, actions_for
from wenming.organizations.scoping import _grants

from .models import ProgressReport, WorkGoal, WorkTask


def _paths(user: Any, action: str) -> list[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [p for p, role in _grants(user) if action in actions_for(role)]


def holds_over(user: Any, org: Any, action: str) -> bool:
    """The user holds ``action`` on ``org`` or one of its ancestors."""
    return any(org.path.startswith(p) for p in _paths(user, action))


def holds_on(user: Any, org: Any, action: str) -> bool:
    """The user holds ``action`` granted on ``org`` itself."""
    return any(p == org.path for p in _paths(user, action))


def is_handler(user: Any, task: WorkTask) -> bool:
    issuer = task.dispatch.issuer
    return any(
        task.assignee.path.startswith(p) and not issuer.path.startswith(p) for p in _paths(user, Action.PLAN_HANDLE)
    )


def is_dispatcher(user: Any, task: WorkTask) -> bool:
    return holds_over(user, task.dispatch.issuer, Action.PLAN_DISPATCH)


def is_task_approver(user: Any, task: WorkTask) -> bool:
    return holds_over(user, task.dispatch.issuer, Action.PLAN_APPROVE)


def can_submit_report(user: Any, report: ProgressReport) -> bool:
    """The city bureau's leading group (plans.approve granted on the bureau itself)."""
    return holds_on(user, report.organization, Action.PLAN_APPROVE)


def can_edit_report(user: Any, report: ProgressReport) -> bool:
    return holds_on(user, report.organization, Action.PLAN_HANDLE) or can_submit_report(user, report)


def can_review_report(user: Any, report: ProgressReport) -> bool:
    """The provincial office: report review held above the reporting bureau, never on it."""
    return any(
        report.organization.path.startswith(p) and p != report.organization.path
        for p in _paths(user, Action.REPORT_REVIEW)
    )


def owns_goal(user: Any, goal: WorkGoal) -> bool:
    return holds_over(user, goal.owner, Action.PLAN_HANDLE)


def leads_goal(user: Any, goal: WorkGoal) -> bool:
    return holds_over(user, goal.plan.organization, Action.PLAN_APPROVE)


def office_goal(user: Any, goal: WorkGoal) -> bool:
    return holds_over(user, goal.plan.organization, Action.PLAN_DISPATCH)


RULES = {
    "plans.approve_task": is_task_approver,
    "plans.dispatch_task": is_dispatcher,
    "plans.handle_task": is_handler,
    "plans.review_task": is_dispatcher,
    "plans.submit_report": can_submit_report,
    "plans.review_report": can_review_report,
    "plans.own_goal": owns_goal,
    "plans.lead_goal": leads_goal,
    "plans.office_goal": office_goal,
}


def has_perm(user: Any, permission: str, obj: Any) -> bool:
    rule = RULES.get(permission)
    return bool(rule and rule(user, obj))
