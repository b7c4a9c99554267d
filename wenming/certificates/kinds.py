"""The registry of certificate kinds: each module declares its kinds in its ``AppConfig.ready()``.

A kind names the serial prefix, the PDF template (which extends ``certificates/pdf_base.html``), the
merge fields an issue must supply, the fields the public verification page may show, and the
permissions that issue and revoke it (an action or a named rule of the policy, checked on the
certificate's organisation).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from wenming.accounts.roles import Action

from .permissions import CertificateAction

PREFIX_RE = re.compile(r"^[A-Z][A-Z0-9]{1,9}(-[A-Z0-9]{1,10})?$")


@dataclass(frozen=True)
class CertificateKind:
    code: str
    label: Any  # the certificate's name, printed as its title (gettext_lazy or plain Chinese)
    serial_prefix: str  # e.g. "LNYZ-VS" -> LNYZ-VS-2026-000001
    template: str  # the PDF body; extends certificates/pdf_base.html
    fields: tuple[str, ...] = ()  # merge fields every issue must supply
    public_fields: tuple[tuple[str, Any], ...] = ()  # (field, label) the verification page shows
    issue_permission: str = CertificateAction.ISSUE
    revoke_permission: str = CertificateAction.REVOKE
    view_permission: str = Action.VIEW
    extra: dict[str, Any] = field(default_factory=dict)


_KINDS: dict[str, CertificateKind] = {}


def register_kind(
    code: str,
    label: Any,
    serial_prefix: str,
    template: str,
    *,
    fields: Sequence[str] = (),
    public_fields: Sequence[tuple[str, Any]] = (),
    issue_permission: str = CertificateAction.ISSUE,
    revoke_permission: str = CertificateAction.REVOKE,
    view_permission: str = Action.VIEW,
) -> CertificateKind:
    """Declare (or, on autoreload, replace) a certificate kind. Two kinds never share a serial prefix."""
    if not PREFIX_RE.match(serial_prefix):
        raise ImproperlyConfigured(f"certificate kind {code!r}: bad serial prefix {serial_prefix!r}")
    for other in _KINDS.values():
        if other.code != code and other.serial_prefix == serial_prefix:
            raise ImproperlyConfigured(f"serial prefix {serial_prefix!r} is already used by {other.code!r}")
    kind = CertificateKind(
        code=code,
        label=label,
        serial_prefix=serial_prefix,
        template=template,
        fields=tuple(fields),
        public_fields=tuple(public_fields),
        issue_permission=issue_permission,
        revoke_permission=revoke_permission,
        view_permission=view_permission,
    )
    _KINDS[code] = kind
    return kind


def unregister_kind(code: str) -> None:
    _KINDS.pop(code, None)


def get_kind(code: str) -> CertificateKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise ImproperlyConfigured(f"unknown certificate kind {code!r}") from None


def find_kind(code: str) -> CertificateKind | None:
    return _KINDS.get(code)


def kinds() -> dict[str, CertificateKind]:
    return dict(_KINDS)


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, str(k.label)) for k in _KINDS.values()]
