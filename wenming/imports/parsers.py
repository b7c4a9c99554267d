"""Pure parsers for imported spreadsheet rows: no database, no settings, no clock.

Cell parsers take whatever openpyxl returns for a cell (``str``, ``int``, ``float``, ``datetime``,
``None``) and either return a clean value or raise ``ParseError`` with a Chinese message. Row parsers
collect every cell error and return either a frozen value object or a list of ``(column, message)``.
Each parser has a ``format_*`` partner, so that ``parse(format(x)) == x`` (engineering.md §5).

Text is stored exactly as typed: a cell that looks like a formula (``=cmd|…``) is plain text here and
is neutralised whenever it is written back to a spreadsheet (IN11).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from wenming.core import pii
from wenming.core.pii import ParseError

__all__ = [
    "COURIER_COLUMNS",
    "OUTLET_COLUMNS",
    "Column",
    "CourierRow",
    "OutletRow",
    "ParseError",
    "parse_courier_row",
    "parse_outlet_row",
]

MIN_YEAR, MAX_YEAR = 1900, 2100
MIN_WORKING_AGE = 16
EXAMPLE_MARK = "【示例】"

_DATE_PATTERNS = (
    re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日?"),
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),
)
_EXCEL_EPOCH = date(1899, 12, 30)
_INVISIBLE = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # private-use characters stay: some rare names need them


# --- cells ---------------------------------------------------------------------------------------
def cell_text(value: Any) -> str:
    """The cell as text: ``None`` → "", integral floats without ``.0``, dates as ``YYYY-MM-DD``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _fold(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split()).lower()


def parse_text(value: Any, *, max_length: int, required: bool = True) -> str:
    """Free text: trimmed, no control characters, at most ``max_length`` characters; kept verbatim."""
    text = cell_text(value)
    if not text:
        if required:
            raise ParseError("必填，不能为空")
        return ""
    if "\n" in text or "\r" in text or "\t" in text:
        raise ParseError("不能包含换行或制表符")
    if any(unicodedata.category(ch) in _INVISIBLE for ch in text):
        raise ParseError("包含不可见的控制字符，请删除后重新填写")
    if len(text) > max_length:
        raise ParseError(f"不能超过{max_length}个字")
    return text


def format_text(value: str) -> str:
    return value


def parse_date(value: Any) -> date:
    """A calendar date from a date cell, an Excel serial number or text such as 2020-01-02 / 2020年1月2日."""
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if value != value or not 1 <= value < 73051:  # NaN, or outside 1900-01-01 … 2099-12-31
            raise ParseError("日期格式不正确，请填写如 2020-01-02")
        d = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        text = unicodedata.normalize("NFKC", cell_text(value))
        text = re.sub(r"\s+0{1,2}:0{2}(:0{2})?$", "", text)
        if not text:
            raise ParseError("必填，不能为空")
        for pattern in _DATE_PATTERNS:
            m = pattern.fullmatch(text)
            if m:
                try:
                    d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    raise ParseError("日期不存在，请检查年月日")
                break
        else:
            raise ParseError("日期格式不正确，请填写如 2020-01-02")
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise ParseError(f"日期应在{MIN_YEAR}年至{MAX_YEAR}年之间")
    return d


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有", "已签订"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无", "未签订"}


def parse_bool(value: Any) -> bool:
    """是/否 (also Y/N, 1/0, √/×)."""
    if isinstance(value, bool):
        return value
    text = _fold(cell_text(value))
    if not text:
        raise ParseError("必填，不能为空")
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ParseError("请填写“是”或“否”")


def format_bool(value: bool) -> str:
    return "是" if value else "否"


_GENDERS = {"男": "M", "男性": "M", "m": "M", "女": "F", "女性": "F", "f": "F"}
_GENDER_LABELS = {"M": "男", "F": "女"}


def parse_gender(value: Any) -> str:
    text = _fold(cell_text(value))
    if not text:
        raise ParseError("必填，不能为空")
    if text not in _GENDERS:
        raise ParseError("请填写“男”或“女”")
    return _GENDERS[text]


def format_gender(value: str) -> str:
    return _GENDER_LABELS[value]


