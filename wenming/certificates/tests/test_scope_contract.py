"""The data-scope contract applied to certificates (of every kind)."""

from __future__ import annotations

from wenming.certificates import sealing
from wenming.certificates.models import Certificate
from wenming.testing import ScopedModelContract

CITY_SHORT = {"210100": "沈阳", "210200": "大连"}


class TestCertificateScope(ScopedModelContract):
    model = Certificate
    list_url_name = "certificates:list"
    detail_url_name = "certificates:detail"
    export_param = None

    def make_in(self, city):
        cert = Certificate(
            kind="activities.volunteer",
            serial=f"LNYZ-VS-2026-9{city.code}",
            check_code="0123456789abcdef",
            title=f"{CITY_SHORT[city.code]}契约证书",
            organization=city,
            subject_key=f"people.courier:{city.pk}",
            subject_name="契约志愿者",
            fields={"records": [], "total_hours": "3.0", "record_count": 1},
            issuer=city,
            issuer_name=city.name,
        )
        cert.content_hash = sealing.content_hash(cert)
        cert.save()
        return cert

    def label(self, obj):
        return obj.title
