"""ONE policy: ``authorize(user, permission, obj=None)``.

A *permission* is either

* a registered **action** (``accounts.roles.register_action``) — the default rule: the user holds the
  action on the object's organisation node or above it (``organizations.scoping.is_in_scope``); without
  an object, anywhere in the tree;
* a named **rule** an app registers with :func:`register_rule` in its ``AppConfig.ready()`` — a predicate
  ``(user, obj) -> bool`` for what the tree alone cannot say (plans: "the handler sits between the
  assignee and the issuer, never above the issuer"). Every rule names the action it refines, which is
  what "may this user do it anywhere?" (menus, buttons) asks;
* :data:`PUBLIC` — a flow whose caller authenticated the actor another way (a signed QR token, an SMS
  code); allowed for anyone, the service is responsible for the token;
* :data:`SYSTEM` — only the platform itself: no signed-in actor and no request being served (scheduler,
  task worker, management commands).

An unknown permission is a programming error (``ImproperlyConfigured``), never a silent "no".
Data scope stays in ``organizations.scoping``; views answer 404 out of scope and 403 in scope
(``wenming.web.gate``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from wenming.accounts.roles import is_registered
from wenming.core import context
from wenming.organizations.scoping import has_action_anywhere, is_in_scope

PUBLIC = "public"
SYSTEM = "system"

RuleFn = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Rule:
    name: str
    action: str  # the action this rule refines (who may do it at all)
    check: RuleFn
    label: str = ""


_RULES: dict[str, Rule] = {}


def register_rule(name: str, check: RuleFn, *, action: str, label: str = "") -> Rule:
    """Register (or replace, on autoreload) a named rule. ``action`` must be a registered action."""
    if not is_registered(action):
        raise ImproperlyConfigured(f"rule {name!r} refines unregistered action {action!r}")
    rule = Rule(name=name, action=action, check=check, label=label)
    _RULES[name] = rule
    return rule


def rules() -> dict[str, Rule]:
    return dict(_RULES)


def is_known(permission: str) -> bool:
    return permission in (PUBLIC, SYSTEM) or permission in _RULES or is_registered(permission)


def base_action(permission: str) -> str:
    """The action behind ``permission`` (itself for an action)."""
    rule = _RULES.get(permission)
    return rule.action if rule else permission


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def authorize(user: Any, permission: str, obj: Any = None) -> bool:
    """May ``user`` exercise ``permission`` (on ``obj``)? Deny by default."""
    if permission == PUBLIC:
        return True
    if permission == SYSTEM:
        return not _is_user(user) and not context.in_request()
    rule = _RULES.get(permission)
    if rule is not None:
        if not _is_user(user):
            return False
        if obj is None:
            return has_action_anywhere(user, rule.action)
        return bool(rule.check(user, obj))
    if not is_registered(permission):
        raise ImproperlyConfigured(f"unknown permission {permission!r}")
    if not _is_user(user):
        return False
    if obj is None:
        return has_action_anywhere(user, permission)
    return is_in_scope(user, obj, permission)


def require(user: Any, permission: str, obj: Any = None) -> None:
    """:func:`authorize` or ``PermissionDenied`` (the view gate turns it into an audited 403)."""
    if not authorize(user, permission, obj):
        raise PermissionDenied


def may_anywhere(user: Any, permission: str) -> bool:
    """Whether the user could exercise ``permission`` on some object (menus, "new" buttons)."""
    if permission in (PUBLIC, SYSTEM):
        return authorize(user, permission)
    return _is_user(user) and has_action_anywhere(user, base_action(permission))
