"""督办事项: the task list, dispatches, task pages and their actions, attachments."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError
from wenming.core.forms import parse_id
from wenming.plans.permissions import PlanAction as PA
from wenming.web.forms import form_error
from wenming.web.gate import can, deny, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import rules, services
from ..choices import ProgressMode
from ..filters import TaskFilter
from ..forms import (
    CommentForm,
    DispatchForm,
    ExtensionForm,
    ProgressForm,
    ReasonForm,
)
from ..models import (
    ExtensionRequest,
    WorkDispatch,
    WorkTask,
)
from ..selectors import (
    annotate_lights,
    attachment_list,
    effective_progress,
    light_view,
    rollup_progress,
    subtasks_of,
    task_light,
    task_list,
)
from ..workflows import (
    EXTENSION_REQUEST_STATES,
    EXTENSION_WORKFLOW,
    WORK_TASK_WORKFLOW,
)
from .common import S

# --- tasks ------------------------------------------------------------------------------------
TASK_EXPORT = ExportSpec(
    filename="督办任务",
    header=["督办事项", "交办单位", "承办单位", "状态", "原定期限", "办理期限", "签收时间", "进度（%）", "督办提示"],
    row=lambda t: [
        t.dispatch.title,
        t.dispatch.issuer.name,
        t.assignee.name,
        t.get_status_display(),
        t.original_due_date.isoformat(),
        t.due_date.isoformat(),
        timezone.localtime(t.acknowledged_at).strftime("%Y-%m-%d %H:%M") if t.acknowledged_at else "",
        effective_progress(t),
        (light_view(task_light(t)).label if task_light(t) else ""),
    ],
    object_type="plans.WorkTask",
)


@staff_view(Action.VIEW)
def task_index(request):
    return list_page(
        request,
        queryset=task_list(user=request.user).order_by("due_date", "id"),
        template="plans/task_list.html",
        filterset_class=TaskFilter,
        export=TASK_EXPORT,
        context={"can_dispatch": can(request, PA.PLAN_DISPATCH), "lights": True},
    )


@staff_view(PA.PLAN_DISPATCH)
def dispatch_create(request):
    parent = None
    if request.GET.get("parent") or request.POST.get("parent"):
        pid = request.GET.get("parent") or request.POST.get("parent")
        parent = get_object_or_404(task_list(user=request.user), pk=parse_id(pid) or 0)
        if parent.status != S.IN_PROGRESS:
            deny(request)
    form = DispatchForm(request.POST or None, request.FILES or None, user=request.user, parent_task=parent)
    if parent is not None and request.method == "GET":
        form.initial.update({"due_date": parent.due_date, "title": parent.title, "plan": parent.dispatch.plan_id})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            dispatch = services.dispatch_create(
                issuer=d["issuer"],
                title=d["title"],
                content=d["content"],
                due_date=d["due_date"],
                assignees=list(d["assignees"]),
                plan=d["plan"],
                goal=d["goal"],
                parent_task=parent,
                uploads=d["files"],
                by=request.user,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("plans:dispatch-detail", args=[dispatch.pk]), "督办事项已保存为草稿")
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "title": _("分解任务") if parent else _("新增督办事项"),
            "back": reverse("plans:task-detail", args=[parent.pk]) if parent else reverse("plans:task-list"),
            "multipart": True,
            "hidden": {"parent": parent.pk} if parent else {},
            "submit": _("保存草稿"),
        },
    )


@staff_view()
def dispatch_detail(request, pk: int):
    d = get_object_or_404(
        WorkDispatch.objects.visible_to(request.user, Action.VIEW).select_related(
            "issuer", "plan", "goal", "parent_task"
        ),
        pk=pk,
    )
    tasks = annotate_lights(
        list(d.tasks.select_related("assignee", "acknowledged_by", "first_viewed_by", "dispatch__plan"))
    )
    statuses = {t.status for t in tasks}
    by = request.user
    sample = tasks[0] if tasks else None
    drafts = bool(sample) and S.DRAFT in statuses
    can_approve = drafts and can(request, "plans.approve_draft", sample)
    # the two-person rule (督办设置) keeps the drafter from approving: say so instead of hiding silently
    own_draft = drafts and not can_approve and rules.is_task_approver(by, sample)
    can_send = bool(sample) and S.APPROVED in statuses and rules.is_dispatcher(by, sample)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve" and can_approve:
                services.dispatch_approve(dispatch_id=d.pk, by=by)
                return done(request, request.path, "审核通过")
            if action == "send" and can_send:
                services.dispatch_send(dispatch_id=d.pk, by=by)
                return done(request, request.path, "已下发")
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return done(request, request.path)
        deny(request)
    return render(
        request,
        "plans/dispatch_detail.html",
        {
            "d": d,
            "tasks": tasks,
            "can_approve": can_approve,
            "own_draft": own_draft,
            "can_send": can_send,
            "attachments": d.attachments.all(),
            "unread": sum(1 for t in tasks if t.status == S.DISPATCHED and not t.first_viewed_at),
            "unacked": sum(1 for t in tasks if t.status == S.DISPATCHED),
        },
    )


def _task_or_404(request, pk: int) -> WorkTask:
    return get_object_or_404(task_list(user=request.user).select_related("acknowledged_by", "first_viewed_by"), pk=pk)


@staff_view()
def task_detail(request, pk: int, ext_form: ExtensionForm | None = None):
    task = _task_or_404(request, pk)
    by = request.user
    services.task_mark_viewed(task=task, by=by)
    handler = rules.is_handler(by, task)
    moves = {t.name for t in WORK_TASK_WORKFLOW.available(task, by)}
    annotate_lights([task])
    subs = annotate_lights(list(subtasks_of(task).select_related("assignee", "dispatch__plan")))
    pending = task.extensions.filter(status="pending").first()
    ctx = {
        "task": task,
        "d": task.dispatch,
        "subs": subs,
        "events": task.events.select_related("by"),
        "attachments": list(task.dispatch.attachments.all()) + list(task.attachments.all()),
        "extensions": task.extensions.select_related("requested_by", "decided_by"),
        "pending": pending,
        "manual": task.progress_manual,
        "rollup": rollup_progress(task),
        "mode": ProgressMode(task.dispatch.plan.progress_mode if task.dispatch.plan else ProgressMode.MANUAL),
        "can_ack": "acknowledge" in moves,
        "can_work": "report" in moves,
        "can_extend": handler
        and task.status in EXTENSION_REQUEST_STATES
        and not pending
        and timezone.localdate() <= task.due_date,
        "can_review": {"close", "return"} <= moves,
        "can_decide_ext": pending is not None and bool(EXTENSION_WORKFLOW.available(pending, by)),
        "can_cancel": "cancel" in moves,
        "can_split": "report" in moves and rules.holds_over(by, task.assignee, PA.PLAN_DISPATCH),
        "progress_form": ProgressForm(initial={"progress": task.progress_manual}),
        "ext_form": ext_form or ExtensionForm(),
        "reason_form": ReasonForm(),
        "comment_form": CommentForm(),
    }
    return render(request, "plans/task_detail.html", ctx)


@staff_view()
@require_POST
def task_action(request, pk: int, action: str):
    task = _task_or_404(request, pk)
    by = request.user
    url = reverse("plans:task-detail", args=[task.pk])
    forms_by_action = {
        "progress": ProgressForm,
        "report": ProgressForm,
        "return": ReasonForm,
        "extension": ExtensionForm,
        "close": CommentForm,
        "ext-approve": CommentForm,
        "ext-deny": CommentForm,
    }
    form = forms_by_action[action](request.POST, request.FILES) if action in forms_by_action else None
    if form is not None and not form.is_valid():
        if action == "extension":  # the form comes back with its input (and the rest-day offer)
            return task_detail(request, pk, ext_form=form)
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return done(request, url)
    d = form.cleaned_data if form is not None else {}
    try:
        if action == "acknowledge":
            services.task_acknowledge(task_id=task.pk, by=by)
            msg = "签收成功"
        elif action == "progress":
            services.task_update_progress(task_id=task.pk, by=by, progress=d["progress"], note=d["note"])
            msg = "进度已更新"
        elif action == "report":
            services.task_report(task_id=task.pk, by=by, progress=d["progress"], note=d["note"], uploads=d["files"])
            msg = "已报送，等待复核"
        elif action == "return":
            services.task_return(task_id=task.pk, by=by, reason=d["reason"])
            msg = "已退回"
        elif action == "close":
            services.task_close(task_id=task.pk, by=by, comment=d["comment"])
            msg = "已办结"
        elif action == "extension":
            services.extension_request(task_id=task.pk, by=by, new_due_date=d["new_due_date"], reason=d["reason"])
            msg = "延期申请已提交"
        elif action in ("ext-approve", "ext-deny"):
            ext = get_object_or_404(ExtensionRequest, task=task, status="pending")
            services.extension_decide(extension_id=ext.pk, by=by, approve=action == "ext-approve", comment=d["comment"])
            msg = "已批准延期" if action == "ext-approve" else "已驳回延期申请"
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, url)
    return done(request, url, msg)


@staff_view()
def task_cancel(request, pk: int):
    """撤销 on a confirm page naming the task."""
    task = _task_or_404(request, pk)
    if not can(request, "plans.approve_task", task) or task.status in (S.CLOSED, S.CANCELLED):
        deny(request, "plans.approve_task", obj=task)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_cancel(task_id=task.pk, by=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("plans:task-detail", args=[task.pk]), "已撤销")
    return render(
        request,
        "plans/confirm.html",
        {
            "title": _("撤销督办任务"),
            "question": f"确定撤销《{task.title}》（{task.assignee.name}）吗？撤销后承办单位不再办理，不可恢复。",
            "form": form,
            "verb": "撤销",
            "back": reverse("plans:task-detail", args=[task.pk]),
        },
    )


@staff_view()
def attachment_download(request, pk: int):
    att = get_scoped_or_404(request, attachment_list(user=request.user), pk=pk)
    audit_record(AuditAction.DOWNLOAD, request=request, obj=att, detail={"name": att.original_name})
    resp = FileResponse(att.file.open("rb"), as_attachment=True, filename=att.original_name)
    resp["Cache-Control"] = "no-store"
    return resp
