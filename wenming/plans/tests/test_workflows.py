"""Transition tables: reachability, terminal states, a rule for every permission, role × state matrix."""

from collections import deque
from datetime import date

import pytest

from wenming.core.errors import TransitionNotAllowed
from wenming.plans import rules
from wenming.plans.choices import ProgressReportStatus, WorkGoalStatus, WorkTaskStatus
from wenming.plans.workflows import (
    GOAL_TERMINAL,
    PROGRESS_REPORT_WORKFLOW,
    REPORT_TERMINAL,
    TASK_TERMINAL,
    WORK_GOAL_WORKFLOW,
    WORK_TASK_WORKFLOW,
)
from wenming.workflow import policy
from wenming.workflow.policy import authorize

CASES = [
    (WORK_TASK_WORKFLOW, WorkTaskStatus, WorkTaskStatus.DRAFT, TASK_TERMINAL),
    (PROGRESS_REPORT_WORKFLOW, ProgressReportStatus, ProgressReportStatus.DRAFT, REPORT_TERMINAL),
    (WORK_GOAL_WORKFLOW, WorkGoalStatus, WorkGoalStatus.PLANNED, GOAL_TERMINAL),
]


def _reachable(wf, start):
    seen, todo = {start}, deque([start])
    while todo:
        s = todo.popleft()
        for t in wf.from_state(s):
            if t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    return seen


@pytest.mark.parametrize("wf, states, start, terminal", CASES)
def test_every_state_is_reachable_and_terminals_have_no_exit(wf, states, start, terminal):
    assert _reachable(wf, start) == set(states.values)
    for s in terminal:
        assert wf.from_state(s) == []
    for s in set(states.values) - set(terminal):
        assert wf.from_state(s), f"{s} is a dead end"


@pytest.mark.parametrize("wf, states, start, terminal", CASES)
def test_every_transition_has_a_rule(wf, states, start, terminal):
    for t in wf.transitions:
        assert t.permission in policy.rules(), t.permission


def test_unknown_transition_is_refused():
    with pytest.raises(TransitionNotAllowed):
        WORK_TASK_WORKFLOW.get("close", WorkTaskStatus.DISPATCHED)


def test_task_role_matrix(personas, org_tree, make_task):
    """Who may fire which task transition (province → Shenyang task)."""
    task = make_task(due=date(2026, 11, 30))
    p = personas
    expected = {
        # person:               approve/cancel, dispatch/review, handle (签收/反馈)
        "province_admin": (True, True, False),
        "shenyang_admin": (False, False, True),
        "shenyang_staff": (False, False, True),
        "dalian_admin": (False, False, False),
        "shenyang_enterprise": (False, False, False),
        "expert": (False, False, False),
        "sysadmin": (False, False, False),
        "auditor": (False, False, False),
    }
    for name, (approve, review, handle) in expected.items():
        u = getattr(p, name)
        assert authorize(u, "plans.approve_task", task) is approve, name
        assert authorize(u, "plans.dispatch_task", task) is review, name
        assert authorize(u, "plans.review_task", task) is review, name
        assert authorize(u, "plans.handle_task", task) is handle, name


def test_city_subtask_roles(personas, org_tree):
    """A city bureau dispatching to its enterprise: the city is the dispatcher, the enterprise handles."""
    from wenming.plans.services import dispatch_create

    d = dispatch_create(
        issuer=org_tree.shenyang,
        title="网点文明服务自查",
        content="自查并整改",
        due_date=date(2099, 1, 1),
        assignees=[org_tree.shenyang_enterprise],
        by=personas.shenyang_admin,
    )
    task = d.tasks.get()
    assert rules.is_dispatcher(personas.shenyang_admin, task)
    assert not rules.is_handler(personas.shenyang_admin, task)
    assert rules.is_handler(personas.shenyang_enterprise, task)
    assert rules.is_dispatcher(personas.province_admin, task)  # supervises the whole tree
    assert not rules.is_handler(personas.province_admin, task)
    assert not rules.is_dispatcher(personas.dalian_admin, task)


def test_report_role_matrix(personas, org_tree):
    from wenming.plans.services import report_create

    r = report_create(organization=org_tree.shenyang, kind="monthly", year=2099, period=1, by=personas.shenyang_staff)
    p = personas
    assert rules.can_edit_report(p.shenyang_staff, r) and not rules.can_submit_report(p.shenyang_staff, r)
    assert rules.can_submit_report(p.shenyang_admin, r) and not rules.can_review_report(p.shenyang_admin, r)
    assert rules.can_review_report(p.province_admin, r) and not rules.can_submit_report(p.province_admin, r)
    for u in (p.dalian_admin, p.expert, p.sysadmin, p.shenyang_enterprise):
        assert not rules.can_edit_report(u, r)
        assert not rules.can_submit_report(u, r)
        assert not rules.can_review_report(u, r)
