from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "wenming.audit"
    label = "audit"
    verbose_name = "安全审计"

    def ready(self) -> None:
        from wenming.accounts.roles import Action
        from wenming.workbench.menu import register_menu

        register_menu("安全审计", "审计日志", "audit:list", Action.AUDIT_VIEW, order=900)
        register_menu("安全审计", "完整性校验", "audit:verify", Action.AUDIT_VIEW, order=901)
