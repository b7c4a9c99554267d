"""Import kinds that apps above this one plug in (the outlet and courier kinds are built in).

An app registers its kind in ``ready()``; the mechanism stays the same for every kind: the upload safety
checks, the template with its 填写说明 sheet, the all-or-nothing commit with re-validation, the preview,
the row-by-row Chinese error report and the audit row. The app brings only what is its own::

    register_import(ImportSpec(
        kind=ImportKind.ITEM_VOLUMES, sheet_title="业务量", columns=VOLUME_COLUMNS,
        preview_headers=("行号", "企业", "月份", "业务量（件）"), action=CA.VOLUME,
        validate=validate_rows, write=write_rows,
    ))

``validate(rows, user, today, v)`` checks every ``(row_no, {column_key: raw value})`` and fills the
``Validation`` (``v.add(row, column_label, message)``, ``v.ready.append((row_no, value))``,
``v.preview.append([...])``); ``write(ready, user)`` writes ``v.ready`` inside the commit's transaction
and returns the number of rows written. The importer needs ``Action.IMPORT`` and ``action`` somewhere;
which rows are in scope is for ``validate`` to decide (with ``visible_to(user, action)``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .models import ImportKind
from .parsers import Column


@dataclass(frozen=True)
class ImportSpec:
    kind: str  # an ImportKind value
    sheet_title: str  # the data sheet's name in the template
    columns: tuple[Column, ...]
    preview_headers: tuple[str, ...]
    action: str  # the capability the rows need, besides Action.IMPORT
    validate: Callable[[list[tuple[int, dict[str, Any]]], Any, date, Any], None]
    write: Callable[[list[tuple[int, Any]], Any], int]
    notes: tuple[str, ...] = ()  # extra lines for the template's 填写说明 sheet
    choices: dict[str, Sequence[str]] = field(default_factory=dict)  # drop-down lists by column key
    result_url: str = ""  # URL name the result page links to ("查看导入的数据")


_SPECS: dict[str, ImportSpec] = {}


def register_import(spec: ImportSpec) -> ImportSpec:
    """Add a kind (idempotent for the same spec; the key must be a value of ``ImportKind``)."""
    if spec.kind not in ImportKind.values:
        raise ValueError(f"import kind {spec.kind!r} is not an ImportKind value")
    if not spec.columns:
        raise ValueError(f"import kind {spec.kind!r} has no columns")
    _SPECS[spec.kind] = spec
    return spec


def unregister_import(kind: str) -> None:
    _SPECS.pop(kind, None)


def get_import(kind: str) -> ImportSpec | None:
    return _SPECS.get(kind)


def registered_imports() -> list[ImportSpec]:
    return list(_SPECS.values())
