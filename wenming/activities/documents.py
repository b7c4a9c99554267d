"""The 志愿服务记录证明 PDF (WeasyPrint from an HTML template), built in the background.

The issuer is the bureau above the person's unit; its seal image (the file named in the certificate's
content at the time of issue) is printed over the issuer's name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from wenming.accounts.roles import Action
from wenming.core import pii
from wenming.exports.services import register_builder
from wenming.organizations.scoping import is_in_scope
from wenming.organizations.selectors import seal_image_data_uri

from .models import VolunteerCertificate
from .qr import qr_png_data_uri
from .services import certificate_check

KIND = "activities.certificate.pdf"


def verification_url(cert: VolunteerCertificate, base: str = "") -> str:
    base = base or getattr(settings, "WENMING_PUBLIC_BASE_URL", "") or "http://localhost:8000"
    return base.rstrip("/") + reverse("public:volunteer-certificate", args=[cert.serial, certificate_check(cert)])


def certificate_html(cert: VolunteerCertificate, base: str = "") -> str:
    url = verification_url(cert, base)
    return render_to_string(
        "activities/certificate_pdf.html",
        {
            "cert": cert,
            "records": cert.content.get("records", []),
            "issued_on": cert.content.get("issued_on", ""),
            "issuer": cert.content.get("issuer", cert.organization.name),
            "seal": seal_image_data_uri(cert.content.get("seal", "")),
            "qr": qr_png_data_uri(url),
            "verify_url": url,
            "masked_id": pii.mask_id_number(cert.id_hint),
            "masked_name": pii.mask_name(cert.person_name),
        },
    )


def certificate_pdf_bytes(cert: VolunteerCertificate, base: str = "") -> bytes:
    from weasyprint import HTML

    return HTML(string=certificate_html(cert, base)).write_pdf()


@register_builder(KIND)
def build_certificate(gf: Any, set_progress: Callable[[int], None]) -> tuple[bytes, str, str]:
    cert = VolunteerCertificate.objects.select_related("organization").get(pk=gf.params["certificate_id"])
    if cert.issued_by_id and gf.owner_id != cert.issued_by_id:
        if not is_in_scope(gf.owner, cert, Action.VIEW):
            raise PermissionError("无权生成该证明")
    set_progress(30)
    content = certificate_pdf_bytes(cert, gf.params.get("base_url", ""))
    set_progress(90)
    return content, f"志愿服务记录证明-{cert.serial}.pdf", "application/pdf"
