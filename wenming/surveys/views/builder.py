"""Questionnaire builder (versions: a published questionnaire is frozen, an edit makes a new version) and
the outlet QR posters."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.exports.services import generated_file_start
from wenming.organizations.models import Organization, Outlet
from wenming.web.forms import form_error
from wenming.web.gate import can, check, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_dt, list_page
from wenming.web.responses import done

from .. import documents, selectors, services
from ..choices import QuestionnaireStatus
from ..forms import PosterBatchForm, QuestionForm, QuestionnaireForm
from ..models import Question, Questionnaire
from ..permissions import SurveyAction
from ..workflows import QUESTIONNAIRE_WORKFLOW

M = SurveyAction.MANAGE


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


QUESTIONNAIRE_EXPORT = ExportSpec(
    filename="问卷",
    header=["问卷名称", "版本", "所属单位", "状态", "发布时间"],
    row=lambda q: [q.title, q.version, q.organization.name, q.get_status_display(), export_dt(q.published_at)],
    object_type="surveys.Questionnaire",
)


@staff_view(M)
def questionnaire_list(request):
    units = (
        Organization.objects.visible_to(request.user, M)
        .filter(kind__in=["provincial_bureau", "city_bureau", "enterprise"])
        .order_by("path")[:60]
    )
    return list_page(
        request,
        queryset=selectors.questionnaire_list(user=request.user),
        template="surveys/questionnaire_list.html",
        export=QUESTIONNAIRE_EXPORT,
        context={"form_new": QuestionnaireForm(), "units": units},
    )


@staff_view(M)
def questionnaire_create(request):
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = request.user.home_organization
        if org is None:
            raise Http404
        try:
            q = services.questionnaire_create(organization=org, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("surveys:questionnaire", args=[q.pk]), _("已创建问卷草稿"))
    return render(request, "surveys/questionnaire_form.html", {"form": form}, status=422 if form.errors else 200)


@staff_view(Action.VIEW)
def questionnaire_detail(request, pk: int):
    q = get_scoped_or_404(request, Questionnaire.objects.select_related("organization"), pk=pk)
    questions = list(q.questions.all())
    form = QuestionForm()
    if request.method == "POST":
        form = QuestionForm(request.POST)
        check(request, M, q)
        if form.is_valid():
            try:
                services.question_add(questionnaire_id=q.pk, data=form.service_data(), by=request.user)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                return done(request, reverse("surveys:questionnaire", args=[q.pk]), _("已添加题目"))
    versions = Questionnaire.objects.filter(family=q.family).order_by("-version")
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "q": q,
            "questions": questions,
            "form": form,
            "versions": versions,
            "can_manage": can(request, M, q),
            "transitions": {t.name for t in QUESTIONNAIRE_WORKFLOW.available(q, request.user)},
            "events": q.events.select_related("by").order_by("at", "id"),
            "is_draft": q.status == QuestionnaireStatus.DRAFT,
        },
        status=422 if form.errors else 200,
    )


question_add = questionnaire_detail  # adding a question is the detail page's form (POST)


@staff_view(M)
@require_POST
def question_delete(request, pk: int):
    question = get_scoped_or_404(request, Question.objects.select_related("questionnaire"), pk=pk)
    try:
        services.question_delete(question_id=question.pk, by=request.user)
    except ApplicationError as exc:
        from django.contrib import messages  # deferred: only this refusal path flashes a message

        messages.error(request, exc.message)
    return done(request, reverse("surveys:questionnaire", args=[question.questionnaire_id]))


def _transition(request, pk: int, fn, msg: str):
    q = get_scoped_or_404(request, Questionnaire.objects.all(), pk=pk)
    try:
        fn(questionnaire_id=q.pk, by=request.user)
    except ApplicationError as exc:
        from django.contrib import messages  # deferred: only this refusal path flashes a message

        messages.error(request, exc.message)
        return done(request, reverse("surveys:questionnaire", args=[q.pk]))
    return done(request, reverse("surveys:questionnaire", args=[q.pk]), msg)


@staff_view(M)
@require_POST
def questionnaire_publish(request, pk: int):
    return _transition(request, pk, services.questionnaire_publish, _("问卷已发布，各网点二维码页面即用此版本"))


@staff_view(M)
@require_POST
def questionnaire_retire(request, pk: int):
    return _transition(request, pk, services.questionnaire_retire, _("问卷已停用"))


@staff_view(M)
@require_POST
def questionnaire_new_version(request, pk: int):
    q = get_scoped_or_404(request, Questionnaire.objects.all(), pk=pk)
    try:
        new = services.questionnaire_new_version(questionnaire_id=q.pk, by=request.user)
    except ApplicationError as exc:
        from django.contrib import messages  # deferred: only this refusal path flashes a message

        messages.error(request, exc.message)
        return redirect("surveys:questionnaire", q.pk)
    return done(request, reverse("surveys:questionnaire", args=[new.pk]), _("已新建版本草稿，可修改后发布"))


@staff_view(M)
def poster_outlet(request, pk: int):
    outlet = get_scoped_or_404(request, Outlet.objects.select_related("organization"), pk=pk, permission=M)
    content = documents.posters_pdf([outlet], _base_url(request))
    resp = HttpResponse(content, content_type="application/pdf")
    resp["Content-Disposition"] = f"inline; filename=survey-qr-{outlet.pk}.pdf"
    return resp


@staff_view(M)
@require_POST
def poster_batch(request):
    form = PosterBatchForm(request.POST)
    if not form.is_valid():
        raise Http404("请选择单位")
    org = get_scoped_or_404(request, Organization.objects.all(), pk=form.cleaned_data["organization"], permission=M)
    gf = generated_file_start(
        owner=request.user,
        kind=documents.KIND,
        title=_("满意度二维码：%(name)s") % {"name": org.name},
        params={"organization_id": org.pk, "base_url": _base_url(request)},
    )
    return done(request, reverse("exports:file-status", args=[gf.pk]))
