"""The judging app's actions and the roles that hold them (registered from ``JudgingConfig.ready``).

Scoring itself is ``Action.REVIEW`` (the expert role, declared by the foundation) refined by the rule
"this is the expert's own assignment" (``rules.py``).
"""

from wenming.accounts.roles import Role, grant, register_action


class JudgingAction:
    SCHEME = register_action("judging.scheme", "维护测评体系")
    MANAGE = register_action("judging.manage", "组织专家评审与委员会表决")


def grant_roles() -> None:
    J = JudgingAction
    grant(Role.PROVINCE_ADMIN, J.SCHEME, J.MANAGE)
    grant(Role.COMMITTEE_OFFICE, J.SCHEME, J.MANAGE)
    grant(Role.CITY_ADMIN, J.MANAGE)
