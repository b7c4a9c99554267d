"""Volunteer service certificates (志愿服务记录证明)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.accounts.models import User
from wenming.core.errors import ApplicationError
from wenming.core.forms import parse_id
from wenming.exports.services import generated_file_start
from wenming.organizations.scoping import is_in_scope
from wenming.people.models import Courier
from wenming.web.gate import get_scoped_or_404, staff_view
from wenming.web.lists import list_page

from .. import selectors, services
from ..models import (
    VolunteerCertificate,
)
from .common import V


@staff_view()
@require_POST
def certificate_create(request):
    courier = user = None
    if parse_id(request.POST.get("courier")):
        courier = get_scoped_or_404(request, Courier.objects, pk=parse_id(request.POST["courier"]))
    elif parse_id(request.POST.get("user")):
        user = get_object_or_404(User, pk=parse_id(request.POST["user"]))
        if user.home_organization is None or not is_in_scope(request.user, user.home_organization, V):
            raise Http404
    else:
        raise Http404
    try:
        cert = services.certificate_issue(by=request.user, courier=courier, user=user)
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


@staff_view(V)
def certificate_list(request):
    qs = selectors.certificate_list(user=request.user)
    return list_page(request, queryset=qs, template="activities/certificate_list.html")


@staff_view()
def certificate_detail(request, pk: int):
    cert = get_scoped_or_404(request, VolunteerCertificate.objects.select_related("organization"), pk=pk)
    verify_url = request.build_absolute_uri(
        reverse("public:volunteer-certificate", args=[cert.serial, services.certificate_check(cert)])
    )
    return render(
        request,
        "activities/certificate_detail.html",
        {"cert": cert, "records": cert.content.get("records", []), "verify_url": verify_url},
    )


@staff_view()
@require_POST
def certificate_pdf(request, pk: int):
    cert = get_scoped_or_404(request, VolunteerCertificate.objects, pk=pk)
    gf = generated_file_start(
        owner=request.user,
        kind="activities.certificate.pdf",
        title=f"志愿服务记录证明 {cert.serial}",
        params={"certificate_id": cert.pk, "base_url": request.build_absolute_uri("/")},
    )
    return HttpResponseRedirect(reverse("exports:file-status", args=[gf.pk]))
