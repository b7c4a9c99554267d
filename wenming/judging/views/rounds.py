"""评审组织: rounds (entries, assignment, transitions), the ranking, and the expert panels."""

from __future__ import annotations

import random

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import can, deny, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_rows, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..forms import MemberForm, PanelForm, RoundForm
from ..models import Assignment, Panel, Round
from ..permissions import JudgingAction as J
from ..services import EntrySpec
from ..workflows import ASSIGNMENT_WORKFLOW, ROUND_WORKFLOW

ROUND_ACTIONS = {
    "start": services.round_start,
    "close": services.round_close,
    "publish": services.round_publish,
}


@staff_view(J.MANAGE)
def round_list(request):
    export = ExportSpec(
        filename="专家评审",
        header=["评审名称", "组织单位", "测评体系", "评分开始", "评分截止", "参评对象", "已提交/评分任务", "状态"],
        row=lambda r: [
            r.title,
            r.organization.name,
            str(r.scheme),
            r.opens_at.strftime("%Y-%m-%d %H:%M"),
            r.closes_at.strftime("%Y-%m-%d %H:%M"),
            r.n_entries,
            f"{r.n_submitted}/{r.n_assignments}",
            r.get_status_display(),
        ],
        object_type="judging.Round",
    )
    return list_page(
        request,
        queryset=selectors.round_list(user=request.user),
        template="judging/round_list.html",
        export=export,
        context={"can_create": can(request, J.MANAGE)},
    )


@staff_view(J.MANAGE)
def round_create(request):
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rnd = services.open_round(
                scheme=d["scheme"],
                title=d["title"],
                organization=d["organization"],
                entries=[EntrySpec(f"organizations.organization:{o.pk}", o.name, o) for o in d["units"]],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                panel=d["panel"],
                by=request.user,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("judging:round-detail", args=[rnd.pk]), _("评审已创建，请分配专家"))
    return render(
        request,
        "judging/form.html",
        {"form": form, "title": _("新建专家评审"), "back": reverse("judging:round-list")},
        status=422 if request.method == "POST" else 200,
    )


def _round(request, pk: int) -> Round:
    return get_scoped_or_404(request, Round.objects.select_related("organization", "scheme", "panel"), pk=pk)


@staff_view(J.MANAGE)
def round_detail(request, pk: int):
    rnd = _round(request, pk)
    entries = list(rnd.entries.select_related("organization").order_by("sort_order", "id"))
    assignments = list(
        Assignment.objects.filter(entry__round=rnd).select_related("expert").order_by("expert__username", "id")
    )
    by_entry: dict[int, list[Assignment]] = {}
    for a in assignments:
        by_entry.setdefault(a.entry_id, []).append(a)
    manage = can(request, J.MANAGE, rnd)
    can_assign = manage and rnd.status in ("draft", "scoring")
    members = list(rnd.panel.members.select_related("user", "affiliation")) if rnd.panel_id and can_assign else []
    return render(
        request,
        "judging/round_detail.html",
        {
            "rnd": rnd,
            "rows": [(e, by_entry.get(e.pk, [])) for e in entries],
            "members": members,
            "actions": ROUND_WORKFLOW.available(rnd, request.user),
            "can_assign": can_assign,
            "can_return": manage and rnd.status == "scoring",
            "progress": {
                "total": len(assignments),
                "submitted": sum(1 for a in assignments if a.status == "submitted"),
            },
        },
    )


@staff_view(J.MANAGE)
def round_ranking(request, pk: int):
    rnd = _round(request, pk)
    rows = selectors.ranking(rnd)
    fmt = request.GET.get("export")
    if fmt:
        spec = ExportSpec(
            filename=f"{rnd.title}-排名",
            header=[
                "名次",
                "参评对象",
                "参评单位",
                "平均分",
                "标准分（z）",
                "计入专家",
                "不计入",
                "一票否决",
                "是否合格",
            ],
            row=lambda r: r,
            object_type="judging.Round",
        )
        data = [
            [
                r.position,
                r.entry.label,
                r.entry.organization.name,
                r.mean_display if r.mean is not None else "",
                r.normalised_display if r.normalised is not None else "",
                r.n_counted,
                r.n_excluded,
                "、".join(r.veto_reasons),
                "" if r.passed is None else (_("合格") if r.passed else _("不合格")),
            ]
            for r in rows
        ]
        return export_rows(request, spec=spec, fmt=fmt, rows=data, count=lambda: len(data))
    return render(
        request,
        "judging/ranking.html",
        {"rnd": rnd, "rows": rows, "any_tied": any(r.tied for r in rows), "can_export": can(request, Action.EXPORT)},
    )


