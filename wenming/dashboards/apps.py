from django.apps import AppConfig
from django.utils.translation import gettext_noop


class DashboardsConfig(AppConfig):
    name = "wenming.dashboards"
    label = "dashboards"
    verbose_name = "数据看板"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.menu import register_menu
        from wenming.workbench.services import register_panel

        from . import permissions
        from .panels import dashboard_panel

        permissions.grant_roles()
        group = gettext_noop("数据看板")
        register_menu(group, gettext_noop("数据看板"), "dashboards:index", permissions.DashboardAction.VIEW, order=900)
        register_menu(
            group, gettext_noop("数据大屏"), "dashboards:screen", permissions.DashboardAction.SCREEN, order=901
        )
        register_panel(dashboard_panel)
