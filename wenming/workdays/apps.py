from django.apps import AppConfig
from django.utils.translation import gettext_noop


class WorkdaysConfig(AppConfig):
    name = "wenming.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.accounts.roles import Action
        from wenming.core.menu import register_menu

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import permissions

        permissions.grant_roles()

        register_menu(gettext_noop("工作督办"), gettext_noop("工作日历"), "workdays:calendar", Action.VIEW, order=90)
