"""Session security (idle and absolute timeouts, second factor) and password policy enforcement.

``SessionSecurityMiddleware`` runs after ``OTPMiddleware``: it ends sessions idle for 30 minutes
(15 for the 三员 and superusers) or older than 12 hours, ends sessions the security admin killed,
and keeps users who need a second factor on the TOTP pages until they pass it.
``PasswordPolicyMiddleware`` then keeps users with an expired or initial password on the change page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone

from .models import UserSession
from .passwords import is_privileged, password_expired
from .services import (
    SESSION_LOGIN_AT,
    SESSION_NEEDS_2FA,
    SESSION_PRIVILEGED,
    SESSION_SEEN_AT,
    account_refusal,
    requires_second_factor,
    session_mark,
    session_timeout,
)

REFRESH_SECONDS = 60  # last_seen is written at most once a minute


def _redirect(request: Any, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        resp = HttpResponse(status=204)
        resp["HX-Redirect"] = url
        return resp
    if request.path.startswith("/api/"):
        resp = JsonResponse({"detail": "会话无效或需要完成安全验证，请重新登录"}, status=401)
        resp["WWW-Authenticate"] = 'Bearer realm="api"'
        return resp
    return HttpResponseRedirect(url)


def _always_allowed(path: str) -> bool:
    static = settings.STATIC_URL or "/static/"
    media = settings.MEDIA_URL or "/media/"
    return path.startswith((static, media, "/p/", "/i18n/")) or path in {
        reverse("accounts:login"),
        reverse("accounts:logout"),
    }


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = timezone.now()
        ts = now.timestamp()
        login_at = session.get(SESSION_LOGIN_AT)
        seen_at = session.get(SESSION_SEEN_AT)
        if login_at is None or seen_at is None:
            # A session started outside the login view (e.g. a test's force_login): track it from now.
            session_mark(request, user)
        else:
            idle = (
                settings.WENMING_ADMIN_IDLE_TIMEOUT
                if session.get(SESSION_PRIVILEGED)
                else settings.WENMING_IDLE_TIMEOUT
            )
            reason = None
            if ts - login_at > settings.WENMING_ABSOLUTE_SESSION.total_seconds():
                reason = "absolute"
            elif ts - seen_at > idle.total_seconds():
                reason = "idle"
            if reason:
                next_path = request.get_full_path()
                session_timeout(request=request, reason=reason)
                return _redirect(request, self._login_url("timeout", next_path))
            if ts - seen_at >= REFRESH_SECONDS:
                alive = UserSession.objects.filter(session_key=session.session_key).update(last_seen_at=now)
                if not alive:
                    # Killed by the security admin (or the account was disabled): nothing survives.
                    session.flush()
                    return _redirect(request, self._login_url("killed", request.get_full_path()))
                if account_refusal(user, now) in ("disabled", "demo", "locked"):
                    # Locked (or disabled) since the last minute: the session ends like a killed one.
                    UserSession.objects.filter(session_key=session.session_key).delete()
                    session.flush()
                    return _redirect(request, self._login_url("killed", request.get_full_path()))
                session[SESSION_SEEN_AT] = ts
                session[SESSION_PRIVILEGED] = _privileged(user)
                session[SESSION_NEEDS_2FA] = requires_second_factor(user)

        if session.get(SESSION_NEEDS_2FA) and not _verified(user) and not _always_allowed(request.path):
            otp_paths = {reverse("accounts:otp-verify"), reverse("accounts:otp-setup")}
            if request.path not in otp_paths:
                target = reverse("accounts:otp-verify")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return _redirect(request, target)
        return self.get_response(request)

    @staticmethod
    def _login_url(reason: str, next_path: str) -> str:
        return reverse("accounts:login") + "?" + urlencode({"reason": reason, "next": next_path})


def _privileged(user: Any) -> bool:
    return is_privileged(user)


def _verified(user: Any) -> bool:
    fn = getattr(user, "is_verified", None)
    return bool(fn()) if callable(fn) else False


class PasswordPolicyMiddleware:
    """First login and expired passwords: nothing but the change page (and logout) until changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and password_expired(user):
            path = request.path
            allowed = {
                reverse("accounts:password_change"),
                reverse("accounts:otp-verify"),
                reverse("accounts:otp-setup"),
            }
            if path not in allowed and not _always_allowed(path):
                return _redirect(request, reverse("accounts:password_change"))
        return self.get_response(request)
