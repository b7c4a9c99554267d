"""IN4, IN5 and masking: ID numbers, mobiles and names (pure functions, no database)."""

import random
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wenming.core.pii import (
    ParseError,
    birth_date_from_id,
    id_check_char,
    mask_id_number,
    mask_name,
    mask_phone,
    parse_id_number,
    parse_phone,
)

ALPHABET = "0123456789X"


def make_id(region: int, born: date, seq: int) -> str:
    first17 = f"{region:06d}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


ids = st.builds(
    make_id,
    st.integers(110000, 659999),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 27)),
    st.integers(0, 999),
)


def test_known_id_numbers():
    # GB 11643 examples: the check character of 11010519491231002 is X
    assert id_check_char("11010519491231002") == "X"
    assert parse_id_number("11010519491231002x") == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert birth_date_from_id("11010519491231002X") == date(1949, 12, 31)


def test_ten_thousand_generated_ids_are_accepted_and_their_mutations_rejected():
    rng = random.Random(20261127)
    rejected = 0
    for _ in range(10_000):
        born = date.fromordinal(rng.randint(date(1940, 1, 1).toordinal(), date(2010, 12, 31).toordinal()))
        v = make_id(rng.randint(110000, 659999), born, rng.randint(0, 999))
        assert parse_id_number(v) == v
        i = rng.randrange(18)
        mutated = v[:i] + rng.choice([c for c in ALPHABET if c != v[i]]) + v[i + 1 :]
        with pytest.raises(ParseError):
            parse_id_number(mutated)
        rejected += 1
    assert rejected == 10_000


@settings(max_examples=300, deadline=None)
@given(ids)
def test_every_valid_id_is_accepted_in_any_spelling(v):
    assert parse_id_number(v) == v
    assert parse_id_number(v.lower()) == v
    assert parse_id_number(" " + v[:6] + " " + v[6:] + "\n") == v
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in v)
    assert parse_id_number(full_width) == v


@settings(max_examples=200, deadline=None)
@given(ids)
def test_every_single_character_mutation_is_rejected(v):
    for i in range(18):
        for c in ALPHABET:
            if c != v[i]:
                with pytest.raises(ParseError):
                    parse_id_number(v[:i] + c + v[i + 1 :])
        with pytest.raises(ParseError):
            parse_id_number(v[:i] + v[i + 1 :])  # a character dropped


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_arbitrary_text_only_ever_raises_parse_error(s):
    for parse, pattern in ((parse_id_number, r"[0-9]{17}[0-9X]"), (parse_phone, r"1[3-9][0-9]{9}")):
        try:
            out = parse(s)
        except ParseError:
            continue
        assert re.fullmatch(pattern, out), out


def test_non_latin_digits_are_not_accepted_as_a_different_spelling():
    # Arabic-Indic digits are \d in Unicode regexes; they must not give a second key for one person
    v = "11010519491231002X"
    arabic = "".join(chr(0x660 + int(c)) if c.isdigit() else c for c in v)
    with pytest.raises(ParseError):
        parse_id_number(arabic)
    with pytest.raises(ParseError):
        parse_phone("13" + "".join(chr(0x660 + int(c)) for c in "812345678"))


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "138-1234-5678",
        "１３８１２３４５６７８",
        "＋８６ １３８　１２３４　５６７８",
        " 138 1234 5678 ",
    ],
)
def test_phone_spellings_give_one_key(raw):
    from wenming.core.crypto import blind_index

    assert parse_phone(raw) == "13812345678"
    assert blind_index(parse_phone(raw), "phone") == blind_index("13812345678", "phone")


@pytest.mark.parametrize("raw", ["1381234567", "23812345678", "12812345678", "+8713812345678", "138123456789", ""])
def test_bad_phones_are_rejected(raw):
    with pytest.raises(ParseError, match="请输入正确的11位手机号码"):
        parse_phone(raw)


def test_masks():
    assert mask_id_number("210102199001011234") == "2****************4"
    assert mask_id_number("21010219900101123X") == "2****************X"
    assert mask_id_number("210102900101123") == "2*************3"  # first-generation 15-digit number
    assert mask_id_number("210***********123X") == "2****************X"  # an older, wider stored mask
    assert mask_id_number("") == mask_id_number(None) == "--"
    assert mask_phone("13856785678") == "138****5678"
    assert mask_phone(None) == "--"
    assert mask_name("张三明") == "张*明"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_name("") == "--"
    # a masked value never contains the hidden middle
    assert "19900101" not in mask_id_number("210102199001011234")
    assert "5678" not in mask_phone("13856785678")[:7]


def test_birth_dates_are_shown_as_a_year_or_a_cohort_fixed_for_life():
    from datetime import date

    from wenming.core.pii import birth_disclosed

    assert birth_disclosed(date(1988, 5, 12), may_reveal=True) == "1988年"
    assert birth_disclosed(date(1988, 5, 12), may_reveal=False) == "1985–1989年"
    assert birth_disclosed(date(1990, 1, 1), may_reveal=False) == "1990–1994年"
    assert birth_disclosed(None, may_reveal=True) == "--"
