"""The public verification page of every certificate: /p/certificates/<serial>/<check>/.

No login and no ``visible_to``: the check code printed in the QR is the key. Personal data is masked;
a revoked certificate says so. Failed look-ups are counted per address (``core.ratelimit``).
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from wenming.audit.services import client_ip
from wenming.core import pii, ratelimit

from . import services
from .kinds import find_kind

FAILURES = 30
WINDOW = 600  # seconds
LIMIT = "certificates.verify-failures"


@never_cache
def certificate_verify(request, serial: str, check: str):
    keys = [("ip", client_ip(request) or "-", FAILURES, WINDOW)]
    if ratelimit.peek(LIMIT, keys).blocked:
        return render(request, "certificates/verify.html", {"serial": serial[:40], "throttled": True}, status=429)
    cert = services.verify(serial=serial, check=check)
    ctx: dict = {"serial": serial[:40], "ok": cert is not None}
    if cert is None:
        ratelimit.hit(LIMIT, keys)
        return render(request, "certificates/verify.html", ctx, status=404)
    kind = find_kind(cert.kind)
    shown = []
    for name, label in kind.public_fields if kind else ():
        value = cert.fields.get(name)
        if value not in (None, ""):
            shown.append((label, value))
    ctx.update(
        {
            "cert": cert,
            "title": cert.title,
            "masked_name": pii.mask_name(cert.subject_name),
            "masked_id": pii.mask_id_number(cert.subject_id_hint) if cert.subject_id_hint else "",
            "shown": shown,
            "issued_on": timezone.localtime(cert.issued_at).date(),
            "revoked_on": timezone.localtime(cert.revoked_at).date() if cert.revoked_at else None,
        }
    )
    return render(request, "certificates/verify.html", ctx)
