"""Identity-security services: passwords, login throttling, sessions, accounts, roles and the 三员.

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
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record, client_ip
from wenming.core.errors import ApplicationError
from wenming.organizations.scoping import clear_scope_cache, has_action_anywhere, is_in_scope

from .models import AdminDuty, LoginIpThrottle, LoginRecord, LoginThrottle, PasswordHistory, User, UserSession
from .passwords import HISTORY_SIZE, is_privileged
from .roles import ADMIN_DUTIES, Action, Role

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


def _session_store():
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


def _refuse(
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
            _session_store()(session_key=s.session_key).delete()
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
    from .passwords import password_expired

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


def captcha_required(request: Any, now: datetime | None = None) -> bool:
    """True while the peer address has reached the failure threshold in the current window."""
    ip = _throttle_ip(request)
    if not ip:
        return False
    now = now or timezone.now()
    return LoginIpThrottle.objects.filter(
        ip=ip,
        failures__gte=settings.WENMING_IP_THROTTLE_FAILURES,
        window_started_at__gt=now - settings.WENMING_IP_THROTTLE_WINDOW,
    ).exists()


def _ip_failure(request: Any, now: datetime) -> None:
    """Count one failed login for the peer address with conditional UPDATEs (no read-modify-write).

    Runs inside the caller's transaction; the row stays locked until commit, so exactly one attempt
    sees the count reach the threshold and audits it.
    """
    ip = _throttle_ip(request)
    if not ip:
        return
    fresh = now - settings.WENMING_IP_THROTTLE_WINDOW
    rows = LoginIpThrottle.objects.filter(ip=ip)
    if not rows.filter(window_started_at__gt=fresh).update(failures=F("failures") + 1):
        if not rows.filter(window_started_at__lte=fresh).update(failures=1, window_started_at=now):
            try:
                with transaction.atomic():
                    LoginIpThrottle.objects.create(ip=ip, failures=1, window_started_at=now)
            except IntegrityError:  # created by a concurrent attempt meanwhile
                rows.update(failures=F("failures") + 1)
    failures = rows.values_list("failures", flat=True).first()
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
    if captcha_required(request, now) and not captcha_check(request, captcha or ""):
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
    store = _session_store()
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
    ip_throttles = LoginIpThrottle.objects.filter(
        window_started_at__lte=now - settings.WENMING_IP_THROTTLE_WINDOW
    ).delete()[0]
    sessions = _dead_user_sessions(now).delete()[0]
    counts = {
        "login_records": records,
        "login_throttles": throttles,
        "ip_throttles": ip_throttles,
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
    from wenming.organizations.models import RoleAssignment

    return RoleAssignment.objects.filter(user=user, role__in=SECOND_FACTOR_ROLES).exists()


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


def _kill_sessions(user: User, *, except_key: str | None = None) -> int:
    rows = UserSession.objects.filter(user=user)
    if except_key:
        rows = rows.exclude(session_key=except_key)
    n = 0
    store = _session_store()
    for s in list(rows):
        store(session_key=s.session_key).delete()
        s.delete()
        n += 1
    return n


def session_kill(*, session: UserSession, by: User, request: Any = None) -> None:
    """Force a session to end (security admin)."""
    if not has_action_anywhere(by, Action.ROLE_MANAGE):
        _refuse(AuditAction.SESSION_KILLED, "无权强制下线", request=request, by=by, exc=PermissionDenied)
    with transaction.atomic():
        target = session.user
        _session_store()(session_key=session.session_key).delete()
        session.delete()
        audit_record(
            AuditAction.SESSION_KILLED,
            request=request,
            user=by,
            obj=target,
            detail={"ip": session.ip or "", "since": session.created_at.isoformat()},
        )


def account_unlock(*, username: str, by: User, request: Any = None) -> int:
    """Lift a lockout (password or second-factor) for a username."""
    if not has_action_anywhere(by, Action.ROLE_MANAGE):
        _refuse(AuditAction.UNLOCK, "无权解除锁定", request=request, by=by, exc=PermissionDenied)
    key = throttle_key(username)
    with transaction.atomic():
        n = LoginThrottle.objects.filter(username=key).update(failures=0, window_started_at=None, locked_until=None)
        User.objects.filter(username__iexact=key).update(otp_failures=0)
        audit_record(
            AuditAction.UNLOCK,
            request=request,
            user=by,
            object_type="accounts.LoginThrottle",
            object_repr=key,
            detail={"username": key},
        )
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


def otp_reset(*, user: User, by: User, request: Any = None) -> int:
    """Remove a user's TOTP devices (lost phone): the next login enrols again. Security admin only."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require(by, Action.ROLE_MANAGE, AuditAction.OTP, request, "无权重置动态口令")
    with transaction.atomic():
        n, _ = TOTPDevice.objects.filter(user=user).delete()
        killed = _kill_sessions(user)
        audit_record(
            AuditAction.OTP,
            request=request,
            user=by,
            obj=user,
            detail={"step": "reset", "devices": n, "sessions": killed},
        )
    return n


