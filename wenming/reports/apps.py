from django.apps import AppConfig
from django.utils.translation import gettext_noop


class ReportsConfig(AppConfig):
    name = "wenming.reports"
    label = "reports"
    verbose_name = "统计报告"

    def ready(self) -> None:
        from datetime import time

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.menu import register_menu
        from wenming.core.periodic import register_periodic

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import permissions, services

        permissions.grant_roles()
        RA = permissions.ReportsAction
        group = gettext_noop("统计报告")
        register_menu(group, gettext_noop("报告生成"), "reports:index", RA.GENERATE, order=900)
        register_menu(group, gettext_noop("定时报告"), "reports:schedule-list", RA.SCHEDULE, order=901)
        register_menu(group, gettext_noop("权限矩阵导出"), "reports:matrix", RA.MATRIX, order=902)
        register_periodic("reports.run_schedules", daily_at=time(6, 0), run=services.run_schedules)
