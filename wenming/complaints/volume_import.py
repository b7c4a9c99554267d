"""Monthly item volumes (业务量) by Excel, through the import mechanism (``wenming.imports.registry``).

One row per enterprise and month: 企业 (name, 统一社会信用代码 or 快递业务经营许可证号), 月份 (2026-03,
2026年3月, 202603 or a date cell), 业务量 (whole items, 0 … ``MAX_MONTHLY_ITEMS``). Every row is checked
in one pass and every bad cell gets its Chinese message: unknown enterprise, an enterprise outside the
importer's ``complaints.volume`` scope, month format, a future month, negative, fractional or absurd
volumes, the same enterprise and month twice in the file. A month already entered is replaced (the
preview shows the old value). Nothing is written unless every row is good (the mechanism's commit).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from wenming.imports.models import ImportKind
from wenming.imports.parsers import EXAMPLE_MARK, Column, ParseError, cell_text
from wenming.imports.registry import ImportSpec, register_import
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Enterprise, Organization

from .models import ItemVolume
from .permissions import ComplaintAction as CA
from .services import MAX_MONTHLY_ITEMS, volumes_import

ENTERPRISE, MONTH, ITEMS = "企业", "月份", "业务量"
MIN_YEAR = 2000

VOLUME_COLUMNS: tuple[Column, ...] = (
    Column(
        "enterprise",
        ENTERPRISE,
        True,
        "企业名称、统一社会信用代码或快递业务经营许可证号，须在您的数据范围内",
        EXAMPLE_MARK + "顺丰速运（沈阳）有限公司",
    ),
    Column("month", MONTH, True, "如 2026-03 或 2026年3月；不能是未来月份", "2026-03", True),
    Column("items", ITEMS, True, f"该月处理的快件数（件），0 至 {MAX_MONTHLY_ITEMS:,} 的整数", "1250000"),
)

PREVIEW = ("行号", "企业", "月份", "业务量（件）", "原业务量（件）")

_MONTH_PATTERNS = (
    re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月?"),
    re.compile(r"([0-9]{4})([0-9]{2})"),
    re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]1"),  # the first of the month typed as a date
    re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]01"),
)


def parse_month(value: Any, *, today: date) -> date:
    """The first day of the month from a date cell or text; a fraction such as 2026.03 is refused."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        month = value.replace(day=1)
    elif isinstance(value, float) and not value.is_integer():
        raise ParseError("月份格式不正确，请以文本填写，如 2026-03")
    else:
        text = unicodedata.normalize("NFKC", cell_text(value)).replace(" ", "")
        text = re.sub(r"0{1,2}:0{2}(:0{2})?$", "", text)
        if not text:
            raise ParseError("必填，不能为空")
        for pattern in _MONTH_PATTERNS:
            m = pattern.fullmatch(text)
            if m:
                year, mon = int(m.group(1)), int(m.group(2))
                break
        else:
            raise ParseError("月份格式不正确，请填写如 2026-03")
        if not 1 <= mon <= 12:
            raise ParseError("月份应在1至12之间")
        if year < MIN_YEAR or year > 2100:
            raise ParseError(f"年份应在{MIN_YEAR}年之后")
        month = date(year, mon, 1)
    if month.year < MIN_YEAR:
        raise ParseError(f"年份应在{MIN_YEAR}年之后")
    if month > today.replace(day=1):
        raise ParseError("不能导入未来月份的业务量")
    return month


def format_month(value: date) -> str:
    return f"{value:%Y-%m}"


def parse_items(value: Any) -> int:
    """Whole items: 1250000, 1,250,000 or 1250000.0; negative, fractional and absurd volumes are refused."""
    if isinstance(value, bool):
        raise ParseError("请填写数字")
    if isinstance(value, int):
        n = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ParseError("请填写数字")
        if not value.is_integer():
            raise ParseError("业务量应为整数（件）")
        n = int(value)
    else:
        text = unicodedata.normalize("NFKC", cell_text(value)).replace(",", "").replace(" ", "")
        text = text.removesuffix("件")
        if not text:
            raise ParseError("必填，不能为空")
        if re.fullmatch(r"-?[0-9]+\.[0-9]*[1-9][0-9]*", text):
            raise ParseError("业务量应为整数（件）")
        text = re.sub(r"\.0+$", "", text)
        if not re.fullmatch(r"-?[0-9]{1,15}", text):
            raise ParseError("请填写数字（件），如 1250000")
        n = int(text)
    if n < 0:
        raise ParseError("业务量不能为负数")
    if n > MAX_MONTHLY_ITEMS:
        raise ParseError(f"业务量超过每月 {MAX_MONTHLY_ITEMS:,} 件，请核对是否多填了位数")
    return n


