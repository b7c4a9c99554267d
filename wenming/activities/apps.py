from django.apps import AppConfig
from django.utils.translation import gettext_noop


class ActivitiesConfig(AppConfig):
    name = "wenming.activities"
    label = "activities"
    verbose_name = "创建活动"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.accounts.roles import Action
        from wenming.core.menu import register_menu

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import permissions

        permissions.grant_roles()
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .certificates import register_certificate_kind

        register_certificate_kind()
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.workbench.services import register_panel, register_todo_provider

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .todos import activities_panel, activity_todos, volunteer_panel

        register_menu(gettext_noop("创建活动"), gettext_noop("活动记录"), "activities:list", Action.VIEW, order=300)
        register_menu(gettext_noop("创建活动"), gettext_noop("活动日历"), "activities:calendar", Action.VIEW, order=301)
        register_menu(gettext_noop("创建活动"), gettext_noop("照片墙"), "activities:gallery", Action.VIEW, order=302)
        register_menu(
            gettext_noop("创建活动"), gettext_noop("单位台账"), "activities:ledger-home", Action.VIEW, order=303
        )
        register_menu(
            gettext_noop("创建活动"), gettext_noop("结对共建"), "activities:pairing-list", Action.VIEW, order=304
        )
        register_menu(
            gettext_noop("创建活动"), gettext_noop("志愿服务"), "activities:volunteer-list", Action.VIEW, order=305
        )
        register_menu(
            gettext_noop("创建活动"), gettext_noop("服务时长"), "activities:volunteer-records", Action.VIEW, order=306
        )
        register_menu(
            gettext_noop("创建活动"),
            gettext_noop("时长汇总与证明"),
            "activities:volunteer-totals",
            Action.VIEW,
            order=307,
        )
        register_todo_provider(activity_todos)
        register_panel(activities_panel)
        register_panel(volunteer_panel)
        from datetime import timedelta

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.periodic import register_periodic

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .tasks import auto_checkout

        register_periodic("activities.auto_checkout", every=timedelta(minutes=15), run=auto_checkout.call)
