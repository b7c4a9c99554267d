"""Pages of 工作督办: plans and goals, 督办事项 and tasks, progress reports, bulletins, institutions, statistics.

Out-of-scope rows are 404 (fetched through ``visible_to``); visible rows the user may not act on are 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError
from wenming.exports.services import generated_file_start
from wenming.plans.permissions import PlanAction as PA
from wenming.web.forms import form_error
from wenming.web.gate import can, check, deny, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, check_export, export_rows, list_page
from wenming.web.responses import done

from . import rules, services, stats
from .choices import ProgressMode, ProgressReportStatus, WorkTaskStatus
from .filters import InstitutionFilter, ReportFilter, TaskFilter
from .forms import (
    AdoptForm,
    BulletinForm,
    CommentForm,
    DispatchForm,
    ExtensionForm,
    GoalForm,
    GoalTransitionForm,
    InstitutionForm,
    PlanForm,
    ProgressForm,
    ProgressModeForm,
    ReasonForm,
    ReportCreateForm,
    ReportEditForm,
    ReportReturnForm,
    SettingsForm,
)
from .models import (
    Bulletin,
    ExtensionRequest,
    Institution,
    ProgressReport,
    SupervisionSettings,
    WorkDispatch,
    WorkGoal,
    WorkTask,
)
from .selectors import (
    annotate_lights,
    attachment_list,
    effective_progress,
    institution_list,
    light_view,
    plan_list,
    report_list,
    rollup_progress,
    subtasks_of,
    task_light,
    task_list,
)
from .workflows import (
    EXTENSION_REQUEST_STATES,
    EXTENSION_WORKFLOW,
    PROGRESS_REPORT_WORKFLOW,
    WORK_GOAL_WORKFLOW,
    WORK_TASK_WORKFLOW,
)

S = WorkTaskStatus
R = ProgressReportStatus


# --- plans and goals --------------------------------------------------------------------------
@staff_view(Action.VIEW)
def plan_index(request):
    qs = plan_list(user=request.user)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    from django.core.paginator import Paginator

    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/plan_list.html",
        {
            "page": page,
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
    return render(request, "plans/form.html", {"form": form, "title": "新增工作方案", "back": reverse("plans:plans")})


@staff_view()
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


@staff_view()
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


@staff_view()
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


@staff_view()
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
        parent = get_object_or_404(task_list(user=request.user), pk=int(pid) if str(pid).isdigit() else 0)
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
            "title": "分解任务" if parent else "新增督办事项",
            "back": reverse("plans:task-detail", args=[parent.pk]) if parent else reverse("plans:task-list"),
            "multipart": True,
            "hidden": {"parent": parent.pk} if parent else {},
            "submit": "保存草稿",
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
    can_approve = bool(sample) and S.DRAFT in statuses and rules.is_task_approver(by, sample)
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
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
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
            "title": "撤销督办任务",
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


# --- progress reports -------------------------------------------------------------------------
REPORT_EXPORT = ExportSpec(
    filename="工作进展报告",
    header=["标题", "报送单位", "类型", "期次", "状态", "报送期限", "报送时间", "逾期报送", "字数"],
    row=lambda r: [
        r.title,
        r.organization.name,
        r.get_kind_display(),
        r.period_label,
        r.get_status_display(),
        r.due_date.isoformat(),
        timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M") if r.submitted_at else "",
        "是" if r.is_late else "否",
        r.text_length(),
    ],
    object_type="plans.ProgressReport",
)


@staff_view(Action.VIEW)
def report_index(request):
    form = ReportCreateForm(user=request.user)
    return list_page(
        request,
        queryset=report_list(user=request.user),
        template="plans/report_list.html",
        filterset_class=ReportFilter,
        export=REPORT_EXPORT,
        context={"can_create": form.fields["organization"].queryset.exists()},
    )


@staff_view()
def report_create(request):
    form = ReportCreateForm(request.POST or None, user=request.user)
    if not form.fields["organization"].queryset.exists():
        deny(request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            r = services.report_create(
                organization=d["organization"], kind=d["kind"], year=d["year"], period=d["period"] or 1, by=request.user
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("plans:report-detail", args=[r.pk]), "新增成功")
    return render(
        request, "plans/form.html", {"form": form, "title": "新增工作进展报告", "back": reverse("plans:reports")}
    )


@staff_view()
def report_detail(request, pk: int):
    report = get_object_or_404(report_list(user=request.user), pk=pk)
    by = request.user
    can_edit = report.status == R.DRAFT and rules.can_edit_report(by, report)
    can_submit = report.status == R.DRAFT and rules.can_submit_report(by, report)
    reviewer = rules.can_review_report(by, report)
    edit_form = ReportEditForm(instance=report) if can_edit else None
    if request.method == "POST" and can_edit:
        edit_form = ReportEditForm(request.POST, instance=ProgressReport.objects.get(pk=report.pk))
        if edit_form.is_valid():
            try:
                services.report_update(report_id=report.pk, by=by, **edit_form.cleaned_data)
                for f in request.FILES.getlist("files"):
                    services.attachment_add(upload=f, by=by, report=report)
                if request.POST.get("then") == "submit":
                    services.report_submit(report_id=report.pk, by=by)
                    return done(request, request.path, "已提交")
            except ApplicationError as exc:
                form_error(edit_form, exc)
            else:
                return done(request, request.path, "保存成功")
    last_return = report.events.filter(kind="return").order_by("-at", "-id").first()
    comments = {c.field: c.comment for c in last_return.field_comments.all()} if last_return else {}
    sections = [
        {
            "name": f,
            "label": ProgressReport._meta.get_field(f).verbose_name,
            "text": getattr(report, f),
            "comment": comments.get(f),
        }
        for f in ProgressReport.SECTIONS
    ]
    actions = [t for t in PROGRESS_REPORT_WORKFLOW.available(report, request.user) if t.name != "submit"]
    return render(
        request,
        "plans/report_detail.html",
        {
            "r": report,
            "sections": sections,
            "edit_form": edit_form,
            "can_submit": can_submit,
            "reviewer": reviewer,
            "actions": [t.name for t in actions],
            "return_form": ReportReturnForm(),
            "adopt_form": AdoptForm(),
            "events": report.events.select_related("by").prefetch_related("field_comments"),
            "last_return": last_return,
            "attachments": report.attachments.all(),
            "max_chars": services.report_max_chars(report.kind),
        },
    )


@staff_view()
@require_POST
def report_action(request, pk: int, action: str):
    report = get_object_or_404(report_list(user=request.user), pk=pk)
    by = request.user
    url = reverse("plans:report-detail", args=[report.pk])
    try:
        if action == "submit":
            services.report_submit(report_id=report.pk, by=by)
            msg = "已提交"
        elif action == "return":
            form = ReportReturnForm(request.POST)
            form.is_valid()
            d = form.cleaned_data
            services.report_return(
                report_id=report.pk,
                by=by,
                reason=d.get("reason", ""),
                field_comments={f: d.get(f"c_{f}", "") for f in ProgressReport.SECTIONS},
            )
            msg = "已退回"
        elif action in ("accept", "adopt", "archive", "publish"):
            form = AdoptForm(request.POST)
            form.is_valid()
            services.report_decide(
                report_id=report.pk,
                name=action,
                by=by,
                comment=request.POST.get("comment", ""),
                for_bulletin=form.cleaned_data.get("for_bulletin", False),
                for_publication=form.cleaned_data.get("for_publication", False),
            )
            msg = {"accept": "审核通过", "adopt": "已采用", "archive": "已存档", "publish": "已发布"}[action]
        elif action == "flags":
            form = AdoptForm(request.POST)
            form.is_valid()
            services.report_set_flags(report_id=report.pk, by=by, **form.cleaned_data)
            msg = "保存成功"
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, url)
    return done(request, url, msg)


# --- bulletins --------------------------------------------------------------------------------
@staff_view(PA.REPORT_REVIEW)
def bulletin_index(request):
    from wenming.organizations.models import Organization

    qs = Bulletin.objects.visible_to(request.user, PA.REPORT_REVIEW).prefetch_related("reports")
    from django.core.paginator import Paginator

    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = Organization.objects.visible_to(request.user, PA.REPORT_REVIEW).order_by("depth").first()
        try:
            b = services.bulletin_create(organization=org, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("plans:bulletin-detail", args=[b.pk]), f"已生成第{b.issue_no}期")
    return render(request, "plans/bulletin_list.html", {"page": page, "form": form})


@staff_view()
def bulletin_detail(request, pk: int):
    b = get_object_or_404(Bulletin.objects.visible_to(request.user, PA.REPORT_REVIEW), pk=pk)
    if request.method == "POST":
        fmt = request.POST.get("format")
        if fmt not in ("docx", "pdf"):
            raise Http404
        gf = generated_file_start(
            owner=request.user,
            kind=f"plans.bulletin.{fmt}",
            title=f"工作简报{b.year}年第{b.issue_no}期（{'Word' if fmt == 'docx' else 'PDF'}）",
            params={"bulletin_id": b.pk},
        )
        return done(request, reverse("exports:file-status", args=[gf.pk]))
    return render(request, "plans/bulletin_detail.html", {"b": b, "items": b.reports.select_related("organization")})


# --- institutions -----------------------------------------------------------------------------
@staff_view(Action.VIEW)
def institution_index(request):
    return list_page(
        request,
        queryset=institution_list(user=request.user),
        template="plans/institution_list.html",
        filterset_class=InstitutionFilter,
        context={"can_create": can(request, PA.PLAN_HANDLE), "q": request.GET.get("q", "").strip()},
    )


@staff_view(PA.PLAN_HANDLE)
def institution_create(request):
    form = InstitutionForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.institution_create(
                title=d["title"],
                issuing_org=d["issuing_org"],
                doc_number=d["doc_number"],
                issued_on=d["issued_on"],
                link=d["link"],
                upload=d["file"],
                goals=list(d["goals"]),
                dispatches=list(d["dispatches"]),
                by=request.user,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("plans:institutions"), "新增成功")
    return render(
        request,
        "plans/form.html",
        {"form": form, "title": "新增制度文件", "back": reverse("plans:institutions"), "multipart": True},
    )


@staff_view()
def institution_detail(request, pk: int):
    inst = get_object_or_404(
        Institution.objects.visible_to(request.user, Action.VIEW).select_related("issuing_org"), pk=pk
    )
    return render(
        request,
        "plans/institution_detail.html",
        {"i": inst, "goals": inst.goals.select_related("plan"), "dispatches": inst.tasks.all()},
    )


@staff_view()
def institution_file(request, pk: int):
    inst = get_object_or_404(Institution.objects.visible_to(request.user, Action.VIEW), pk=pk)
    if not inst.file:
        raise Http404
    audit_record(AuditAction.DOWNLOAD, request=request, obj=inst, detail={"name": inst.original_name})
    resp = FileResponse(inst.file.open("rb"), as_attachment=True, filename=inst.original_name or "制度文件")
    resp["Cache-Control"] = "no-store"
    return resp


# --- statistics and settings ------------------------------------------------------------------
STATISTICS_EXPORT = ExportSpec(
    filename="督办统计", header=stats.HEADER, row=stats.as_row, object_type="plans.Statistics"
)


@staff_view(Action.VIEW)
def statistics(request):
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else today.year
    fmt = request.GET.get("export")
    if fmt:
        check_export(request, fmt)
        rows = stats.city_stats(user=request.user, year=year, action=Action.EXPORT)
        return export_rows(
            request,
            spec=STATISTICS_EXPORT,
            fmt=fmt,
            rows=(stats.as_row(r) for r in rows),
            count=lambda: len(rows),
            filters={"year": year},
            filename=f"督办统计-{year}",
        )
    rows = stats.city_stats(user=request.user, year=year)
    return render(
        request,
        "plans/statistics.html",
        {"rows": rows, "year": year, "can_export": can(request, Action.EXPORT)},
    )


@staff_view(PA.REPORT_REVIEW)
def settings_edit(request):
    cfg = SupervisionSettings.current()
    form = SettingsForm(request.POST or None, instance=cfg)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit_record(AuditAction.UPDATE, request=request, obj=cfg, detail={"fields": sorted(form.changed_data)})
        return done(request, reverse("plans:settings"), "保存成功")
    return render(request, "plans/form.html", {"form": form, "title": "督办与报送设置", "back": reverse("plans:tasks")})
