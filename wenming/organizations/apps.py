from django.apps import AppConfig
from django.utils.translation import gettext_noop


class OrganizationsConfig(AppConfig):
    name = "wenming.organizations"
    label = "organizations"
    verbose_name = "组织机构"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.accounts.roles import Action
        from wenming.core.menu import register_menu

        # deferred: registers the E001 check and the signal handlers once the models are loaded
        from . import checks, signals  # noqa: F401

        group = gettext_noop("组织与人员")
        register_menu(group, gettext_noop("组织机构"), "organizations:tree", Action.VIEW, order=10)
        register_menu(group, gettext_noop("企业"), "organizations:enterprise-list", Action.VIEW, order=11)
        register_menu(group, gettext_noop("网点"), "organizations:outlet-list", Action.VIEW, order=12)
