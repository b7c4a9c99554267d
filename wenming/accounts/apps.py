from django.apps import AppConfig
from django.utils.translation import gettext_noop


class AccountsConfig(AppConfig):
    name = "wenming.accounts"
    label = "accounts"
    verbose_name = "账号与安全"

    def ready(self) -> None:
        from datetime import time

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from wenming.core.menu import register_menu
        from wenming.core.periodic import register_periodic

        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from . import checks  # noqa: F401  (registers the retention check)
        from .services import login_records_purge

        # Login-log retention, daily at 03:00 Beijing time (the command `purge_login_records` does the same).
        register_periodic("accounts.purge_login_records", daily_at=time(3, 0), run=login_records_purge)
        # deferred: AppConfig.ready() runs once the app registry is loaded; modules with models import only then
        from .roles import Action

        admin = gettext_noop("系统管理")
        register_menu(admin, gettext_noop("用户管理"), "accounts:user-list", Action.USER_MANAGE, order=10)
        register_menu(admin, gettext_noop("角色授权"), "accounts:grants", Action.ROLE_MANAGE, order=11)
        register_menu(admin, gettext_noop("账号锁定"), "accounts:locks", Action.ROLE_MANAGE, order=12)
        register_menu(admin, gettext_noop("在线会话"), "accounts:sessions", Action.ROLE_MANAGE, order=13)
        register_menu(admin, gettext_noop("登录日志"), "accounts:login-log", Action.ROLE_MANAGE, order=14)
        register_menu(
            gettext_noop("安全审计"), gettext_noop("登录日志"), "accounts:login-log", Action.AUDIT_VIEW, order=20
        )
