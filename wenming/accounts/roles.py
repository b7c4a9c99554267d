"""Roles are code; assignments are rows (organizations.RoleAssignment, accounts.AdminDuty).

A role granted on an organisation node covers its whole subtree. Each role grants a set of actions;
``organizations.scoping.scope_roots(user, action)`` turns a user's grants into subtree roots. Several
roles never widen beyond what each grants: an action is allowed on a node only if one role that
grants *that action* is held on the node or an ancestor.

The foundation's actions are declared here. Every domain app declares its own actions and the grants of
each role in its ``AppConfig.ready()`` through :func:`register_action` and :func:`grant`, so a new
module never edits this file::

    DISPATCH = register_action("plans.dispatch", "下发工作任务")
    grant(Role.CITY_ADMIN, DISPATCH, HANDLE)
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.audit import permissions as audit_permissions


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("省局管理员")
    COMMITTEE_OFFICE = "committee_office", _("指导委员会办公室")
    DIVISION_USER = "division_user", _("处室人员")
    CITY_ADMIN = "city_admin", _("市局管理员")
    CITY_USER = "city_user", _("市局工作人员")
    ENTERPRISE_ADMIN = "enterprise_admin", _("企业管理员")
    OUTLET_MANAGER = "outlet_manager", _("网点负责人")
    EXPERT = "expert", _("评审专家")
    # The three MLPS administrators (三员). Held through AdminDuty: one duty per account, DB-enforced.
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


ADMIN_DUTIES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)

# action name → label (Chinese), in registration order; the permissions table is rendered from it.
ACTION_LABELS: dict[str, str] = {}
# role → actions it grants; filled by the foundation below and by every app's ready().
_GRANTS: dict[str, set[str]] = {r.value: set() for r in Role}


def register_action(name: str, label: str) -> str:
    """Declare an action (idempotent); returns ``name`` so modules can keep it as a constant."""
    ACTION_LABELS.setdefault(name, label)
    return name


def grant(role: str, *actions: str) -> None:
    """Let ``role`` perform ``actions`` (each must be registered)."""
    unknown = [a for a in actions if a not in ACTION_LABELS]
    if unknown:
        raise ValueError(f"unregistered actions: {unknown}")
    _GRANTS.setdefault(str(role), set()).update(actions)


def actions_for(role: str) -> frozenset[str]:
    return frozenset(_GRANTS.get(role, ()))


def roles_with(action: str) -> list[str]:
    return [r for r, acts in _GRANTS.items() if action in acts]


def is_registered(action: str) -> bool:
    return action in ACTION_LABELS


class Action:
    """The foundation's named actions. Domain apps declare theirs with :func:`register_action`."""

    VIEW = register_action("view", "查看范围内数据")  # see rows of the subtree
    EXPORT = register_action("export", "导出")
    ORG_MANAGE = register_action("org.manage", "机构新增、调整、停用")  # create, move, deactivate nodes
    PEOPLE_MANAGE = register_action("people.manage", "快递员、领导机构成员维护")
    PII_REVEAL = register_action("pii.reveal", "查看完整个人信息（须填原因）")
    IMPORT = register_action("import", "导入")
    USER_MANAGE = register_action("user.manage", "账号管理（系统管理员）")
    ROLE_MANAGE = register_action("role.manage", "授权、解锁、会话（安全管理员）")
    AUDIT_VIEW = register_action(audit_permissions.AUDIT_VIEW, "查阅审计日志（审计管理员）")
    REVIEW = register_action("review", "评审打分（专家）")
    # the regulator's own pages: work plans and goals, supervision statistics, governing bodies
    SUPERVISE = register_action("supervise", "监管事务：工作方案、督办统计、领导机构（监管部门）")


A = Action
_STAFF_BASE = (A.VIEW, A.EXPORT)
_REGULATOR_BASE = (*_STAFF_BASE, A.SUPERVISE)
grant(Role.PROVINCE_ADMIN, *_REGULATOR_BASE, A.ORG_MANAGE, A.PEOPLE_MANAGE, A.PII_REVEAL, A.IMPORT)
grant(Role.COMMITTEE_OFFICE, *_REGULATOR_BASE)
grant(Role.DIVISION_USER, *_REGULATOR_BASE)
grant(Role.CITY_ADMIN, *_REGULATOR_BASE, A.ORG_MANAGE, A.PEOPLE_MANAGE, A.PII_REVEAL, A.IMPORT)
grant(Role.CITY_USER, *_REGULATOR_BASE, A.PEOPLE_MANAGE)
grant(Role.ENTERPRISE_ADMIN, *_STAFF_BASE, A.PEOPLE_MANAGE, A.IMPORT)
grant(Role.OUTLET_MANAGER, A.VIEW, A.PEOPLE_MANAGE)
grant(Role.EXPERT, A.REVIEW)
grant(Role.SYSTEM_ADMIN, A.USER_MANAGE)
grant(Role.SECURITY_ADMIN, A.ROLE_MANAGE)
grant(Role.AUDIT_ADMIN, A.AUDIT_VIEW)


class _RoleActionsView(dict):
    """Read-only ``{role: frozenset(actions)}`` view for documentation and tests."""

    def __missing__(self, key: str) -> frozenset[str]:
        return frozenset()


def role_actions() -> dict[str, frozenset[str]]:
    return _RoleActionsView({r: frozenset(a) for r, a in _GRANTS.items()})
