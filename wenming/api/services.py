"""Creating, checking and revoking API tokens. Creation and revocation are audited."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.accounts.services import account_refusal
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core import crypto
from wenming.core.errors import ApplicationError

from .models import ApiToken

KEY_PREFIX = "wm_"
DEFAULT_DAYS = 90
MAX_DAYS = 366
_TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is refreshed at most once a minute per token


def token_hash(key: str) -> str:
    """Keyed HMAC-SM3 of the key: the database alone cannot be used to forge or recover a token."""
    return crypto.blind_index(key, "api_token")


@transaction.atomic
def api_token_create(
    *, user: Any, name: str, by: Any = None, days: int = DEFAULT_DAYS, request: Any = None
) -> tuple[ApiToken, str]:
    """Issue a token for ``user``; returns the row and the key (shown once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("请填写令牌名称"), field="name")
    if not 1 <= days <= MAX_DAYS:
        raise ApplicationError(f"有效期应为 1～{MAX_DAYS} 天", field="days")
    if not user.is_active:
        raise ApplicationError(_("账号已停用，不能创建令牌"), field="user")
    if user.is_demo and getattr(settings, "WENMING_PROFILE", "") == "production":
        raise ApplicationError(_("生产环境不允许演示账号使用接口"), field="user")
    key = KEY_PREFIX + secrets.token_hex(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:60],
        prefix=key[:11],
        key_hash=token_hash(key),
        created_by=by if getattr(by, "is_authenticated", False) else None,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        AuditAction.CREATE,
        request=request,
        user=by,
        obj=token,
        detail={"change": "api_token_create", "owner": user.get_username(), "prefix": token.prefix, "days": days},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any = None, request: Any = None) -> ApiToken:
    """Revoke a token at once; the row stays for the record."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked:
        raise ApplicationError(_("令牌已撤销"))
    token.revoked, token.revoked_at = True, timezone.now()
    token.save(update_fields=["revoked", "revoked_at"])
    audit_record(
        AuditAction.UPDATE,
        request=request,
        user=by,
        obj=token,
        detail={"change": "api_token_revoke", "owner": token.user.get_username(), "prefix": token.prefix},
    )
    return token


def api_token_check(key: str, *, now: datetime | None = None) -> ApiToken | None:
    """The usable token for ``key`` (not revoked, not expired, active user), or ``None``."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    now = now or timezone.now()
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(key)).first()
    if token is None or token.revoked or token.expires_at <= now:
        return None
    if account_refusal(token.user, now) is not None:  # disabled, demo in production, locked, password expired
        return None
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
