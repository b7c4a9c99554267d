"""Public pages (no login): the 公示 with its objection form, and the honour roll (光荣榜).

Personal data is masked on the server (``public_name`` / ``public_holder``: the masked name and the
unit); an objection needs a real name and phone, both stored encrypted. Objections are rate-limited
per IP (5 an hour).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from wenming.audit.services import client_ip
from wenming.core import ratelimit
from wenming.core.errors import ApplicationError
from wenming.organizations.models import Organization
from wenming.web.forms import form_error

from . import selectors, services
from .choices import Level
from .forms import ObjectionForm
from .models import Programme

OBJECTION_LIMIT = "honours.objections"
ROLL_PAGE = 60


def notice_index(request):
    today = timezone.localdate()
    notices = list(selectors.public_notices(today)[:30])
    return render(request, "honours/public_notices.html", {"notices": notices, "today": today})


@require_http_methods(["GET", "POST"])
def notice_detail(request, pk: int):
    today = timezone.localdate()
    notice = selectors.public_notices(today).filter(pk=pk).first()
    if notice is None:
        raise Http404
    running = notice.is_running(today)
    form = ObjectionForm(request.POST or None, queryset=notice.entries.select_related("organization", "courier"))
    if request.method == "POST" and running and form.is_valid():
        keys = [("ip", client_ip(request), 5, 3600)]
        if ratelimit.limit(OBJECTION_LIMIT, keys).blocked:
            form.add_error(None, _("提交过于频繁，请稍后再试或拨打监督电话"))
        else:
            d = form.cleaned_data
            try:
                services.objection_submit(
                    notice_id=notice.pk,
                    application_id=d["application"].pk,
                    name=d["name"],
                    phone=d["phone"],
                    content=d["content"],
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                return redirect(f"{request.path}?sent=1")
    return render(
        request,
        "honours/public_notice.html",
        {"notice": notice, "running": running, "form": form, "sent": request.GET.get("sent") == "1", "today": today},
        status=422 if request.method == "POST" and form.errors else 200,
    )


def roll(request):
    qs = selectors.public_roll()
    programmes = list(Programme.objects.filter(is_active=True).order_by("sort_order"))
    prog = request.GET.get("programme", "")
    level = request.GET.get("level", "")
    city = request.GET.get("city", "")
    if prog:
        qs = qs.filter(programme__code=prog)
    if level in Level.values:
        qs = qs.filter(level=level)
    if city.isdigit() and len(city) == 6:
        qs = qs.filter(organization__city_code=city)
    cities = (
        selectors.public_roll()
        .exclude(organization__city_code="")
        .values_list("organization__city_code", flat=True)
        .distinct()
    )
    city_names = dict(
        Organization.objects.filter(kind="city_bureau", code__in=list(cities)).values_list("code", "name")
    )
    return render(
        request,
        "honours/public_roll.html",
        {
            "titles": list(qs[:ROLL_PAGE]),
            "programmes": programmes,
            "levels": Level.choices,
            "cities": sorted(city_names.items()),
            "sel": {"programme": prog, "level": level, "city": city},
        },
    )
