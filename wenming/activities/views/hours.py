"""Volunteer hours: records and totals."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import render

from wenming.accounts.roles import Action
from wenming.activities.permissions import ActivityAction as AA
from wenming.core.pii import mask_name
from wenming.web.gate import can, staff_view
from wenming.web.lists import ExportSpec, export_rows, list_page

from .. import selectors
from ..filters import VolunteerRecordFilter
from ..forms import (
    HoursFilterForm,
)
from .common import V, fmt_dt

HOURS_EXPORT = ExportSpec(
    filename="志愿服务时长",
    header=["姓名", "身份", "活动", "组织单位", "签到时间", "签退时间", "时长（小时）", "状态", "需复核"],
    row=lambda r: [
        mask_name(r.signup.name),  # masked as on the page
        r.signup.person_kind,
        r.signup.event.title,
        r.signup.event.organization.name,
        fmt_dt(r.check_in_at),
        fmt_dt(r.check_out_at),
        str(r.hours),
        r.get_status_display(),
        "是" if r.needs_review else "否",
    ],
    object_type="activities.VolunteerRecord",
)


@staff_view(V)
def volunteer_records(request):
    qs = selectors.volunteer_records(user=request.user).order_by("-check_in_at", "-id")
    return list_page(
        request,
        queryset=qs,
        template="activities/volunteer_records.html",
        filterset_class=VolunteerRecordFilter,
        export=HOURS_EXPORT,
    )


TOTALS_EXPORT = ExportSpec(
    filename="志愿服务时长汇总",
    header=["姓名", "所属单位", "服务次数", "认定时长（小时）"],
    row=lambda p: [mask_name(p["name"]), p["unit"], p["times"], str(p["hours"])],
    object_type="activities.VolunteerRecord",
)


@staff_view(V)
def volunteer_totals(request):
    """Approved hours per person and per unit over a period."""
    form = HoursFilterForm(request.GET or None, user=request.user)
    kwargs = {}
    if form.is_valid():
        d = form.cleaned_data
        kwargs = {"date_from": d.get("date_from"), "date_to": d.get("date_to"), "organization": d.get("organization")}
    people = selectors.volunteer_totals_by_person(user=request.user, **kwargs)
    units = selectors.volunteer_totals_by_unit(user=request.user, **kwargs)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return export_rows(
            request,
            spec=TOTALS_EXPORT,
            fmt=fmt,
            rows=(TOTALS_EXPORT.row(p) for p in people),
            count=lambda: len(people),
        )
    total = sum((p["hours"] for p in people), Decimal("0")).quantize(Decimal("0.1"))
    return render(
        request,
        "activities/volunteer_totals.html",
        {
            "form": form,
            "people": people[:200],
            "units": units,
            "total": total,
            "can_issue": can(request, AA.ACTIVITY_RECORD),
            "can_export": can(request, Action.EXPORT),
        },
    )
