"""Who a voter is: a keyed hash of a verified identity, carried between pages in a signed cookie.

The interface is one ``IdentityProvider`` per way of proving an identity. ``sms`` (a mainland mobile
number proven by a one-time code, ``otp.py``) is the one built; a WeChat provider would register
``code="wechat"`` and derive its key from the OpenID (``voter_key("wechat", openid)``) after its own
OAuth callback — the vote path only ever sees a :class:`Voter`, never how it was proven.

The raw phone number is used to send the SMS and to compute the key, then dropped: ballots, the
cookie and the logs only see ``voter_key``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Protocol

from django.core import signing

from wenming.core.crypto import blind_index

COOKIE = "wm_voter"
SALT = "wenming.voting.voter"
MAX_AGE = 2 * 3600  # seconds a verification stays good for voting
CONSENT_VERSION = "2026-1"  # the PIPL notice shown on the verification page (templates/voting/verify.html)
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(raw: str) -> str | None:
    """A mainland mobile number as 11 digits (``+86``/``0086``/spaces/dashes dropped), or None."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix) :]
            break
    return digits if _MOBILE.match(digits) else None


def voter_key(provider: str, subject: str) -> str:
    """HMAC-SM3 (the blind-index key) of the provider and its subject: stable, keyed, not reversible."""
    return blind_index(subject, f"voting.voter.{provider}")


@dataclass(frozen=True)
class Voter:
    provider: str
    key: str
    verified_at: int  # epoch seconds
    first_seen_at: int  # epoch seconds the key was first verified (the "new phone" signal)

    def is_new(self, now: float | None = None) -> bool:
        return (now or time.time()) - self.first_seen_at < 24 * 3600


class IdentityProvider(Protocol):
    code: str
    label: str


_PROVIDERS: dict[str, IdentityProvider] = {}


def register_provider(provider: IdentityProvider) -> None:
    _PROVIDERS[provider.code] = provider


def providers() -> dict[str, IdentityProvider]:
    return dict(_PROVIDERS)


@dataclass(frozen=True)
class SmsProvider:
    code: str = "sms"
    label: str = "手机号短信验证"


register_provider(SmsProvider())


def issue(voter: Voter) -> str:
    """The signed cookie value for ``voter`` (no personal data in it)."""
    return signing.dumps([voter.provider, voter.key, voter.verified_at, voter.first_seen_at], salt=SALT, compress=False)


def read(value: str | None) -> Voter | None:
    """The voter of a cookie value, or None when missing, tampered or older than ``MAX_AGE``."""
    if not value:
        return None
    try:
        provider, key, verified_at, first_seen_at = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if provider not in _PROVIDERS:
        return None
    return Voter(provider=provider, key=key, verified_at=int(verified_at), first_seen_at=int(first_seen_at))


def from_request(request) -> Voter | None:
    return read(request.COOKIES.get(COOKIE))
