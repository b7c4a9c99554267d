"""Raw responses (export: streamed CSV / background XLSX) and comments with their follow-ups."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..choices import DIMENSIONS
from ..filters import CommentFilter, ResponseFilter
from ..forms import FollowUpForm
from ..models import CommentInsight
from ..permissions import SurveyAction


def _t(x):
    return "" if x is None else f"{x / 10:.1f}"


@staff_view(Action.VIEW)
def response_list(request):
    export = ExportSpec(
        filename="满意度答卷",
        header=["编号", "网点", "日期", "提交时间", "总分", *DIMENSIONS, "留言"],
        row=lambda r: [
            r.pk,
            r.outlet.organization.name,
            r.day.isoformat(),
            timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
            _t(r.score),
            *[_t(getattr(r, f"s_{d}")) for d in DIMENSIONS],
            r.comment,
        ],
        object_type="surveys.SurveyResponse",
    )
    return list_page(
        request,
        queryset=selectors.response_list(user=request.user),
        template="surveys/response_list.html",
        filterset_class=ResponseFilter,
        export=export,
    )


@staff_view(SurveyAction.FOLLOW_UP)
def comment_list(request):
    export = ExportSpec(
        filename="满意度留言",
        header=["网点", "日期", "留言", "情感倾向", "关键词", "跟进状态", "跟进情况"],
        row=lambda c: [
            c.outlet.organization.name,
            c.day.isoformat(),
            c.text,
            f"{c.sentiment:.2f}",
            "、".join(c.keywords),
            c.get_status_display(),
            c.handling_note,
        ],
        object_type="surveys.CommentInsight",
    )
    return list_page(
        request,
        queryset=selectors.comment_list(user=request.user, action=SurveyAction.FOLLOW_UP),
        template="surveys/comment_list.html",
        filterset_class=CommentFilter,
        export=export,
        context={"handle_form": FollowUpForm()},
    )


@staff_view(SurveyAction.FOLLOW_UP)
@require_POST
def comment_handle(request, pk: int):
    insight = get_scoped_or_404(
        request, CommentInsight.objects.select_related("outlet__organization"), pk=pk, scope=SurveyAction.FOLLOW_UP
    )
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_handle(insight_id=insight.pk, note=form.cleaned_data["note"], by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("surveys:comments") + "?status=open", _("已记录跟进情况"))
    return render(request, "surveys/comment_handle.html", {"insight": insight, "form": form, "can": can}, status=422)
