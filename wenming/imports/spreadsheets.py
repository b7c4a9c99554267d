"""Workbook I/O for imports: the downloadable templates, reading rows, the error report.

``read_rows`` is the only place that calls ``openpyxl.load_workbook``, and only on bytes that have
passed ``wenming.core.uploads.check_spreadsheet``; it reads in read-only, values-only mode with row and column caps.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .parsers import (
    COLUMNS,
    EXAMPLE_MARK,
    JOBS,
    OUTLET_STATUSES,
    OUTLET_TYPES,
    Column,
    header_key,
    is_example_row,
)
from .registry import get_import

SHEET_TITLES = {"outlets": "网点", "couriers": "快递员"}
KIND_LABELS = {"outlets": "网点", "couriers": "快递员"}
VALIDATED_ROWS = 5000  # drop-down lists in the template cover this many rows
MAX_BLANK_RUN = 1000  # this many empty rows in a row end the sheet
_EXTRA_COLS = 10

_CHOICE_LISTS: dict[str, Sequence[str]] = {
    "outlet_type": [lbl for _, lbl in OUTLET_TYPES],
    "is_rural": ["城市", "农村"],
    "status": [lbl for _, lbl in OUTLET_STATUSES],
    "gender": ["男", "女"],
    "has_labour_contract": ["是", "否"],
    "is_party_member": ["是", "否"],
    "is_league_member": ["是", "否"],
    "is_union_member": ["是", "否"],
    "job": [lbl for _, lbl in JOBS],
}


def columns_of(kind: str) -> tuple[Column, ...]:
    """The columns of a built-in kind or of one an app registered (``registry.register_import``)."""
    spec = get_import(kind)
    return spec.columns if spec else COLUMNS[kind]


def sheet_title(kind: str) -> str:
    spec = get_import(kind)
    return spec.sheet_title if spec else SHEET_TITLES[kind]


def _kind_label(kind: str) -> str:
    spec = get_import(kind)
    return spec.sheet_title if spec else KIND_LABELS[kind]


class SheetError(Exception):
    """The workbook opened but cannot be imported as a whole (missing columns, too many rows)."""

    def __init__(self, message: str, stage: str) -> None:
        super().__init__(message)
        self.message = message
        self.stage = stage


# --- template ------------------------------------------------------------------------------------
def build_template(kind: str, *, brands: Iterable[tuple[str, str]] = (), max_rows: int = 20000) -> bytes:
    """The import template: data sheet (Chinese headers + one 【示例】 row) and a 填写说明 sheet."""
    columns = columns_of(kind)
    spec = get_import(kind)
    choice_lists = {**_CHOICE_LISTS, **(spec.choices if spec else {})}
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(kind)
    head_fill = PatternFill("solid", fgColor="E8F3EC")
    for idx, col in enumerate(columns, start=1):
        letter = get_column_letter(idx)
        cell = ws.cell(row=1, column=idx, value=col.header)
        cell.font = Font(bold=True, color="C0392B" if col.required else "1F2D3D")
        cell.fill = head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[letter].width = max(12, len(col.header) * 2 + 4, len(col.example) * 2 + 2)
        if col.text_format:
            ws.column_dimensions[letter].number_format = "@"
        example = ws.cell(row=2, column=idx, value=col.example)
        example.font = Font(italic=True, color="7F8C8D")
        if col.text_format:
            example.number_format = "@"
        choices = choice_lists.get(col.key)
        if choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="填写有误",
                error="请从下拉列表中选择",
            )
            dv.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    info = wb.create_sheet("填写说明")
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 8
    info.column_dimensions["C"].width = 70
    info.column_dimensions["D"].width = 28
    info.append([f"{_kind_label(kind)}导入模板 · 填写说明"])
    info["A1"].font = Font(bold=True, size=14)
    notes = [
        f"1. 在“{sheet_title(kind)}”工作表中从第2行起每行填写一条记录，不要修改第1行的列名；带 * 的列必须填写。",
        f"2. 以“{EXAMPLE_MARK}”开头的行是示例，不会导入，可直接覆盖或删除。",
        f"3. 每个文件最多 {max_rows:,} 行，文件不超过 10 MB，只支持 .xlsx 格式。",
        "4. 导入为“全部成功或全部不写入”：任一行有错误，整个文件都不会写入，请按错误报告修改后重新上传。",
        "5. 日期请填写为 2020-01-02 格式；身份证号、手机号、区县代码请使用文本格式，避免末位被 Excel 改写。",
        "6. 所属企业、所属网点须在您的数据范围内，否则提示“找不到或无权限”。",
    ]
    if spec:
        notes = notes[:4] + [f"{i}. {n}" for i, n in enumerate(spec.notes, start=5)]
    for n in notes:
        info.append([n])
    info.append([])
    info.append(["列名", "必填", "填写要求 / 可选值", "示例"])
    for cell in info[info.max_row]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
    for col in columns:
        example = col.example.removeprefix(EXAMPLE_MARK)
        info.append([col.label, "是" if col.required else "否", col.help, example])
        info.cell(row=info.max_row, column=4).number_format = "@"
    brand_list = [f"{name}（{code}）" for name, code in brands]
    if kind == "outlets" and brand_list:
        info.append([])
        info.append(["可用品牌", "", "、".join(brand_list)])
    for row in info.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- reading -------------------------------------------------------------------------------------
@dataclass
class Sheet:
    """The data rows of an upload: ``(excel_row_number, {column_key: raw_value})``."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    skipped: int = 0


def read_rows(data: bytes, kind: str, *, max_rows: int) -> Sheet:
    """Read the first worksheet (or the one named like the template) of a checked upload."""
    columns = columns_of(kind)
    title = sheet_title(kind)
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        names = wb.sheetnames
        ws = wb[title] if title in names else wb[names[0]]
        it = ws.iter_rows(values_only=True, max_col=len(columns) + _EXTRA_COLS)
        header = next(it, None)
        keys = _map_header(header or (), columns)
        sheet = Sheet()
        blank_run = 0
        for row_no, values in enumerate(it, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                blank_run += 1
                if blank_run >= MAX_BLANK_RUN:
                    break
                continue
            blank_run = 0
            cells = {key: values[i] for i, key in keys.items() if i < len(values)}
            if is_example_row(cells, columns[0].key):
                sheet.skipped += 1
                continue
            if len(sheet.rows) >= max_rows:
                raise SheetError(f"数据超过 {max_rows:,} 行，请拆分后分批导入", "rows")
            sheet.rows.append((row_no, cells))
        return sheet
    finally:
        wb.close()


def _map_header(header: Sequence[Any], columns: tuple[Column, ...]) -> dict[int, str]:
    keys: dict[int, str] = {}
    for i, value in enumerate(header):
        key = header_key(value, columns)
        if key is None:
            continue
        if key in keys.values():
            label = next(c.label for c in columns if c.key == key)
            raise SheetError(f"第1行列名“{label}”重复，请使用导入模板", "header")
        keys[i] = key
    missing = [c.label for c in columns if c.required and c.key not in keys.values()]
    if missing:
        raise SheetError("缺少必填列：" + "、".join(missing) + "。请下载并使用导入模板", "header")
    return keys


# --- error report --------------------------------------------------------------------------------
ERROR_HEADER = ["行号", "列", "错误说明"]


def error_rows(errors: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """Row number, column and message of every error (no cell values: they may be personal data)."""
    for e in errors:
        yield [e["row"] if e.get("row") else "整个文件", e.get("column") or "--", e["message"]]
