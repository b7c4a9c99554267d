from django.apps import AppConfig
from django.utils.translation import gettext_noop


class JudgingConfig(AppConfig):
    name = "wenming.judging"
    label = "judging"
    verbose_name = "专家评审"

    def ready(self) -> None:
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.accounts.roles import Action
        from wenming.core.menu import register_menu
        from wenming.workbench.services import register_panel, register_todo_provider

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import permissions, rules
        from .todos import committee_todos, expert_panel, expert_todos

        permissions.grant_roles()
        rules.register_rules()
        J = permissions.JudgingAction
        group = gettext_noop("荣誉评选")
        register_menu(group, gettext_noop("专家评审"), "judging:queue", Action.REVIEW, order=510)
        register_menu(group, gettext_noop("评审组织"), "judging:round-list", J.MANAGE, order=511)
        register_menu(group, gettext_noop("测评体系"), "judging:scheme-list", J.SCHEME, order=512)
        register_menu(group, gettext_noop("委员会表决"), "judging:committee-list", J.MANAGE, order=513)
        register_todo_provider(expert_todos)
        register_todo_provider(committee_todos)
        register_panel(expert_panel)
