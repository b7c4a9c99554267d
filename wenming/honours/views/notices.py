"""公示异议: received → investigating → upheld (the entry is withdrawn) / dismissed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.errors import ApplicationError
from wenming.web.gate import get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_dt, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..forms import FindingForm
from ..models import Objection
from ..permissions import HonourAction as HA
from ..workflows import OBJECTION_WORKFLOW

OBJECTION_EXPORT = ExportSpec(
    filename="公示异议",
    header=["异议对象", "批次", "异议人", "收到时间", "状态"],
    row=lambda o: [
        o.application.name,
        o.notice.cycle.name,
        o.name_hint,
        export_dt(o.created_at),
        o.get_status_display(),
    ],
    object_type="honours.Objection",
)


@staff_view()
def objection_list(request):
    return list_page(
        request,
        queryset=selectors.objection_list(user=request.user),
        template="honours/objection_list.html",
        export=OBJECTION_EXPORT,
    )


@staff_view()
def objection_detail(request, pk: int):
    obj = get_scoped_or_404(request, selectors.objection_list(user=request.user), pk=pk, scope=HA.MANAGE)
    names = {t.name for t in OBJECTION_WORKFLOW.available(obj, request.user)}
    return render(
        request,
        "honours/objection_detail.html",
        {"o": obj, "names": names, "form": FindingForm(), "events": list(obj.events.select_related("by"))},
    )


@staff_view()
@require_POST
def objection_action(request, pk: int, action: str):
    obj = get_scoped_or_404(request, Objection.objects, pk=pk, scope=HA.MANAGE)
    url = reverse("honours:objection-detail", args=[pk])
    try:
        if action == "investigate":
            services.objection_investigate(objection_id=obj.pk, by=request.user)
            msg = _("已开始调查核实")
        elif action in ("uphold", "dismiss"):
            form = FindingForm(request.POST)
            finding = form.cleaned_data["finding"] if form.is_valid() else ""
            services.objection_decide(objection_id=obj.pk, upheld=action == "uphold", finding=finding, by=request.user)
            msg = _("异议成立，该对象已撤出公示") if action == "uphold" else _("异议不成立，已记录调查结论")
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, url)
    return done(request, url, msg)
