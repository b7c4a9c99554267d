from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wenming.accounts"
    label = "accounts"
    verbose_name = "账号与安全"

    def ready(self) -> None:
        from wenming.workbench.menu import register_menu

        from .roles import Action

        register_menu("系统管理", "用户管理", "accounts:user-list", Action.USER_MANAGE, order=10)
        register_menu("系统管理", "角色授权", "accounts:grants", Action.ROLE_MANAGE, order=11)
        register_menu("系统管理", "账号锁定", "accounts:locks", Action.ROLE_MANAGE, order=12)
        register_menu("系统管理", "在线会话", "accounts:sessions", Action.ROLE_MANAGE, order=13)
        register_menu("系统管理", "登录日志", "accounts:login-log", Action.ROLE_MANAGE, order=14)
        register_menu("安全审计", "登录日志", "accounts:login-log", Action.AUDIT_VIEW, order=20)
