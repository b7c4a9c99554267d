"""The assessment's actions and what each role is granted (registered from ``AssessmentConfig.ready``)."""

from wenming.accounts.roles import Role, grant, register_action


class AssessmentAction:
    VIEW = register_action("assessment.view", "查看城市考核排名与指标")
    MANAGE = register_action("assessment.manage", "制定考核方案、登记加减分（省局）")


def grant_roles() -> None:
    A = AssessmentAction
    # The province's own roles manage the scheme and the adjustments; they hold them on the 省局 node.
    grant(Role.PROVINCE_ADMIN, A.VIEW, A.MANAGE)
    grant(Role.COMMITTEE_OFFICE, A.VIEW, A.MANAGE)
    grant(Role.DIVISION_USER, A.VIEW)
    # A city bureau sees its own row (total, rank, its indicators and records), never the other cities'.
    grant(Role.CITY_ADMIN, A.VIEW)
    grant(Role.CITY_USER, A.VIEW)
