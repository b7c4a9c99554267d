"""Transition tables (domain.md §6.5–6.7). No I/O; the rules in ``rules.py`` decide who may fire each."""

from wenming.core.workflows import Transition, Workflow

from .choices import ExtensionStatus as E
from .choices import ProgressReportStatus as R
from .choices import WorkGoalStatus as G
from .choices import WorkTaskStatus as S

WORK_TASK_WORKFLOW = Workflow(
    Transition("approve", {S.DRAFT}, S.APPROVED, "plans.approve_task", "审核通过"),
    Transition("dispatch", {S.APPROVED}, S.DISPATCHED, "plans.dispatch_task", "下发"),
    Transition("acknowledge", {S.DISPATCHED}, S.IN_PROGRESS, "plans.handle_task", "签收"),
    Transition("report", {S.IN_PROGRESS}, S.REPORTED, "plans.handle_task", "报送进展"),
    Transition("return", {S.REPORTED}, S.IN_PROGRESS, "plans.review_task", "退回"),
    Transition("close", {S.REPORTED}, S.CLOSED, "plans.review_task", "办结"),
    Transition(
        "cancel",
        {S.DRAFT, S.APPROVED, S.DISPATCHED, S.IN_PROGRESS, S.REPORTED},
        S.CANCELLED,
        "plans.approve_task",
        "撤销",
    ),
)
TASK_TERMINAL = {S.CLOSED, S.CANCELLED}

# Extension requests live beside the task's own state ("in_progress + pending request").
EXTENSION_WORKFLOW = Workflow(
    Transition("approve", {E.PENDING}, E.APPROVED, "plans.review_task", "批准"),
    Transition("deny", {E.PENDING}, E.DENIED, "plans.review_task", "驳回"),
)
EXTENSION_REQUEST_STATES = {S.DISPATCHED, S.IN_PROGRESS}  # asked for by the assignee before the due date

PROGRESS_REPORT_WORKFLOW = Workflow(
    Transition("submit", {R.DRAFT}, R.SUBMITTED, "plans.submit_report", "提交"),
    Transition("return", {R.SUBMITTED}, R.DRAFT, "plans.review_report", "退回"),
    Transition("accept", {R.SUBMITTED}, R.REVIEWED, "plans.review_report", "审核通过"),
    Transition("adopt", {R.REVIEWED}, R.ADOPTED, "plans.review_report", "采用"),
    Transition("archive", {R.REVIEWED}, R.ARCHIVED, "plans.review_report", "存档"),
    Transition("publish", {R.ADOPTED}, R.PUBLISHED, "plans.review_report", "发布"),
)
REPORT_TERMINAL = {R.ARCHIVED, R.PUBLISHED}

WORK_GOAL_WORKFLOW = Workflow(
    Transition("start_pilot", {G.PLANNED}, G.PILOTING, "plans.own_goal", "启动试点"),
    Transition("evaluate", {G.PILOTING}, G.EVALUATED, "plans.own_goal", "评估"),
    Transition("revise", {G.EVALUATED}, G.PILOTING, "plans.own_goal", "调整再试点"),
    Transition("roll_out", {G.EVALUATED}, G.ROLLING_OUT, "plans.lead_goal", "全面推广"),
    Transition("institutionalise", {G.ROLLING_OUT}, G.INSTITUTIONALISED, "plans.office_goal", "制度化"),
    Transition(
        "cancel",
        {G.PLANNED, G.PILOTING, G.EVALUATED, G.ROLLING_OUT},
        G.CANCELLED,
        "plans.lead_goal",
        "取消",
    ),
)
GOAL_TERMINAL = {G.INSTITUTIONALISED, G.CANCELLED}
