"""Public pages of 申诉 (no login): the web form and the lookup by case number + phone.

Rate limits (``wenming.core.ratelimit``): at most 5 submissions per IP per hour and 3 per phone per day;
10 failed lookups per IP per 10 minutes lock the lookup form. The phone is shown masked only.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wenming.audit.services import client_ip
from wenming.core import pii, ratelimit
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error

from . import services
from .choices import ComplaintStatus as S
from .forms import LookupForm, PublicComplaintForm, outlet_choices

SUBMIT_LIMIT = "complaints.submit"
LOOKUP_LIMIT = "complaints.lookup-failures"


def _submit_keys(request, phone: str) -> list[ratelimit.KeySpec]:
    keys: list[ratelimit.KeySpec] = [("ip", client_ip(request) or "-", 5, 3600)]
    try:
        keys.append(("phone", pii.parse_phone(phone), 3, 86400))
    except pii.ParseError:
        pass
    return keys


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_form(request):
    form = PublicComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        keys = _submit_keys(request, form.cleaned_data["phone"])
        if ratelimit.peek(SUBMIT_LIMIT, keys).blocked:
            form.add_error(None, _("提交过于频繁，请稍后再试，或拨打 12305 申诉电话"))
            return render(request, "complaints/public_form.html", {"form": form}, status=429)
        try:
            c = services.complaint_register(data=form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            ratelimit.hit(SUBMIT_LIMIT, keys)
            return render(request, "complaints/public_done.html", {"c": c})
    return render(
        request, "complaints/public_form.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


@require_GET
def outlet_options(request):
    """The ``<option>`` list of the chosen enterprise's outlets (htmx swaps it into the outlet select)."""
    return render(
        request, "complaints/public_outlet_options.html", {"choices": outlet_choices(request.GET.get("enterprise"))}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_lookup(request):
    form = LookupForm(request.POST or None)
    ctx: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        keys = [("ip", client_ip(request) or "-", 10, 600)]
        if ratelimit.peek(LOOKUP_LIMIT, keys).blocked:
            form.add_error(None, _("查询失败次数过多，请 10 分钟后再试"))
            return render(request, "complaints/public_lookup.html", ctx, status=429)
        c = services.complaint_lookup(case_no=form.cleaned_data["case_no"], phone=form.cleaned_data["phone"])
        if c is None:
            ratelimit.hit(LOOKUP_LIMIT, keys)
            form.add_error(None, _("未找到申诉，请核对申诉编号和联系电话"))
            return render(request, "complaints/public_lookup.html", ctx, status=404)
        events = [e for e in c.events.order_by("at", "id") if e.kind in PUBLIC_KINDS]
        ctx.update({"c": c, "events": events, "closed": c.status in (S.CLOSED, S.NOT_ACCEPTED)})
    return render(
        request,
        "complaints/public_lookup.html",
        ctx,
        status=422 if request.method == "POST" and "c" not in ctx else 200,
    )


# What the complainant sees of the history: the steps, not the internal notes or flags.
PUBLIC_KINDS = {"register", "accept", "refuse", "reply", "callback", "mediate", "conclude"}
