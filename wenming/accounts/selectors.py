"""Read queries of the accounts app that need no scope; the scoped lists of users, sessions and login
records are in ``wenming.organizations.selectors`` (they read the organisation tree)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from .models import LoginThrottle


def locked_usernames(now=None) -> list[str]:
    now = now or timezone.now()
    return list(LoginThrottle.objects.filter(locked_until__gt=now).values_list("username", flat=True))


def active_locks(now=None) -> QuerySet[LoginThrottle]:
    return LoginThrottle.objects.filter(locked_until__gt=now or timezone.now()).order_by("-locked_until")
