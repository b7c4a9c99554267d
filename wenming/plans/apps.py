from django.apps import AppConfig
from django.utils.translation import gettext_noop


class PlansConfig(AppConfig):
    name = "wenming.plans"
    label = "plans"
    verbose_name = "工作督办"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.accounts.roles import Action
        from wenming.core.menu import register_menu

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import permissions
        from .permissions import PlanAction as PA

        permissions.grant_roles()
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import rules

        rules.register_rules()
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.workbench.services import (
            register_counter,
            register_done_provider,
            register_started_provider,
            register_todo_provider,
        )

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import (
            documents,  # noqa: F401  (registers the bulletin builders)
            picker,
        )

        picker.register()
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .todos import due_soon_counter, overdue_counter, plans_done, plans_started, plans_todos

        register_todo_provider(plans_todos)
        register_done_provider(plans_done)
        register_started_provider(plans_started)
        register_counter("due_soon", due_soon_counter)
        register_counter("overdue", overdue_counter)
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .calendar_todos import calendar_todos

        register_todo_provider(calendar_todos)
        from datetime import time

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.periodic import register_periodic

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .tasks import send_daily_digests

        register_periodic("plans.send_digests", daily_at=time(8, 0), run=send_daily_digests.call)  # + escalation
        register_menu(gettext_noop("工作督办"), gettext_noop("督办任务"), "plans:tasks", Action.VIEW, order=10)
        register_menu(gettext_noop("工作督办"), gettext_noop("工作方案"), "plans:plans", Action.SUPERVISE, order=20)
        register_menu(gettext_noop("工作督办"), gettext_noop("工作进展"), "plans:reports", Action.SUPERVISE, order=30)
        register_menu(gettext_noop("工作督办"), gettext_noop("工作简报"), "plans:bulletins", PA.REPORT_REVIEW, order=40)
        register_menu(gettext_noop("工作督办"), gettext_noop("长效机制"), "plans:institutions", Action.VIEW, order=50)
        register_menu(
            gettext_noop("工作督办"), gettext_noop("督办统计"), "plans:statistics", Action.SUPERVISE, order=60
        )
        register_menu(gettext_noop("工作督办"), gettext_noop("督办设置"), "plans:settings", PA.REPORT_REVIEW, order=95)
