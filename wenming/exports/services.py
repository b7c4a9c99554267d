"""The ONE export mechanism: inline CSV/XLSX for small lists, background files for big or slow outputs.

List pages call :func:`export_queryset`: up to ``WENMING_EXPORT_INLINE_MAX_ROWS`` (5,000) rows the file
is answered inline; above that the export becomes a background job (a :class:`GeneratedFile` with
progress and a link that expires after 24 hours), so no web worker is held by a big export. Files are
written row by row to a temporary file and copied to storage (XLSX in openpyxl's write-only mode), never
built whole in memory. Every list export holds all its rows and says how many (a closing row in CSV, a
"说明" sheet in XLSX); nothing is cut silently.

Every export is audited (who, what, how many rows, which filters) and contains only masked personal
data unless the caller passes already-authorised values. Cells that would start a formula are
neutralised (IN11).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.tasks import task

from .models import KIND_GROUPS, LIFETIME, GeneratedFile, GeneratedFileStatus, kind_group, kind_label

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
INLINE_MAX_ROWS = 5000  # default of settings.WENMING_EXPORT_INLINE_MAX_ROWS
LINK_LIFETIME = LIFETIME  # a generated file (and its download link) lives this long at most (24 hours)
LIST_EXPORT_KIND = "list.export"
SUMMARY_SHEET = "说明"
_SPOOL_BYTES = 1 << 20  # temporary files stay in memory up to 1 MB, then go to disk
_CHUNK = 2000  # rows fetched per database round trip
__all__ = ["KIND_GROUPS", "kind_group", "kind_label"]  # the history's kinds (defined with the model)


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a leading =,+,-,@,TAB or CR gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, Promise):  # a lazy translation (a label, a choice): its text
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def inline_max_rows() -> int:
    return int(getattr(settings, "WENMING_EXPORT_INLINE_MAX_ROWS", INLINE_MAX_ROWS))


def row_count_text(n: int) -> str:
    """The statement every list export carries about its own size."""
    return f"共 {n:,} 条记录（全部导出，未截断）"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def _counted(rows: Iterable[Sequence[Any]], counter: list[int], progress: Callable[[int], None] | None = None):
    for row in rows:
        counter[0] += 1
        if progress is not None and counter[0] % _CHUNK == 0:
            progress(counter[0])
        yield row


def stream_csv(
    *,
    request: Any,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    object_type: str,
    filters: dict[str, Any] | None = None,
    summary: bool = False,
    detail: dict[str, Any] | None = None,
) -> StreamingHttpResponse:
    """Stream a UTF-8 (BOM, for Excel) CSV without building it in memory. Audited before the first byte.

    With ``summary`` the last line states how many data rows the file holds (list exports).
    """
    audit_record(
        AuditAction.EXPORT,
        request=request,
        object_type=object_type,
        detail={"format": "csv", "filename": filename, "filters": filters or {}, **(detail or {})},
    )
    writer = csv.writer(_Echo())

    def gen() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        n = 0
        for row in rows:
            n += 1
            yield writer.writerow([safe_cell(v) for v in row])
        if summary:
            yield writer.writerow([row_count_text(n)])

    resp = StreamingHttpResponse(gen(), content_type=CSV_CONTENT_TYPE)
    resp["Content-Disposition"] = _disposition(filename)
    resp["Cache-Control"] = "no-store"
    return resp


def write_csv_to(
    out: IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    summary: bool = True,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write a CSV (UTF-8 with BOM) row by row into a binary file; returns the number of data rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(header)
    counter = [0]
    for row in _counted(rows, counter, progress):
        writer.writerow([safe_cell(v) for v in row])
    if summary:
        writer.writerow([row_count_text(counter[0])])
    text.flush()
    text.detach()  # leave ``out`` open for the caller
    return counter[0]


def write_xlsx_to(
    out: IO[bytes] | str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet_title: str = "数据",
    *,
    summary: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write-only openpyxl workbook into ``out`` (constant memory per row); returns the data row count.

    With ``summary`` (possibly empty) a second sheet "说明" states the row count and the given items.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    ws.append(list(header))
    counter = [0]
    for row in _counted(rows, counter, progress):
        ws.append([safe_cell(v) for v in row])
    if summary is not None:
        info = wb.create_sheet(title=SUMMARY_SHEET)
        info.append(["行数", counter[0]])
        info.append(["说明", row_count_text(counter[0])])
        info.append(["生成时间", timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")])
        for key, value in summary.items():
            info.append([safe_cell(str(key)), safe_cell(str(value))])
    wb.save(out)
    return counter[0]


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str = "数据") -> bytes:
    """Small workbooks as bytes (import templates, tests); lists go through :func:`write_xlsx_to`."""
    buf = io.BytesIO()
    write_xlsx_to(buf, header, rows, sheet_title)
    return buf.getvalue()


def xlsx_response(
    *,
    request: Any,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    object_type: str,
    filters: dict[str, Any] | None = None,
    summary: bool = False,
    detail: dict[str, Any] | None = None,
) -> HttpResponse:
    """An XLSX answered inline, holding every row it is given (written to a temporary file, not memory).

    Callers keep it small: list exports go through :func:`export_queryset`, which sends anything above
    the inline limit to a background job.
    """
    audit_record(
        AuditAction.EXPORT,
        request=request,
        object_type=object_type,
        detail={"format": "xlsx", "filename": filename, "filters": filters or {}, **(detail or {})},
    )
    with tempfile.TemporaryFile() as tmp:  # openpyxl writes the rows out as it goes; the zip is small
        write_xlsx_to(tmp, header, rows, summary=_format_filters(filters or {}) if summary else None)
        tmp.seek(0)
        resp = HttpResponse(tmp.read(), content_type=XLSX_CONTENT_TYPE)
    resp["Content-Disposition"] = _disposition(filename)
    resp["Cache-Control"] = "no-store"
    return resp


# --- list exports: the one entry point list pages call ------------------------------------------


def _format_filters(filters: dict[str, Any]) -> dict[str, Any]:
    return {f"筛选条件：{k}": v for k, v in filters.items()}


def export_queryset(
    *,
    request: HttpRequest,
    queryset: Any,
    header: Sequence[str],
    row: Callable[[Any], Sequence[Any]],
    fmt: str,
    filename: str,
    object_type: str,
    filters: dict[str, Any] | None = None,
    title: str | None = None,
) -> HttpResponse:
    """Export a list (already scoped and filtered by the caller): inline up to the limit, else a job.

    - ≤ ``inline_max_rows()`` rows: the file is answered in this request (CSV streamed, XLSX from a
      temporary file), audited before the first byte;
    - more: the export is audited now (with its row count) and a :class:`GeneratedFile` is queued; the
      user is redirected to its status page (progress, then a download link valid ≤ 24 hours). The
      worker rebuilds the same list by calling the same view for the same user (see
      :func:`_build_list_export`), so scope and filters are re-applied with the user's rights then.

    Both ways the file holds every row and states how many.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unsupported export format {fmt}")
    filters = filters or {}
    target: _ExportTarget | None = getattr(request, "_wenming_export_target", None)
    if target is not None:  # inside the background job: write the file, nothing else
        target.write(queryset, header, row, fmt, filename, filters)
        return HttpResponse(status=204)
    total = queryset.count()
    if total <= inline_max_rows():
        rows = (row(obj) for obj in queryset.iterator(chunk_size=_CHUNK))
        fn = stream_csv if fmt == "csv" else xlsx_response
        return fn(
            request=request,
            filename=filename,
            header=header,
            rows=rows,
            object_type=object_type,
            filters=filters,
            summary=True,
            detail={"rows": total},
        )
    return _start_list_export(
        request=request, fmt=fmt, filename=filename, object_type=object_type, filters=filters, total=total, title=title
    )


