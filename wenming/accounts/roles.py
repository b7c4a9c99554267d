"""Roles are code; assignments are rows (organizations.RoleAssignment, accounts.AdminDuty).

A role granted on an organisation node covers its whole subtree. Each role grants a set of actions;
``organizations.scoping.scope_roots(user, action)`` turns a user's grants into subtree roots. Several
roles never widen beyond what each grants: an action is allowed on a node only if one role that
grants *that action* is held on the node or an ancestor.
"""

from django.db import models


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", "省局管理员"
    COMMITTEE_OFFICE = "committee_office", "指导委员会办公室"
    DIVISION_USER = "division_user", "处室人员"
    CITY_ADMIN = "city_admin", "市局管理员"
    CITY_USER = "city_user", "市局工作人员"
    ENTERPRISE_ADMIN = "enterprise_admin", "企业管理员"
    OUTLET_MANAGER = "outlet_manager", "网点负责人"
    EXPERT = "expert", "评审专家"
    # The three MLPS administrators (三员). Held through AdminDuty: one duty per account, DB-enforced.
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


ADMIN_DUTIES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


class Action:
    """Named actions. Modules add their own strings; roles list what they grant."""

    VIEW = "view"  # see rows of the subtree
    ORG_MANAGE = "org.manage"  # create, move, deactivate nodes
    PEOPLE_MANAGE = "people.manage"  # create and edit couriers and memberships
    PII_REVEAL = "pii.reveal"  # reveal a masked value, with a reason
    IMPORT = "import"
    EXPORT = "export"
    USER_MANAGE = "user.manage"  # accounts (system admin)
    ROLE_MANAGE = "role.manage"  # grants, unlocks, sessions (security admin)
    AUDIT_VIEW = "audit.view"  # read the audit log (audit admin)
    REVIEW = "review"  # score applications (experts)
    PLAN_DISPATCH = "plans.dispatch"
    PLAN_HANDLE = "plans.handle"
    ACTIVITY_RECORD = "activities.record"
    ACTIVITY_VERIFY = "activities.verify"
    PLAN_APPROVE = "plans.approve"  # approve a dispatch before it goes out, cancel it (office / leading-group head)
    REPORT_REVIEW = "plans.report_review"  # return, accept, adopt, publish progress reports; bulletins
    CALENDAR_MANAGE = "calendar.manage"  # edit statutory holidays and make-up working days


A = Action
_STAFF_BASE = {A.VIEW, A.EXPORT}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.PROVINCE_ADMIN: frozenset(
        _STAFF_BASE
        | {A.ORG_MANAGE, A.PEOPLE_MANAGE, A.PII_REVEAL, A.IMPORT, A.PLAN_DISPATCH, A.PLAN_HANDLE, A.ACTIVITY_VERIFY}
        | {A.PLAN_APPROVE, A.REPORT_REVIEW, A.CALENDAR_MANAGE}
    ),
    Role.COMMITTEE_OFFICE: frozenset(
        _STAFF_BASE
        | {A.PLAN_DISPATCH, A.PLAN_HANDLE, A.ACTIVITY_VERIFY}
        | {A.PLAN_APPROVE, A.REPORT_REVIEW, A.CALENDAR_MANAGE}
    ),
    Role.DIVISION_USER: frozenset(_STAFF_BASE | {A.PLAN_HANDLE}),
    Role.CITY_ADMIN: frozenset(
        _STAFF_BASE
        | {
            A.ORG_MANAGE,
            A.PEOPLE_MANAGE,
            A.PII_REVEAL,
            A.IMPORT,
            A.PLAN_DISPATCH,
            A.PLAN_HANDLE,
            A.ACTIVITY_RECORD,
            A.ACTIVITY_VERIFY,
            A.PLAN_APPROVE,
        }
    ),
    Role.CITY_USER: frozenset(_STAFF_BASE | {A.PEOPLE_MANAGE, A.PLAN_HANDLE, A.ACTIVITY_RECORD}),
    Role.ENTERPRISE_ADMIN: frozenset(
        _STAFF_BASE | {A.PEOPLE_MANAGE, A.IMPORT, A.PLAN_HANDLE, A.ACTIVITY_RECORD, A.PLAN_DISPATCH} | {A.PLAN_APPROVE}
    ),
    Role.OUTLET_MANAGER: frozenset({A.VIEW, A.PEOPLE_MANAGE, A.ACTIVITY_RECORD, A.PLAN_HANDLE}),
    Role.EXPERT: frozenset({A.REVIEW}),
    Role.SYSTEM_ADMIN: frozenset({A.USER_MANAGE}),
    Role.SECURITY_ADMIN: frozenset({A.ROLE_MANAGE}),
    Role.AUDIT_ADMIN: frozenset({A.AUDIT_VIEW}),
}


def actions_for(role: str) -> frozenset[str]:
    return ROLE_ACTIONS.get(role, frozenset())
