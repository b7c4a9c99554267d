"""Every plans transition, for the generic suite (tests/test_every_transition.py).

Objects are written straight into their source state (the suite tests the move, not the way there).
A province → Shenyang 督办 task; a Shenyang progress report; a province plan goal led by Shenyang.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from wenming.plans import services
from wenming.plans.choices import ExtensionStatus, ProgressReportStatus, ReportKind, WorkGoalStatus, WorkTaskStatus
from wenming.plans.models import (
    ExtensionRequest,
    Institution,
    ProgressReport,
    WorkDispatch,
    WorkGoal,
    WorkPlan,
    WorkTask,
)
from wenming.workflow.testing import TransitionCase, cases

S, R, G = WorkTaskStatus, ProgressReportStatus, WorkGoalStatus


def _task(ns: Any, status: str, drafter: Any = None) -> WorkTask:
    due = timezone.localdate() + timedelta(days=30)
    d = WorkDispatch.objects.create(
        issuer=ns.t.province,
        title="开展文明窗口创建",
        content="按方案推进，按时反馈。",
        due_date=due,
        created_by=drafter or ns.p.province_admin,
    )
    now = timezone.now()
    return WorkTask.objects.create(
        dispatch=d,
        assignee=ns.t.shenyang,
        status=status,
        original_due_date=due,
        due_date=due,
        dispatched_at=None if status in (S.DRAFT, S.APPROVED) else now,
    )


def _drafted_by_colleague(ns: Any) -> WorkTask:
    """A draft written by another member of the province office: the two-person rule (督办设置) keeps
    the drafter from approving it, so the approver must be someone else."""
    from django.contrib.auth import get_user_model

    colleague, _ = get_user_model().objects.get_or_create(username="p_drafter")
    return _task(ns, S.DRAFT, drafter=colleague)


def _extension(ns: Any) -> ExtensionRequest:
    task = _task(ns, S.IN_PROGRESS)
    return ExtensionRequest.objects.create(
        task=task,
        requested_due_date=task.due_date + timedelta(days=10),
        reason="迎检任务集中",
        requested_by=ns.p.shenyang_admin,
    )


def _report(ns: Any, status: str) -> ProgressReport:
    today = timezone.localdate()
    return ProgressReport.objects.create(
        organization=ns.t.shenyang,
        kind=ReportKind.MONTHLY,
        year=today.year,
        period=today.month,
        title="沈阳市邮政管理局月度工作进展",
        due_date=today + timedelta(days=5),
        summary="组织开展文明窗口创建，发放宣传资料 500 份。",
        status=status,
        submitted_at=None if status == R.DRAFT else timezone.now(),
        created_by=ns.p.shenyang_admin,
    )


def _goal(ns: Any, status: str) -> WorkGoal:
    plan = WorkPlan.objects.create(
        organization=ns.t.province,
        year=timezone.localdate().year,
        title="全省邮政行业精神文明建设工作方案",
        created_by=ns.p.province_admin,
    )
    goal = WorkGoal.objects.create(
        plan=plan,
        owner=ns.t.shenyang,
        title="快递网点文明服务标准化",
        indicators="网点满意度",
        target="≥ 85 分",
        baseline="78 分" if status != G.PLANNED else "",
        status=status,
    )
    if status == G.ROLLING_OUT:
        inst = Institution.objects.create(
            title="快递网点文明服务规范", issuing_org=ns.t.province, link="https://example.org/rule.pdf"
        )
        inst.goals.add(goal)
    return goal


def _task_url(action: str):
    return lambda task: (reverse("plans:task-action", args=[task.pk, action]), {"reason": "x", "comment": "x"})


def _report_url(action: str):
    return lambda r: (reverse("plans:report-action", args=[r.pk, action]), {"reason": "x", "comment": "x"})


def _goal_url(name: str):
    return lambda g: (reverse("plans:goal-detail", args=[g.pk]), {"transition": name, "comment": "x"})


province = lambda ns: ns.p.province_admin  # noqa: E731
shenyang = lambda ns: ns.p.shenyang_admin  # noqa: E731
dalian = lambda ns: ns.p.dalian_admin  # noqa: E731

cases(
    # 督办 tasks
    TransitionCase(
        "plans.task",
        "approve",
        make=_drafted_by_colleague,
        fire=lambda t, by: services.dispatch_approve(dispatch_id=t.dispatch_id, by=by),
        allowed=province,
        denied=shenyang,
        wrong_state=S.DISPATCHED,
        http=lambda t: (reverse("plans:dispatch-detail", args=[t.dispatch_id]), {"action": "approve"}),
        outsider=dalian,
    ),
    TransitionCase(
        "plans.task",
        "dispatch",
        make=lambda ns: _task(ns, S.APPROVED),
        fire=lambda t, by: services.dispatch_send(dispatch_id=t.dispatch_id, by=by),
        allowed=province,
        denied=shenyang,
        wrong_state=S.DRAFT,
        http=lambda t: (reverse("plans:dispatch-detail", args=[t.dispatch_id]), {"action": "send"}),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "plans.task",
        "acknowledge",
        make=lambda ns: _task(ns, S.DISPATCHED),
        fire=lambda t, by: services.task_acknowledge(task_id=t.pk, by=by),
        allowed=shenyang,
        denied=province,  # supervises the task but does not 签收 it
        wrong_state=S.IN_PROGRESS,
        http=_task_url("acknowledge"),
        outsider=dalian,
    ),
    TransitionCase(
        "plans.task",
        "report",
        make=lambda ns: _task(ns, S.IN_PROGRESS),
        fire=lambda t, by: services.task_report(task_id=t.pk, by=by, progress=100, note="已按要求完成"),
        allowed=shenyang,
        denied=province,
        wrong_state=S.DISPATCHED,
        http=lambda t: (reverse("plans:task-action", args=[t.pk, "report"]), {"progress": 100, "note": "完成"}),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "plans.task",
        "return",
        make=lambda ns: _task(ns, S.REPORTED),
        fire=lambda t, by: services.task_return(task_id=t.pk, by=by, reason="请补充佐证材料"),
        allowed=province,
        denied=shenyang,
        wrong_state=S.IN_PROGRESS,
        http=_task_url("return"),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "plans.task",
        "close",
        make=lambda ns: _task(ns, S.REPORTED),
        fire=lambda t, by: services.task_close(task_id=t.pk, by=by),
        allowed=province,
        denied=shenyang,
        wrong_state=S.DISPATCHED,
        http=_task_url("close"),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "plans.task",
        "cancel",
        make=lambda ns: _task(ns, S.DISPATCHED),
        fire=lambda t, by: services.task_cancel(task_id=t.pk, by=by, reason="工作安排调整"),
        allowed=province,
        denied=shenyang,
        wrong_state=S.CLOSED,
        http=lambda t: (reverse("plans:task-cancel", args=[t.pk]), {"reason": "调整"}),
        outsider=dalian,
        notifies=True,
    ),
    # extension requests (history and audit on the task)
    TransitionCase(
        "plans.extension",
        "extension_approve",
        make=_extension,
        fire=lambda e, by: services.extension_decide(extension_id=e.pk, by=by, approve=True),
        allowed=province,
        denied=shenyang,
        wrong_state=ExtensionStatus.DENIED,
        http=lambda e: (reverse("plans:task-action", args=[e.task_id, "ext-approve"]), {"comment": ""}),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "plans.extension",
        "extension_deny",
        make=_extension,
        fire=lambda e, by: services.extension_decide(extension_id=e.pk, by=by, approve=False, comment="理由不充分"),
        allowed=province,
        denied=shenyang,
        wrong_state=ExtensionStatus.APPROVED,
        http=lambda e: (reverse("plans:task-action", args=[e.task_id, "ext-deny"]), {"comment": "不批准"}),
        outsider=dalian,
        notifies=True,
    ),
    # progress reports of a city bureau
    TransitionCase(
        "plans.report",
        "submit",
        make=lambda ns: _report(ns, R.DRAFT),
        fire=lambda r, by: services.report_submit(report_id=r.pk, by=by),
        allowed=shenyang,
        denied=lambda ns: ns.p.shenyang_staff,  # drafts, but only the leading group submits
        wrong_state=R.SUBMITTED,
        http=_report_url("submit"),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "plans.report",
        "return",
        make=lambda ns: _report(ns, R.SUBMITTED),
        fire=lambda r, by: services.report_return(report_id=r.pk, by=by, reason="请补充数据"),
        allowed=province,
        denied=shenyang,
        wrong_state=R.DRAFT,
        http=_report_url("return"),
        outsider=dalian,
        notifies=True,
    ),
    *[
        TransitionCase(
            "plans.report",
            name,
            make=(lambda src: lambda ns: _report(ns, src))(src),
            fire=(lambda n: lambda r, by: services.report_decide(report_id=r.pk, name=n, by=by))(name),
            allowed=province,
            denied=shenyang,
            wrong_state=R.DRAFT,
            http=_report_url(name),
            outsider=dalian,
            notifies=name == "adopt",
        )
        for name, src in (
            ("accept", R.SUBMITTED),
            ("adopt", R.REVIEWED),
            ("archive", R.REVIEWED),
            ("publish", R.ADOPTED),
        )
    ],
    # work goals (以点带面)
    TransitionCase(
        "plans.goal",
        "start_pilot",
        make=lambda ns: _goal(ns, G.PLANNED),
        fire=lambda g, by: services.goal_transition(
            goal_id=g.pk, name="start_pilot", by=by, pilot_unit_ids=[g.owner_id], baseline="满意度 78 分"
        ),
        allowed=shenyang,
        denied=dalian,
        wrong_state=G.PILOTING,
        http=_goal_url("start_pilot"),
        outsider=dalian,
    ),
    TransitionCase(
        "plans.goal",
        "evaluate",
        make=lambda ns: _goal(ns, G.PILOTING),
        fire=lambda g, by: services.goal_transition(goal_id=g.pk, name="evaluate", by=by, evidence="满意度升至 86 分"),
        allowed=shenyang,
        denied=dalian,
        wrong_state=G.PLANNED,
        http=_goal_url("evaluate"),
        outsider=dalian,
    ),
    TransitionCase(
        "plans.goal",
        "revise",
        make=lambda ns: _goal(ns, G.EVALUATED),
        fire=lambda g, by: services.goal_transition(goal_id=g.pk, name="revise", by=by, comment="扩大试点范围"),
        allowed=shenyang,
        denied=dalian,
        wrong_state=G.PLANNED,
        http=_goal_url("revise"),
        outsider=dalian,
    ),
    TransitionCase(
        "plans.goal",
        "roll_out",
        make=lambda ns: _goal(ns, G.EVALUATED),
        fire=lambda g, by: services.goal_transition(goal_id=g.pk, name="roll_out", by=by),
        allowed=province,
        denied=shenyang,  # owns the goal, but the leading group decides the roll-out
        wrong_state=G.PILOTING,
        http=_goal_url("roll_out"),
        outsider=dalian,
    ),
    TransitionCase(
        "plans.goal",
        "institutionalise",
        make=lambda ns: _goal(ns, G.ROLLING_OUT),
        fire=lambda g, by: services.goal_transition(goal_id=g.pk, name="institutionalise", by=by),
        allowed=province,
        denied=shenyang,
        wrong_state=G.EVALUATED,
        http=_goal_url("institutionalise"),
        outsider=dalian,
    ),
    TransitionCase(
        "plans.goal",
        "cancel",
        make=lambda ns: _goal(ns, G.PILOTING),
        fire=lambda g, by: services.goal_transition(goal_id=g.pk, name="cancel", by=by, comment="并入其他目标"),
        allowed=province,
        denied=shenyang,
        wrong_state=G.INSTITUTIONALISED,
        http=_goal_url("cancel"),
        outsider=dalian,
    ),
)
