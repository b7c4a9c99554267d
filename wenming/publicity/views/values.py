"""价值体系: an enterprise's versions, the form, submit → approve / return by the city bureau."""

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
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_dt, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..filters import ValuesFilter
from ..forms import ReviewForm, ValuesForm
from ..models import ValueStatement
from ..permissions import PublicityAction as PA
from ..workflows import VALUES_WORKFLOW
from .common import form_page

VALUES_EXPORT = ExportSpec(
    filename="企业价值体系",
    header=["企业", "版本", "核心价值", "更新时间", "状态"],
    row=lambda st: [
        st.organization.name,
        st.version,
        st.core_values,
        export_dt(st.updated_at),
        st.get_status_display(),
    ],
    object_type="publicity.ValueStatement",
)


@staff_view(Action.VIEW)
def values_list(request):
    return list_page(
        request,
        queryset=selectors.values_list(user=request.user),
        template="publicity/values_list.html",
        filterset_class=ValuesFilter,
        export=VALUES_EXPORT,
        context={"can_edit": can(request, PA.VALUES_EDIT)},
    )


@staff_view(PA.VALUES_EDIT)
def values_create(request):
    initial = {}
    src = request.GET.get("from")
    if src and src.isdigit():
        prev = selectors.values_list(user=request.user).filter(pk=int(src)).first()
        if prev is not None:
            initial = {f: getattr(prev, f) for f in services.VALUES_FIELDS}
            initial["organization"] = prev.organization_id
    form = ValuesForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            st = services.values_create(
                by=request.user, organization=form.cleaned_data["organization"], data=form.cleaned_data
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存为草稿，请提交市局审核"))
            return redirect("publicity:values-detail", pk=st.pk)
    return form_page(request, "publicity/values_form.html", {"form": form})


@staff_view(PA.VALUES_EDIT)
def values_edit(request, pk: int):
    st = get_scoped_or_404(request, ValueStatement.objects, permission=PA.VALUES_EDIT, pk=pk)
    initial = {f: getattr(st, f) for f in services.VALUES_FIELDS}
    form = ValuesForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.values_update(by=request.user, statement_id=st.pk, data=form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("publicity:values-detail", pk=st.pk)
    return form_page(request, "publicity/values_form.html", {"form": form, "st": st})


@staff_view(Action.VIEW)
def values_detail(request, pk: int):
    st = get_scoped_or_404(request, ValueStatement.objects.select_related("organization", "approved_by"), pk=pk)
    moves = {t.name for t in VALUES_WORKFLOW.available(st, request.user)}
    current = selectors.current_values(st.organization)
    versions = selectors.values_list(user=request.user).filter(organization=st.organization)
    return render(
        request,
        "publicity/values_detail.html",
        {
            "st": st,
            "moves": moves,
            "review_form": ReviewForm() if moves & {"approve", "return"} else None,
            "can_edit": st.status in ("draft", "returned") and can(request, PA.VALUES_EDIT, st),
            "can_new": st.status == "approved" and can(request, PA.VALUES_EDIT, st),
            "is_current": current is not None and current.pk == st.pk,
            "versions": list(versions),
            "events": list(st.events.select_related("by")),
        },
    )


@staff_view(Action.VIEW)
@require_POST
def values_move(request, pk: int, name: str):
    st = get_scoped_or_404(request, ValueStatement.objects, pk=pk)
    note = request.POST.get("note", "")[:500]
    try:
        if name == "submit":
            services.values_submit(by=request.user, statement_id=st.pk)
        elif name == "approve":
            services.values_approve(by=request.user, statement_id=st.pk, note=note)
        elif name == "return":
            services.values_return(by=request.user, statement_id=st.pk, note=note)
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(label)s") % {"label": VALUES_WORKFLOW.label(name)})
    return done(request, reverse("publicity:values-detail", args=[st.pk]))
