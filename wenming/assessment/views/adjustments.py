"""加减分: the list with who/when/why, recording (province) and revoking."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.errors import ApplicationError
from wenming.core.forms import parse_year
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization
from wenming.web.forms import form_error
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page

from .. import selectors, services
from ..forms import AdjustmentForm, RevokeForm
from ..models import Adjustment
from ..permissions import AssessmentAction as A


@staff_view(A.VIEW)
def adjustment_list(request):
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    may_manage = can(request, A.MANAGE)
    cities = Organization.objects.visible_to(request.user, A.MANAGE).filter(kind=OrgKind.CITY_BUREAU).order_by("code")
    form = AdjustmentForm(request.POST or None, cities=cities, initial={"year": year}) if may_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        d = form.cleaned_data
        try:
            services.adjustment_add(
                org=d["org"], year=d["year"], points=d["points"], reason=d["reason"], by=request.user
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("加减分已登记"))
            return redirect(f"{request.path}?year={d['year']}")
    export = ExportSpec(
        filename=_("考核加减分"),
        header=[_("市局"), _("年度"), _("加减分"), _("理由"), _("登记人"), _("登记时间"), _("撤销时间"), _("撤销理由")],
        row=lambda a: [
            a.org.name,
            a.year,
            a.points,
            a.reason,
            a.created_by.username if a.created_by_id else "",
            timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(a.revoked_at).strftime("%Y-%m-%d %H:%M") if a.revoked_at else "",
            a.revoke_reason,
        ],
        object_type="assessment.Adjustment",
    )
    return list_page(
        request,
        queryset=selectors.adjustment_list(user=request.user, year=year),
        template="assessment/adjustment_list.html",
        export=export,
        context={"add_form": form, "year": year, "may_manage": may_manage, "revoke_form": RevokeForm()},
    )


@staff_view(A.MANAGE)
def adjustment_revoke(request, pk: int):
    adj = get_scoped_or_404(request, Adjustment.objects.all(), scope=A.MANAGE, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.adjustment_revoke(adjustment_id=adj.pk, reason=form.cleaned_data["reason"], by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("加减分已撤销"))
            return redirect(reverse("assessment:adjustment-list") + f"?year={adj.year}")
    return render(request, "assessment/adjustment_revoke.html", {"form": form, "adj": adj})
