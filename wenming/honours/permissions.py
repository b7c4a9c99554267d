"""The honours engine's actions and what each role is granted (registered from ``HonoursConfig.ready``)."""

from wenming.accounts.roles import Role, grant, register_action


class HonourAction:
    APPLY = register_action("honours.apply", "申报、推荐荣誉称号")
    REVIEW = register_action("honours.review", "审核荣誉申报、复查称号")
    MANAGE = register_action("honours.manage", "组织评选：评审、公示、命名、撤销")


def grant_roles() -> None:
    A = HonourAction
    grant(Role.PROVINCE_ADMIN, A.REVIEW, A.MANAGE)
    grant(Role.COMMITTEE_OFFICE, A.REVIEW, A.MANAGE)
    grant(Role.CITY_ADMIN, A.APPLY, A.REVIEW)
    grant(Role.CITY_USER, A.APPLY, A.REVIEW)
    grant(Role.ENTERPRISE_ADMIN, A.APPLY)
    grant(Role.OUTLET_MANAGER, A.APPLY)
