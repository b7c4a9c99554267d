"""Staff pages of certificates: the list of every kind, a certificate, its PDF, revoke, batch progress."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import check, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_dt, list_page
from wenming.web.responses import done

from . import selectors, services
from .filters import CertificateFilter
from .forms import RevokeForm
from .kinds import find_kind
from .models import Certificate
from .rendering import verification_url
from .workflows import CERTIFICATE_WORKFLOW


def _base(request) -> str:
    return request.build_absolute_uri("/")


CERTIFICATE_EXPORT = ExportSpec(
    filename="证书",
    header=["证书编号", "证书名称", "持有人", "所属单位", "出具时间", "状态"],
    row=lambda c: [
        c.serial,
        c.title,
        c.holder_display,
        c.organization.name,
        export_dt(c.issued_at),
        c.get_status_display(),
    ],
    object_type="certificates.Certificate",
)


@staff_view(Action.VIEW)
def certificate_list(request):
    return list_page(
        request,
        queryset=selectors.certificate_list(user=request.user),
        template="certificates/list.html",
        filterset_class=CertificateFilter,
        export=CERTIFICATE_EXPORT,
    )


def _detail_context(request, cert: Certificate) -> dict:
    return {
        "cert": cert,
        "kind": find_kind(cert.kind),
        "verify_url": verification_url(cert, _base(request)),
        "can_revoke": CERTIFICATE_WORKFLOW.can(cert, request.user, "revoke"),
        "events": cert.events.select_related("by").order_by("at", "id"),
    }


@staff_view()
def certificate_detail(request, pk: int):
    cert = get_scoped_or_404(request, Certificate.objects.select_related("organization", "issuer"), pk=pk)
    kind = find_kind(cert.kind)
    if kind is not None:
        check(request, kind.view_permission, cert)
    return render(request, "certificates/detail.html", {**_detail_context(request, cert), "form": RevokeForm()})


@staff_view()
def certificate_pdf(request, pk: int):
    cert = get_scoped_or_404(request, Certificate.objects, pk=pk)
    kind = find_kind(cert.kind)
    if kind is not None:
        check(request, kind.view_permission, cert)
    try:
        data = services.pdf_bytes(cert, by=request.user, base_url=_base(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, reverse("certificates:detail", args=[cert.pk]))
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="{cert.serial}.pdf"'
    resp["Cache-Control"] = "private, no-store"
    return resp


@staff_view()
@require_POST
def certificate_revoke(request, pk: int):
    cert = get_scoped_or_404(request, Certificate.objects.select_related("organization", "issuer"), pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke(cert, by=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("certificates:detail", args=[cert.pk]), _("证书已撤销"))
    return render(request, "certificates/detail.html", {**_detail_context(request, cert), "form": form}, status=422)


@staff_view()
def batch_status(request, pk: int):
    batch = selectors.batch_of(user=request.user, pk=pk)
    if batch is None:
        raise Http404
    recent = batch.certificates.order_by("-id")[:10]
    ctx = {"batch": batch, "kind": find_kind(batch.kind), "recent": recent}
    htmx = getattr(request, "htmx", None)
    return render(request, "certificates/batch.html#progress" if htmx else "certificates/batch.html", ctx)