def parse_choice(value: Any, choices: list[tuple[str, str]]) -> str:
    """One of ``choices`` by its Chinese label (or its code)."""
    text = _fold(cell_text(value))
    if not text:
        raise ParseError("必填，不能为空")
    for code, label in choices:
        if text in (_fold(label), code.lower()):
            return code
    raise ParseError("可选值：" + "、".join(label for _, label in choices))


def format_choice(value: str, choices: list[tuple[str, str]]) -> str:
    return dict(choices)[value]


def parse_id_number(value: Any) -> str:
    """GB 11643 citizen ID number (text). A number cell has lost its last digits in Excel: refuse it."""
    if isinstance(value, float):
        raise ParseError("身份证号被存成了数字，请将该列设为“文本”格式后重新填写")
    text = cell_text(value)
    if not text:
        raise ParseError("必填，不能为空")
    result = pii.parse_id_number(text)
    if not result.isascii():
        raise ParseError("身份证号码应为18位，最后一位可以是数字或X")
    if pii.birth_date_from_id(result).year < MIN_YEAR:
        raise ParseError("身份证号码中的出生日期无效")
    return result


def format_id_number(value: str) -> str:
    return value


def parse_phone(value: Any) -> str:
    """Optional mainland mobile number; empty → ""."""
    if isinstance(value, float) and not value.is_integer():
        raise ParseError("请输入正确的11位手机号码")
    text = cell_text(value)
    if not text:
        return ""
    result = pii.parse_phone(text)
    if not result.isascii():
        raise ParseError("请输入正确的11位手机号码")
    return result


def format_phone(value: str) -> str:
    return value


def parse_county_code(value: Any) -> str:
    """A county-level GB/T 2260 code in Liaoning (21xxxx, not a province or city code)."""
    text = unicodedata.normalize("NFKC", cell_text(value)).strip()
    if not text:
        raise ParseError("必填，不能为空")
    if not re.fullmatch(r"[0-9]{6}", text) or not text.startswith("21") or text.endswith("00"):
        raise ParseError("应为6位辽宁省县级行政区划代码，如 210102")
    return text


def format_county_code(value: str) -> str:
    return value


_URBAN = {"城市", "城镇", "城区", "城"}
_RURAL = {"农村", "乡村", "乡镇", "农"}


def parse_rural(value: Any) -> bool:
    """城市 → False, 农村 → True."""
    text = _fold(cell_text(value))
    if not text:
        raise ParseError("必填，不能为空")
    if text in _URBAN:
        return False
    if text in _RURAL:
        return True
    raise ParseError("请填写“城市”或“农村”")


def format_rural(value: bool) -> str:
    return "农村" if value else "城市"


# --- columns -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One spreadsheet column: key in the value object, Chinese header, whether required, help text."""

    key: str
    label: str
    required: bool
    help: str
    example: str
    text_format: bool = False  # Excel column format "@" so that long digit strings stay text

    @property
    def header(self) -> str:
        return self.label + ("*" if self.required else "")


OUTLET_TYPES = [
    ("service_point", "营业网点"),
    ("post_office", "局所"),
    ("village_station", "村级站"),
    ("parcel_station", "驿站"),
]
OUTLET_STATUSES = [("open", "营业"), ("suspended", "暂停营业"), ("closed", "已撤销")]
JOBS = [("courier", "快递员"), ("postal_carrier", "投递员"), ("rural_carrier", "乡村邮递员")]

OUTLET_COLUMNS: tuple[Column, ...] = (
    Column("name", "网点名称", True, "不超过100个字；同一企业下不能重名", EXAMPLE_MARK + "顺丰沈阳和平营业部"),
    Column(
        "enterprise",
        "所属企业",
        True,
        "填写企业名称、统一社会信用代码或快递业务经营许可证号，须在您的数据范围内",
        "顺丰速运（沈阳）有限公司",
    ),
    Column("brand", "品牌", True, "品牌名称或代码，如 顺丰 / SF", "顺丰"),
    Column("outlet_type", "网点类型", True, "可选值：" + "、".join(lbl for _, lbl in OUTLET_TYPES), "营业网点"),
    Column("county_code", "区县代码", True, "6位县级行政区划代码（GB/T 2260），如 210102", "210102", True),
    Column("is_rural", "城乡", True, "可选值：城市、农村", "城市"),
    Column("address", "地址", True, "不超过200个字", "和平区南京北街1号"),
    Column("opened_on", "开办日期", False, "日期，如 2015-03-01；不能晚于今天", "2015-03-01"),
    Column("status", "状态", False, "可选值：营业、暂停营业、已撤销；不填为“营业”", "营业"),
)

