from django.apps import AppConfig
from django.utils.translation import gettext_noop


class CertificatesConfig(AppConfig):
    name = "wenming.certificates"
    label = "certificates"
    verbose_name = "证书"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.accounts.roles import Action
        from wenming.core.integrity import register_integrity_check
        from wenming.core.menu import register_menu

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import permissions, rules
        from .services import integrity_check

        permissions.grant_roles()
        rules.register_rules()
        register_integrity_check("certificates", "证书", integrity_check)
        register_menu(gettext_noop("荣誉评选"), gettext_noop("证书管理"), "certificates:list", Action.VIEW, order=700)
