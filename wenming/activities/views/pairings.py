"""Pairings (结对共建)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenming.activities.permissions import ActivityAction as AA
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..filters import PairingFilter
from ..forms import (
    PairingForm,
)
from ..models import (
    ActivityType,
    Pairing,
)
from .common import V


# --- pairings ---------------------------------------------------------------------------------------
@staff_view(V)
def pairing_list(request):
    qs = selectors.pairing_list(user=request.user)
    export = ExportSpec(
        filename="结对共建",
        header=["共建单位", "结对对象", "对象类型", "共建项目", "起始日期", "截止日期", "状态", "共建活动数"],
        row=lambda p: [
            p.organization.name,
            p.partner_name,
            p.get_partner_type_display(),
            p.title,
            p.period_start.isoformat(),
            p.period_end.isoformat(),
            p.get_status_display(),
            p.n_activities,
        ],
        object_type="activities.Pairing",
    )
    return list_page(
        request,
        queryset=qs,
        template="activities/pairing_list.html",
        filterset_class=PairingFilter,
        export=export,
        context={"can_record": can(request, AA.ACTIVITY_RECORD)},
    )


@staff_view(AA.ACTIVITY_RECORD)
def pairing_create(request):
    form = PairingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            p = services.pairing_create(
                by=request.user, organization=form.cleaned_data["organization"], data=form.cleaned_data
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("结对共建已登记"))
            return redirect("activities:pairing-detail", pk=p.pk)
    return render(
        request, "activities/pairing_form.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


@staff_view()
def pairing_detail(request, pk: int):
    p = get_scoped_or_404(request, Pairing.objects.select_related("organization"), pk=pk)
    acts = p.activities.filter(pk__in=selectors.activity_list(user=request.user).values("pk")).select_related(
        "activity_type"
    )
    twinning = ActivityType.objects.filter(code="twinning").first()
    return render(
        request,
        "activities/pairing_detail.html",
        {
            "p": p,
            "activities": acts.order_by("-starts_at"),
            "can_record": can(request, AA.ACTIVITY_RECORD, p),
            "can_act": p.is_active and can(request, AA.ACTIVITY_RECORD, p),  # record a joint activity, end it
            "twinning": twinning,
        },
    )


@staff_view()
@require_POST
def pairing_end(request, pk: int):
    p = get_scoped_or_404(request, Pairing.objects, pk=pk)
    try:
        services.pairing_end(pairing_id=p.pk, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("结对共建已结束"))
    return done(request, reverse("activities:pairing-detail", args=[pk]))
