"""Item volumes (the denominator) and the statistics: per million items, overdue replies by enterprise × city."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import can, check, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_rows, list_page

from .. import selectors, services
from ..forms import GROUP_CHOICES, StatsForm, VolumeForm
from ..models import Complaint, ItemVolume
from ..permissions import ComplaintAction as CA

VOLUME_EXPORT = ExportSpec(
    filename="企业月度业务量",
    header=["企业", "月份", "业务量（件）"],
    row=lambda v: [v.enterprise.name, f"{v.month:%Y-%m}", v.items],
    object_type="complaints.ItemVolume",
)


@staff_view(Action.VIEW)
def volume_list(request):
    return list_page(
        request,
        queryset=selectors.volume_list(user=request.user),
        template="complaints/volume_list.html",
        export=VOLUME_EXPORT,
        context={"can_enter": can(request, CA.VOLUME)},
    )


@staff_view(CA.VOLUME)
def volume_create(request):
    form = VolumeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.volume_set(enterprise=d["enterprise"], month=d["month"], items=d["items"], by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("业务量已保存"))
            return redirect("complaints:volumes")
    return render(
        request, "complaints/volume_form.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


@staff_view(Action.VIEW)
def volume_detail(request, pk: int):
    """One month's volume; holders of the volume right correct it here."""
    row = get_scoped_or_404(request, ItemVolume.objects.select_related("enterprise"), pk=pk)
    can_edit = can(request, CA.VOLUME, row)
    initial = {"enterprise": row.enterprise, "month": row.month, "items": row.items}
    form = VolumeForm(request.POST or None, user=request.user, initial=initial) if can_edit else None
    if request.method == "POST":
        check(request, CA.VOLUME, row)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.volume_set(enterprise=d["enterprise"], month=d["month"], items=d["items"], by=request.user)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("业务量已保存"))
                return redirect("complaints:volumes")
    return render(
        request,
        "complaints/volume_form.html",
        {"form": form, "row": row},
        status=422 if request.method == "POST" else 200,
    )


def _period(form: StatsForm) -> tuple[date, date]:
    today = timezone.localdate()
    start = date(today.year, 1, 1)
    end = date(today.year + 1, 1, 1)
    if form.is_valid():
        start = form.cleaned_data.get("date_from") or start
        end = form.cleaned_data.get("date_to") or end
    return start, end


def _fmt(value) -> str:
    return "" if value is None else str(value)


PPM_EXPORT = ExportSpec(
    filename="申诉率（每百万件）",
    header=["统计对象", "申诉件数", "有效申诉件数", "业务量（件）", "申诉率（件/百万件）", "有效申诉率（件/百万件）"],
    row=lambda r: [r.label, r.complaints, r.valid, r.items, _fmt(r.ppm), _fmt(r.valid_ppm)],
    object_type="complaints.Complaint",
)
OVERDUE_EXPORT = ExportSpec(
    filename="企业答复超时统计",
    header=["地市", "企业", "转办件数", "答复超时件数", "超时率（%）"],
    row=lambda r: [r.city, r.enterprise, r.forwarded, r.overdue, _fmt(r.rate)],
    object_type="complaints.Complaint",
)


@staff_view(Action.SUPERVISE)
def statistics(request):
    form = StatsForm(request.GET or None)
    start, end = _period(form)
    if not form.is_bound:
        form = StatsForm(initial={"date_from": start, "date_to": end, "group": "enterprise"})
    group = request.GET.get("group") or "enterprise"
    if group not in services.GROUPS:
        group = "enterprise"
    user = request.user
    fmt = request.GET.get("export")
    table = request.GET.get("table", "ppm")
    if fmt:
        # the rows of an export are narrowed to the user's EXPORT scope
        complaints = Complaint.objects.visible_to(user, Action.EXPORT)
        if table == "overdue":
            rows = [
                OVERDUE_EXPORT.row(r) for r in services.overdue_replies(complaints=complaints, start=start, end=end)
            ]
            spec = OVERDUE_EXPORT
        else:
            volumes = ItemVolume.objects.visible_to(user, Action.EXPORT)
            found = services.per_million(complaints=complaints, volumes=volumes, start=start, end=end, group=group)
            rows = [PPM_EXPORT.row(r) for r in found]
            spec = PPM_EXPORT
        return export_rows(
            request,
            spec=spec,
            fmt=fmt,
            rows=rows,
            count=lambda: len(rows),
            filters={"from": start.isoformat(), "to": end.isoformat(), "group": group, "table": table},
        )
    complaints = Complaint.objects.visible_to(user, Action.VIEW)
    volumes = ItemVolume.objects.visible_to(user, Action.VIEW)
    ppm = services.per_million(complaints=complaints, volumes=volumes, start=start, end=end, group=group)
    overdue = services.overdue_replies(complaints=complaints, start=start, end=end)
    total = services.RateRow(
        None,
        str(_("合计")),
        sum(r.complaints for r in ppm),
        sum(r.valid for r in ppm),
        sum(r.items for r in ppm),
    )
    return render(
        request,
        "complaints/statistics.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "group": group,
            "group_label": dict(GROUP_CHOICES)[group],
            "ppm": ppm,
            "total": total,
            "overdue": overdue,
            "can_export": can(request, Action.EXPORT),
            "query": request.GET.urlencode(),
        },
    )