# ---------------------------------------------------------------------------------------------
# Accounts (system admin)
# ---------------------------------------------------------------------------------------------


def _require(by: Any, action: str, audit_action: str, request: Any, message: str) -> None:
    if not has_action_anywhere(by, action):
        _refuse(audit_action, message, request=request, by=by, exc=PermissionDenied)


def user_create(
    *,
    username: str,
    display_name: str,
    password: str,
    home_organization: Any = None,
    by: User,
    request: Any = None,
) -> User:
    """Create a staff account. The initial password passes the policy and must be changed at first login."""
    _require(by, Action.USER_MANAGE, AuditAction.USER_CHANGE, request, "无权创建账号")
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(gettext_lazy("用户名已存在"), field="username")
    with transaction.atomic():
        user = User(username=username, display_name=display_name.strip(), home_organization=home_organization)
        user.must_change_password = True
        password_set(user=user, raw=password, by=by, request=request)
        audit_record(AuditAction.USER_CHANGE, request=request, user=by, obj=user, detail={"op": "create"})
    return user


def user_deactivate(*, user: User, by: User, request: Any = None) -> int:
    """Disable an account: every session of it ends at once. Returns the number of sessions ended."""
    _require(by, Action.USER_MANAGE, AuditAction.USER_CHANGE, request, "无权停用账号")
    if user.pk == by.pk:
        _refuse(AuditAction.USER_CHANGE, "不能停用自己的账号", request=request, by=by, obj=user)
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        killed = _kill_sessions(user)
        audit_record(
            AuditAction.USER_CHANGE, request=request, user=by, obj=user, detail={"op": "deactivate", "sessions": killed}
        )
    return killed


@transaction.atomic
def user_reactivate(*, user: User, by: User, request: Any = None) -> User:
    _require(by, Action.USER_MANAGE, AuditAction.USER_CHANGE, request, "无权启用账号")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(AuditAction.USER_CHANGE, request=request, user=by, obj=user, detail={"op": "reactivate"})
    return user


def user_password_reset(*, user: User, raw: str, by: User, request: Any = None) -> User:
    """The system admin sets a temporary password; the user must change it at next login."""
    _require(by, Action.USER_MANAGE, AuditAction.PASSWORD_CHANGE, request, "无权重置密码")
    with transaction.atomic():
        password_set(user=user, raw=raw, by=by, request=request)
        _kill_sessions(user)
    return user


# ---------------------------------------------------------------------------------------------
# Roles and the 三员 (security admin)
# ---------------------------------------------------------------------------------------------


