"""Transition tables (domain.md §6.5–6.7). No I/O; the rules in ``rules.py`` decide who may fire each.

Every move runs through ``wenming.workflow.engine.perform``; history rows and their labels come from
these tables (``kinds`` are the history entries that are not transitions).
"""

from wenming.audit.models import AuditAction
from wenming.workflow.engine import Transition, Workflow

from .choices import ExtensionStatus as E
from .choices import ProgressReportStatus as R
from .choices import WorkGoalStatus as G
from .choices import WorkTaskStatus as S

WORK_TASK_WORKFLOW = Workflow(
    key="plans.task",
    model="plans.WorkTask",
    event_model="plans.WorkTaskEvent",
    event_fk="task",
    lock_related=("dispatch__issuer", "assignee"),
    transitions=(
        Transition("approve", {S.DRAFT}, S.APPROVED, "plans.approve_draft", "审核通过"),
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
    ),
    kinds={
        "create": "创建",
        "view": "首次查看",
        "progress": "更新进度",
        "extension_request": "申请延期",
        "escalate": "逾期上报",
    },
)
TASK_TERMINAL = {S.CLOSED, S.CANCELLED}

# Extension requests live beside the task's own state ("in_progress + pending request"); their history,
# permission and audit row belong to the task.
EXTENSION_WORKFLOW = Workflow(
    key="plans.extension",
    model="plans.ExtensionRequest",
    event_model="plans.WorkTaskEvent",
    event_fk="task",
    subject=lambda ext: ext.task,
    lock_related=("task__dispatch__issuer", "task__assignee"),
    transitions=(
        Transition("extension_approve", {E.PENDING}, E.APPROVED, "plans.review_task", "批准延期"),
        Transition("extension_deny", {E.PENDING}, E.DENIED, "plans.review_task", "不批准延期"),
    ),
)
EXTENSION_REQUEST_STATES = {S.DISPATCHED, S.IN_PROGRESS}  # asked for by the assignee before the due date

PROGRESS_REPORT_WORKFLOW = Workflow(
    key="plans.report",
    model="plans.ProgressReport",
    event_model="plans.ProgressReportEvent",
    event_fk="report",
    lock_related=("organization",),
    transitions=(
        Transition("submit", {R.DRAFT}, R.SUBMITTED, "plans.submit_report", "提交", audit=AuditAction.UPDATE),
        Transition("return", {R.SUBMITTED}, R.DRAFT, "plans.review_report", "退回"),
        Transition("accept", {R.SUBMITTED}, R.REVIEWED, "plans.review_report", "审核通过"),
        Transition("adopt", {R.REVIEWED}, R.ADOPTED, "plans.review_report", "采用"),
        Transition("archive", {R.REVIEWED}, R.ARCHIVED, "plans.review_report", "存档"),
        Transition("publish", {R.ADOPTED}, R.PUBLISHED, "plans.review_report", "发布"),
    ),
    kinds={"create": "创建", "flags": "修改发布范围"},
)
REPORT_TERMINAL = {R.ARCHIVED, R.PUBLISHED}

WORK_GOAL_WORKFLOW = Workflow(
    key="plans.goal",
    model="plans.WorkGoal",
    event_model="plans.WorkGoalEvent",
    event_fk="goal",
    lock_related=("plan__organization", "owner"),
    transitions=(
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
    ),
    kinds={"create": "创建"},
)
GOAL_TERMINAL = {G.INSTITUTIONALISED, G.CANCELLED}
