"""The ONE export mechanism: streamed CSV/XLSX for lists, background files for big or slow outputs.

Every export is audited (who, what, how many rows, which filters) and contains only masked personal
data unless the caller passes already-authorised values. Cells that would start a formula are
neutralised (IN11).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

from django.core.files.base import ContentFile
from django.http import StreamingHttpResponse
from django.utils import timezone

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record

from .models import GeneratedFile, GeneratedFileStatus

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a leading =,+,-,@,TAB or CR gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def stream_csv(
    *,
    request: Any,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    object_type: str,
    filters: dict[str, Any] | None = None,
) -> StreamingHttpResponse:
    """Stream a UTF-8 (BOM, for Excel) CSV without building it in memory. Audited before the first byte."""
    audit_record(
        AuditAction.EXPORT,
        request=request,
        object_type=object_type,
        detail={"format": "csv", "filename": filename, "filters": filters or {}},
    )
    writer = csv.writer(_Echo())

    def gen() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    resp = StreamingHttpResponse(gen(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = _disposition(filename)
    resp["Cache-Control"] = "no-store"
    return resp


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str = "数据") -> bytes:
    """Write-only openpyxl workbook (constant memory per row)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    ws.append(list(header))
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(
    *,
    request: Any,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    object_type: str,
    filters: dict[str, Any] | None = None,
    max_rows: int = 5000,
):
    """Small XLSX exports inline (≤ ``max_rows``); bigger ones must go through ``generated_file_start``."""
    from django.http import HttpResponse

    audit_record(
        AuditAction.EXPORT,
        request=request,
        object_type=object_type,
        detail={"format": "xlsx", "filename": filename, "filters": filters or {}},
    )
    limited = (r for i, r in enumerate(rows) if i < max_rows)
    resp = HttpResponse(
        write_xlsx(header, limited),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    resp["Content-Disposition"] = _disposition(filename)
    resp["Cache-Control"] = "no-store"
    return resp


# --- background files -------------------------------------------------------------------------
Builder = Callable[[GeneratedFile, Callable[[int], None]], tuple[bytes, str, str]]
_builders: dict[str, Builder] = {}


def register_builder(kind: str) -> Callable[[Builder], Builder]:
    """Register ``builder(gf, set_progress) -> (content, filename, content_type)`` for a file kind."""

    def deco(fn: Builder) -> Builder:
        _builders[kind] = fn
        return fn

    return deco


def generated_file_start(*, owner: Any, kind: str, title: str, params: dict[str, Any] | None = None) -> GeneratedFile:
    """Create the row and enqueue the build after commit; the page polls ``exports:file-status``."""
    from django.db import transaction

    from .tasks import build_generated_file

    if kind not in _builders:
        raise KeyError(f"no builder registered for {kind}")
    gf = GeneratedFile.objects.create(owner=owner, kind=kind, title=title, params=params or {})
    transaction.on_commit(lambda: build_generated_file.enqueue(gf.pk))
    return gf


def generated_file_build(gf_id: int) -> GeneratedFile:
    """Run a registered builder once; a second delivery of the same task changes nothing (L12)."""
    # Claim the row atomically: of two workers given the same task, exactly one gets to build.
    claimed = GeneratedFile.objects.filter(pk=gf_id, status=GeneratedFileStatus.PENDING).update(
        status=GeneratedFileStatus.RUNNING, progress=1
    )
    gf = GeneratedFile.objects.get(pk=gf_id)
    if not claimed:
        return gf

    def set_progress(p: int) -> None:
        GeneratedFile.objects.filter(pk=gf.pk).update(progress=max(1, min(99, int(p))))

    try:
        content, filename, content_type = _builders[gf.kind](gf, set_progress)
    except Exception as exc:  # the user sees a failed file, not a hung spinner
        GeneratedFile.objects.filter(pk=gf.pk).update(
            status=GeneratedFileStatus.FAILED, error=f"生成失败：{exc}"[:300], finished_at=timezone.now()
        )
        raise
    gf.refresh_from_db()
    gf.file.save(filename, ContentFile(content), save=False)
    gf.filename, gf.content_type = filename, content_type
    gf.status, gf.progress, gf.finished_at = GeneratedFileStatus.DONE, 100, timezone.now()
    gf.save()
    return gf


def purge_expired_files() -> int:
    n = 0
    for gf in GeneratedFile.objects.filter(expires_at__lt=timezone.now()):
        if gf.file:
            gf.file.delete(save=False)
        gf.delete()
        n += 1
    return n
