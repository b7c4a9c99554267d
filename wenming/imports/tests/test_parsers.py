"""Property-based tests of the pure row and cell parsers (engineering.md §5): no database needed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wenming.core.pii import id_check_char
from wenming.imports import parsers as p
from wenming.imports.parsers import ParseError

TODAY = date(2026, 11, 27)
CELL_PARSERS = [
    lambda v: p.parse_text(v, max_length=50),
    lambda v: p.parse_text(v, max_length=200, required=False),
    p.parse_date,
    p.parse_bool,
    p.parse_gender,
    lambda v: p.parse_choice(v, p.OUTLET_TYPES),
    p.parse_id_number,
    p.parse_phone,
    p.parse_county_code,
    p.parse_rural,
]
PARSER_IDS = ["text", "optional_text", "date", "bool", "gender", "choice", "id_number", "phone", "county", "rural"]
# What openpyxl can hand us for a cell.
cell_values = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789-/.年月日 Xx"),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(),
    st.dates(),
)


@pytest.mark.parametrize("parse", CELL_PARSERS, ids=PARSER_IDS)
@given(value=st.text())
@settings(max_examples=150, deadline=None)
def test_cell_parsers_on_any_text_raise_only_parse_error(parse, value):
    try:
        parse(value)
    except ParseError as exc:
        assert str(exc)  # a Chinese message, never empty


@pytest.mark.parametrize("parse", CELL_PARSERS, ids=PARSER_IDS)
@given(value=cell_values)
@settings(max_examples=150, deadline=None)
def test_cell_parsers_on_any_cell_value_raise_only_parse_error(parse, value):
    try:
        parse(value)
    except ParseError:
        pass


@given(cells=st.dictionaries(st.sampled_from([c.key for c in p.COURIER_COLUMNS]), cell_values))
@settings(max_examples=200, deadline=None)
def test_courier_row_parser_never_raises(cells):
    result = p.parse_courier_row(cells, today=TODAY)
    if isinstance(result, list):
        labels = {c.label for c in p.COURIER_COLUMNS}
        assert result and all(col in labels and msg for col, msg in result)
    else:
        assert isinstance(result, p.CourierRow)


@given(cells=st.dictionaries(st.sampled_from([c.key for c in p.OUTLET_COLUMNS]), cell_values))
@settings(max_examples=200, deadline=None)
def test_outlet_row_parser_never_raises(cells):
    result = p.parse_outlet_row(cells, today=TODAY)
    assert isinstance(result, list | p.OutletRow)
    if isinstance(result, list):
        assert result


# --- round trips -----------------------------------------------------------------------------
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_date_round_trip(d):
    assert p.parse_date(p.format_date(d)) == d
    assert p.parse_date(datetime(d.year, d.month, d.day)) == d
    assert p.parse_date(f"{d.year}年{d.month}月{d.day}日") == d


def test_date_accepts_excel_serials_and_refuses_impossible_days():
    assert p.parse_date(43831) == date(2020, 1, 1)
    assert p.parse_date("2020/1/2") == date(2020, 1, 2)
    with pytest.raises(ParseError, match="日期不存在"):
        p.parse_date("2021-02-29")
    with pytest.raises(ParseError, match="日期格式不正确"):
        p.parse_date("明天")


@given(st.booleans())
def test_bool_round_trip(b):
    assert p.parse_bool(p.format_bool(b)) is b


@given(st.sampled_from(["M", "F"]))
def test_gender_round_trip(g):
    assert p.parse_gender(p.format_gender(g)) == g


@given(st.sampled_from(p.OUTLET_TYPES + p.OUTLET_STATUSES + p.JOBS))
def test_choice_round_trip(choice):
    code, _ = choice
    for choices in (p.OUTLET_TYPES, p.OUTLET_STATUSES, p.JOBS):
        if code in dict(choices):
            assert p.parse_choice(p.format_choice(code, choices), choices) == code


@given(st.booleans())
def test_rural_round_trip(b):
    assert p.parse_rural(p.format_rural(b)) is b


@st.composite
def id_numbers(draw, birth=None):
    region = draw(st.sampled_from(["210102", "210202", "210302", "110105"]))
    birth = birth or draw(st.dates(min_value=date(1940, 1, 1), max_value=date(2008, 12, 31)))
    seq = draw(st.integers(min_value=0, max_value=999))
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


@given(id_numbers())
def test_id_number_round_trip_and_lowercase_x(value):
    assert p.parse_id_number(p.format_id_number(value)) == value
    assert p.parse_id_number(value.lower()) == value


def test_id_number_refuses_number_cells_and_bad_check_digit():
    with pytest.raises(ParseError, match="文本"):
        p.parse_id_number(2.10102198001010e17)
    good = "11010519491231002X"
    with pytest.raises(ParseError, match="校验位"):
        p.parse_id_number(good[:-1] + "1")


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_phone_round_trip(value):
    assert p.parse_phone(p.format_phone(value)) == value
    assert p.parse_phone(int(value)) == value


@given(st.from_regex(r"21[0-9]{2}(0[1-9]|[1-9][0-9])", fullmatch=True))
def test_county_code_round_trip(value):
    assert p.parse_county_code(p.format_county_code(value)) == value
    assert p.parse_county_code(int(value)) == value


names = st.text(alphabet="张王李赵刘陈杨黄周吴𠮷丽娜伟强·", min_size=1, max_size=50)
places = (
    st.text(alphabet="顺丰中通沈阳大连和平营业部（）/-=+@路号 ", min_size=1, max_size=100)
    .map(str.strip)
    .filter(lambda s: s and "/" not in s)
)


@st.composite
def courier_rows(draw):
    id_number = draw(id_numbers())
    birth = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    earliest = (
        birth.replace(year=birth.year + 16) if (birth.month, birth.day) != (2, 29) else date(birth.year + 16, 3, 1)
    )
    started = draw(st.dates(min_value=earliest, max_value=TODAY))
    return p.CourierRow(
        name=draw(names),
        gender="M" if int(id_number[16]) % 2 else "F",
        id_number=id_number,
        birth_date=birth,
        phone=draw(st.one_of(st.just(""), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))),
        outlet=draw(places),
        started_on=started,
        has_labour_contract=draw(st.booleans()),
        is_party_member=draw(st.booleans()),
        is_league_member=draw(st.booleans()),
        is_union_member=draw(st.booleans()),
        job=draw(st.sampled_from([c for c, _ in p.JOBS])),
    )


@given(courier_rows())
@settings(max_examples=150, deadline=None)
def test_courier_row_round_trip(row):
    assert p.parse_courier_row(p.format_courier_row(row), today=TODAY) == row


@given(
    st.builds(
        p.OutletRow,
        name=places,
        enterprise=places,
        brand=st.sampled_from(["顺丰", "SF", "中通"]),
        outlet_type=st.sampled_from([c for c, _ in p.OUTLET_TYPES]),
        county_code=st.from_regex(r"21[0-9]{2}(0[1-9]|[1-9][0-9])", fullmatch=True),
        is_rural=st.booleans(),
        address=places,
        opened_on=st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=TODAY)),
        status=st.sampled_from([c for c, _ in p.OUTLET_STATUSES]),
    )
)
@settings(max_examples=150, deadline=None)
def test_outlet_row_round_trip(row):
    assert p.parse_outlet_row(p.format_outlet_row(row), today=TODAY) == row


# --- cross-checks and IN11 -------------------------------------------------------------------
def test_courier_cross_checks_gender_and_working_age():
    cells = p.format_courier_row(
        p.CourierRow(
            "李四",
            "F",
            "11010519491231002X",
            date(1949, 12, 31),
            "",
            "网点",
            date(1970, 1, 1),
            True,
            False,
            False,
            False,
            "courier",
        )
    )
    cells["gender"] = "男"  # "11010519491231002X": digit 17 is 2, so the holder is female
    cells["started_on"] = "1960-01-01"  # aged ten
    errors = p.parse_courier_row(cells, today=TODAY)
    assert ("性别", "性别与身份证号不符") in errors
    assert ("从事收投工作时间", "早于16周岁，请核对") in errors
    cells["started_on"] = (TODAY + timedelta(days=1)).isoformat()
    assert ("从事收投工作时间", "不能晚于今天") in p.parse_courier_row(cells, today=TODAY)


@pytest.mark.parametrize("payload", ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")'])
def test_formula_like_text_is_kept_as_plain_text(payload):
    assert p.parse_text(payload, max_length=100) == payload


def test_text_refuses_control_characters_and_overlong_values():
    with pytest.raises(ParseError, match="控制字符"):
        p.parse_text("张\u200b三", max_length=50)
    with pytest.raises(ParseError, match="换行"):
        p.parse_text("张\n三", max_length=50)
    with pytest.raises(ParseError, match="不能超过50个字"):
        p.parse_text("张" * 51, max_length=50)
    assert p.parse_text("𠮷野家", max_length=3) == "𠮷野家"


def test_header_matching_ignores_star_and_notes():
    assert p.header_key("所属企业(名称或统一社会信用代码/许可证号)*", p.OUTLET_COLUMNS) == "enterprise"
    assert p.header_key(" 身份证号* ", p.COURIER_COLUMNS) == "id_number"
    assert p.header_key("备注", p.COURIER_COLUMNS) is None
