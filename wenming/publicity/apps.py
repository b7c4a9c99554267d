from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_noop


class PublicityConfig(AppConfig):
    name = "wenming.publicity"
    label = "publicity"
    verbose_name = "宣传报道"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.accounts.roles import Action
        from wenming.core.menu import register_menu
        from wenming.core.periodic import register_periodic
        from wenming.workbench.services import register_panel, register_todo_provider

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import permissions
        from .tasks import expire_consents
        from .todos import notices_panel, publicity_todos

        permissions.grant_roles()
        PA = permissions.PublicityAction
        group = gettext_noop("宣传报道")
        register_menu(group, gettext_noop("通知公告"), "publicity:inbox", None, order=500)
        register_menu(group, gettext_noop("发送通知"), "publicity:notice-list", PA.NOTICE, order=501)
        register_menu(group, gettext_noop("先进典型库"), "publicity:exemplar-list", Action.VIEW, order=502)
        register_menu(group, gettext_noop("媒体报道"), "publicity:coverage-list", Action.VIEW, order=503)
        register_menu(group, gettext_noop("建言献策"), "publicity:suggestion-list", Action.VIEW, order=504)
        register_menu(group, gettext_noop("企业价值体系"), "publicity:values-list", Action.VIEW, order=505)
        register_todo_provider(publicity_todos)
        register_panel(notices_panel)
        register_periodic("publicity.expire_consents", every=timedelta(hours=1), run=expire_consents.call)
