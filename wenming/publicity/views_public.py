"""Public pages of publicity (/p/publicity/…): profiles with their QR code, the suggestion form and the
adopted suggestions, an enterprise's page with its approved value system. No ``visible_to`` here: only
released rows are read (``selectors.published_*``, ``current_values``), and personal data is masked."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wenming.audit.services import client_ip
from wenming.certificates.qr import qr_svg
from wenming.core import ratelimit
from wenming.core.errors import ApplicationError
from wenming.organizations.models import Organization
from wenming.web.forms import form_error

from . import selectors, services
from .forms import SuggestionPublicForm
from .views.common import file_response

SUGGEST_LIMIT = "publicity.suggest"
PER_IP_HOUR = 5
PER_PHONE_DAY = 3


def profile_list(request):
    page = Paginator(selectors.published_profiles(), 12).get_page(request.GET.get("page"))
    return render(request, "publicity/public/profile_list.html", {"page": page, "profiles": page.object_list})


def profile_detail(request, key: str):
    ex = selectors.public_profile(key)
    if ex is None:
        raise Http404
    url = request.build_absolute_uri(ex.public_path())
    return render(
        request,
        "publicity/public/profile_detail.html",
        {
            "ex": ex,
            "photos": list(ex.photos.all()) if ex.photos_public else [],
            "qr": qr_svg(url, box_size=6),
            "url": url,
        },
    )


def profile_photo(request, key: str):
    photo = selectors.public_photo(key)
    if photo is None:
        raise Http404
    resp = file_response(photo.image, content_type="image/jpeg", inline=True)
    resp["Cache-Control"] = "public, max-age=600"  # a withdrawn consent stops serving within 10 minutes
    return resp


def suggestion_list(request):
    page = Paginator(selectors.published_suggestions(), 10).get_page(request.GET.get("page"))
    return render(request, "publicity/public/suggestion_list.html", {"page": page, "items": page.object_list})


@never_cache
@require_http_methods(["GET", "POST"])
def suggest(request):
    if request.method == "GET" and request.GET.get("done"):
        number = request.session.get("publicity_suggestion")
        if number:
            return render(request, "publicity/public/suggest_done.html", {"number": number})
    form = SuggestionPublicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        keys = [("ip", client_ip(request) or "-", PER_IP_HOUR, 3600), ("phone", d["phone"], PER_PHONE_DAY, 86400)]
        if ratelimit.limit(SUGGEST_LIMIT, keys).blocked:
            form.add_error(None, _("提交过于频繁，请稍后再试"))
            return render(request, "publicity/public/suggest.html", {"form": form}, status=429)
        try:
            s = services.suggestion_submit_public(
                data=d, city=d["city"], name=d["name"], phone=d["phone"], is_courier=d["is_courier"]
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            request.session["publicity_suggestion"] = s.number
            return redirect(reverse("public:publicity-suggest") + "?done=1")
    return render(
        request, "publicity/public/suggest.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


def suggest_notice(request):
    return render(request, "publicity/public/privacy_notice.html")


def unit_page(request, pk: int):
    org = get_object_or_404(Organization, pk=pk, kind__in=services.ENTERPRISE_KINDS, is_active=True)
    return render(
        request,
        "publicity/public/unit.html",
        {
            "org": org,
            "values": selectors.current_values(org),
            "profiles": selectors.published_profiles(12, organization=org),
        },
    )
