"""Parsing, validation and masking of personal data (GB 11643 ID numbers, mainland mobiles, names).

Pure functions: no database. Masking always happens on the server (GB/T 35273 §7.2).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.utils.translation import gettext

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class ParseError(ValueError):
    """Input that is not a valid value of the kind asked for; the message is Chinese."""


def _fold(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def parse_id_number(value: str) -> str:
    """Return the canonical 18-character ID number or raise ``ParseError`` (GB 11643 mod 11-2).

    A first-generation 15-digit number (GB 11643-1989: 6-digit area, YYMMDD born in the 1900s, 3-digit
    sequence, no check character) is upgraded to its 18-character form, so both give one blind index.
    """
    v = _fold(value).upper()
    if re.fullmatch(r"\d{15}", v, re.ASCII):
        try:
            date(1900 + int(v[6:8]), int(v[8:10]), int(v[10:12]))
        except ValueError as exc:
            raise ParseError(gettext("身份证号码中的出生日期无效")) from exc
        first17 = v[:6] + "19" + v[6:]
        return first17 + id_check_char(first17)
    if not re.fullmatch(r"\d{17}[\dX]", v, re.ASCII):
        raise ParseError(gettext("身份证号码应为18位（最后一位可以是数字或X）或15位"))
    try:
        date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError as exc:
        raise ParseError(gettext("身份证号码中的出生日期无效")) from exc
    if id_check_char(v[:17]) != v[17]:
        raise ParseError(gettext("身份证号码校验位不正确"))
    return v


def birth_date_from_id(id_number: str) -> date:
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def parse_phone(value: str) -> str:
    """Return an 11-digit mainland mobile (``+86``/``0086``, spaces, dashes, full-width accepted)."""
    v = _fold(value).replace("-", "")
    if v.startswith("+86"):
        v = v[3:]
    elif v.startswith("0086"):
        v = v[4:]
    if not re.fullmatch(r"1[3-9]\d{9}", v, re.ASCII):
        raise ParseError(gettext("请输入正确的11位手机号码"))
    return v


# --- the disclosure policy (docs/adr/0005-personal-data.md, "What a page may show") --------------
# An ID number is 6 area digits, the birth date (8), a 3-digit sequence whose parity is the sex, and a
# check character. A viewer is assumed to know the area (the outlet's county) and the sex (shown), so
# what keeps the number unknown is the birth date and the sequence: 500 sequences per day, of which
# the shown check character keeps 1 in 11. Pages therefore show the first and the last character of
# the number only, and never the full birth date (45 candidates left); the birth year
# (365 × 500 / 11 ≈ 16,600) to viewers who may reveal the number anyway, a five-year birth cohort
# (≈ 83,000) to everyone else. Both are fixed for life: an age, or an age band, changes on the
# birthday, and watching it change gives the day away.
ID_VISIBLE_HEAD = 1
ID_VISIBLE_TAIL = 1
BIRTH_COHORT_YEARS = 5


def mask_id_number(value: str | None) -> str:
    """``2****************X``: the first and the last character, of a number or of an older, wider mask."""
    if not value:
        return "--"
    v = value.strip()
    if len(v) <= ID_VISIBLE_HEAD + ID_VISIBLE_TAIL + 4:
        return "*" * len(v)
    return v[:ID_VISIBLE_HEAD] + "*" * (len(v) - ID_VISIBLE_HEAD - ID_VISIBLE_TAIL) + v[-ID_VISIBLE_TAIL:]


def birth_disclosed(born: date | None, *, may_reveal: bool) -> str:
    """What a page shows of a birth date: the year to viewers with the reveal right, else the cohort."""
    if born is None:
        return "--"
    if may_reveal:
        return gettext("%(year)s年") % {"year": born.year}
    start = born.year - born.year % BIRTH_COHORT_YEARS
    return gettext("%(start)s–%(end)s年") % {"start": start, "end": start + BIRTH_COHORT_YEARS - 1}


def mask_phone(value: str | None) -> str:
    if not value:
        return "--"
    v = value.strip()
    if len(v) < 7:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:]


def mask_name(value: str | None) -> str:
    if not value:
        return "--"
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
