from django.apps import AppConfig
from django.utils.translation import gettext_noop


class PeopleConfig(AppConfig):
    name = "wenming.people"
    label = "people"
    verbose_name = "人员"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.accounts.roles import Action
        from wenming.core.menu import register_menu

        register_menu(gettext_noop("组织与人员"), gettext_noop("快递员"), "people:courier-list", Action.VIEW, order=13)
        register_menu(
            gettext_noop("组织与人员"), gettext_noop("领导机构"), "people:governance", Action.SUPERVISE, order=14
        )