@require_POST
@staff_view(J.MANAGE)
def round_assign(request, pk: int):
    rnd = _round(request, pk)
    entry_ids = [int(x) for x in request.POST.getlist("entries") if x.isdigit()]
    expert_ids = [int(x) for x in request.POST.getlist("experts") if x.isdigit()]
    try:
        made = services.assign(round_id=rnd.pk, entry_ids=entry_ids, expert_ids=expert_ids, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("judging:round-detail", pk=rnd.pk)
    return done(
        request, reverse("judging:round-detail", args=[rnd.pk]), _("已分配 %(n)s 项评分任务") % {"n": len(made)}
    )


@require_POST
@staff_view(J.MANAGE)
def round_assign_random(request, pk: int):
    rnd = _round(request, pk)
    raw = request.POST.get("n", "")
    try:
        n = int(raw)
        if not 1 <= n <= 50:
            raise ValueError
    except ValueError:
        messages.error(request, _("请填写每个参评对象的专家人数（1–50）"))
        return redirect("judging:round-detail", pk=rnd.pk)
    try:
        made = services.assign_random(round_id=rnd.pk, n=n, rng=random.SystemRandom(), by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("judging:round-detail", pk=rnd.pk)
    return done(
        request, reverse("judging:round-detail", args=[rnd.pk]), _("已随机分配 %(n)s 项评分任务") % {"n": len(made)}
    )


@require_POST
@staff_view(J.MANAGE)
def round_transition(request, pk: int, action: str):
    rnd = _round(request, pk)
    if action not in (*ROUND_ACTIONS, "reopen"):
        raise Http404
    try:
        if action == "reopen":
            services.round_reopen(round_id=rnd.pk, by=request.user, comment=request.POST.get("comment", ""))
        else:
            ROUND_ACTIONS[action](round_id=rnd.pk, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("judging:round-detail", pk=rnd.pk)
    return done(request, reverse("judging:round-detail", args=[rnd.pk]), _(ROUND_WORKFLOW.label(action)))


@require_POST
@staff_view(J.MANAGE)
def assignment_return(request, pk: int):
    a = get_scoped_or_404(request, Assignment.objects.select_related("entry__round"), pk=pk)
    back = reverse("judging:round-detail", args=[a.entry.round_id])
    if not ASSIGNMENT_WORKFLOW.can(a, request.user, "return"):
        deny(request, J.MANAGE, obj=a)
    try:
        services.return_assignment(assignment_id=a.pk, by=request.user, comment=request.POST.get("comment", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return done(request, back, _("已退回专家重评"))


# --- panels -----------------------------------------------------------------------------------------

PANEL_EXPORT = ExportSpec(
    filename="评审组",
    header=["评审组名称", "组建单位", "专家人数"],
    row=lambda p: [p.name, p.organization.name, p.n_members],
    object_type="judging.Panel",
)


@staff_view(J.MANAGE)
def panel_list(request):
    form = PanelForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            panel = services.panel_create(
                organization=form.cleaned_data["organization"], name=form.cleaned_data["name"], by=request.user
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("judging:panel-detail", args=[panel.pk]), _("评审组已创建，请添加专家"))
    return list_page(
        request,
        queryset=selectors.panel_list(user=request.user),
        template="judging/panel_list.html",
        export=PANEL_EXPORT,
        context={"create_form": form},
    )


@staff_view(J.MANAGE)
def panel_detail(request, pk: int):
    panel = get_scoped_or_404(request, Panel.objects.select_related("organization"), pk=pk)
    manage = can(request, J.MANAGE, panel)
    form = MemberForm(request.POST or None, user=request.user) if manage else None
    if request.method == "POST" and manage:
        remove = request.POST.get("remove")
        try:
            if remove and remove.isdigit():
                member = panel.members.filter(pk=int(remove)).first()
                if member is None:
                    raise Http404
                services.panel_remove_member(member_id=member.pk, by=request.user)
                return done(request, reverse("judging:panel-detail", args=[panel.pk]), _("已移出评审组"))
            if form.is_valid():
                d = form.cleaned_data
                services.panel_add_member(
                    panel_id=panel.pk,
                    user=d["user"],
                    affiliation=d["affiliation"],
                    expertise=d["expertise"],
                    by=request.user,
                )
                return done(request, reverse("judging:panel-detail", args=[panel.pk]), _("专家已加入评审组"))
        except ApplicationError as exc:
            if remove:
                messages.error(request, exc.message)
            else:
                form_error(form, exc)
    return render(
        request,
        "judging/panel_detail.html",
        {
            "panel": panel,
            "members": list(panel.members.select_related("user", "affiliation")),
            "form": form,
            "manage": manage,
        },
        status=422 if request.method == "POST" and form is not None and form.errors else 200,
    )
