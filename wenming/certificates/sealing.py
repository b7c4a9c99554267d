"""The keyed hashes that seal a certificate's content and its PDF (also used by the data migration).

Keyed (HMAC-SHA256 with the site's secret key), so a changed row cannot be re-sealed by someone who can
write the database but does not hold the key; the check code is part of the sealed content.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.utils.crypto import salted_hmac

CONTENT_SALT = "wenming.certificates.content"
PDF_SALT = "wenming.certificates.pdf"


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_payload(row: Any) -> dict[str, Any]:
    """Everything the certificate states (revocation is history, not content)."""
    return {
        "kind": row.kind,
        "serial": row.serial,
        "check": row.check_code,
        "title": row.title,
        "organization_id": row.organization_id,
        "subject_key": row.subject_key,
        "subject_name": row.subject_name,
        "subject_id_hint": row.subject_id_hint,
        "fields": row.fields,
        "issuer_id": row.issuer_id,
        "issuer_name": row.issuer_name,
        "seal_image": row.seal_image,
        "seal_specimen": bool(row.seal_specimen),
        "issued_at": _utc(row.issued_at),
    }


def content_hash(row: Any) -> str:
    return salted_hmac(CONTENT_SALT, canonical(content_payload(row)), algorithm="sha256").hexdigest()


def pdf_hash(serial: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return salted_hmac(PDF_SALT, f"{serial}|{digest}", algorithm="sha256").hexdigest()
