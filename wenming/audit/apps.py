from django.apps import AppConfig
from django.utils.translation import gettext_noop


class AuditConfig(AppConfig):
    name = "wenming.audit"
    label = "audit"
    verbose_name = "安全审计"

    def ready(self) -> None:
        from datetime import timedelta

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.integrity import register_integrity_check
        from wenming.core.menu import register_menu
        from wenming.core.periodic import register_periodic

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .permissions import AUDIT_VIEW
        from .services import export_anchor, seal_pending, verify_integrity

        # Chain new rows every minute; copy the signed head out of the database every five (ADR 0004).
        register_periodic("audit.seal", every=timedelta(minutes=1), run=seal_pending)
        register_periodic("audit.export_anchor", every=timedelta(minutes=5), run=export_anchor)
        register_integrity_check("audit.chain", "审计日志", verify_integrity)

        register_menu(gettext_noop("安全审计"), gettext_noop("审计日志"), "audit:list", AUDIT_VIEW, order=900)
        register_menu(gettext_noop("安全审计"), gettext_noop("完整性校验"), "audit:verify", AUDIT_VIEW, order=901)
