"""Named rules of the certificates app (registered from ``CertificatesConfig.ready``)."""

from __future__ import annotations

from typing import Any

from wenming.workflow.policy import authorize, register_rule

from .kinds import find_kind
from .permissions import CertificateAction
from .workflows import REVOKE_RULE


def _may_revoke(user: Any, cert: Any) -> bool:
    kind = find_kind(cert.kind)
    permission = kind.revoke_permission if kind is not None else CertificateAction.REVOKE
    return authorize(user, permission, cert)


def register_rules() -> None:
    register_rule(REVOKE_RULE, _may_revoke, action=CertificateAction.REVOKE, label="按证书种类撤销证书")
