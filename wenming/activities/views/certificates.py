"""Volunteer service certificates (志愿服务记录证明): rows of the one certificate mechanism."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.accounts.models import User
from wenming.certificates.rendering import verification_url
from wenming.core import pii
from wenming.core.errors import ApplicationError
from wenming.core.forms import parse_id
from wenming.organizations.scoping import is_in_scope
from wenming.people.models import Courier
from wenming.web.gate import get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_dt, list_page

from .. import selectors, services
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
        cert = services.certificate_issue(
            by=request.user, courier=courier, user=user, base_url=request.build_absolute_uri("/")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("activities:volunteer-totals")
    return redirect("activities:certificate-detail", pk=cert.pk)


CERTIFICATE_EXPORT = ExportSpec(
    filename="志愿服务记录证明",
    header=["证明编号", "姓名", "出具单位", "累计时长（小时）", "服务次数", "出具时间"],
    row=lambda c: [
        c.serial,
        pii.mask_name(c.subject_name),
        c.organization.name,
        c.fields.get("total_hours", ""),
        c.fields.get("record_count", ""),
        export_dt(c.issued_at),
    ],
    object_type="certificates.Certificate",
)


@staff_view(V)
def certificate_list(request):
    qs = selectors.certificate_list(user=request.user)
    return list_page(request, queryset=qs, template="activities/certificate_list.html", export=CERTIFICATE_EXPORT)


@staff_view()
def certificate_detail(request, pk: int):
    cert = get_scoped_or_404(request, selectors.certificate_list(user=request.user), pk=pk)
    return render(
        request,
        "activities/certificate_detail.html",
        {
            "cert": cert,
            "records": cert.fields.get("records", []),
            "verify_url": verification_url(cert, request.build_absolute_uri("/")),
        },
    )


@staff_view()
def certificate_pdf(request, pk: int):
    """The stored PDF, through the certificate mechanism's download (scoped, audited)."""
    cert = get_scoped_or_404(request, selectors.certificate_list(user=request.user), pk=pk)
    return HttpResponseRedirect(reverse("certificates:pdf", args=[cert.pk]))
