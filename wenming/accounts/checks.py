"""Deploy-time checks for the identity-security settings."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from .services import login_log_retention


@register()
def login_log_retention_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Login logs must be kept at least 180 days (Cybersecurity Law Art. 21)."""

    try:
        login_log_retention()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="wenming.accounts.E001")]
    return []
