"""测评体系: the list, a scheme's tree (the editor while it is a draft), publish and new version."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import can, check, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..forms import IndicatorForm, MoveForm, SchemeForm, VetoForm
from ..models import Indicator, Scheme, VetoItem
from ..permissions import JudgingAction as J
from ..workflows import SCHEME_WORKFLOW

SCHEME_EXPORT = ExportSpec(
    filename="测评体系",
    header=["名称", "版本", "制定单位", "指标数", "总分", "合格线", "状态"],
    row=lambda s: [
        s.name,
        s.version,
        s.organization.name,
        s.n_indicators,
        s.total_points,
        s.pass_mark,
        s.get_status_display(),
    ],
    object_type="judging.Scheme",
)


@staff_view(Action.VIEW)
def scheme_list(request):
    return list_page(
        request,
        queryset=selectors.scheme_list(user=request.user),
        template="judging/scheme_list.html",
        export=SCHEME_EXPORT,
        context={"can_create": can(request, J.SCHEME)},
    )


@staff_view(J.SCHEME)
def scheme_create(request):
    form = SchemeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            s = services.scheme_create(
                organization=d["organization"],
                family=d["family"],
                name=d["name"],
                total_points=d["total_points"],
                pass_mark=d["pass_mark"],
                description=d["description"],
                by=request.user,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("judging:scheme-detail", args=[s.pk]), _("测评体系已创建，请添加指标"))
    return render(
        request,
        "judging/form.html",
        {"form": form, "title": _("新建测评体系"), "back": reverse("judging:scheme-list")},
        status=422 if request.method == "POST" else 200,
    )


def _scheme(request, pk: int, permission: str | None = None) -> Scheme:
    return get_scoped_or_404(request, Scheme.objects.select_related("organization"), pk=pk, permission=permission)


@staff_view(Action.VIEW)
def scheme_detail(request, pk: int):
    scheme = _scheme(request, pk)
    indicators = list(scheme.indicators.order_by("sort_order", "id"))
    tree = selectors.scheme_tree(scheme, indicators)
    rows = selectors.flatten(tree)
    editable = scheme.status == "draft" and can(request, J.SCHEME, scheme)
    top_points = sum((n.indicator.max_points for n in tree), 0)
    top_weight = sum((n.indicator.weight for n in tree), 0)
    return render(
        request,
        "judging/scheme_detail.html",
        {
            "scheme": scheme,
            "rows": rows,
            "vetoes": list(scheme.veto_items.all()),
            "problems": services.scheme_problems(scheme, indicators) if indicators or editable else [],
            "editable": editable,
            "can_publish": SCHEME_WORKFLOW.can(scheme, request.user, "publish"),
            "can_revise": scheme.status == "published" and can(request, J.SCHEME, scheme),
            "top_points": top_points,
            "top_weight": top_weight,
            "top_ok": top_points == scheme.total_points and top_weight == 100,
            "indicator_form": IndicatorForm(),
            "veto_form": VetoForm(),
            "versions": Scheme.objects.filter(family=scheme.family)
            .order_by("-version")
            .only("pk", "version", "status"),
        },
    )


@staff_view(J.SCHEME)
def scheme_edit(request, pk: int):
    scheme = _scheme(request, pk, J.SCHEME)
    initial = {f: getattr(scheme, f) for f in ("name", "total_points", "pass_mark", "description")}
    form = SchemeForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(scheme_id=scheme.pk, by=request.user, data=form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("judging:scheme-detail", args=[scheme.pk]), _("已保存"))
    return render(
        request,
        "judging/form.html",
        {"form": form, "title": _("修改测评体系"), "back": reverse("judging:scheme-detail", args=[scheme.pk])},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@staff_view(J.SCHEME)
def scheme_publish(request, pk: int):
    scheme = _scheme(request, pk)
    try:
        services.scheme_publish(scheme_id=scheme.pk, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("judging:scheme-detail", pk=scheme.pk)
    return done(request, reverse("judging:scheme-detail", args=[scheme.pk]), _("测评体系已发布，此版本不再修改"))


@require_POST
@staff_view(J.SCHEME)
def scheme_new_version(request, pk: int):
    scheme = _scheme(request, pk, J.SCHEME)
    new = services.scheme_new_version(scheme_id=scheme.pk, by=request.user)
    return done(request, reverse("judging:scheme-detail", args=[new.pk]), _("已生成新版本草稿"))


@staff_view(J.SCHEME)
def indicator_create(request, pk: int):
    scheme = _scheme(request, pk, J.SCHEME)
    parent_id = request.GET.get("parent") or request.POST.get("parent") or None
    parent = get_object_or_404(scheme.indicators, pk=parent_id) if parent_id and str(parent_id).isdigit() else None
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_add(
                scheme_id=scheme.pk, by=request.user, parent_id=parent.pk if parent else None, data=form.cleaned_data
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("judging:scheme-detail", args=[scheme.pk]), _("指标已添加"))
    title = _("添加下级指标：%(p)s") % {"p": parent} if parent else _("添加一级指标")
    return render(
        request,
        "judging/form.html",
        {
            "form": form,
            "title": title,
            "back": reverse("judging:scheme-detail", args=[scheme.pk]),
            "hidden": {"parent": parent.pk} if parent else {},
        },
        status=422 if request.method == "POST" else 200,
    )


def _indicator(request, pk: int) -> Indicator:
    ind = get_object_or_404(Indicator.objects.visible_to(request.user, Action.VIEW).select_related("scheme"), pk=pk)
    check(request, J.SCHEME, ind.scheme)
    return ind


@staff_view(J.SCHEME)
def indicator_edit(request, pk: int):
    ind = _indicator(request, pk)
    initial = {f: getattr(ind, f) for f in ("name", "max_points", "weight", "method", "standard", "evidence")}
    form = IndicatorForm(request.POST or None, initial=initial)
    back = reverse("judging:scheme-detail", args=[ind.scheme_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(indicator_id=ind.pk, by=request.user, data=form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, back, _("指标已保存"))
    return render(
        request,
        "judging/form.html",
        {"form": form, "title": _("修改指标：%(i)s") % {"i": ind}, "back": back},
        status=422 if request.method == "POST" else 200,
    )


@staff_view(J.SCHEME)
def indicator_move(request, pk: int):
    ind = _indicator(request, pk)
    back = reverse("judging:scheme-detail", args=[ind.scheme_id])
    descendants = [ind.pk]
    frontier = [ind.pk]
    while frontier:
        frontier = list(Indicator.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        descendants += frontier
    form = MoveForm(request.POST or None, scheme=ind.scheme, exclude=descendants)
    if request.method == "POST":
        direction = request.POST.get("direction", "")
        try:
            if direction in ("up", "down"):
                services.indicator_move(indicator_id=ind.pk, by=request.user, direction=direction)
                return done(request, back)
            if form.is_valid():
                parent = form.cleaned_data["parent"]
                services.indicator_move(indicator_id=ind.pk, by=request.user, parent_id=parent.pk if parent else None)
                return done(request, back, _("指标已移动"))
        except ApplicationError as exc:
            if direction:
                messages.error(request, exc.message)
                return redirect(back)
            form_error(form, exc)
    return render(
        request,
        "judging/form.html",
        {"form": form, "title": _("移动指标：%(i)s") % {"i": ind}, "back": back},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@staff_view(J.SCHEME)
def indicator_delete(request, pk: int):
    ind = _indicator(request, pk)
    back = reverse("judging:scheme-detail", args=[ind.scheme_id])
    try:
        services.indicator_delete(indicator_id=ind.pk, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return done(request, back, _("指标已删除"))


@require_POST
@staff_view(J.SCHEME)
def veto_create(request, pk: int):
    scheme = _scheme(request, pk, J.SCHEME)
    try:
        services.veto_add(scheme_id=scheme.pk, by=request.user, text=request.POST.get("text", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("judging:scheme-detail", pk=scheme.pk)


@require_POST
@staff_view(J.SCHEME)
def veto_delete(request, pk: int):
    item = get_object_or_404(VetoItem.objects.visible_to(request.user, Action.VIEW), pk=pk)
    check(request, J.SCHEME, item.scheme)
    try:
        services.veto_delete(veto_id=item.pk, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("judging:scheme-detail", pk=item.scheme_id)
