from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "wenming.activities"
    label = "activities"
    verbose_name = "创建活动"

    def ready(self) -> None:
        from wenming.accounts.roles import Action
        from wenming.workbench.menu import register_menu
        from wenming.workbench.services import register_todo_provider

        from . import documents  # noqa: F401  (registers the certificate PDF builder)
        from .todos import activity_todos

        register_menu("创建活动", "活动记录", "activities:list", Action.VIEW, order=300)
        register_menu("创建活动", "活动日历", "activities:calendar", Action.VIEW, order=301)
        register_menu("创建活动", "照片墙", "activities:gallery", Action.VIEW, order=302)
        register_menu("创建活动", "单位台账", "activities:ledger-home", Action.VIEW, order=303)
        register_menu("创建活动", "结对共建", "activities:pairing-list", Action.VIEW, order=304)
        register_menu("创建活动", "志愿服务", "activities:volunteer-list", Action.VIEW, order=305)
        register_menu("创建活动", "服务时长", "activities:volunteer-records", Action.VIEW, order=306)
        register_menu("创建活动", "时长汇总与证明", "activities:volunteer-totals", Action.VIEW, order=307)
        register_todo_provider(activity_todos)
