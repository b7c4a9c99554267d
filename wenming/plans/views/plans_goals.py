"""Work plans (工作方案) and their goals."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.core.forms import parse_year
from wenming.plans.permissions import PlanAction as PA
from wenming.web.forms import form_error
from wenming.web.gate import can, check, staff_view
from wenming.web.lists import page_size
from wenming.web.responses import done

from .. import services
from ..choices import ProgressMode
from ..forms import (
    GoalForm,
    GoalTransitionForm,
    PlanForm,
    ProgressModeForm,
)
from ..models import (
    WorkGoal,
    WorkTask,
)
from ..selectors import (
    plan_list,
    rollup_progress,
)
from ..workflows import (
    WORK_GOAL_WORKFLOW,
)
from .common import S


# --- plans and goals --------------------------------------------------------------------------
@staff_view(Action.SUPERVISE)
def plan_index(request):
    qs = plan_list(user=request.user)
    year = request.GET.get("year", "")
    if parse_year(year, 0):
        qs = qs.filter(year=parse_year(year, 0))
    from django.core.paginator import Paginator

    size = page_size(request)
    page = Paginator(qs, size).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/plan_list.html",
        {
            "page": page,
            "size": size,
            "year": year,
            "can_create": can(request, PA.PLAN_DISPATCH),
        },
    )


@staff_view(PA.PLAN_DISPATCH)
def plan_create(request):
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("plans:plan-detail", args=[plan.pk]), "新增成功")
    return render(
        request, "plans/form.html", {"form": form, "title": _("新增工作方案"), "back": reverse("plans:plans")}
    )


@staff_view(Action.SUPERVISE)
def plan_detail(request, pk: int):
    plan = get_object_or_404(plan_list(user=request.user), pk=pk)
    goals = plan.goals.select_related("owner").prefetch_related("pilot_units")
    dispatches = plan.dispatches.filter(parent_task__isnull=True).select_related("issuer").prefetch_related("tasks")
    can_edit = can(request, PA.PLAN_DISPATCH, plan)
    return render(
        request,
        "plans/plan_detail.html",
        {"plan": plan, "goals": goals, "dispatches": dispatches[:50], "can_edit": can_edit},
    )


@staff_view(Action.SUPERVISE)
def plan_mode(request, pk: int):
    """Switch the progress mode; the confirm page shows both values of every task, nothing is overwritten."""
    plan = get_object_or_404(plan_list(user=request.user), pk=pk)
    check(request, PA.PLAN_DISPATCH, plan)
    target = ProgressMode.ROLLUP if plan.progress_mode == ProgressMode.MANUAL else ProgressMode.MANUAL
    form = ProgressModeForm(request.POST or None, initial={"mode": target})
    if request.method == "POST" and form.is_valid():
        services.plan_set_progress_mode(plan_id=plan.pk, mode=form.cleaned_data["mode"], by=request.user)
        return done(request, reverse("plans:plan-detail", args=[plan.pk]), "进度计算方式已切换，填报值均已保留")
    rows = []
    for t in (
        WorkTask.objects.filter(dispatch__plan=plan)
        .exclude(status=S.CANCELLED)
        .select_related("dispatch", "assignee")[:200]
    ):
        rows.append({"task": t, "manual": t.progress_manual, "rollup": rollup_progress(t)})
    return render(
        request, "plans/plan_mode.html", {"plan": plan, "form": form, "rows": rows, "target": ProgressMode(target)}
    )


@staff_view(Action.SUPERVISE)
def goal_create(request, plan_pk: int):
    plan = get_object_or_404(plan_list(user=request.user), pk=plan_pk)
    check(request, PA.PLAN_DISPATCH, plan)
    form = GoalForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(plan=plan, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("plans:goal-detail", args=[goal.pk]), "新增成功")
    return render(
        request,
        "plans/form.html",
        {"form": form, "title": f"新增工作目标：{plan.title}", "back": reverse("plans:plan-detail", args=[plan.pk])},
    )


@staff_view(Action.SUPERVISE)
def goal_detail(request, pk: int):
    goal = get_object_or_404(
        WorkGoal.objects.visible_to(request.user, Action.VIEW).select_related("plan__organization", "owner"), pk=pk
    )
    actions = WORK_GOAL_WORKFLOW.available(goal, request.user)
    form = GoalTransitionForm(goal=goal)
    if request.method == "POST":
        name = request.POST.get("transition", "")
        form = GoalTransitionForm(request.POST, goal=goal)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.goal_transition(
                    goal_id=goal.pk,
                    name=name,
                    by=request.user,
                    comment=d["comment"],
                    pilot_unit_ids=[o.pk for o in d["pilot_units"]],
                    baseline=d["baseline"],
                    evidence=d["evidence"],
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                return done(request, reverse("plans:goal-detail", args=[goal.pk]), "操作成功")
    return render(
        request,
        "plans/goal_detail.html",
        {
            "goal": goal,
            "actions": actions,
            "form": form,
            "events": goal.events.select_related("by"),
            "institutions": goal.institutions.all(),
            "dispatches": goal.dispatches.all()[:50],
        },
    )
