"""Applications and nominations: draft form, evidence, screening, submission and review decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..choices import AppStatus, StageKind
from ..forms import ApplicationFilter, ApplicationForm, DecisionForm, EvidenceReuseForm, EvidenceUploadForm
from ..models import Application, Cycle, Evidence
from ..permissions import HonourAction as HA
from ..rules import APPLICANT

EXPORT = ExportSpec(
    filename="荣誉申报",
    header=["批次", "申报名称", "申报单位", "推荐单位", "排序", "状态", "专家平均分", "得票数", "综合得分", "名次"],
    row=lambda a: [
        a.cycle.name,
        a.public_name,
        a.organization.name,
        a.recommender.name if a.recommender else "",
        a.rank or "",
        a.get_status_display(),
        a.expert_mean if a.expert_mean is not None else "",
        a.vote_count if a.vote_count is not None else "",
        a.final_score if a.final_score is not None else "",
        a.position or "",
    ],
    object_type="honours.Application",
)


@staff_view()
def application_list(request):
    return list_page(
        request,
        queryset=selectors.application_list(user=request.user),
        template="honours/application_list.html",
        filterset_class=ApplicationFilter,
        export=EXPORT,
        context={"can_apply": can(request, HA.APPLY)},
    )


def _data(form) -> dict:
    d = dict(form.cleaned_data)
    d.pop("organization", None)
    if "name" in d and not d["name"]:
        d.pop("name")
    return d


@staff_view(HA.APPLY)
def application_new(request, cycle_pk: int):
    cycle = Cycle.objects.select_related("programme").prefetch_related("stage_rows").filter(pk=cycle_pk).first()
    if cycle is None:
        raise Http404
    form = ApplicationForm(request.POST or None, user=request.user, programme=cycle.programme)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_create(
                cycle=cycle, organization=form.cleaned_data["organization"], data=_data(form), by=request.user
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("申报草稿已保存，请添加佐证材料后提交"))
            return redirect("honours:application-detail", pk=app.pk)
    return render(
        request,
        "honours/application_form.html",
        {"form": form, "cycle": cycle, "window": cycle.window()},
        status=422 if request.method == "POST" else 200,
    )


def _app(request, pk: int, **kw) -> Application:
    return get_scoped_or_404(
        request,
        Application.objects.select_related("cycle__programme", "organization", "courier", "leader", "recommender"),
        pk=pk,
        **kw,
    )


@staff_view()
def application_detail(request, pk: int):
    app = _app(request, pk)
    prog = app.cycle.programme
    wf = prog.workflow
    names = {t.name for t in wf.available(app, request.user)}
    editable = app.status in (AppStatus.DRAFT, AppStatus.RETURNED) and can(request, APPLICANT, app)
    screening = services.screen(app) if editable else None
    events = list(app.events.select_related("by").order_by("at", "id"))
    for e in events:
        e.text = f"{prog.status_label(e.from_status)}通过" if e.kind == "advance" else wf.label(e.kind)
    ctx = {
        "app": app,
        "prog": prog,
        "events": events,
        "evidence": list(app.evidence.select_related("activity", "pairing", "volunteer_event")),
        "editable": editable,
        "screening": screening,
        "stored": app.eligibility,
        "can_submit": bool(names & {"submit", "resubmit"}),
        "can_review": app.stage_kind == StageKind.REVIEW and bool(names & {"advance", "return", "reject"}),
        "decision_form": DecisionForm(),
        "upload_form": EvidenceUploadForm(programme=prog) if editable else None,
        "records": services.record_choices(app, request.user) if editable else None,
        "title": getattr(app, "title", None) if app.status == AppStatus.DONE else None,
    }
    return render(request, "honours/application_detail.html", ctx)


@staff_view(HA.APPLY)
def application_edit(request, pk: int):
    app = _app(request, pk, permission=APPLICANT)
    if app.status not in (AppStatus.DRAFT, AppStatus.RETURNED):
        messages.error(request, _("已提交的申报不能修改"))
        return redirect("honours:application-detail", pk=pk)
    initial = {f: getattr(app, f) for f in ("name", "statement", "courier", "leader", "rank", "category", "star")}
    form = ApplicationForm(
        request.POST or None, initial=initial, user=request.user, programme=app.cycle.programme, editing=app
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(application_id=app.pk, data=_data(form), by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("申报已保存"))
            return redirect("honours:application-detail", pk=pk)
    return render(
        request,
        "honours/application_form.html",
        {"form": form, "cycle": app.cycle, "app": app, "window": app.cycle.window()},
        status=422 if request.method == "POST" else 200,
    )


@staff_view(HA.APPLY)
@require_POST
def application_submit(request, pk: int):
    app = _app(request, pk)
    try:
        services.application_submit(application_id=app.pk, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, reverse("honours:application-detail", args=[pk]))
    return done(request, reverse("honours:application-detail", args=[pk]), _("申报已提交"))


@staff_view(HA.REVIEW)
@require_POST
def application_decide(request, pk: int):
    app = _app(request, pk)
    form = DecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    decision = request.POST.get("decision", "")
    try:
        services.application_decide(application_id=app.pk, decision=decision, comment=comment, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, reverse("honours:application-detail", args=[pk]))
    return done(request, reverse("honours:queue"), _("审核意见已提交"))


@staff_view(HA.APPLY)
@require_POST
def evidence_upload(request, pk: int):
    app = _app(request, pk)
    form = EvidenceUploadForm(request.POST, request.FILES, programme=app.cycle.programme)
    url = reverse("honours:application-detail", args=[pk])
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件"))
        return done(request, url)
    try:
        services.evidence_upload(
            application_id=app.pk,
            upload=form.cleaned_data["file"],
            requirement=form.cleaned_data["requirement"],
            label=form.cleaned_data["label"],
            by=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, url)
    return done(request, url, _("材料已上传"))


@staff_view(HA.APPLY)
@require_POST
def evidence_reuse(request, pk: int):
    app = _app(request, pk)
    form = EvidenceReuseForm(request.POST)
    url = reverse("honours:application-detail", args=[pk])
    if not form.is_valid():
        messages.error(request, _("请选择要引用的记录"))
        return done(request, url)
    try:
        services.evidence_reuse(
            application_id=app.pk,
            kind=form.cleaned_data["kind"],
            record_id=form.cleaned_data["record"],
            requirement=form.cleaned_data["requirement"],
            by=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, url)
    return done(request, url, _("已引用平台记录作为佐证"))


@staff_view(HA.APPLY)
@require_POST
def evidence_remove(request, pk: int):
    ev = get_scoped_or_404(request, Evidence.objects.select_related("application"), pk=pk)
    url = reverse("honours:application-detail", args=[ev.application_id])
    try:
        services.evidence_remove(evidence_id=ev.pk, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, url)
    return done(request, url, _("材料已移除"))


@staff_view()
def evidence_file(request, pk: int):
    ev = get_scoped_or_404(request, Evidence.objects.select_related("application"), pk=pk)
    if not ev.file:
        raise Http404
    audit_record(AuditAction.DOWNLOAD, request=request, obj=ev.application, detail={"evidence": ev.pk})
    resp = FileResponse(
        default_storage.open(ev.file.name, "rb"), as_attachment=True, filename=ev.original_name or "evidence"
    )
    resp["X-Content-Type-Options"] = "nosniff"
    return resp
