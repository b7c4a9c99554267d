"""Photos, the gallery, the month calendar and the ledger of a unit."""

from __future__ import annotations

from datetime import date

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from wenming.organizations.models import Organization
from wenming.organizations.scoping import is_in_scope
from wenming.web.gate import deny, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_date, list_page

from .. import selectors
from ..filters import ActivityFilter
from ..models import (
    Activity,
)
from .common import V


@staff_view()
def photo_file(request, pk: int):
    """Photos are served through the scope check, never straight from MEDIA_URL."""
    photo = get_scoped_or_404(request, selectors.photo_list(user=request.user), pk=pk)
    try:
        fh = photo.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    resp = FileResponse(fh, content_type="image/jpeg")
    resp["Cache-Control"] = "private, max-age=3600"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


PHOTO_EXPORT = ExportSpec(
    filename="活动照片",
    header=["活动", "单位", "活动日期", "照片编号"],
    row=lambda p: [
        p.activity.title,
        p.activity.organization.name,
        export_date(timezone.localtime(p.activity.starts_at)),
        p.pk,
    ],
    object_type="activities.ActivityPhoto",
)


@staff_view(V)
def gallery(request):
    fs = ActivityFilter(request.GET or None, queryset=selectors.activity_list(user=request.user), request=request)
    acts = fs.qs if (not fs.is_bound or fs.is_valid()) else Activity.objects.none()
    photos = (
        selectors.photo_list(user=request.user)
        .filter(activity__in=acts.values("pk"))
        .order_by("-activity__starts_at", "-id")
    )
    return list_page(
        request, queryset=photos, template="activities/gallery.html", export=PHOTO_EXPORT, context={"form": fs.form}
    )


def _month(request) -> tuple[int, int]:
    raw = request.GET.get("month", "")
    try:
        y, m = (int(x) for x in raw.split("-"))
        date(y, m, 1)
        return y, m
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month


@staff_view(V)
def activity_calendar(request):
    y, m = _month(request)
    fs = ActivityFilter(request.GET or None, queryset=selectors.activity_list(user=request.user), request=request)
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


@staff_view()
def ledger(request, org_pk: int):
    org = get_scoped_or_404(request, Organization.objects, pk=org_pk)
    acts = selectors.activity_list(user=request.user).in_subtree(org.path)[:20]
    pairings = selectors.pairing_list(user=request.user).in_subtree(org.path)[:20]
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


@staff_view()
def ledger_home(request):
    """The ledger of the user's own unit (or the first node of their scope)."""
    home = request.user.home_organization
    if home is not None and is_in_scope(request.user, home, V):
        return redirect("activities:ledger", org_pk=home.pk)
    org = Organization.objects.visible_to(request.user, V).order_by("depth", "path").first()
    if org is None:
        deny(request)
    return redirect("activities:ledger", org_pk=org.pk)
