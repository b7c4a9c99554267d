"""Builders of spreadsheets and ID numbers for the import tests."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from wenming.core.pii import id_check_char
from wenming.imports.parsers import COLUMNS


def make_id(birth: date, seq: int = 1, *, male: bool = True, region: str = "210102") -> str:
    """A GB 11643 number with a correct check character; ``seq`` 0–49 keeps the gender digit free."""
    gender_digit = (seq % 5) * 2 + (1 if male else 0)
    body = f"{region}{birth:%Y%m%d}{seq // 5 % 100:02d}{gender_digit}"
    return body + id_check_char(body)


def courier_cells(i: int, outlet: str = "顺丰沈阳和平营业部", **over: Any) -> dict[str, Any]:
    birth = date(1980, 1, 1) + timedelta(days=i)
    male = i % 2 == 0
    cells = {
        "name": f"快递员{i}",
        "gender": "男" if male else "女",
        "id_number": make_id(birth, i % 50, male=male),
        "phone": f"138{i:08d}",
        "outlet": outlet,
        "started_on": "2015-06-01",
        "has_labour_contract": "是",
        "is_party_member": "否",
        "is_league_member": "",
        "is_union_member": "是",
        "job": "快递员",
    }
    cells.update(over)
    return cells


def outlet_cells(i: int, enterprise: str = "顺丰速运（沈阳）有限公司", **over: Any) -> dict[str, Any]:
    cells = {
        "name": f"顺丰沈阳第{i}营业部",
        "enterprise": enterprise,
        "brand": "顺丰",
        "outlet_type": "营业网点",
        "county_code": "210102",
        "is_rural": "城市",
        "address": f"和平区中华路{i}号",
        "opened_on": "2020-01-02",
        "status": "",
    }
    cells.update(over)
    return cells


def xlsx(kind: str, rows: list[dict[str, Any]], *, text_cells: bool = True) -> bytes:
    """A workbook laid out like the template: header row, then one row per dict (keys = column keys)."""
    columns = COLUMNS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = "快递员" if kind == "couriers" else "网点"
    ws.append([c.header for c in columns])
    for r, cells in enumerate(rows, start=2):
        for c, col in enumerate(columns, start=1):
            value = cells.get(col.key)
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if text_cells and isinstance(value, str):
                cell.data_type = "s"  # literal text even when it starts with "=" (as typed in Excel)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """Copy an .xlsx, replacing or adding parts (used to build hostile files from a real one)."""
    replace, add = replace or {}, add or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, content in add.items():
            out.writestr(name, content)
    return buf.getvalue()
