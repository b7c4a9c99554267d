"""The expert's workbench: 待评分 queue and the scoring sheet of one assignment (their own only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.web.gate import staff_view
from wenming.web.lists import ExportSpec, export_dt, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..choices import AssignmentStatus, RoundStatus

TABS = ("pending", "submitted", "all")


QUEUE_EXPORT = ExportSpec(
    filename="专家评审",
    header=["参评对象", "参评单位", "评审", "评分截止", "已评指标", "合计", "状态"],
    row=lambda a: [
        a.entry.label,
        a.entry.organization.name,
        a.entry.round.title,
        export_dt(a.entry.round.closes_at),
        a.n_scored,
        a.total,
        a.get_status_display(),
    ],
    object_type="judging.Assignment",
)


@staff_view(Action.REVIEW)
def queue(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "pending"
    if tab == "pending":
        qs = selectors.expert_queue(user=request.user)
    else:
        qs = selectors.expert_assignments(user=request.user)
        if tab == "submitted":
            qs = qs.filter(status=AssignmentStatus.SUBMITTED)
    return list_page(request, queryset=qs, template="judging/queue.html", export=QUEUE_EXPORT, context={"tab": tab})


def _own_or_404(request, pk: int):
    a = selectors.expert_assignment(user=request.user, pk=pk)
    if a is None:
        raise Http404(_("评分任务不存在"))
    return a


def _editable(a) -> bool:
    rnd = a.entry.round
    return a.status == AssignmentStatus.PENDING and rnd.status == RoundStatus.SCORING


@staff_view(Action.REVIEW)
def score(request, pk: int):
    a = _own_or_404(request, pk)
    error = None
    error_field = None
    posted = None
    if request.method == "POST":
        sheet = selectors.score_sheet(a)
        leaf_ids = [n.indicator.pk for n in sheet.rows if n.is_leaf]
        points = {i: request.POST.get(f"points_{i}", "") for i in leaf_ids}
        comments = {i: request.POST.get(f"comment_{i}", "") for i in leaf_ids}
        vetoes = {
            v.pk: request.POST.get(f"veto_note_{v.pk}", "")
            for v in sheet.veto_items
            if request.POST.get(f"veto_{v.pk}")
        }
        try:
            services.save_scores(
                assignment_id=a.pk,
                by=request.user,
                points=points,
                comments=comments,
                vetoes=vetoes,
                comment=request.POST.get("comment", ""),
            )
            if request.POST.get("action") == "submit":
                services.submit_scores(assignment_id=a.pk, by=request.user)
                return done(request, reverse("judging:queue"), _("评分已提交"))
        except ApplicationError as exc:
            error, error_field = exc.message, exc.field
            posted = request.POST
        else:
            return done(request, reverse("judging:score", args=[a.pk]), _("评分草稿已保存"))
        a = _own_or_404(request, pk)
    sheet = selectors.score_sheet(a)
    rows = []
    for node in sheet.rows:
        ind = node.indicator
        s = sheet.scores.get(ind.pk)
        value = posted.get(f"points_{ind.pk}", "") if posted is not None else (s.points if s else "")
        note = posted.get(f"comment_{ind.pk}", "") if posted is not None else (s.comment if s else "")
        rows.append({"node": node, "value": value, "note": note, "error": error_field == f"points_{ind.pk}"})
    vetoes = []
    for v in sheet.veto_items:
        mark = sheet.vetoes.get(v.pk)
        checked = bool(posted.get(f"veto_{v.pk}")) if posted is not None else mark is not None
        note = posted.get(f"veto_note_{v.pk}", "") if posted is not None else (mark.comment if mark else "")
        vetoes.append({"item": v, "checked": checked, "note": note})
    return render(
        request,
        "judging/score.html",
        {
            "a": a,
            "rnd": a.entry.round,
            "scheme": a.entry.round.scheme,
            "rows": rows,
            "vetoes": vetoes,
            "total": sheet.total,
            "editable": _editable(a),
            "error": error,
            "comment": posted.get("comment", "") if posted is not None else a.comment,
        },
        status=422 if error else 200,
    )


@require_POST
@staff_view(Action.REVIEW)
def conflict(request, pk: int):
    a = _own_or_404(request, pk)
    try:
        services.declare_conflict(assignment_id=a.pk, by=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("judging:score", pk=a.pk)
    return done(request, reverse("judging:score", args=[a.pk]), _("已声明利益冲突，您的评分将不计入平均分"))
