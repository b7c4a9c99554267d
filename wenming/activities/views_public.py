"""Public pages (no staff login): volunteer QR check-in/out (certificates are verified by ``wenming.certificates``).

They never call ``visible_to``: access is decided by the signed token.

Check-in identification (a documented choice): the printed QR holds a signed, expiring token for one
event and one direction (签到 / 签退). The volunteer types their name plus ONE of: the last 4 digits of
their mobile (matched against the masked hint of the same-name sign-ups of that event), the full
mobile (matched through the blind index ``blind_index(phone, "phone")``), or the 6-digit personal
code each sign-up gets (shown to staff volunteers at sign-up and on the organiser's roster; staff
accounts have no phone on record). Only the event's sign-ups are candidates, an ambiguous match is
refused, and 10 failures per event and IP lock the form for 10 minutes.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wenming.audit.services import client_ip
from wenming.core import pii, ratelimit
from wenming.core.errors import ApplicationError

from . import services
from .forms import CheckInForm

FAILURES_PER_WINDOW = 10
FAILURE_WINDOW = 600  # seconds
CHECKIN_LIMIT = "activities.checkin-failures"


def _throttle_keys(request, event_id: int) -> list[ratelimit.KeySpec]:
    return [("event-ip", f"{event_id}:{client_ip(request)}", FAILURES_PER_WINDOW, FAILURE_WINDOW)]


@never_cache
@require_http_methods(["GET", "POST"])
def volunteer_scan(request, token: str):
    try:
        event, action = services.volunteer_token_read(token)
    except ApplicationError as exc:
        return render(request, "public/volunteer_scan_invalid.html", {"message": exc.message}, status=400)
    label = "签到" if action == "in" else "签退"
    form = CheckInForm(request.POST or None)
    ctx = {"event": event, "action": action, "label": label, "form": form}
    if request.method == "POST" and form.is_valid():
        keys = _throttle_keys(request, event.pk)
        if ratelimit.peek(CHECKIN_LIMIT, keys).blocked:
            form.add_error(None, _("尝试次数过多，请 10 分钟后再试或联系活动组织人"))
            return render(request, "public/volunteer_scan.html", ctx, status=429)
        signup = services.volunteer_identify(
            event=event, name=form.cleaned_data["name"], code=form.cleaned_data["code"]
        )
        if signup is None:
            ratelimit.hit(CHECKIN_LIMIT, keys)
            form.add_error(None, _("未找到您的报名信息，请核对姓名和手机号后4位（或签到码）"))
            return render(request, "public/volunteer_scan.html", ctx, status=422)
        try:
            if action == "in":
                record = services.volunteer_check_in(event_id=event.pk, signup_id=signup.pk)
            else:
                record = services.volunteer_check_out(event_id=event.pk, signup_id=signup.pk)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return render(request, "public/volunteer_scan.html", ctx, status=422)
        return render(
            request,
            "public/volunteer_scan_done.html",
            {**ctx, "record": record, "masked_name": pii.mask_name(signup.name)},
        )
    return render(request, "public/volunteer_scan.html", ctx, status=422 if request.method == "POST" else 200)
