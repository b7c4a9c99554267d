"""Activity records: list, forms, detail, submission and verification, photos."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenming.activities.permissions import ActivityAction as AA
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import can, check, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page

from .. import selectors, services
from ..choices import ActivityStatus
from ..filters import ActivityFilter
from ..forms import (
    ActivityForm,
    CommentForm,
    PhotoAddForm,
)
from ..models import (
    Activity,
    ActivityType,
)
from ..workflows import ACTIVITY_WORKFLOW
from .common import V, fmt_dt

# --- activities -------------------------------------------------------------------------------------
ACTIVITY_EXPORT = ExportSpec(
    filename="创建活动",
    header=[
        "活动名称",
        "活动类型",
        "组织单位",
        "开始时间",
        "地点",
        "参与人数",
        "受益人数",
        "核心价值观",
        "4S价值观",
        "状态",
    ],
    row=lambda a: [
        a.title,
        a.activity_type.name,
        a.organization.name,
        fmt_dt(a.starts_at),
        a.place,
        a.participant_count,
        a.beneficiary_count,
        "、".join(a.core_value_labels()),
        "、".join(a.postal_value_labels()),
        a.get_status_display(),
    ],
    object_type="activities.Activity",
)


@staff_view(V)
def activity_list(request):
    return list_page(
        request,
        queryset=selectors.activity_list(user=request.user),
        template="activities/activity_list.html",
        filterset_class=ActivityFilter,
        export=ACTIVITY_EXPORT,
        context={"can_record": can(request, AA.ACTIVITY_RECORD)},
    )


@staff_view(AA.ACTIVITY_RECORD)
def activity_type_pick(request):
    return render(request, "activities/activity_type_pick.html", {"types": ActivityType.objects.filter(is_active=True)})


def _activity_form_post(request, form, *, activity: Activity | None) -> Activity:
    """Save (create or update), then submit if 提交 was pressed. A refused submission keeps the draft."""
    d = form.cleaned_data
    if activity is None:
        activity = services.activity_create(
            by=request.user,
            organization=d["organization"],
            activity_type=form.activity_type,
            data=form.service_data(),
            couriers=list(d.get("couriers") or []),
            staff=list(d.get("staff") or []),
            photos=d.get("photos") or [],
        )
    else:
        activity = services.activity_update(
            activity_id=activity.pk,
            by=request.user,
            data=form.service_data(),
            couriers=list(d.get("couriers") or []),
            staff=list(d.get("staff") or []),
            photos=d.get("photos") or [],
        )
    if request.POST.get("submit") == "1":
        try:
            activity = services.activity_submit(activity_id=activity.pk, by=request.user)
        except ApplicationError as exc:
            messages.error(request, f"已保存为草稿，但未能提交：{exc.message}")
            return activity
        messages.success(request, _("活动已提交，等待市局核实"))
    else:
        messages.success(request, _("活动已保存为草稿"))
    return activity


@staff_view(AA.ACTIVITY_RECORD)
def activity_create(request, type_code: str):
    atype = get_object_or_404(ActivityType, code=type_code, is_active=True)
    initial = {}
    if request.GET.get("pairing"):
        initial["pairing"] = request.GET["pairing"]
    if request.GET.get("organization"):
        initial["organization"] = request.GET["organization"]
    form = ActivityForm(
        request.POST or None, request.FILES or None, user=request.user, activity_type=atype, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = _activity_form_post(request, form, activity=None)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return redirect("activities:detail", pk=activity.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "activities/activity_form.html", {"form": form, "atype": atype, "activity": None}, status=status
    )


@staff_view()
def activity_edit(request, pk: int):
    activity = get_scoped_or_404(request, Activity.objects.select_related("activity_type"), pk=pk)
    check(request, AA.ACTIVITY_RECORD, activity)
    if activity.status not in (ActivityStatus.DRAFT, ActivityStatus.RETURNED):
        messages.error(request, _("已提交或已核实的活动不能修改"))
        return redirect("activities:detail", pk=pk)
    initial = {
        "organization": activity.organization_id,
        "title": activity.title,
        "starts_at": timezone.localtime(activity.starts_at),
        "ends_at": timezone.localtime(activity.ends_at) if activity.ends_at else None,
        "outlet": activity.outlet_id,
        "address": activity.address,
        "couriers": list(activity.couriers.values_list("pk", flat=True)),
        "staff": list(activity.staff.values_list("pk", flat=True)),
        "participant_count": activity.participant_count,
        "beneficiaries": activity.beneficiaries,
        "beneficiary_count": activity.beneficiary_count,
        "core_values": Activity.unpack_tags(activity.core_values),
        "postal_values": Activity.unpack_tags(activity.postal_values),
        "description": activity.description,
        "pairing": activity.pairing_id,
        **{f"fig_{k}": v for k, v in (activity.figures or {}).items()},
    }
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        activity_type=activity.activity_type,
        initial=initial,
    )
    form.fields["organization"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            activity = _activity_form_post(request, form, activity=activity)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return redirect("activities:detail", pk=activity.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "atype": activity.activity_type, "activity": activity},
        status=status,
    )


@staff_view()
def activity_detail(request, pk: int):
    activity = get_scoped_or_404(
        request,
        Activity.objects.select_related(
            "organization", "activity_type", "outlet", "pairing", "created_by", "verified_by"
        ),
        pk=pk,
    )
    can_record = can(request, AA.ACTIVITY_RECORD, activity)
    transitions = {t.name for t in ACTIVITY_WORKFLOW.available(activity, request.user)}
    return render(
        request,
        "activities/activity_detail.html",
        {
            "a": activity,
            "photos": activity.photos.all(),
            "events": activity.events.select_related("by"),
            "couriers": activity.couriers.all(),
            "staff": activity.staff.all(),
            "can_edit": can_record and activity.status in (ActivityStatus.DRAFT, ActivityStatus.RETURNED),
            "can_submit": bool(transitions & {"submit", "resubmit"}),
            "can_verify": "verify" in transitions,
            "photo_form": PhotoAddForm(),
            "comment_form": CommentForm(),
            "min_photos": activity.activity_type.min_photos,
        },
    )


def _post_action(request, pk: int, fn, ok: str, **kwargs):
    activity = get_scoped_or_404(request, Activity.objects, pk=pk)
    try:
        fn(activity_id=activity.pk, by=request.user, **kwargs)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)
    return redirect("activities:detail", pk=pk)


@staff_view()
@require_POST
def activity_submit(request, pk: int):
    return _post_action(request, pk, services.activity_submit, "已提交，等待市局核实")


@staff_view()
@require_POST
def activity_verify(request, pk: int):
    return _post_action(
        request, pk, services.activity_verify, "已核实通过", comment=request.POST.get("comment", "").strip()[:500]
    )


@staff_view()
@require_POST
def activity_return(request, pk: int):
    return _post_action(
        request, pk, services.activity_return, "已退回", comment=request.POST.get("comment", "").strip()[:500]
    )


@staff_view()
@require_POST
def activity_add_photos(request, pk: int):
    activity = get_scoped_or_404(request, Activity.objects, pk=pk)
    form = PhotoAddForm(request.POST, request.FILES)
    if not form.is_valid():
        for e in form.errors.get("photos", []):
            messages.error(request, e)
        return redirect("activities:detail", pk=pk)
    try:
        services.activity_update(
            activity_id=activity.pk,
            by=request.user,
            data=_current_data(activity),
            couriers=list(activity.couriers.all()),
            staff=list(activity.staff.all()),
            photos=form.cleaned_data["photos"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已上传 {len(form.cleaned_data['photos'])} 张照片")
    return redirect("activities:detail", pk=pk)


def _current_data(a: Activity) -> dict:
    return {
        "title": a.title,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "outlet": a.outlet,
        "address": a.address,
        "participant_count": a.participant_count,
        "beneficiaries": a.beneficiaries,
        "beneficiary_count": a.beneficiary_count,
        "figures": a.figures,
        "core_values": Activity.unpack_tags(a.core_values),
        "postal_values": Activity.unpack_tags(a.postal_values),
        "description": a.description,
        "pairing": a.pairing,
    }
