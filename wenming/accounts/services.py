"""Identity-security services: passwords, login throttling, sessions and the second factor.

Administering users (accounts, roles, the 三员, locks, forced logout) needs the organisation scope and
lives in ``wenming.organizations.services``.

Every decision is audited. A *refused* action is audited too (outcome ``denied``): the refusal is
written outside the transaction of the refused write, so the rollback of one never erases the other.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import unicodedata
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record, client_ip
from wenming.core import ratelimit
from wenming.core.errors import ApplicationError

from .models import LoginRecord, LoginThrottle, PasswordHistory, User, UserSession
from .passwords import HISTORY_SIZE, is_privileged, password_expired
from .roles import ADMIN_DUTIES, Role

# Session keys written at login and read by the middleware (epoch seconds / booleans).
SESSION_LOGIN_AT = "wm_login_at"
SESSION_SEEN_AT = "wm_seen_at"
SESSION_PRIVILEGED = "wm_priv"
SESSION_NEEDS_2FA = "wm_2fa"

LOGIN_ERROR = "用户名或密码错误，或账号已被锁定"
BUSINESS_ROLES = tuple(r for r in Role if r not in ADMIN_DUTIES)
SECOND_FACTOR_ROLES = (Role.PROVINCE_ADMIN,)
OTP_MAX_FAILURES = 5
CAPTCHA_SESSION_KEY = "wm_captcha"
CAPTCHA_TTL = timedelta(minutes=5)
MIN_LOGIN_LOG_RETENTION = timedelta(days=180)


def session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _user_agent(request: Any) -> str:
    return (request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300]


def _login_record(request: Any, *, username: str, user: User | None, outcome: str) -> LoginRecord:
    return LoginRecord.objects.create(
        username=username[:150],
        user=user,
        outcome=outcome,
        ip=client_ip(request) or None,
        user_agent=_user_agent(request),
    )


def refuse(
    action: str,
    message: str,
    *,
    request: Any,
    by: Any,
    obj: Any = None,
    detail: dict | None = None,
    exc: type[Exception] = ApplicationError,
) -> None:
    """Audit a refused attempt (outcome ``denied``), then raise."""
    audit_record(
        action, request=request, user=by, obj=obj, outcome="denied", detail={"reason": message, **(detail or {})}
    )
    if exc is PermissionDenied:
        raise PermissionDenied(message)
    raise ApplicationError(message)


# ---------------------------------------------------------------------------------------------
# Passwords
# ---------------------------------------------------------------------------------------------


def password_set(*, user: User, raw: str, by: User | None, request: Any = None) -> User:
    """THE one place a password is set: policy check, hash, history (last 5), expiry clock, audit.

    A password set by someone else (creation, reset by the system admin) must be changed at next login.
    """
    validate_password(raw, user)
    with transaction.atomic():
        user.set_password(raw)
        user.password_changed_at = timezone.now()
        user.must_change_password = by is None or by.pk != user.pk
        if user.pk is None:
            user.save()
        else:
            user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[HISTORY_SIZE:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
        audit_record(
            AuditAction.PASSWORD_CHANGE,
            request=request,
            user=by,
            obj=user,
            detail={"self": not user.must_change_password},
        )
    return user


def password_change_own(*, request: Any, user: User, raw: str) -> User:
    """The signed-in user changes their own password; other sessions of the user end."""
    old_key = request.session.session_key
    password_set(user=user, raw=raw, by=user, request=request)
    update_session_auth_hash(request, user)  # cycles the session key
    new_key = request.session.session_key
    with transaction.atomic():
        if old_key and new_key:
            UserSession.objects.filter(session_key=old_key).update(session_key=new_key)
        others = list(UserSession.objects.filter(user=user).exclude(session_key=new_key))
        for s in others:
            session_store()(session_key=s.session_key).delete()
            s.delete()
    return user


# ---------------------------------------------------------------------------------------------
# Login, throttling, sessions
# ---------------------------------------------------------------------------------------------


def throttle_key(username: str) -> str:
    return (username or "").strip().casefold()[:150]


def is_locked(username: str, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return LoginThrottle.objects.filter(username=throttle_key(username), locked_until__gt=now).exists()


def account_refusal(user: Any, now: datetime | None = None) -> str | None:
    """Why an existing session or API token of ``user`` must stop working now, or ``None``.

    ``disabled`` (is_active off), ``demo`` (a demo account in the production profile), ``locked``
    (the login lockout of its username, from passwords or second factor) or ``expired`` (the password
    is past its 90 days or must be changed first). Sessions read it at the minute refresh of
    ``SessionSecurityMiddleware`` (an expired password keeps the session, confined to the change
    page); API tokens read it on every request.
    """

    if user is None or not getattr(user, "is_active", False):
        return "disabled"
    if getattr(user, "is_demo", False) and settings.WENMING_PROFILE == "production":
        return "demo"
    if is_locked(user.get_username(), now):
        return "locked"
    if password_expired(user):
        return "expired"
    return None


def _same_hash_work(password: str | None) -> None:
    """Run the password hasher once, as checking a real account does (Django hashes for an unknown
    username too), so a locked, CAPTCHA-refused or empty attempt takes as long as a wrong password."""
    from django.contrib.auth.hashers import make_password

    make_password(password or "")


# Per-address throttle: after WENMING_IP_THROTTLE_FAILURES failed logins from one address within
# WENMING_IP_THROTTLE_WINDOW the form asks a text CAPTCHA. Never a lockout: a city bureau behind one
# NAT address keeps working, it only has to answer a sum.


def _throttle_ip(request: Any) -> str:
    """The socket peer address the throttle counts (IPv6 by its /64: one host usually owns the prefix)."""
    raw = client_ip(request)
    try:
        addr = ipaddress.ip_address(raw)
    except ValueError:
        return ""
    if addr.version == 6:
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.ip_network(f"{addr}/64", strict=False).network_address)
    return str(addr)


IP_LIMIT = "accounts.login-ip-failures"


def _ip_keys(ip: str) -> list[ratelimit.KeySpec]:
    window = int(settings.WENMING_IP_THROTTLE_WINDOW.total_seconds())
    return [("ip", ip, settings.WENMING_IP_THROTTLE_FAILURES, window)]


def login_ip_failures(ip: str) -> int:
    """Failed logins counted for ``ip`` (already reduced to its /64 for IPv6) in its current window."""
    return int(ratelimit.peek(IP_LIMIT, _ip_keys(ip), anchored=True).counts["ip"])


def captcha_required(request: Any) -> bool:
    """True while the peer address has reached the failure threshold in the current window.

    The window opens with the address's first failure and lasts ``WENMING_IP_THROTTLE_WINDOW``; the
    counter lives in the one rate limiter (``core.ratelimit``, shared by every worker process).
    """
    ip = _throttle_ip(request)
    if not ip:
        return False
    return ratelimit.peek(IP_LIMIT, _ip_keys(ip), anchored=True).blocked


def _ip_failure(request: Any, now: datetime) -> None:
    """Count one failed login for the peer address (an atomic increment in the rate limiter).

    Exactly one attempt sees the count reach the threshold, and that one audits it.
    """
    ip = _throttle_ip(request)
    if not ip:
        return
    failures = int(ratelimit.hit(IP_LIMIT, _ip_keys(ip), anchored=True).counts["ip"])
    if failures == settings.WENMING_IP_THROTTLE_FAILURES:
        audit_record(
            AuditAction.LOGIN_FAILED,
            request=request,
            user=None,
            outcome="denied",
            object_type="accounts.LoginIpThrottle",
            object_repr=ip,
            detail={"ip_throttle": True, "failures": failures},
        )


def _captcha_hash(nonce: str, answer: int) -> str:
    return salted_hmac("wenming.accounts.captcha", f"{nonce}:{answer}", algorithm="sha256").hexdigest()


def captcha_new(request: Any) -> str:
    """Put a fresh arithmetic question in the session (answer HMAC'd, 5 minutes) and return its text."""
    a, b = secrets.randbelow(20) + 1, secrets.randbelow(20) + 1
    op = secrets.choice(("加", "减"))
    if op == "减" and a < b:
        a, b = b, a
    answer = a + b if op == "加" else a - b
    nonce = secrets.token_hex(8)
    request.session[CAPTCHA_SESSION_KEY] = {
        "n": nonce,
        "h": _captcha_hash(nonce, answer),
        "exp": (timezone.now() + CAPTCHA_TTL).timestamp(),
    }
    return f"请计算：{a} {op} {b} 等于多少？"


def captcha_check(request: Any, answer: str) -> bool:
    """Check the answer to the question in the session. Single use: the question is gone afterwards."""
    data = request.session.pop(CAPTCHA_SESSION_KEY, None)
    if not isinstance(data, dict) or not answer:
        return False
    if float(data.get("exp", 0)) < timezone.now().timestamp():
        return False
    given = unicodedata.normalize("NFKC", str(answer)[:16]).strip()  # full-width digits from IMEs
    if not re.fullmatch(r"\d{1,3}", given):
        return False
    return constant_time_compare(_captcha_hash(str(data.get("n", "")), int(given)), str(data.get("h", "")))


def login_attempt(*, request: Any, username: str, password: str, captcha: str | None = None) -> User | None:
    """Check a username/password pair under the lockout rule. ``None`` means refused (one message for all).

    5 failures within 15 minutes lock the username (known or not) for 30 minutes. While locked the
    password is not even checked. 20 failures from one address within an hour make the CAPTCHA
    mandatory: until it is answered the password is not checked either, and a wrong or missing answer
    counts as a failure of the address (not of the username). Every outcome writes a LoginRecord and
    an audit row.
    """
    from django.contrib.auth import authenticate

    key = throttle_key(username)
    name = (username or "").strip()[:150]
    now = timezone.now()
    if captcha_required(request) and not captcha_check(request, captcha or ""):
        _same_hash_work(password)
        with transaction.atomic():
            _ip_failure(request, now)
            _login_record(request, username=name, user=None, outcome=LoginRecord.Outcome.FAILURE)
            audit_record(
                AuditAction.LOGIN_FAILED,
                request=request,
                user=None,
                outcome="denied",
                detail={"username": name, "reason": "captcha"},
            )
        return None
    if is_locked(key, now):
        _same_hash_work(password)
        with transaction.atomic():
            _ip_failure(request, now)
            _login_record(request, username=name, user=None, outcome=LoginRecord.Outcome.LOCKED)
            audit_record(
                AuditAction.LOGIN_FAILED,
                request=request,
                user=None,
                outcome="denied",
                detail={"username": name, "reason": "locked"},
            )
        return None

    if name and password:
        user = authenticate(request, username=name, password=password)
    else:
        user = None
        _same_hash_work(password)

    with transaction.atomic():
        throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(username=key)
        if throttle.locked_until and throttle.locked_until > now:
            user = None  # locked by a concurrent attempt meanwhile
        if user is not None:
            throttle.failures = 0
            throttle.window_started_at = None
            throttle.locked_until = None
            throttle.save()
            return user
        window = settings.WENMING_LOCKOUT_WINDOW
        if throttle.window_started_at is None or now - throttle.window_started_at > window:
            throttle.failures = 0
            throttle.window_started_at = now
        throttle.failures += 1
        locked_now = throttle.failures >= settings.WENMING_LOCKOUT_FAILURES
        if locked_now:
            throttle.locked_until = now + settings.WENMING_LOCKOUT_DURATION
            throttle.failures = 0
            throttle.window_started_at = None
        throttle.save()
        _ip_failure(request, now)
        known = User.objects.filter(username=name).first()
        _login_record(
            request,
            username=name,
            user=known,
            outcome=LoginRecord.Outcome.LOCKED if locked_now else LoginRecord.Outcome.FAILURE,
        )
        audit_record(
            AuditAction.LOGIN_FAILED,
            request=request,
            user=None,
            outcome="failure",
            detail={"username": name},
        )
        if locked_now:
            audit_record(
                AuditAction.LOCKOUT,
                request=request,
                user=None,
                object_type="accounts.LoginThrottle",
                object_id=throttle.pk,
                object_repr=name,
                detail={
                    "username": name,
                    "until": throttle.locked_until.isoformat(),
                    "failures": settings.WENMING_LOCKOUT_FAILURES,
                },
            )
    return None


def login_log_retention() -> timedelta:
    """``WENMING_LOGIN_LOG_RETENTION``, refused below 180 days (Cybersecurity Law Art. 21: ≥ six months)."""
    value = getattr(settings, "WENMING_LOGIN_LOG_RETENTION", timedelta(days=365))
    if isinstance(value, int) and not isinstance(value, bool):
        value = timedelta(days=value)
    if not isinstance(value, timedelta) or value < MIN_LOGIN_LOG_RETENTION:
        raise ImproperlyConfigured(
            f"WENMING_LOGIN_LOG_RETENTION 设置为 {value}，登录日志至少保留 180 天（《网络安全法》第二十一条），请调大后再执行"
        )
    return value


def _dead_user_sessions(now: datetime) -> Any:
    """UserSession rows whose Django session is gone (deleted or expired)."""
    engine = settings.SESSION_ENGINE
    if engine in ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"):
        from django.contrib.sessions.models import Session

        alive = Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=now)
        return UserSession.objects.filter(~Exists(alive))
    store = session_store()
    keys = [k for k in UserSession.objects.values_list("session_key", flat=True) if not store().exists(k)]
    return UserSession.objects.filter(session_key__in=keys)


