"""Volunteer events: sign-ups, QR sheet, approving hours."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenming.activities.permissions import ActivityAction as AA
from wenming.certificates.qr import qr_svg
from wenming.core.errors import ApplicationError
from wenming.core.forms import parse_ids
from wenming.web.forms import form_error
from wenming.web.gate import can, check, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_dt, list_page

from .. import selectors, services
from ..filters import VolunteerEventFilter
from ..forms import (
    ApproveForm,
    DeclineForm,
    EventCancelForm,
    SignupAddForm,
    VolunteerEventForm,
)
from ..models import (
    VolunteerEvent,
    VolunteerRecord,
)
from .common import V

# --- volunteering -----------------------------------------------------------------------------------
VOLUNTEER_EVENT_EXPORT = ExportSpec(
    filename="志愿服务活动",
    header=["活动名称", "组织单位", "开始时间", "结束时间", "地点", "报名", "名额", "待审核", "报名状态"],
    row=lambda e: [
        e.title,
        e.organization.name,
        export_dt(e.starts_at),
        export_dt(e.ends_at),
        e.place,
        e.n_signups,
        e.capacity or "",
        e.n_pending,
        "报名中" if e.signup_open else "已截止",
    ],
    object_type="activities.VolunteerEvent",
)


@staff_view(V)
def volunteer_event_list(request):
    qs = selectors.volunteer_event_list(user=request.user)
    return list_page(
        request,
        queryset=qs,
        template="activities/volunteer_event_list.html",
        filterset_class=VolunteerEventFilter,
        export=VOLUNTEER_EVENT_EXPORT,
        context={"can_record": can(request, AA.ACTIVITY_RECORD)},
    )


@staff_view(AA.ACTIVITY_RECORD)
def volunteer_event_create(request):
    form = VolunteerEventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ev = services.volunteer_event_create(
                by=request.user, organization=form.cleaned_data["organization"], data=form.cleaned_data
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("志愿服务活动已创建"))
            return redirect("activities:volunteer-detail", pk=ev.pk)
    return render(
        request, "activities/volunteer_event_form.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


@staff_view()
def volunteer_event_edit(request, pk: int):
    """Edit until the event starts (the organising unit stays)."""
    ev = get_scoped_or_404(request, VolunteerEvent.objects, pk=pk, permission=AA.ACTIVITY_RECORD)
    initial = {f: getattr(ev, f) for f in services.EVENT_FIELDS}
    initial["starts_at"], initial["ends_at"] = timezone.localtime(ev.starts_at), timezone.localtime(ev.ends_at)
    form = VolunteerEventForm(request.POST or None, user=request.user, initial=initial)
    del form.fields["organization"]
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_event_update(event_id=ev.pk, by=request.user, data=form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("志愿服务活动已修改"))
            return redirect("activities:volunteer-detail", pk=ev.pk)
    return render(
        request,
        "activities/volunteer_event_form.html",
        {"form": form, "ev": ev},
        status=422 if request.method == "POST" else 200,
    )


@staff_view()
def volunteer_event_cancel(request, pk: int):
    ev = get_scoped_or_404(request, VolunteerEvent.objects, pk=pk, permission=AA.ACTIVITY_RECORD)
    form = EventCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_event_cancel(event_id=ev.pk, by=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("志愿服务活动已取消，已通知报名人员"))
            return redirect("activities:volunteer-detail", pk=ev.pk)
    return render(
        request,
        "activities/volunteer_event_cancel.html",
        {"ev": ev, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@staff_view()
def volunteer_event_detail(request, pk: int):
    ev = get_scoped_or_404(request, VolunteerEvent.objects.select_related("organization"), pk=pk)
    can_record = can(request, AA.ACTIVITY_RECORD, ev)
    signups = selectors.signups_with_decisions(event=ev, user=request.user)
    me_signed = ev.signups.filter(user=request.user).exists()
    return render(
        request,
        "activities/volunteer_event_detail.html",
        {
            "not_started": ev.status == "open" and ev.starts_at > timezone.now(),
            "ev": ev,
            "signups": signups,
            "can_record": can_record,
            "signup_form": SignupAddForm(user=request.user) if can_record else None,
            "can_join": ev.signup_open and not me_signed and request.user.home_organization_id is not None,
            "n_pending": sum(1 for s in signups if s.can_decide),
        },
    )


@staff_view()
@require_POST
def volunteer_signup_add(request, pk: int):
    ev = get_scoped_or_404(request, VolunteerEvent.objects, pk=pk)
    form = SignupAddForm(request.POST, user=request.user)
    if not form.is_valid():
        for e in form.non_field_errors() + [e for f in form.errors.values() for e in f]:
            messages.error(request, e)
        return redirect("activities:volunteer-detail", pk=pk)
    try:
        s = services.volunteer_signup_add(
            event_id=ev.pk,
            by=request.user,
            courier=form.cleaned_data.get("courier"),
            user=form.cleaned_data.get("user"),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已添加报名：{s.name}，签到码 {s.personal_code}")
    return redirect("activities:volunteer-detail", pk=pk)


@staff_view()
@require_POST
def volunteer_join(request, pk: int):
    ev = get_scoped_or_404(request, VolunteerEvent.objects, pk=pk)
    try:
        s = services.volunteer_signup_add(event_id=ev.pk, by=request.user, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"报名成功，您的签到码是 {s.personal_code}")
    return redirect("activities:volunteer-detail", pk=pk)


@staff_view()
def volunteer_qr_sheet(request, pk: int):
    ev = get_scoped_or_404(request, VolunteerEvent.objects.select_related("organization"), pk=pk)
    check(request, AA.ACTIVITY_RECORD, ev)
    codes = []
    for action, label in (("in", "签到"), ("out", "签退")):
        token = services.volunteer_token_make(ev, action)
        url = request.build_absolute_uri(reverse("public:volunteer-scan", args=[token]))
        codes.append(
            {"label": label, "url": url, "svg": qr_svg(url), "expires": services.volunteer_token_expiry(ev, action)}
        )
    return render(request, "activities/volunteer_qr_sheet.html", {"ev": ev, "codes": codes})


@staff_view()
def volunteer_record_approve(request, pk: int):
    """批准: the table's button approves the measured hours; this page adjusts them (a reason above the
    measured attendance)."""
    rec = get_scoped_or_404(request, VolunteerRecord.objects.select_related("signup", "signup__event"), pk=pk)
    back = reverse("activities:volunteer-detail", args=[rec.signup.event_id])
    if request.method == "POST" and "hours" not in request.POST:
        try:
            services.volunteer_record_approve(record_id=rec.pk, by=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已批准 {rec.signup.name} 的服务时长")
        nxt = request.POST.get("next") or ""
        ok = url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})
        return redirect(nxt if nxt and ok else back)
    form = ApproveForm(request.POST or None, initial={"hours": rec.hours})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.volunteer_record_approve(record_id=rec.pk, by=request.user, hours=d["hours"], reason=d["reason"])
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已批准 {rec.signup.name} 的服务时长")
            return redirect(back)
    return render(
        request,
        "activities/volunteer_approve.html",
        {"rec": rec, "form": form, "measured": rec.measured_hours if rec.measured_hours is not None else rec.hours},
        status=422 if request.method == "POST" else 200,
    )


@staff_view()
def volunteer_record_decline(request, pk: int):
    rec = get_scoped_or_404(request, VolunteerRecord.objects.select_related("signup", "signup__event"), pk=pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_record_decline(record_id=rec.pk, by=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已将 {rec.signup.name} 的服务时长标为不予认定")
            return redirect("activities:volunteer-detail", pk=rec.signup.event_id)
    return render(
        request,
        "activities/volunteer_decline.html",
        {"rec": rec, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@staff_view()
@require_POST
def volunteer_bulk_approve(request, pk: int):
    ev = get_scoped_or_404(request, VolunteerEvent.objects, pk=pk)
    ids = parse_ids(request.POST.getlist("record"))
    if not ids:
        messages.error(request, _("请先勾选要批准的记录"))
        return redirect("activities:volunteer-detail", pk=pk)
    check(request, AA.ACTIVITY_RECORD, ev)
    n = services.volunteer_records_bulk_approve(
        record_ids=list(VolunteerRecord.objects.filter(pk__in=ids, signup__event=ev).values_list("pk", flat=True)),
        by=request.user,
    )
    messages.success(request, f"已批准 {n} 条服务时长")
    return redirect("activities:volunteer-detail", pk=pk)
