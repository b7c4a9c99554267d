from django.apps import AppConfig
from django.utils.translation import gettext_noop


class AuditConfig(AppConfig):
    name = "wenming.audit"
    label = "audit"
    verbose_name = "安全审计"

    def ready(self) -> None:
        from wenming.accounts.roles import Action
        from wenming.workbench.menu import register_menu

        register_menu(gettext_noop("安全审计"), gettext_noop("审计日志"), "audit:list", Action.AUDIT_VIEW, order=900)
        register_menu(
            gettext_noop("安全审计"), gettext_noop("完整性校验"), "audit:verify", Action.AUDIT_VIEW, order=901
        )
