"""建言献策 (staff side): list, staff form, detail with route → answer → adopt / decline."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..filters import SuggestionFilter
from ..forms import AnswerForm, DecisionForm, RouteForm, SuggestionStaffForm
from ..models import Suggestion
from ..workflows import SUGGESTION_WORKFLOW
from .common import form_page


@staff_view(Action.VIEW)
def suggestion_list(request):
    export = ExportSpec(
        filename="建言献策",
        header=["编号", "提交时间", "提出人身份", "提出人", "类别", "标题", "办理单位", "状态"],
        row=lambda s: [
            s.number,
            s.created_at.strftime("%Y-%m-%d %H:%M"),
            s.get_source_display(),
            s.masked_submitter,
            s.get_topic_display(),
            s.title,
            s.organization.name,
            s.get_status_display(),
        ],
        object_type="publicity.Suggestion",
    )
    return list_page(
        request,
        queryset=selectors.suggestion_list(user=request.user),
        template="publicity/suggestion_list.html",
        filterset_class=SuggestionFilter,
        export=export,
    )


@staff_view()
def suggestion_create(request):
    form = SuggestionStaffForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            s = services.suggestion_submit_staff(by=request.user, data=d, courier=d.get("courier"), phone=d["phone"])
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("建议已提交（编号 %(no)s），由%(org)s办理") % {"no": s.number, "org": s.organization.name}
            )
            if Suggestion.objects.visible_to(request.user).filter(pk=s.pk).exists():
                return redirect("publicity:suggestion-detail", pk=s.pk)
            return redirect("workbench:home")
    return form_page(request, "publicity/suggestion_form.html", {"form": form})


@staff_view(Action.VIEW)
def suggestion_detail(request, pk: int):
    s = get_scoped_or_404(request, Suggestion.objects.select_related("organization", "answered_by"), pk=pk)
    moves = {t.name for t in SUGGESTION_WORKFLOW.available(s, request.user)}
    return render(
        request,
        "publicity/suggestion_detail.html",
        {
            "s": s,
            "moves": moves,
            "route_form": RouteForm(user=request.user, under=s.organization, initial={"unit": s.organization_id})
            if "route" in moves
            else None,
            "answer_form": AnswerForm() if "answer" in moves else None,
            "decision_form": DecisionForm() if moves & {"adopt", "decline"} else None,
            "events": list(s.events.select_related("by")),
        },
    )


@staff_view(Action.VIEW)
@require_POST
def suggestion_move(request, pk: int, name: str):
    s = get_scoped_or_404(request, Suggestion.objects.select_related("organization"), pk=pk)
    back = reverse("publicity:suggestion-detail", args=[s.pk])
    try:
        if name == "route":
            form = RouteForm(request.POST, user=request.user, under=s.organization)
            if not form.is_valid():
                raise ApplicationError(_("请选择本单位或下属的办理单位"), field="unit")
            services.suggestion_route(
                by=request.user,
                suggestion_id=s.pk,
                unit=form.cleaned_data["unit"],
                comment=form.cleaned_data["comment"],
            )
        elif name == "answer":
            services.suggestion_answer(
                by=request.user, suggestion_id=s.pk, answer=request.POST.get("answer", "")[:3000]
            )
        elif name == "adopt":
            services.suggestion_adopt(by=request.user, suggestion_id=s.pk, note=request.POST.get("note", "")[:500])
        elif name == "decline":
            services.suggestion_decline(by=request.user, suggestion_id=s.pk, note=request.POST.get("note", "")[:500])
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(label)s") % {"label": SUGGESTION_WORKFLOW.label(name)})
    if not Suggestion.objects.visible_to(request.user).filter(pk=s.pk).exists():
        return done(request, reverse("publicity:suggestion-list"))
    return done(request, back)
