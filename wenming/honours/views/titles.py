"""荣誉称号 and 动态管理: titles, rechecks, warnings, rectification, downgrade, revocation, points."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.errors import ApplicationError
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..forms import NoteForm, PointsForm, SelfReportForm, TitleFilter
from ..models import Title
from ..permissions import HonourAction as HA
from ..workflows import TITLE_WORKFLOW

EXPORT = ExportSpec(
    filename="荣誉称号",
    header=["获得者", "称号", "级别", "星级", "命名文号", "命名日期", "有效期至", "状态"],
    row=lambda t: [
        t.public_holder,
        t.programme.name,
        t.get_level_display(),
        t.star or "",
        t.decision_no,
        t.decision_date.isoformat(),
        t.valid_to.isoformat() if t.valid_to else "",
        t.get_status_display(),
    ],
    object_type="honours.Title",
)


@staff_view()
def title_list(request):
    return list_page(
        request,
        queryset=selectors.title_list(user=request.user),
        template="honours/title_list.html",
        filterset_class=TitleFilter,
        export=EXPORT,
    )


@staff_view()
def title_detail(request, pk: int):
    t = get_scoped_or_404(request, selectors.title_list(user=request.user), pk=pk)
    names = {x.name for x in TITLE_WORKFLOW.available(t, request.user)}
    rc = t.rechecks.order_by("-year", "-id").first()
    return render(
        request,
        "honours/title_detail.html",
        {
            "t": t,
            "names": names,
            "recheck": rc,
            "rechecks": list(t.rechecks.all()),
            "points": list(t.points.select_related("by")),
            "points_total": sum(p.points for p in t.points.all()),
            "events": list(t.events.select_related("by")),
            "can_report": can(request, HA.APPLY, t)
            and rc is not None
            and rc.result == "open"
            and t.status == "under_review",
            "can_points": can(request, HA.REVIEW, t),
            "note_form": NoteForm(),
            "report_form": SelfReportForm(),
            "points_form": PointsForm(initial={"on": timezone.localdate()}),
        },
    )


@staff_view()
@require_POST
def title_action(request, pk: int, action: str):
    t = get_scoped_or_404(request, Title.objects, pk=pk)
    url = reverse("honours:title-detail", args=[pk])
    note = request.POST.get("note", "")[:2000]
    try:
        if action in ("recheck_pass", "warn"):
            services.recheck_decide(title_id=t.pk, decision=action, note=note, by=request.user)
        elif action in ("rectified", "downgrade"):
            services.rectification_decide(title_id=t.pk, decision=action, note=note, by=request.user)
        elif action == "revoke":
            services.title_revoke(title_id=t.pk, reason=note, by=request.user)
        elif action == "self-report":
            form = SelfReportForm(request.POST)
            services.recheck_self_report(
                title_id=t.pk, text=form.cleaned_data["text"] if form.is_valid() else "", by=request.user
            )
        elif action == "points":
            form = PointsForm(request.POST)
            if not form.is_valid():
                raise ApplicationError(_("请完整填写分值、事由和日期"))
            services.points_add(title_id=t.pk, by=request.user, **form.cleaned_data)
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, url)
    return done(request, url, _("已保存"))


@staff_view(HA.REVIEW)
def manage(request):
    today = timezone.localdate()
    return render(
        request,
        "honours/manage.html",
        {
            "titles": list(selectors.managed_titles(user=request.user)[:100]),
            "expiring": list(selectors.expiring(user=request.user, today=today)[:100]),
            "today": today,
        },
    )