def _start_list_export(
    *,
    request: HttpRequest,
    fmt: str,
    filename: str,
    object_type: str,
    filters: dict[str, Any],
    total: int,
    title: str | None,
) -> HttpResponse:
    from django.contrib import messages
    from django.urls import reverse

    audit_record(
        AuditAction.EXPORT,
        request=request,
        object_type=object_type,
        detail={"format": fmt, "filename": filename, "filters": filters, "rows": total, "background": True},
    )
    query = request.GET.copy()
    query["export"] = fmt
    gf = generated_file_start(
        owner=request.user,
        kind=LIST_EXPORT_KIND,
        title=title or filename,
        params={"path": request.path, "query": query.urlencode(), "fmt": fmt, "expected_rows": total},
    )
    messages.info(
        request,
        f"共 {total:,} 条记录，超过 {inline_max_rows():,} 条，已转为后台生成；完成后可在此页或“我的文件”中下载"
        "（24 小时内有效）。",
    )
    return HttpResponseRedirect(reverse("exports:file-status", args=[gf.pk]))


class _ExportTarget:
    """Where the background job's copy of the list view writes its rows (a temporary file)."""

    def __init__(self, set_progress: Callable[[int], None], expected: int) -> None:
        self.set_progress = set_progress
        self.expected = max(1, expected)
        self.file: IO[bytes] | None = None
        self.filename = ""
        self.content_type = ""
        self.rows = 0

    def _progress(self, n: int) -> None:
        self.set_progress(min(99, 100 * n // self.expected))

    def write(
        self,
        queryset: Any,
        header: Sequence[str],
        row: Callable[[Any], Sequence[Any]],
        fmt: str,
        filename: str,
        filters,
    ) -> None:
        rows = (row(obj) for obj in queryset.iterator(chunk_size=_CHUNK))
        tmp = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
        if fmt == "csv":
            self.rows = write_csv_to(tmp, header, rows, progress=self._progress)
            self.content_type = CSV_CONTENT_TYPE
        else:
            self.rows = write_xlsx_to(tmp, header, rows, summary=_format_filters(filters), progress=self._progress)
            self.content_type = XLSX_CONTENT_TYPE
        tmp.seek(0)
        self.file, self.filename = tmp, filename


def _build_list_export(gf: GeneratedFile, set_progress: Callable[[int], None]) -> tuple[Any, str, str]:
    """Run the list view again for the file's owner, with the export written to a temporary file."""
    from importlib import import_module

    from django.contrib.messages.storage import default_storage
    from django.http import QueryDict
    from django.urls import resolve

    params = gf.params
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = params["path"]
    request.GET = QueryDict(params["query"])
    request.META = {"REMOTE_ADDR": "127.0.0.1", "SERVER_NAME": "localhost", "SERVER_PORT": "80"}
    if not gf.owner.is_active:
        raise PermissionError("账号已停用")
    request.user = gf.owner
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore()  # a fresh, never-saved session: views may read it
    request._messages = default_storage(request)
    target = _ExportTarget(set_progress, int(params.get("expected_rows") or 1))
    request._wenming_export_target = target
    match = resolve(request.path_info)
    response = match.func(request, *match.args, **match.kwargs)
    if target.file is None:
        raise RuntimeError(f"列表未生成导出文件（HTTP {getattr(response, 'status_code', '?')}）")
    GeneratedFile.objects.filter(pk=gf.pk).update(rows=target.rows)
    return target.file, target.filename, target.content_type


# --- background files -------------------------------------------------------------------------
Builder = Callable[[GeneratedFile, Callable[[int], None]], tuple[Any, str, str]]
_builders: dict[str, Builder] = {}


def register_builder(kind: str) -> Callable[[Builder], Builder]:
    """Register ``builder(gf, set_progress) -> (content, filename, content_type)`` for a file kind.

    ``content`` is ``bytes`` (small documents) or a binary file object positioned at its start, which is
    copied to storage in chunks and closed (big exports: never whole in memory).
    """

    def deco(fn: Builder) -> Builder:
        _builders[kind] = fn
        return fn

    return deco


register_builder(LIST_EXPORT_KIND)(_build_list_export)


def generated_file_start(*, owner: Any, kind: str, title: str, params: dict[str, Any] | None = None) -> GeneratedFile:
    """Create the row and enqueue the build after commit; the page polls ``exports:file-status``."""
    from django.db import transaction

    if kind not in _builders:
        raise KeyError(f"no builder registered for {kind}")
    gf = GeneratedFile.objects.create(
        owner=owner, kind=kind, title=title, params=params or {}, expires_at=timezone.now() + LINK_LIFETIME
    )
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
    if isinstance(content, bytes | bytearray):
        gf.file.save(filename, ContentFile(content), save=False)
    else:
        try:
            gf.file.save(filename, File(content), save=False)  # storage copies it chunk by chunk
        finally:
            content.close()
    gf.filename, gf.content_type = filename, content_type
    gf.size = gf.file.size
    gf.status, gf.progress, gf.finished_at = GeneratedFileStatus.DONE, 100, timezone.now()
    gf.save()
    return gf


def purge_expired_files() -> int:
    """Delete the bytes of every file past its expiry and mark its row 已过期 (the history keeps the row:
    title, kind, times, row count). The parameters go too: a list export's query may hold a searched
    name or number. Runs hourly (``exports.purge_expired_files``); running it twice changes nothing."""
    n = 0
    due = GeneratedFile.objects.filter(expires_at__lte=timezone.now()).exclude(status=GeneratedFileStatus.EXPIRED)
    for gf in due.iterator():
        if gf.file:
            gf.file.delete(save=False)
        GeneratedFile.objects.filter(pk=gf.pk).update(
            status=GeneratedFileStatus.EXPIRED, file="", params={}, progress=0
        )
        n += 1
    return n


def generated_file_delete(*, request: HttpRequest, gf: GeneratedFile) -> None:
    """The owner removes one of their files (bytes and row), audited. A file still being built stays."""
    if gf.status in (GeneratedFileStatus.PENDING, GeneratedFileStatus.RUNNING) and not gf.is_expired:
        raise ValueError("文件正在生成，完成后才能删除")
    audit_record(
        AuditAction.DELETE,
        request=request,
        obj=gf,
        detail={"kind": gf.kind, "filename": gf.filename, "rows": gf.rows},
    )
    if gf.file:
        gf.file.delete(save=False)
    gf.delete()


def my_files(*, user: Any) -> Any:
    """The signed-in user's own generated files, newest first (nobody sees another user's files)."""
    return GeneratedFile.objects.filter(owner=user).order_by("-created_at", "-id")


@task()
def build_generated_file(gf_id: int) -> None:
    """The background build of one generated file (enqueued by :func:`generated_file_start` at commit)."""
    generated_file_build(gf_id)
