from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "wenming.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from wenming.accounts.roles import Action
        from wenming.workbench.menu import register_menu

        register_menu("工作督办", "工作日历", "workdays:calendar", Action.VIEW, order=90)
