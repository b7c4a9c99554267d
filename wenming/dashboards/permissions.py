"""The dashboards app's actions (registered from ``DashboardsConfig.ready``)."""

from wenming.accounts.roles import Role, grant, register_action


class DashboardAction:
    VIEW = register_action("dashboards.view", "查看数据看板")
    SCREEN = register_action("dashboards.screen", "查看数据大屏")


def grant_roles() -> None:
    A = DashboardAction
    grant(Role.PROVINCE_ADMIN, A.VIEW, A.SCREEN)
    grant(Role.COMMITTEE_OFFICE, A.VIEW, A.SCREEN)
    grant(Role.DIVISION_USER, A.VIEW)
    grant(Role.CITY_ADMIN, A.VIEW, A.SCREEN)
    grant(Role.CITY_USER, A.VIEW)
    grant(Role.ENTERPRISE_ADMIN, A.VIEW)
    grant(Role.OUTLET_MANAGER, A.VIEW)
