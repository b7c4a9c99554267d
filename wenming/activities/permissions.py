"""The activities app's actions and what each role is granted (registered from ``ActivitiesConfig.ready``)."""

from wenming.accounts.roles import Role, grant, register_action


class ActivityAction:
    ACTIVITY_RECORD = register_action("activities.record", "记录创建活动")
    ACTIVITY_VERIFY = register_action("activities.verify", "核验创建活动")


def grant_roles() -> None:
    A = ActivityAction
    grant(Role.PROVINCE_ADMIN, A.ACTIVITY_VERIFY)
    grant(Role.COMMITTEE_OFFICE, A.ACTIVITY_VERIFY)
    grant(Role.CITY_ADMIN, A.ACTIVITY_RECORD, A.ACTIVITY_VERIFY)
    grant(Role.CITY_USER, A.ACTIVITY_RECORD)
    grant(Role.ENTERPRISE_ADMIN, A.ACTIVITY_RECORD)
    grant(Role.OUTLET_MANAGER, A.ACTIVITY_RECORD)
