from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "wenming.complaints"
    label = "complaints"
    verbose_name = "申诉处理"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import permissions

        permissions.grant_roles()
