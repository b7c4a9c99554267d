"""Read queries of the accounts app, always bounded by the viewer's scope."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from wenming.organizations.models import Organization
from wenming.organizations.scoping import scope_roots

from .models import LoginRecord, LoginThrottle, User, UserSession


def _root_paths() -> set[str]:
    return set(Organization.objects.filter(parent__isnull=True).values_list("path", flat=True))


def user_list(*, viewer: Any, actions: tuple[str, ...]) -> QuerySet[User]:
    """Accounts the viewer may manage: all of them for a grant on the root, else those whose unit is in scope."""
    roots: list[str] = sorted({r for a in actions for r in scope_roots(viewer, a)})
    qs = User.objects.select_related("home_organization", "duty")
    if not roots:
        return qs.none()
    if _root_paths() & set(roots):
        return qs
    return qs.filter(reduce(or_, (Q(home_organization__path__startswith=r) for r in roots)))


def locked_usernames(now=None) -> list[str]:
    now = now or timezone.now()
    return list(LoginThrottle.objects.filter(locked_until__gt=now).values_list("username", flat=True))


def active_locks(now=None) -> QuerySet[LoginThrottle]:
    return LoginThrottle.objects.filter(locked_until__gt=now or timezone.now()).order_by("-locked_until")


def session_list(*, viewer: Any, actions: tuple[str, ...]) -> QuerySet[UserSession]:
    users = user_list(viewer=viewer, actions=actions)
    return UserSession.objects.filter(user__in=users.values("pk")).select_related("user")


def login_record_list(*, viewer: Any, actions: tuple[str, ...]) -> QuerySet[LoginRecord]:
    if not any(scope_roots(viewer, a) for a in actions):
        return LoginRecord.objects.none()
    return LoginRecord.objects.all()
