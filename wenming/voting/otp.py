"""SMS one-time codes: 6 digits, 5 minutes, one use, at most 5 tries; send limits; fail closed.

Limits (quality.md B5 rule 1, inside Aliyun's own 1/min, 5/h, 10/day): per phone 1 a minute, 5 an hour,
10 a day; per network address 20 an hour, after which a captcha is asked (never a silent drop: campus
Wi-Fi and carrier NAT share addresses), and 200 an hour at most. Counters live in ``core.ratelimit``
(Redis in production); when the limiter's store does not answer, no code is sent.

Verification is race-free without locks: each try is a conditional ``UPDATE … attempts = attempts + 1
WHERE attempts < 5`` and the win a conditional ``UPDATE … used_at = now WHERE used_at IS NULL`` —
whatever the number of parallel requests, one succeeds.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from wenming.core import ratelimit
from wenming.core.crypto import blind_index
from wenming.core.errors import ApplicationError

from . import sms
from .identity import Voter, normalize_phone, voter_key
from .models import OtpChallenge, VoterSeen

CODE_TTL = timedelta(minutes=5)
MAX_TRIES = 5
SEND_LIMIT = "voting.otp-send"
IP_CAPTCHA_AFTER = 20  # sends per hour from one address before a captcha is asked
IP_MAX = 200  # sends per hour from one address, captcha or not


class OtpUnavailable(ApplicationError):
    """Sending is impossible right now (gateway or limiter down): the page answers 503."""


def _phone_keys(phone: str) -> list[ratelimit.KeySpec]:
    return [("phone-min", phone, 1, 60), ("phone-hour", phone, 5, 3600), ("phone-day", phone, 10, 86400)]


def _ip_keys(ip: str) -> list[ratelimit.KeySpec]:
    return [("ip-hour", ip or "-", IP_MAX, 3600)]


def captcha_required(ip: str) -> bool:
    counts = ratelimit.peek(SEND_LIMIT, _ip_keys(ip)).counts
    return counts.get("ip-hour", 0) >= IP_CAPTCHA_AFTER


def _limiter_alive() -> bool:
    probe = f"voting:probe:{secrets.token_hex(4)}"
    cache.set(probe, 1, 5)
    alive = cache.get(probe) == 1
    cache.delete(probe)
    return alive


def _code_hash(phone_key: str, code: str) -> str:
    return blind_index(f"{phone_key}:{code}", "voting.otp")


def send_code(*, phone_raw: str, ip: str, consent: bool, consent_version: str, captcha_ok: bool) -> str:
    """Send a code to the phone; returns the normalised phone. ``ApplicationError`` (field, code) otherwise."""
    phone = normalize_phone(phone_raw)
    if phone is None:
        raise ApplicationError(_("请输入正确的 11 位手机号码"), field="phone", code="phone")
    if not consent:
        raise ApplicationError(_("请阅读并勾选个人信息处理规则"), field="consent", code="consent")
    if not _limiter_alive():
        raise OtpUnavailable(_("验证码服务暂时不可用，请稍后再试"), code="unavailable")
    if captcha_required(ip) and not captcha_ok:
        raise ApplicationError(_("请输入图中的验证码"), field="captcha", code="captcha")
    decision = ratelimit.limit(SEND_LIMIT, [*_phone_keys(phone), *_ip_keys(ip)])
    if decision.blocked:
        if "phone-min" in decision.exceeded and len(decision.exceeded) == 1:
            msg = _("验证码已发送，请 %(s)s 秒后再试") % {"s": max(1, decision.retry_after)}
        else:
            msg = _("获取验证码过于频繁，请稍后再试")
        raise ApplicationError(msg, field="phone", code="rate")
    code = f"{secrets.randbelow(1_000_000):06d}"
    phone_key = voter_key("sms", phone)
    try:
        sms.backend().send_code(phone, code)
    except sms.SmsError as exc:
        raise OtpUnavailable(_("短信发送失败，请稍后再试"), code="unavailable") from exc
    now = timezone.now()
    with transaction.atomic():
        OtpChallenge.objects.filter(phone_key=phone_key, used_at__isnull=True).update(used_at=now)
        OtpChallenge.objects.create(
            phone_key=phone_key,
            code_hash=_code_hash(phone_key, code),
            created_at=now,
            expires_at=now + CODE_TTL,
            consent_version=consent_version[:20],
        )
    return phone


def verify_code(*, phone_raw: str, code: str) -> Voter:
    """The verified voter, or ``ApplicationError``: wrong, expired, used or out of tries."""
    phone = normalize_phone(phone_raw)
    if phone is None:
        raise ApplicationError(_("请输入正确的 11 位手机号码"), field="phone", code="phone")
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        raise ApplicationError(_("请输入 6 位数字验证码"), field="code", code="code")
    phone_key = voter_key("sms", phone)
    now = timezone.now()
    challenge = (
        OtpChallenge.objects.filter(phone_key=phone_key, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if challenge is None:
        raise ApplicationError(_("验证码已失效，请重新获取"), field="code", code="expired")
    counted = OtpChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True, attempts__lt=MAX_TRIES).update(
        attempts=F("attempts") + 1
    )
    if not counted:
        raise ApplicationError(_("验证码错误次数过多，请重新获取"), field="code", code="tries")
    if not constant_time_compare(_code_hash(phone_key, code), challenge.code_hash):
        raise ApplicationError(_("验证码不正确"), field="code", code="wrong")
    won = OtpChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True, expires_at__gt=now).update(used_at=now)
    if won != 1:
        raise ApplicationError(_("验证码已使用，请重新获取"), field="code", code="used")
    try:
        seen, _created = VoterSeen.objects.get_or_create(voter_key=phone_key)
    except IntegrityError:  # a parallel first verification of the same number
        seen = VoterSeen.objects.get(voter_key=phone_key)
    return Voter(
        provider="sms", key=phone_key, verified_at=int(time.time()), first_seen_at=int(seen.first_seen_at.timestamp())
    )
