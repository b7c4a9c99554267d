"""Authentication backend: Django's model backend plus the platform's account rules."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class WenmingBackend(ModelBackend):
    """Refuses inactive accounts (as Django does) and demo accounts in the production profile.

    ``get_user`` applies the same rule, so an existing session of a refused account stops working too.
    """

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if getattr(user, "is_demo", False) and settings.WENMING_PROFILE == "production":
            return False
        return True

    def get_user(self, user_id: Any) -> Any:
        """The session's user with its administrator duty in the same query (every page reads it)."""
        from django.contrib.auth import get_user_model

        try:
            user = get_user_model()._default_manager.select_related("duty").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
