"""Named permissions of the plans app, built from role grants (roles.py) and the org tree.

* dispatcher side — the user holds the action on the issuing organisation or above it;
* handler side — the user holds ``plans.handle`` on the assignee or between it and the issuer
  (never above the issuer: a province admin supervises a city's task but does not 签收 it).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wenming.organizations.scoping import grant_paths
from wenming.plans.permissions import PlanAction as PA
from wenming.workflow.policy import register_rule

from .models import ProgressReport, SupervisionSettings, WorkGoal, WorkTask


def _paths(user: Any, action: str) -> list[str]:
    return grant_paths(user, action)


def holds_over(user: Any, org: Any, action: str) -> bool:
    """The user holds ``action`` on ``org`` or one of its ancestors."""
    return any(org.path.startswith(p) for p in _paths(user, action))


def holds_on(user: Any, org: Any, action: str) -> bool:
    """The user holds ``action`` granted on ``org`` itself."""
    return any(p == org.path for p in _paths(user, action))


def is_handler(user: Any, task: WorkTask) -> bool:
    issuer = task.dispatch.issuer
    return any(task.assignee.path.startswith(p) and not issuer.path.startswith(p) for p in _paths(user, PA.PLAN_HANDLE))


def is_dispatcher(user: Any, task: WorkTask) -> bool:
    return holds_over(user, task.dispatch.issuer, PA.PLAN_DISPATCH)


def is_task_approver(user: Any, task: WorkTask) -> bool:
    return holds_over(user, task.dispatch.issuer, PA.PLAN_APPROVE)


def drafted_by(user: Any, task: WorkTask) -> bool:
    return task.dispatch.created_by_id is not None and task.dispatch.created_by_id == getattr(user, "pk", None)


def may_approve_draft(user: Any, task: WorkTask) -> bool:
    """审核通过: an approver over the issuer who — under the two-person rule (督办设置) — did not draft it."""
    if not is_task_approver(user, task):
        return False
    return not (SupervisionSettings.current().two_person_rule and drafted_by(user, task))


def can_submit_report(user: Any, report: ProgressReport) -> bool:
    """The city bureau's leading group (plans.approve granted on the bureau itself)."""
    return holds_on(user, report.organization, PA.PLAN_APPROVE)


def can_edit_report(user: Any, report: ProgressReport) -> bool:
    return holds_on(user, report.organization, PA.PLAN_HANDLE) or can_submit_report(user, report)


def can_review_report(user: Any, report: ProgressReport) -> bool:
    """The provincial office: report review held above the reporting bureau, never on it."""
    return any(
        report.organization.path.startswith(p) and p != report.organization.path for p in _paths(user, PA.REPORT_REVIEW)
    )


def owns_goal(user: Any, goal: WorkGoal) -> bool:
    return holds_over(user, goal.owner, PA.PLAN_HANDLE)


def leads_goal(user: Any, goal: WorkGoal) -> bool:
    return holds_over(user, goal.plan.organization, PA.PLAN_APPROVE)


def office_goal(user: Any, goal: WorkGoal) -> bool:
    return holds_over(user, goal.plan.organization, PA.PLAN_DISPATCH)


def register_rules() -> None:
    """Register the plans rules with the one policy (called from ``PlansConfig.ready``)."""

    register_rule(
        "plans.approve_draft", may_approve_draft, action=PA.PLAN_APPROVE, label=_("审核通过督办事项（起草人除外）")
    )
    register_rule("plans.approve_task", is_task_approver, action=PA.PLAN_APPROVE, label=_("审批、撤销督办事项"))
    register_rule("plans.dispatch_task", is_dispatcher, action=PA.PLAN_DISPATCH, label=_("下发督办事项"))
    register_rule("plans.handle_task", is_handler, action=PA.PLAN_HANDLE, label=_("承办督办事项"))
    register_rule("plans.review_task", is_dispatcher, action=PA.PLAN_DISPATCH, label=_("复核督办事项、审批延期"))
    register_rule("plans.submit_report", can_submit_report, action=PA.PLAN_APPROVE, label=_("报送工作进展"))
    register_rule("plans.review_report", can_review_report, action=PA.REPORT_REVIEW, label=_("审核工作进展"))
    register_rule("plans.own_goal", owns_goal, action=PA.PLAN_HANDLE, label=_("牵头推进工作目标"))
    register_rule("plans.lead_goal", leads_goal, action=PA.PLAN_APPROVE, label=_("决定工作目标推广、取消"))
    register_rule("plans.office_goal", office_goal, action=PA.PLAN_DISPATCH, label=_("工作目标制度化"))
