"""Long-term institutions (制度文件)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError
from wenming.plans.permissions import PlanAction as PA
from wenming.web.forms import form_error
from wenming.web.gate import can, staff_view
from wenming.web.lists import ExportSpec, export_date, list_page
from wenming.web.responses import done

from .. import services
from ..filters import InstitutionFilter
from ..forms import (
    InstitutionForm,
)
from ..models import (
    Institution,
)
from ..selectors import (
    institution_list,
)

# --- institutions -----------------------------------------------------------------------------
INSTITUTION_EXPORT = ExportSpec(
    filename="长效机制",
    header=["制度名称", "文号", "印发单位", "印发日期", "关联目标 / 督办事项", "链接"],
    row=lambda i: [
        i.title,
        i.doc_number,
        i.issuing_org.name if i.issuing_org_id else "",
        export_date(i.issued_on),
        "、".join([g.title for g in i.goals.all()] + [d.title for d in i.tasks.all()]),
        i.link,
    ],
    object_type="plans.Institution",
)


@staff_view(Action.VIEW)
def institution_index(request):
    return list_page(
        request,
        queryset=institution_list(user=request.user),
        template="plans/institution_list.html",
        filterset_class=InstitutionFilter,
        export=INSTITUTION_EXPORT,
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
        {"form": form, "title": _("新增制度文件"), "back": reverse("plans:institutions"), "multipart": True},
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
