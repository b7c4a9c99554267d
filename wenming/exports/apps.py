from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_noop

from wenming.core.menu import register_menu


class ExportsConfig(AppConfig):
    name = "wenming.exports"
    label = "exports"
    verbose_name = "导出与文件"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.periodic import register_periodic

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .services import purge_expired_files

        register_periodic("exports.purge_expired_files", every=timedelta(hours=1), run=purge_expired_files)
        # 我的文件 for every staff user: the page lists only the user's own files, so no action is needed
        register_menu(gettext_noop("工作台"), gettext_noop("我的文件"), "exports:file-list", None, order=2)
