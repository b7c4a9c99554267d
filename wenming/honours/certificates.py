"""The honour certificate, issued through the one certificate mechanism (``wenming.certificates``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wenming.certificates.kinds import register_kind

from .permissions import HonourAction as HA

KIND = "honours.title"
SERIAL_PREFIX = "LNYZ-HON"


def register_certificate_kind() -> None:
    register_kind(
        KIND,
        _("荣誉证书"),
        SERIAL_PREFIX,
        "honours/certificate_pdf.html",
        fields=("programme", "level", "decision_no", "decision_date", "valid_from", "valid_to", "conferred_by"),
        public_fields=(
            ("programme", _("称号")),
            ("level", _("级别")),
            ("decision_no", _("命名文号")),
            ("valid_to", _("有效期至")),
        ),
        issue_permission=HA.MANAGE,
        revoke_permission=HA.MANAGE,
    )


def subject_key(title: Any) -> str:
    return f"honours.title:{title.pk}"


def item(title: Any, issuer: Any) -> dict[str, Any]:
    """One certificate of ``title`` for ``certificates.services.batch_issue``."""
    return {
        "subject_key": subject_key(title),
        "subject_name": title.holder,
        "organization": title.organization,
        "issuer": issuer,
        "title": f"{title.programme.name}证书",
        "fields": {
            "programme": title.programme.name,
            "level": str(title.get_level_display()),
            "star": title.star,
            "category": title.category_label,
            "decision_no": title.decision_no,
            "decision_date": title.decision_date.isoformat(),
            "valid_from": title.valid_from.isoformat(),
            "valid_to": title.valid_to.isoformat() if title.valid_to else "长期",
            "conferred_by": title.conferred_by,
        },
    }
