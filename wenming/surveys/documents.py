"""Outlet QR posters (WeasyPrint from an HTML template): one outlet inline, a city or enterprise as a
background file with progress (``exports`` GeneratedFile)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from wenming.certificates.qr import qr_png_data_uri
from wenming.exports.services import register_builder
from wenming.organizations.models import Organization, Outlet
from wenming.organizations.scoping import is_in_scope

from .permissions import SurveyAction
from .services import outlet_token

KIND = "surveys.posters.pdf"


def survey_url(outlet_id: int, base: str = "") -> str:
    base = base or getattr(settings, "WENMING_PUBLIC_BASE_URL", "") or "http://localhost:8000"
    return base.rstrip("/") + reverse("public:surveys-outlet", args=[outlet_token(outlet_id)])


def _page(outlet: Outlet, base: str) -> dict[str, Any]:
    url = survey_url(outlet.pk, base)
    return {
        "name": outlet.organization.name,
        "address": outlet.organization.address,
        "url": url,
        "qr": qr_png_data_uri(url),
    }


def posters_pdf(outlets: list[Outlet], base: str = "", progress: Callable[[int], None] | None = None) -> bytes:
    from weasyprint import HTML  # deferred: WeasyPrint loads its fonts and Pango at import

    pages = []
    for i, o in enumerate(outlets, start=1):
        pages.append(_page(o, base))
        if progress and i % 20 == 0:
            progress(80 * i // max(1, len(outlets)))
    html = render_to_string("surveys/poster_pdf.html", {"pages": pages})
    return HTML(string=html).write_pdf()


def outlets_under(org: Organization) -> list[Outlet]:
    return list(
        Outlet.objects.select_related("organization")
        .filter(organization__path__startswith=org.path, organization__is_active=True)
        .order_by("organization__path")
    )


@register_builder(KIND)
def build_posters(gf: Any, set_progress: Callable[[int], None]) -> tuple[bytes, str, str]:
    org = Organization.objects.get(pk=gf.params["organization_id"])
    if not is_in_scope(gf.owner, org, SurveyAction.MANAGE):
        raise PermissionError("无权生成该单位的二维码")
    outlets = outlets_under(org)
    content = posters_pdf(outlets, gf.params.get("base_url", ""), progress=set_progress)
    set_progress(95)
    return content, f"满意度二维码-{org.name}.pdf", "application/pdf"