@transaction.atomic
def login_records_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Retention: delete login-log rows older than the retention, spent throttle rows and dead session rows.

    Audited (one row with the counts). Refuses to run with a retention below 180 days.
    """
    retention = login_log_retention()
    now = now or timezone.now()
    cutoff = now - retention
    records = LoginRecord.objects.filter(at__lt=cutoff).delete()[0]
    throttles = (
        LoginThrottle.objects.filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .filter(Q(window_started_at__isnull=True) | Q(window_started_at__lte=now - settings.WENMING_LOCKOUT_WINDOW))
        .delete()[0]
    )
    sessions = _dead_user_sessions(now).delete()[0]
    counts = {
        "login_records": records,
        "login_throttles": throttles,
        "user_sessions": sessions,
    }
    audit_record(
        AuditAction.DELETE,
        object_type="accounts.LoginRecord",
        object_repr="登录日志保留期清理",
        detail={"op": "retention_purge", "before": cutoff.isoformat(), "retention_days": retention.days, **counts},
    )
    return counts


def requires_second_factor(user: Any) -> bool:
    """2FA is required (when switched on) for the 三员, superusers and province administrators."""
    if not settings.WENMING_REQUIRE_ADMIN_2FA or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or is_privileged(user):
        return True
    # Through the reverse relation of organizations' RoleAssignment: accounts sits below organizations.
    return user.role_assignments.filter(role__in=SECOND_FACTOR_ROLES).exists()


def session_mark(request: Any, user: User, *, login_at: float | None = None) -> None:
    """Write the session markers the middleware reads and make sure a UserSession row exists."""
    now = timezone.now()
    ts = now.timestamp()
    request.session[SESSION_LOGIN_AT] = login_at if login_at is not None else ts
    request.session[SESSION_SEEN_AT] = ts
    request.session[SESSION_PRIVILEGED] = is_privileged(user)
    request.session[SESSION_NEEDS_2FA] = requires_second_factor(user)
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": client_ip(request) or None,
            "user_agent": _user_agent(request),
            "last_seen_at": now,
        },
    )


def login_complete(*, request: Any, user: User) -> None:
    """Start the session (new session id: ``login`` cycles the key), then track and audit it.

    If any of it fails (the audit write included) the new session is destroyed: no untracked sessions.
    """
    try:
        with transaction.atomic():
            auth_login(request, user)
            request.session.save()
            session_mark(request, user)
            if user.otp_failures:
                user.otp_failures = 0
                user.save(update_fields=["otp_failures"])
            _login_record(request, username=user.get_username(), user=user, outcome=LoginRecord.Outcome.SUCCESS)
            audit_record(AuditAction.LOGIN, request=request, user=user, obj=user)
    except Exception:
        request.session.flush()
        raise


def _session_end(request: Any, *, outcome: str, action: str, detail: dict | None = None) -> None:
    user = request.user if getattr(request, "user", None) is not None and request.user.is_authenticated else None
    key = request.session.session_key
    try:
        with transaction.atomic():
            if key:
                UserSession.objects.filter(session_key=key).delete()
            if user is not None:
                _login_record(request, username=user.get_username(), user=user, outcome=outcome)
                audit_record(action, request=request, user=user, obj=user, detail=detail)
    finally:
        auth_logout(request)  # flushes: the server-side session row is deleted, even if the audit failed


def logout_complete(*, request: Any) -> None:
    _session_end(request, outcome=LoginRecord.Outcome.LOGOUT, action=AuditAction.LOGOUT)


def session_timeout(*, request: Any, reason: str) -> None:
    _session_end(
        request, outcome=LoginRecord.Outcome.TIMEOUT, action=AuditAction.SESSION_TIMEOUT, detail={"reason": reason}
    )


def kill_sessions(user: User, *, except_key: str | None = None) -> int:
    rows = UserSession.objects.filter(user=user)
    if except_key:
        rows = rows.exclude(session_key=except_key)
    n = 0
    store = session_store()
    for s in list(rows):
        store(session_key=s.session_key).delete()
        s.delete()
        n += 1
    return n


# ---------------------------------------------------------------------------------------------
# Second factor
# ---------------------------------------------------------------------------------------------


def otp_failure(*, request: Any, user: User) -> bool:
    """Count a wrong code; the fifth in a row locks the account and ends the session. True if locked."""
    with transaction.atomic():
        locked_user = User.objects.select_for_update().get(pk=user.pk)
        locked_user.otp_failures += 1
        locked = locked_user.otp_failures >= OTP_MAX_FAILURES
        if locked:
            locked_user.otp_failures = 0
            until = timezone.now() + settings.WENMING_LOCKOUT_DURATION
            LoginThrottle.objects.update_or_create(
                username=throttle_key(user.get_username()),
                defaults={"failures": 0, "window_started_at": None, "locked_until": until},
            )
        locked_user.save(update_fields=["otp_failures"])
        audit_record(
            AuditAction.OTP, request=request, user=user, obj=user, outcome="failure", detail={"step": "verify"}
        )
        if locked:
            audit_record(
                AuditAction.LOCKOUT,
                request=request,
                user=user,
                obj=user,
                detail={"username": user.get_username(), "reason": "otp", "failures": OTP_MAX_FAILURES},
            )
    if locked:
        _session_end(request, outcome=LoginRecord.Outcome.LOCKED, action=AuditAction.LOGOUT, detail={"reason": "otp"})
    return locked


def otp_success(*, request: Any, user: User, device: Any, enrolled: bool) -> None:
    from django_otp import login as otp_login

    with transaction.atomic():
        if enrolled and not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        if user.otp_failures:
            User.objects.filter(pk=user.pk).update(otp_failures=0)
            user.otp_failures = 0
        audit_record(
            AuditAction.OTP, request=request, user=user, obj=user, detail={"step": "enrol" if enrolled else "verify"}
        )
    otp_login(request, device)