def role_grant(*, user: User, organization: Any, role: str, by: User, request: Any = None) -> Any:
    """Grant a business role on a node. Refused (and audited) for a 三员 or outside the granter's scope."""
    from wenming.organizations.models import RoleAssignment

    detail = {"role": role, "organization": organization.pk, "user": user.pk}
    if not is_in_scope(by, organization, Action.ROLE_MANAGE):
        _refuse(
            AuditAction.ROLE_GRANT,
            "无权在此机构授予角色",
            request=request,
            by=by,
            obj=user,
            detail=detail,
            exc=PermissionDenied,
        )
    if role not in BUSINESS_ROLES:
        _refuse(AuditAction.ROLE_GRANT, "三员职责不能作为业务角色授予", request=request, by=by, obj=user, detail=detail)
    refusal = None
    with transaction.atomic():
        target = User.objects.select_for_update().get(pk=user.pk)
        if AdminDuty.objects.filter(user=target).exists():
            refusal = "三员账号不能同时拥有业务角色"
        elif not target.is_active:
            refusal = "账号已停用，不能授予角色"
        elif RoleAssignment.objects.filter(user=target, organization=organization, role=role).exists():
            refusal = "此用户在此机构已拥有此角色"
        else:
            ra = RoleAssignment.objects.create(user=target, organization=organization, role=role, granted_by=by)
            audit_record(AuditAction.ROLE_GRANT, request=request, user=by, obj=user, detail=detail)
            clear_scope_cache(user)
            return ra
    _refuse(AuditAction.ROLE_GRANT, refusal, request=request, by=by, obj=user, detail=detail)


def role_revoke(*, assignment: Any, by: User, request: Any = None) -> None:
    detail = {"role": assignment.role, "organization": assignment.organization_id, "user": assignment.user_id}
    if not is_in_scope(by, assignment.organization, Action.ROLE_MANAGE):
        _refuse(
            AuditAction.ROLE_REVOKE,
            "无权撤销此角色",
            request=request,
            by=by,
            obj=assignment.user,
            detail=detail,
            exc=PermissionDenied,
        )
    with transaction.atomic():
        user = assignment.user
        assignment.delete()
        audit_record(AuditAction.ROLE_REVOKE, request=request, user=by, obj=user, detail=detail)
        clear_scope_cache(user)


def admin_duty_grant(*, user: User, duty: str, by: User, request: Any = None) -> AdminDuty:
    """Make ``user`` one of the 三员. One duty per account (DB-enforced) and no business roles beside it."""
    from wenming.organizations.models import RoleAssignment

    detail = {"duty": duty, "user": user.pk}
    _require(by, Action.ROLE_MANAGE, AuditAction.ROLE_GRANT, request, "无权授予三员职责")
    if duty not in ADMIN_DUTIES:
        _refuse(AuditAction.ROLE_GRANT, "无效的三员职责", request=request, by=by, obj=user, detail=detail)
    refusal = None
    with transaction.atomic():
        target = User.objects.select_for_update().get(pk=user.pk)
        held = AdminDuty.objects.filter(user=target).values_list("duty", flat=True).first()
        if held:
            refusal = f"此账号已担任{Role(held).label}，一个账号不能兼任两种三员职责"
        elif RoleAssignment.objects.filter(user=target).exists():
            refusal = "此账号拥有业务角色，不能再担任三员职责"
        elif not target.is_active:
            refusal = "账号已停用，不能授予职责"
        else:
            try:
                with transaction.atomic():
                    obj = AdminDuty.objects.create(user=target, duty=duty, granted_by=by)
            except IntegrityError:
                refusal = "一个账号不能兼任两种三员职责"
            else:
                audit_record(AuditAction.ROLE_GRANT, request=request, user=by, obj=user, detail=detail)
                clear_scope_cache(user)
                return obj
    _refuse(AuditAction.ROLE_GRANT, refusal, request=request, by=by, obj=user, detail=detail)


def admin_duty_revoke(*, duty: AdminDuty, by: User, request: Any = None) -> None:
    detail = {"duty": duty.duty, "user": duty.user_id}
    _require(by, Action.ROLE_MANAGE, AuditAction.ROLE_REVOKE, request, "无权撤销三员职责")
    if duty.user_id == by.pk:
        _refuse(AuditAction.ROLE_REVOKE, "不能撤销自己的三员职责", request=request, by=by, obj=duty.user, detail=detail)
    with transaction.atomic():
        user = duty.user
        duty.delete()
        audit_record(AuditAction.ROLE_REVOKE, request=request, user=by, obj=user, detail=detail)
        clear_scope_cache(user)
