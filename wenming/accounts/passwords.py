"""Password validators (MLPS 2.0 level 3; docs/adr/0003-identity-security.md).

Staff ≥ 10 characters, the three administrators (三员) and superusers ≥ 12; at least 3 of the 4
character classes; hard to guess (zxcvbn estimate ≥ 10⁸ guesses, so ``Password#2026`` — a common
word, a symbol and a year — is refused); never the username or the user's organisation; none of the
last 5 passwords.
Expiry (90 days) and the forced first change are enforced by ``PasswordPolicyMiddleware``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PasswordHistory

STAFF_MIN_LENGTH = 10
ADMIN_MIN_LENGTH = 12
REQUIRED_CLASSES = 3
HISTORY_SIZE = 5


def is_privileged(user: Any) -> bool:
    """三员 and superusers carry the risk: longer passwords, shorter idle timeout."""
    if user is None:
        return False
    if getattr(user, "is_superuser", False):
        return True
    if getattr(user, "pk", None) is None:
        return False
    return getattr(user, "admin_duty", None) is not None


def password_expired(user: Any) -> bool:
    """True when the password must be changed now: first login, reset by an administrator, or older than 90 days."""
    if getattr(user, "must_change_password", False):
        return True
    changed = getattr(user, "password_changed_at", None)
    if changed is None:
        return True
    return timezone.now() - changed > settings.WENMING_PASSWORD_MAX_AGE


class _Base:
    def validate(self, password: str, user: Any = None) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def get_help_text(self) -> str:
        return ""


class RoleLengthValidator(_Base):
    """Length: 10 for staff, 12 for the 三员 and superusers."""

    def __init__(self, staff_min: int = STAFF_MIN_LENGTH, admin_min: int = ADMIN_MIN_LENGTH) -> None:
        self.staff_min = staff_min
        self.admin_min = admin_min

    def validate(self, password: str, user: Any = None) -> None:
        minimum = self.admin_min if is_privileged(user) else self.staff_min
        if len(password) < minimum:
            raise ValidationError(
                f"密码长度不能少于 {minimum} 位",
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self) -> str:
        return f"一般账号不少于 {self.staff_min} 位，三员及超级管理员不少于 {self.admin_min} 位"


def character_classes(password: str) -> int:
    upper = any(c.isupper() for c in password)
    lower = any(c.islower() for c in password)
    digit = any(c.isdigit() for c in password)
    symbol = any(not c.isalnum() for c in password)
    return sum((upper, lower, digit, symbol))


class CharacterClassValidator(_Base):
    """At least 3 of 4 classes: upper case, lower case, digit, symbol."""

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < REQUIRED_CLASSES:
            raise ValidationError(_("密码须至少包含大写字母、小写字母、数字、符号中的三类"), code="password_too_simple")

    def get_help_text(self) -> str:
        return "至少包含大写字母、小写字母、数字、符号中的三类"


# Words every attacker of this platform tries first; the user's own names are added per user.
PLATFORM_WORDS = ("wenming", "liaoning", "youzheng", "youzhengju", "kuaidi", "postal", "post", "admin", "ln")
STRENGTH_SCORED_LENGTH = 72
MIN_STRENGTH_SCORE = 3  # zxcvbn: 3 = "safely unguessable" (≥ 10⁸ guesses), 4 = very unguessable
_PATTERN_HINTS = {
    "dictionary": "常见单词、姓名或其变形（如 Password、p@ssw0rd）",
    "date": "日期或年份（如 2026、19900101）",
    "regex": "日期或年份（如 2026、19900101）",
    "sequence": "连续字符（如 abc、123、987）",
    "spatial": "键盘上相邻的字符（如 qwerty、1qaz）",
    "repeat": "重复字符（如 aaa、abcabc）",
}


def _user_words(user: Any) -> list[str]:
    words = list(PLATFORM_WORDS)
    if user is None:
        return words
    for attr in ("username", "display_name"):
        value = getattr(user, attr, "") or ""
        if value:
            words.append(value)
    org = getattr(user, "home_organization", None) if getattr(user, "home_organization_id", None) else None
    if org is not None:
        words += [w for w in (org.code, org.short_name, org.name) if w]
    return words


def password_strength(password: str, user: Any = None) -> dict[str, Any]:
    """zxcvbn's estimate of the first 72 characters (its limit; more only adds strength, and costs time)."""
    from zxcvbn import zxcvbn

    return zxcvbn(password[:STRENGTH_SCORED_LENGTH], user_inputs=_user_words(user))


class StrengthValidator(_Base):
    """Refuse guessable passwords: a common word with a symbol and a year meets the class rule but not this."""

    def __init__(self, min_score: int = MIN_STRENGTH_SCORE) -> None:
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        result = password_strength(password, user)
        if result["score"] >= self.min_score:
            return
        hints = []
        for match in result.get("sequence", []):
            hint = _PATTERN_HINTS.get(match.get("pattern", ""))
            if hint and hint not in hints:
                hints.append(hint)
        detail = f"：其中包含{'、'.join(hints)}" if hints else ""
        raise ValidationError(
            f"密码太容易被猜中{detail}。请使用更长、无规律的组合，例如几个不相关的词加数字和符号",
            code="password_too_guessable",
        )

    def get_help_text(self) -> str:
        return "不能是常见单词、姓名、年份、键盘序列的简单组合（如 Password#2026）"


class NoUsernameValidator(_Base):
    """The password must not contain the username, nor the code or short name of the user's organisation."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        lowered = password.casefold()
        username = (user.get_username() or "").casefold()
        if username and username in lowered:
            raise ValidationError(_("密码不能包含用户名"), code="password_contains_username")
        org = getattr(user, "home_organization", None) if getattr(user, "home_organization_id", None) else None
        if org is not None:
            for part in (org.code, org.short_name, org.name):
                if part and len(part) >= 3 and part.casefold() in lowered:
                    raise ValidationError(_("密码不能包含所属单位的名称或代码"), code="password_contains_org")

    def get_help_text(self) -> str:
        return "不能包含用户名或所属单位的名称、代码"


def recent_hashes(user: Any, size: int = HISTORY_SIZE) -> list[str]:
    """Hashes of the user's last ``size`` passwords, the current one included."""
    if user is None or getattr(user, "pk", None) is None:
        return []

    hashes = list(PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[:size])
    current = getattr(user, "password", "")
    if current and current not in hashes and not current.startswith("!"):
        hashes = [current, *hashes[: size - 1]]
    return hashes


class HistoryValidator(_Base):
    """None of the last five passwords may be reused."""

    def __init__(self, size: int = HISTORY_SIZE) -> None:
        self.size = size

    def validate(self, password: str, user: Any = None) -> None:
        for encoded in recent_hashes(user, self.size):
            if check_password(password, encoded):
                raise ValidationError(f"不能使用最近 {self.size} 次用过的密码", code="password_reused")

    def get_help_text(self) -> str:
        return f"不能与最近 {self.size} 次使用的密码相同"
