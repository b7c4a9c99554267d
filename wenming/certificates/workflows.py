"""The certificate's one transition (revoke). Issue is the creation event. No I/O."""

from django.utils.translation import gettext_noop

from wenming.audit.models import AuditAction
from wenming.workflow.engine import Transition, Workflow

from .choices import CertificateStatus as S

REVOKE_RULE = "certificates.revoke_kind"  # the kind's own revoke permission on the certificate (rules.py)

CERTIFICATE_WORKFLOW = Workflow(
    key="certificates.certificate",
    model="certificates.Certificate",
    event_model="certificates.CertificateEvent",
    event_fk="certificate",
    lock_related=("organization",),
    transitions=(
        Transition("revoke", {S.VALID}, S.REVOKED, REVOKE_RULE, gettext_noop("撤销"), audit=AuditAction.UPDATE),
    ),
    kinds={"issue": gettext_noop("出具"), "render": gettext_noop("生成PDF")},
)
