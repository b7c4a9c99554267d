from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "wenming.workbench"
    label = "workbench"
    verbose_name = "工作台"

    def ready(self) -> None:
        from .menu import register_menu

        register_menu("工作台", "工作台", "workbench:home", None, order=0)
        register_menu("工作台", "通知", "workbench:notifications", None, order=1)
