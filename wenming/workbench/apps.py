from django.apps import AppConfig
from django.utils.translation import gettext_noop


class WorkbenchConfig(AppConfig):
    name = "wenming.workbench"
    label = "workbench"
    verbose_name = "工作台"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.menu import register_menu

        register_menu(gettext_noop("工作台"), gettext_noop("工作台"), "workbench:home", None, order=0)
        register_menu(gettext_noop("工作台"), gettext_noop("通知"), "workbench:notifications", None, order=1)
