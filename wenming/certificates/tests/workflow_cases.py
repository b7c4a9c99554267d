"""The certificate's transition (revoke), for the generic suite (tests/test_every_transition.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from wenming.certificates import sealing, services
from wenming.certificates.models import Certificate
from wenming.workflow.testing import TransitionCase, cases


def _certificate(ns: Any, status: str) -> Certificate:
    cert = Certificate(
        kind="activities.volunteer",
        serial=f"LNYZ-VS-2026-8{Certificate.objects.count():05d}",
        check_code="0123456789abcdef",
        title="志愿服务记录证明",
        status=status,
        organization=ns.t.shenyang_outlet,
        subject_key="people.courier:1",
        subject_name="张晓明",
        fields={"records": [], "total_hours": "2.0", "record_count": 1},
        issuer=ns.t.shenyang,
        issuer_name=ns.t.shenyang.name,
    )
    cert.content_hash = sealing.content_hash(cert)
    cert.save()
    return cert


cases(
    TransitionCase(
        "certificates.certificate",
        "revoke",
        make=lambda ns: _certificate(ns, "valid"),
        fire=lambda c, by: services.revoke(c.pk, by=by, reason="复查不合格"),
        allowed=lambda ns: ns.p.shenyang_admin,
        denied=lambda ns: ns.p.shenyang_outlet,  # sees it, may not revoke it
        wrong_state="revoked",
        http=lambda c: (reverse("certificates:revoke", args=[c.pk]), {"reason": "复查不合格"}),
        outsider=lambda ns: ns.p.dalian_admin,
    ),
)
