from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "wenming.exports"
    label = "exports"
    verbose_name = "导出与文件"

    def ready(self) -> None:
        from datetime import timedelta

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.periodic import register_periodic

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .services import purge_expired_files

        register_periodic("exports.purge_expired_files", every=timedelta(hours=1), run=purge_expired_files)
