"""The ONE certificate PDF renderer: WeasyPrint, Chinese fonts, merge fields, seal, verification QR.

The kind's template extends ``certificates/pdf_base.html`` and fills its ``body`` block from
``fields``; the base prints the serial, the title, the issuer with its seal (the uploaded image of the
issuing body when there is one, else a drawn round seal with its name) and the QR to the public page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wenming.core import pii
from wenming.organizations.selectors import seal_image_data_uri

from .kinds import find_kind
from .qr import qr_png_data_uri
from .seal import seal_svg

FALLBACK_BASE = "http://localhost:8000"


def site_base(base: str = "") -> str:
    """The public site address printed in QR codes: the configured one, else the request's, else local."""
    return (getattr(settings, "WENMING_PUBLIC_BASE_URL", "") or base or FALLBACK_BASE).rstrip("/")


def verification_path(cert: Any) -> str:
    return reverse("public:certificates-verify", args=[cert.serial, cert.check_code])


def verification_url(cert: Any, base: str = "") -> str:
    return site_base(base) + verification_path(cert)


def certificate_html(cert: Any, base: str = "") -> str:
    kind = find_kind(cert.kind)
    url = verification_url(cert, base)
    template = kind.template if kind is not None else "certificates/pdf_base.html"
    return render_to_string(
        template,
        {
            "cert": cert,
            "kind": kind,
            "title": cert.title,
            "fields": cert.fields,
            "subject_name": cert.subject_name,
            "masked_id": pii.mask_id_number(cert.subject_id_hint) if cert.subject_id_hint else "",
            "issuer": cert.issuer_name,
            "issued_on": timezone.localtime(cert.issued_at).strftime("%Y年%m月%d日"),
            "seal_image": seal_image_data_uri(cert.seal_image) if cert.seal_image else "",
            "seal_drawn": seal_svg(cert.issuer_name),
            "qr": qr_png_data_uri(url),
            "verify_url": url,
        },
    )


def certificate_pdf(cert: Any, base: str = "") -> bytes:
    # deferred: WeasyPrint loads Pango and its fonts (~0.3 s); only the processes that render pay for it
    from weasyprint import HTML

    return HTML(string=certificate_html(cert, base)).write_pdf()
