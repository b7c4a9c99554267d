"""Staff pages of 创建活动: activity records, verification, ledger, calendar, gallery, pairings, volunteering."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.accounts.models import User
from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.core.forms import parse_id, parse_ids
from wenming.core.views import ExportSpec, list_page
from wenming.exports.services import generated_file_start
from wenming.organizations.models import Organization
from wenming.organizations.scoping import has_action_anywhere, is_in_scope
from wenming.people.models import Courier

from . import selectors, services
from .choices import ActivityStatus, VolunteerRecordStatus
from .filters import ActivityFilter, PairingFilter, VolunteerEventFilter, VolunteerRecordFilter
from .forms import (
    ActivityForm,
    CommentForm,
    DeclineForm,
    HoursFilterForm,
    PairingForm,
    PhotoAddForm,
    SignupAddForm,
    VolunteerEventForm,
)
from .models import (
    Activity,
    ActivityPhoto,
    ActivityType,
    Pairing,
    VolunteerCertificate,
    VolunteerEvent,
    VolunteerRecord,
)
from .workflows import ACTIVITY_WORKFLOW

V = Action.VIEW


def _fmt_dt(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def _apply_error(form, exc: ApplicationError) -> None:
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


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
        _fmt_dt(a.starts_at),
        a.place,
        a.participant_count,
        a.beneficiary_count,
        "、".join(a.core_value_labels()),
        "、".join(a.postal_value_labels()),
        a.get_status_display(),
    ],
    object_type="activities.Activity",
)


@login_required
def activity_list(request):
    if not has_action_anywhere(request.user, V):
        raise PermissionDenied
    qs = Activity.objects.visible_to(request.user, V).select_related("organization", "activity_type", "outlet")
    return list_page(
        request,
        queryset=qs.order_by("-starts_at", "-id"),
        template="activities/activity_list.html",
        filterset_class=ActivityFilter,
        export=ACTIVITY_EXPORT,
        context={"can_record": has_action_anywhere(request.user, Action.ACTIVITY_RECORD)},
    )


@login_required
def activity_type_pick(request):
    if not has_action_anywhere(request.user, Action.ACTIVITY_RECORD):
        raise PermissionDenied
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
            request=request,
        )
    else:
        activity = services.activity_update(
            activity_id=activity.pk,
            by=request.user,
            data=form.service_data(),
            couriers=list(d.get("couriers") or []),
            staff=list(d.get("staff") or []),
            photos=d.get("photos") or [],
            request=request,
        )
    if request.POST.get("submit") == "1":
        try:
            activity = services.activity_submit(activity_id=activity.pk, by=request.user, request=request)
        except ApplicationError as exc:
            messages.error(request, f"已保存为草稿，但未能提交：{exc.message}")
            return activity
        messages.success(request, "活动已提交，等待市局核实")
    else:
        messages.success(request, "活动已保存为草稿")
    return activity


@login_required
def activity_create(request, type_code: str):
    if not has_action_anywhere(request.user, Action.ACTIVITY_RECORD):
        raise PermissionDenied
    atype = get_object_or_404(ActivityType, code=type_code, is_active=True)
    initial = {}
    if request.GET.get("pairing"):
        initial["pairing"] = request.GET["pairing"]
    if request.GET.get("organization"):
        initial["organization"] = request.GET["organization"]
    form = ActivityForm(
        request.POST or None, request.FILES or None, user=request.user, activity_type=atype, initial=initial
    )
    # Choosing the unit reloads the courier list of its subtree (htmx); without JS the first 500 in scope are offered.
    form.fields["organization"].widget.attrs.update(
        {
            "hx-get": request.path,
            "hx-trigger": "change",
            "hx-include": "[name=organization]",
            "hx-target": "#field-couriers",
            "hx-select": "#field-couriers",
            "hx-swap": "outerHTML",
        }
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = _activity_form_post(request, form, activity=None)
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            return redirect("activities:detail", pk=activity.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "activities/activity_form.html", {"form": form, "atype": atype, "activity": None}, status=status
    )


@login_required
def activity_edit(request, pk: int):
    activity = get_object_or_404(Activity.objects.visible_to(request.user, V).select_related("activity_type"), pk=pk)
    if not is_in_scope(request.user, activity, Action.ACTIVITY_RECORD):
        raise PermissionDenied
    if activity.status not in (ActivityStatus.DRAFT, ActivityStatus.RETURNED):
        messages.error(request, "已提交或已核实的活动不能修改")
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
            _apply_error(form, exc)
        else:
            return redirect("activities:detail", pk=activity.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "atype": activity.activity_type, "activity": activity},
        status=status,
    )


@login_required
def activity_detail(request, pk: int):
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user, V).select_related(
            "organization", "activity_type", "outlet", "pairing", "created_by", "verified_by"
        ),
        pk=pk,
    )
    can_record = is_in_scope(request.user, activity, Action.ACTIVITY_RECORD)
    can_verify = is_in_scope(request.user, activity, Action.ACTIVITY_VERIFY)
    transitions = {t.name for t in ACTIVITY_WORKFLOW.available(activity.status)}
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
            "can_submit": can_record and bool(transitions & {"submit", "resubmit"}),
            "can_verify": can_verify and "verify" in transitions,
            "photo_form": PhotoAddForm(),
            "comment_form": CommentForm(),
            "min_photos": activity.activity_type.min_photos,
        },
    )


def _post_action(request, pk: int, fn, ok: str, **kwargs):
    activity = get_object_or_404(Activity.objects.visible_to(request.user, V), pk=pk)
    try:
        fn(activity_id=activity.pk, by=request.user, request=request, **kwargs)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)
    return redirect("activities:detail", pk=pk)


@login_required
@require_POST
def activity_submit(request, pk: int):
    return _post_action(request, pk, services.activity_submit, "已提交，等待市局核实")


@login_required
@require_POST
def activity_verify(request, pk: int):
    return _post_action(
        request, pk, services.activity_verify, "已核实通过", comment=request.POST.get("comment", "").strip()[:500]
    )


@login_required
@require_POST
def activity_return(request, pk: int):
    return _post_action(
        request, pk, services.activity_return, "已退回", comment=request.POST.get("comment", "").strip()[:500]
    )


@login_required
@require_POST
def activity_add_photos(request, pk: int):
    activity = get_object_or_404(Activity.objects.visible_to(request.user, V), pk=pk)
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
            request=request,
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


@login_required
def photo_file(request, pk: int):
    """Photos are served through the scope check, never straight from MEDIA_URL."""
    photo = get_object_or_404(ActivityPhoto.objects.visible_to(request.user, V), pk=pk)
    try:
        fh = photo.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    resp = FileResponse(fh, content_type="image/jpeg")
    resp["Cache-Control"] = "private, max-age=3600"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
def gallery(request):
    if not has_action_anywhere(request.user, V):
        raise PermissionDenied
    fs = ActivityFilter(request.GET or None, queryset=Activity.objects.visible_to(request.user, V), request=request)
    acts = fs.qs if (not fs.is_bound or fs.is_valid()) else Activity.objects.none()
    photos = (
        ActivityPhoto.objects.visible_to(request.user, V)
        .select_related("activity", "activity__organization")
        .filter(activity__in=acts.values("pk"))
        .order_by("-activity__starts_at", "-id")
    )
    return list_page(request, queryset=photos, template="activities/gallery.html", context={"form": fs.form})


def _month(request) -> tuple[int, int]:
    raw = request.GET.get("month", "")
    try:
        y, m = (int(x) for x in raw.split("-"))
        date(y, m, 1)
        return y, m
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month


@login_required
def activity_calendar(request):
    if not has_action_anywhere(request.user, V):
        raise PermissionDenied
    y, m = _month(request)
    fs = ActivityFilter(request.GET or None, queryset=Activity.objects.visible_to(request.user, V), request=request)
    # an unbound filter set (no query string) is "not valid" but means "no filter"
    valid = not fs.is_bound or fs.is_valid()
    qs = fs.qs.select_related("activity_type") if valid else Activity.objects.none()
    prev_m = (y, m - 1) if m > 1 else (y - 1, 12)
    next_m = (y, m + 1) if m < 12 else (y + 1, 1)
    return render(
        request,
        "activities/activity_calendar.html",
        {
            "weeks": selectors.activity_month_grid(qs=qs, year=y, month=m),
            "year": y,
            "month": m,
            "prev": f"{prev_m[0]}-{prev_m[1]:02d}",
            "next": f"{next_m[0]}-{next_m[1]:02d}",
            "form": fs.form,
            "weekdays": ["一", "二", "三", "四", "五", "六", "日"],
        },
    )


@login_required
def ledger(request, org_pk: int):
    org = get_object_or_404(Organization.objects.visible_to(request.user, V), pk=org_pk)
    acts = (
        Activity.objects.visible_to(request.user, V)
        .in_subtree(org.path)
        .select_related("activity_type", "organization")
        .order_by("-starts_at", "-id")[:20]
    )
    pairings = Pairing.objects.visible_to(request.user, V).in_subtree(org.path).select_related("organization")[:20]
    return render(
        request,
        "activities/ledger.html",
        {
            "org": org,
            "summary": selectors.ledger_summary(user=request.user, org=org),
            "activities": acts,
            "pairings": pairings,
            "units": selectors.volunteer_totals_by_unit(user=request.user, organization=org)[:20],
        },
    )


@login_required
def ledger_home(request):
    """The ledger of the user's own unit (or the first node of their scope)."""
    home = request.user.home_organization
    if home is not None and is_in_scope(request.user, home, V):
        return redirect("activities:ledger", org_pk=home.pk)
    org = Organization.objects.visible_to(request.user, V).order_by("depth", "path").first()
    if org is None:
        raise PermissionDenied
    return redirect("activities:ledger", org_pk=org.pk)


