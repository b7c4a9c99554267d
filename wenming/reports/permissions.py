"""The reports app's actions and what each role is granted (registered from ``ReportsConfig.ready``)."""

from wenming.accounts.roles import Role, grant, register_action


class ReportsAction:
    GENERATE = register_action("reports.generate", "生成统计报告")
    SCHEDULE = register_action("reports.schedule", "设置定时报告")
    NATIONAL = register_action("reports.national", "生成上报国家局统计表")
    MATRIX = register_action("reports.matrix", "导出权限矩阵（安全管理员、审计管理员）")


def grant_roles() -> None:
    A = ReportsAction
    grant(Role.PROVINCE_ADMIN, A.GENERATE, A.SCHEDULE, A.NATIONAL)
    grant(Role.COMMITTEE_OFFICE, A.GENERATE, A.SCHEDULE, A.NATIONAL)
    grant(Role.CITY_ADMIN, A.GENERATE, A.SCHEDULE)
    grant(Role.CITY_USER, A.GENERATE)
    grant(Role.ENTERPRISE_ADMIN, A.GENERATE)
    grant(Role.SECURITY_ADMIN, A.MATRIX)
    grant(Role.AUDIT_ADMIN, A.MATRIX)