COURIER_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", True, "不超过50个字", EXAMPLE_MARK + "李华"),
    Column("gender", "性别", True, "可选值：男、女；须与身份证号一致", "女"),
    Column("id_number", "身份证号", True, "18位居民身份证号码，请以文本格式填写", "11010519491231002X", True),
    Column("phone", "手机号", False, "11位手机号码", "13800138000", True),
    Column(
        "outlet",
        "所属网点",
        True,
        "网点名称，须在您的数据范围内；重名时填写“企业名称/网点名称”",
        "顺丰沈阳和平营业部",
    ),
    Column("started_on", "从事收投工作时间", True, "日期，如 2018-06-01；不能晚于今天、不能早于16周岁", "2018-06-01"),
    Column("has_labour_contract", "劳动合同", True, "是否签订劳动合同：是、否", "是"),
    Column("is_party_member", "中共党员", False, "是、否；不填为“否”", "否"),
    Column("is_league_member", "共青团员", False, "是、否；不填为“否”", "否"),
    Column("is_union_member", "工会会员", False, "是、否；不填为“否”", "是"),
    Column("job", "岗位", False, "可选值：快递员、投递员、乡村邮递员；不填为“快递员”", "快递员"),
)

COLUMNS = {"outlets": OUTLET_COLUMNS, "couriers": COURIER_COLUMNS}


def header_key(header: Any, columns: tuple[Column, ...]) -> str | None:
    """Map a header cell ("身份证号*", "所属企业(名称或…)*") to a column key; unknown → None."""
    text = cell_text(header)
    text = re.sub(r"[（(].*?[）)]", "", text).replace("*", "").replace("＊", "")
    text = "".join(text.split())
    for col in columns:
        if text == col.label:
            return col.key
    return None


def is_example_row(cells: dict[str, Any], first: str = "name") -> bool:
    """Rows whose first cell (column key ``first``) starts with 【示例】 are the template's samples and are skipped."""
    return cell_text(cells.get(first)).startswith(EXAMPLE_MARK)


# --- rows ----------------------------------------------------------------------------------------
Errors = list[tuple[str, str]]


@dataclass(frozen=True)
class OutletRow:
    """A clean outlet row; ``enterprise`` and ``brand`` are references resolved against the database."""

    name: str
    enterprise: str
    brand: str
    outlet_type: str
    county_code: str
    is_rural: bool
    address: str
    opened_on: date | None
    status: str


@dataclass(frozen=True)
class CourierRow:
    """A clean courier row; ``outlet`` is a reference resolved against the database."""

    name: str
    gender: str
    id_number: str
    birth_date: date
    phone: str
    outlet: str
    started_on: date
    has_labour_contract: bool
    is_party_member: bool
    is_league_member: bool
    is_union_member: bool
    job: str


def _label(columns: tuple[Column, ...], key: str) -> str:
    return next(c.label for c in columns if c.key == key)


class _Collector:
    def __init__(self, cells: dict[str, Any], columns: tuple[Column, ...]) -> None:
        self.cells, self.columns, self.errors = cells, columns, []

    def take(self, key: str, parser: Any, *args: Any, default: Any = None, optional: bool = False) -> Any:
        raw = self.cells.get(key)
        try:
            if optional and cell_text(raw) == "":
                return default
            return parser(raw, *args)
        except ParseError as exc:
            self.errors.append((_label(self.columns, key), str(exc)))
        except (ValueError, TypeError, OverflowError):
            self.errors.append((_label(self.columns, key), "无法识别，请检查填写内容"))
        return default

    def add(self, key: str, message: str) -> None:
        self.errors.append((_label(self.columns, key), message))