def format_items(value: int) -> str:
    return str(value)


def _key(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").split()).casefold()


def _enterprise_index() -> dict[str, set[int]]:
    """Every active enterprise by name, code and licence number (names are public; scope is checked apart)."""
    out: dict[str, set[int]] = defaultdict(set)
    rows = Enterprise.objects.filter(organization__is_active=True).values_list(
        "organization_id", "organization__name", "organization__code", "licence_no"
    )
    for pk, *keys in rows:
        for k in {_key(k) for k in keys if k}:
            out[k].add(pk)
    return out


def validate_rows(rows: list[tuple[int, dict[str, Any]]], user: Any, today: date, v: Any) -> None:
    index = _enterprise_index()
    in_scope = set(
        Organization.objects.visible_to(user, CA.VOLUME).filter(kind=OrgKind.ENTERPRISE).values_list("pk", flat=True)
    )
    checked: list[tuple[int, int, date, int]] = []
    for row_no, cells in rows:
        ent_id = month = items = None
        ent_text = cell_text(cells.get("enterprise"))
        if not ent_text:
            v.add(row_no, ENTERPRISE, "必填，不能为空")
        else:
            found = index.get(_key(ent_text), set())
            if not found:
                v.add(row_no, ENTERPRISE, "找不到该企业，请填写企业全称或统一社会信用代码")
            elif len(found) > 1:
                v.add(row_no, ENTERPRISE, "有多个同名企业，请填写统一社会信用代码")
            elif not found & in_scope:
                v.add(row_no, ENTERPRISE, "该企业不在您的数据范围内")
            else:
                ent_id = next(iter(found))
        try:
            month = parse_month(cells.get("month"), today=today)
        except ParseError as exc:
            v.add(row_no, MONTH, str(exc))
        try:
            items = parse_items(cells.get("items"))
        except ParseError as exc:
            v.add(row_no, ITEMS, str(exc))
        if ent_id is not None and month is not None:
            checked.append((row_no, ent_id, month, items))
    seen: dict[tuple[int, date], int] = {}
    good = []
    for row_no, ent_id, month, items in checked:
        first = seen.setdefault((ent_id, month), row_no)
        if first != row_no:
            v.add(row_no, ENTERPRISE, f"与第 {first} 行重复（同一企业同一月份只能填写一行）")
        elif items is not None:
            good.append((row_no, ent_id, month, items))
    if v.errors:
        return
    old = {
        (e, m): n
        for e, m, n in ItemVolume.objects.filter(
            enterprise_id__in={g[1] for g in good}, month__in={g[2] for g in good}
        ).values_list("enterprise_id", "month", "items")
    }
    names = dict(Organization.objects.filter(pk__in={g[1] for g in good}).values_list("pk", "name"))
    for row_no, ent_id, month, items in good:
        v.ready.append((row_no, (ent_id, month, items)))
        if len(v.preview) < 20:
            before = old.get((ent_id, month))
            v.preview.append(
                [row_no, names[ent_id], format_month(month), f"{items:,}", "--" if before is None else f"{before:,}"]
            )


def write_rows(ready: list[tuple[int, Any]], user: Any) -> int:
    return volumes_import(rows=[value for _row_no, value in ready], by=user)


SPEC = ImportSpec(
    kind=ImportKind.ITEM_VOLUMES,
    sheet_title="企业月度业务量",
    columns=VOLUME_COLUMNS,
    preview_headers=PREVIEW,
    action=CA.VOLUME,
    validate=validate_rows,
    write=write_rows,
    notes=(
        "每行填写一个企业一个月的业务量（件），同一企业同一月份只能有一行；已录入的月份将被文件中的数值替换（预览中显示原业务量）。",
        "月份请以文本填写，如 2026-03；不能导入未来月份。",
        f"业务量为 0 至 {MAX_MONTHLY_ITEMS:,} 的整数，不要填写小数、负数或“万件”。",
        "企业须在您的数据范围内：地市局只能导入本市企业，省局可导入全省企业。",
    ),
    result_url="complaints:volumes",
)


def register() -> None:
    register_import(SPEC)
