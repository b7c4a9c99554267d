from django.apps import AppConfig
from django.utils.translation import gettext_noop


class PortalConfig(AppConfig):
    name = "wenming.portal"
    label = "portal"
    verbose_name = "门户网站"

    def ready(self) -> None:
        from datetime import timedelta

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.menu import register_menu
        from wenming.core.periodic import register_periodic
        from wenming.workbench.services import register_todo_provider

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import permissions, rules
        from .permissions import PortalAction as PA
        from .tasks import release_scheduled
        from .todos import portal_todos

        permissions.grant_roles()
        rules.register_rules()
        register_menu(gettext_noop("门户网站"), gettext_noop("新闻稿件"), "portal:article-list", PA.DRAFT, order=900)
        register_menu(gettext_noop("门户网站"), gettext_noop("查看门户"), "site-home", PA.DRAFT, order=901)
        register_todo_provider(portal_todos)
        register_periodic("portal.release_scheduled", every=timedelta(minutes=1), run=release_scheduled.call)
