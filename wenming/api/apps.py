from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wenming.api"
    label = "api"
    verbose_name = "接口"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import schema  # noqa: F401  (registers the bearer scheme with drf-spectacular)