# --- pairings ---------------------------------------------------------------------------------------
@login_required
def pairing_list(request):
    if not has_action_anywhere(request.user, V):
        raise PermissionDenied
    from django.db.models import Count

    qs = (
        Pairing.objects.visible_to(request.user, V)
        .select_related("organization")
        .annotate(n_activities=Count("activities"))
        .order_by("-period_start", "-id")
    )
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
        context={"can_record": has_action_anywhere(request.user, Action.ACTIVITY_RECORD)},
    )


@login_required
def pairing_create(request):
    if not has_action_anywhere(request.user, Action.ACTIVITY_RECORD):
        raise PermissionDenied
    form = PairingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            p = services.pairing_create(
                by=request.user, organization=form.cleaned_data["organization"], data=form.cleaned_data, request=request
            )
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, "结对共建已登记")
            return redirect("activities:pairing-detail", pk=p.pk)
    return render(
        request, "activities/pairing_form.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


@login_required
def pairing_detail(request, pk: int):
    p = get_object_or_404(Pairing.objects.visible_to(request.user, V).select_related("organization"), pk=pk)
    acts = p.activities.filter(pk__in=Activity.objects.visible_to(request.user, V)).select_related("activity_type")
    twinning = ActivityType.objects.filter(code="twinning").first()
    return render(
        request,
        "activities/pairing_detail.html",
        {
            "p": p,
            "activities": acts.order_by("-starts_at"),
            "can_record": is_in_scope(request.user, p, Action.ACTIVITY_RECORD),
            "twinning": twinning,
        },
    )


@login_required
@require_POST
def pairing_end(request, pk: int):
    p = get_object_or_404(Pairing.objects.visible_to(request.user, V), pk=pk)
    try:
        services.pairing_end(pairing_id=p.pk, by=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "结对共建已结束")
    url = reverse("activities:pairing-detail", args=[pk])
    if getattr(request, "htmx", None):
        from django.http import HttpResponse

        resp = HttpResponse(status=204)
        resp["HX-Redirect"] = url
        return resp
    return HttpResponseRedirect(url)


# --- volunteering -----------------------------------------------------------------------------------
@login_required
def volunteer_event_list(request):
    if not has_action_anywhere(request.user, V):
        raise PermissionDenied
    from django.db.models import Count, Q

    qs = (
        VolunteerEvent.objects.visible_to(request.user, V)
        .select_related("organization")
        .annotate(
            n_signups=Count("signups", distinct=True),
            n_pending=Count(
                "signups__record", filter=Q(signups__record__status=VolunteerRecordStatus.PENDING), distinct=True
            ),
        )
        .order_by("-starts_at", "-id")
    )
    return list_page(
        request,
        queryset=qs,
        template="activities/volunteer_event_list.html",
        filterset_class=VolunteerEventFilter,
        context={"can_record": has_action_anywhere(request.user, Action.ACTIVITY_RECORD)},
    )


@login_required
def volunteer_event_create(request):
    if not has_action_anywhere(request.user, Action.ACTIVITY_RECORD):
        raise PermissionDenied
    form = VolunteerEventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ev = services.volunteer_event_create(
                by=request.user, organization=form.cleaned_data["organization"], data=form.cleaned_data, request=request
            )
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, "志愿服务活动已创建")
            return redirect("activities:volunteer-detail", pk=ev.pk)
    return render(
        request, "activities/volunteer_event_form.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


@login_required
def volunteer_event_detail(request, pk: int):
    ev = get_object_or_404(VolunteerEvent.objects.visible_to(request.user, V).select_related("organization"), pk=pk)
    can_record = is_in_scope(request.user, ev, Action.ACTIVITY_RECORD)
    signups = ev.signups.select_related("courier", "user", "record").order_by("id")
    me_signed = ev.signups.filter(user=request.user).exists()
    return render(
        request,
        "activities/volunteer_event_detail.html",
        {
            "ev": ev,
            "signups": signups,
            "can_record": can_record,
            "signup_form": SignupAddForm(user=request.user) if can_record else None,
            "can_join": ev.signup_open and not me_signed and request.user.home_organization_id is not None,
            "n_pending": sum(1 for s in signups if getattr(s, "record", None) and s.record.status == "pending"),
        },
    )


@login_required
@require_POST
def volunteer_signup_add(request, pk: int):
    ev = get_object_or_404(VolunteerEvent.objects.visible_to(request.user, V), pk=pk)
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
            request=request,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已添加报名：{s.name}，签到码 {s.personal_code}")
    return redirect("activities:volunteer-detail", pk=pk)


@login_required
@require_POST
def volunteer_join(request, pk: int):
    ev = get_object_or_404(VolunteerEvent.objects.visible_to(request.user, V), pk=pk)
    try:
        s = services.volunteer_signup_add(event_id=ev.pk, by=request.user, user=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"报名成功，您的签到码是 {s.personal_code}")
    return redirect("activities:volunteer-detail", pk=pk)


@login_required
def volunteer_qr_sheet(request, pk: int):
    ev = get_object_or_404(VolunteerEvent.objects.visible_to(request.user, V).select_related("organization"), pk=pk)
    if not is_in_scope(request.user, ev, Action.ACTIVITY_RECORD):
        raise PermissionDenied
    from .qr import qr_svg

    codes = []
    for action, label in (("in", "签到"), ("out", "签退")):
        token = services.volunteer_token_make(ev, action)
        url = request.build_absolute_uri(reverse("public:volunteer-scan", args=[token]))
        codes.append(
            {"label": label, "url": url, "svg": qr_svg(url), "expires": services.volunteer_token_expiry(ev, action)}
        )
    return render(request, "activities/volunteer_qr_sheet.html", {"ev": ev, "codes": codes})


@login_required
@require_POST
def volunteer_record_approve(request, pk: int):
    rec = get_object_or_404(VolunteerRecord.objects.visible_to(request.user, V).select_related("signup"), pk=pk)
    hours = None
    raw = request.POST.get("hours", "").strip()
    if raw:
        try:
            hours = Decimal(raw).quantize(Decimal("0.1"))
        except InvalidOperation:
            messages.error(request, "认定时长应为数字，如 2.5")
            return redirect("activities:volunteer-detail", pk=rec.signup.event_id)
    try:
        services.volunteer_record_approve(record_id=rec.pk, by=request.user, hours=hours, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已批准 {rec.signup.name} 的服务时长")
    return redirect(request.POST.get("next") or reverse("activities:volunteer-detail", args=[rec.signup.event_id]))


@login_required
def volunteer_record_decline(request, pk: int):
    rec = get_object_or_404(
        VolunteerRecord.objects.visible_to(request.user, V).select_related("signup", "signup__event"), pk=pk
    )
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_record_decline(
                record_id=rec.pk, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, f"已将 {rec.signup.name} 的服务时长标为不予认定")
            return redirect("activities:volunteer-detail", pk=rec.signup.event_id)
    return render(
        request,
        "activities/volunteer_decline.html",
        {"rec": rec, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def volunteer_bulk_approve(request, pk: int):
    ev = get_object_or_404(VolunteerEvent.objects.visible_to(request.user, V), pk=pk)
    ids = parse_ids(request.POST.getlist("record"))
    if not ids:
        messages.error(request, "请先勾选要批准的记录")
        return redirect("activities:volunteer-detail", pk=pk)
    if not is_in_scope(request.user, ev, Action.ACTIVITY_RECORD):
        raise PermissionDenied
    n = services.volunteer_records_bulk_approve(
        record_ids=list(VolunteerRecord.objects.filter(pk__in=ids, signup__event=ev).values_list("pk", flat=True)),
        by=request.user,
        request=request,
    )
    messages.success(request, f"已批准 {n} 条服务时长")
    return redirect("activities:volunteer-detail", pk=pk)


HOURS_EXPORT = ExportSpec(
    filename="志愿服务时长",
    header=["姓名", "身份", "活动", "组织单位", "签到时间", "签退时间", "时长（小时）", "状态", "需复核"],
    row=lambda r: [
        r.signup.name,
        r.signup.person_kind,
        r.signup.event.title,
        r.signup.event.organization.name,
        _fmt_dt(r.check_in_at),
        _fmt_dt(r.check_out_at),
        str(r.hours),
        r.get_status_display(),
        "是" if r.needs_review else "否",
    ],
    object_type="activities.VolunteerRecord",
)


@login_required
def volunteer_records(request):
    if not has_action_anywhere(request.user, V):
        raise PermissionDenied
    qs = (
        VolunteerRecord.objects.visible_to(request.user, V)
        .select_related("signup", "signup__event", "signup__event__organization")
        .order_by("-check_in_at", "-id")
    )
    return list_page(
        request,
        queryset=qs,
        template="activities/volunteer_records.html",
        filterset_class=VolunteerRecordFilter,
        export=HOURS_EXPORT,
    )


@login_required
def volunteer_totals(request):
    """Approved hours per person and per unit over a period."""
    if not has_action_anywhere(request.user, V):
        raise PermissionDenied
    form = HoursFilterForm(request.GET or None, user=request.user)
    kwargs = {}
    if form.is_valid():
        d = form.cleaned_data
        kwargs = {"date_from": d.get("date_from"), "date_to": d.get("date_to"), "organization": d.get("organization")}
    people = selectors.volunteer_totals_by_person(user=request.user, **kwargs)
    units = selectors.volunteer_totals_by_unit(user=request.user, **kwargs)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        if not has_action_anywhere(request.user, Action.EXPORT):
            raise PermissionDenied
        from wenming.core.views import active_filters
        from wenming.exports.services import stream_csv, xlsx_response

        fn = stream_csv if fmt == "csv" else xlsx_response
        return fn(
            request=request,
            filename=f"志愿服务时长汇总-{timezone.localdate():%Y%m%d}.{fmt}",
            header=["姓名", "所属单位", "服务次数", "认定时长（小时）"],
            rows=([p["name"], p["unit"], p["times"], str(p["hours"])] for p in people),
            object_type="activities.VolunteerRecord",
            filters=active_filters(request),
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
            "can_issue": has_action_anywhere(request.user, Action.ACTIVITY_RECORD),
            "can_export": has_action_anywhere(request.user, Action.EXPORT),
        },
    )


@login_required
@require_POST
def certificate_create(request):
    courier = user = None
    if parse_id(request.POST.get("courier")):
        courier = get_object_or_404(Courier.objects.visible_to(request.user, V), pk=parse_id(request.POST["courier"]))
    elif parse_id(request.POST.get("user")):
        user = get_object_or_404(User, pk=parse_id(request.POST["user"]))
        if user.home_organization is None or not is_in_scope(request.user, user.home_organization, V):
            raise Http404
    else:
        raise Http404
    try:
        cert = services.certificate_issue(by=request.user, courier=courier, user=user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("activities:volunteer-totals")
    gf = generated_file_start(
        owner=request.user,
        kind="activities.certificate.pdf",
        title=f"志愿服务记录证明 {cert.serial}",
        params={"certificate_id": cert.pk, "base_url": request.build_absolute_uri("/")},
    )
    return redirect("exports:file-status", pk=gf.pk)


@login_required
def certificate_list(request):
    if not has_action_anywhere(request.user, V):
        raise PermissionDenied
    qs = VolunteerCertificate.objects.visible_to(request.user, V).select_related("organization").order_by("-issued_at")
    return list_page(request, queryset=qs, template="activities/certificate_list.html")


@login_required
def certificate_detail(request, pk: int):
    cert = get_object_or_404(
        VolunteerCertificate.objects.visible_to(request.user, V).select_related("organization"), pk=pk
    )
    verify_url = request.build_absolute_uri(
        reverse("public:volunteer-certificate", args=[cert.serial, services.certificate_check(cert)])
    )
    return render(
        request,
        "activities/certificate_detail.html",
        {"cert": cert, "records": cert.content.get("records", []), "verify_url": verify_url},
    )


@login_required
@require_POST
def certificate_pdf(request, pk: int):
    cert = get_object_or_404(VolunteerCertificate.objects.visible_to(request.user, V), pk=pk)
    gf = generated_file_start(
        owner=request.user,
        kind="activities.certificate.pdf",
        title=f"志愿服务记录证明 {cert.serial}",
        params={"certificate_id": cert.pk, "base_url": request.build_absolute_uri("/")},
    )
    return HttpResponseRedirect(reverse("exports:file-status", args=[gf.pk]))
