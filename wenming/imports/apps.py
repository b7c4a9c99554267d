from django.apps import AppConfig
from django.utils.translation import gettext_noop


class ImportsConfig(AppConfig):
    name = "wenming.imports"
    label = "imports"
    verbose_name = "导入"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.accounts.roles import Action
        from wenming.core.menu import register_menu

        register_menu(gettext_noop("组织与人员"), gettext_noop("数据导入"), "imports:home", Action.IMPORT, order=80)
        from datetime import timedelta

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.periodic import register_periodic

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .services import imports_purge_expired

        register_periodic("imports.purge_expired", every=timedelta(minutes=10), run=imports_purge_expired)
