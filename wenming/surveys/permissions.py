"""The surveys app's actions and what each role is granted (registered from ``SurveysConfig.ready``)."""

from wenming.accounts.roles import Role, grant, register_action


class SurveyAction:
    MANAGE = register_action("surveys.manage", "维护满意度问卷、打印网点二维码")
    FOLLOW_UP = register_action("surveys.follow_up", "跟进网点差评")


def grant_roles() -> None:
    A = SurveyAction
    grant(Role.PROVINCE_ADMIN, A.MANAGE, A.FOLLOW_UP)
    grant(Role.COMMITTEE_OFFICE, A.MANAGE)
    grant(Role.CITY_ADMIN, A.MANAGE, A.FOLLOW_UP)
    grant(Role.CITY_USER, A.FOLLOW_UP)
    grant(Role.ENTERPRISE_ADMIN, A.FOLLOW_UP)
    grant(Role.OUTLET_MANAGER, A.FOLLOW_UP)
