from django.apps import AppConfig
from django.utils.translation import gettext_noop


class HonoursConfig(AppConfig):
    name = "wenming.honours"
    label = "honours"
    verbose_name = "荣誉评选"

    def ready(self) -> None:
        from datetime import time

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.menu import register_menu
        from wenming.core.periodic import register_periodic
        from wenming.workbench.services import register_counter, register_panel, register_todo_provider

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import permissions, rules, tally  # noqa: F401  (tally registers the offline source)
        from .permissions import HonourAction as HA
        from .tasks import titles_daily
        from .todos import expiring_counter, honours_panel, honours_todos

        permissions.grant_roles()
        rules.register_rules()
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .certificates import register_certificate_kind

        register_certificate_kind()
        group = gettext_noop("荣誉评选")
        register_menu(group, gettext_noop("评选项目"), "honours:cycle-list", "view", order=400)
        register_menu(group, gettext_noop("申报与推荐"), "honours:application-list", HA.APPLY, order=401)
        register_menu(group, gettext_noop("审核队列"), "honours:queue", HA.REVIEW, order=402)
        register_menu(group, gettext_noop("荣誉称号"), "honours:title-list", "view", order=403)
        register_menu(group, gettext_noop("动态管理"), "honours:manage", HA.REVIEW, order=404)
        register_menu(group, gettext_noop("公示异议"), "honours:objection-list", HA.MANAGE, order=405)
        register_todo_provider(honours_todos)
        register_panel(honours_panel)
        register_counter("honours_expiring", expiring_counter)
        register_periodic("honours.titles_daily", daily_at=time(2, 30), run=titles_daily.call)