def parse_outlet_row(cells: dict[str, Any], *, today: date) -> OutletRow | Errors:
    """Parse one outlet row (keys from ``OUTLET_COLUMNS``); never raises."""
    c = _Collector(cells, OUTLET_COLUMNS)
    name = c.take("name", lambda v: parse_text(v, max_length=100))
    enterprise = c.take("enterprise", lambda v: parse_text(v, max_length=100))
    brand = c.take("brand", lambda v: parse_text(v, max_length=40))
    outlet_type = c.take("outlet_type", parse_choice, OUTLET_TYPES)
    county_code = c.take("county_code", parse_county_code)
    is_rural = c.take("is_rural", parse_rural)
    address = c.take("address", lambda v: parse_text(v, max_length=200))
    opened_on = c.take("opened_on", parse_date, optional=True)
    status = c.take("status", parse_choice, OUTLET_STATUSES, optional=True, default="open")
    if opened_on is not None and opened_on > today:
        c.add("opened_on", "不能晚于今天")
    if c.errors:
        return c.errors
    return OutletRow(name, enterprise, brand, outlet_type, county_code, is_rural, address, opened_on, status)


def parse_courier_row(cells: dict[str, Any], *, today: date) -> CourierRow | Errors:
    """Parse one courier row (keys from ``COURIER_COLUMNS``) and cross-check it with the ID number."""
    c = _Collector(cells, COURIER_COLUMNS)
    name = c.take("name", lambda v: parse_text(v, max_length=50))
    gender = c.take("gender", parse_gender)
    id_number = c.take("id_number", parse_id_number)
    phone = c.take("phone", parse_phone, optional=True, default="")
    outlet = c.take("outlet", lambda v: parse_text(v, max_length=201))
    started_on = c.take("started_on", parse_date)
    contract = c.take("has_labour_contract", parse_bool)
    party = c.take("is_party_member", parse_bool, optional=True, default=False)
    league = c.take("is_league_member", parse_bool, optional=True, default=False)
    union = c.take("is_union_member", parse_bool, optional=True, default=False)
    job = c.take("job", parse_choice, JOBS, optional=True, default="courier")
    birth = None
    if id_number:
        birth = pii.birth_date_from_id(id_number)
        if birth > today:
            c.add("id_number", "身份证号码中的出生日期晚于今天")
        id_gender = "M" if int(id_number[16]) % 2 else "F"
        if gender and gender != id_gender:
            c.add("gender", "性别与身份证号不符")
    if started_on:
        if started_on > today:
            c.add("started_on", "不能晚于今天")
        elif birth and started_on < _add_years(birth, MIN_WORKING_AGE):
            c.add("started_on", f"早于{MIN_WORKING_AGE}周岁，请核对")
    if c.errors:
        return c.errors
    return CourierRow(name, gender, id_number, birth, phone, outlet, started_on, contract, party, league, union, job)


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# --- formatting (the inverse of parsing; used by the template example and the round-trip tests) --
def format_outlet_row(row: OutletRow) -> dict[str, str]:
    return {
        "name": format_text(row.name),
        "enterprise": format_text(row.enterprise),
        "brand": format_text(row.brand),
        "outlet_type": format_choice(row.outlet_type, OUTLET_TYPES),
        "county_code": format_county_code(row.county_code),
        "is_rural": format_rural(row.is_rural),
        "address": format_text(row.address),
        "opened_on": format_date(row.opened_on),
        "status": format_choice(row.status, OUTLET_STATUSES),
    }


def format_courier_row(row: CourierRow) -> dict[str, str]:
    return {
        "name": format_text(row.name),
        "gender": format_gender(row.gender),
        "id_number": format_id_number(row.id_number),
        "phone": format_phone(row.phone),
        "outlet": format_text(row.outlet),
        "started_on": format_date(row.started_on),
        "has_labour_contract": format_bool(row.has_labour_contract),
        "is_party_member": format_bool(row.is_party_member),
        "is_league_member": format_bool(row.is_league_member),
        "is_union_member": format_bool(row.is_union_member),
        "job": format_choice(row.job, JOBS),
    }


def row_fields(row: OutletRow | CourierRow) -> dict[str, Any]:
    return {f.name: getattr(row, f.name) for f in fields(row)}
