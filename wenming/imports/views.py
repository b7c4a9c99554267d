"""Import pages: home (upload + my batches), template download, preview, commit, cancel, result."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.exports.services import stream_csv, xlsx_response
from wenming.organizations.models import Brand
from wenming.web.gate import staff_view

from .forms import BatchFilterForm, UploadForm
from .models import ImportBatch, ImportKind, ImportStatus
from .registry import get_import
from .services import (
    batch_cancel,
    batch_commit,
    batch_upload,
    imports_purge_expired,
    kind_available,
    preview_headers,
)
from .spreadsheets import ERROR_HEADER, build_template, error_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind(request, kind: str) -> str:
    if kind not in ImportKind.values or not kind_available(kind, request.user):
        raise Http404
    return kind


def _batch(request, pk: int, *, with_content: bool = False) -> ImportBatch:
    qs = ImportBatch.objects.filter(user=request.user)
    if not with_content:
        qs = qs.defer("content")
    return get_object_or_404(qs, pk=pk)


def _upload_forms(request, bound: tuple[str, UploadForm] | None = None) -> list[tuple[str, str, UploadForm]]:
    out = []
    for kind, label in ImportKind.choices:
        if not kind_available(kind, request.user):
            continue
        if bound and bound[0] == kind:
            form = bound[1]
        else:
            form = UploadForm(auto_id=f"id_{kind}_%s")
        out.append((kind, label, form))
    return out


def _home(request, bound: tuple[str, UploadForm] | None = None, status: int = 200):
    imports_purge_expired()
    filt = BatchFilterForm(request.GET or None)
    qs = filt.filter(ImportBatch.objects.filter(user=request.user).defer("content", "errors", "preview"))
    if request.method == "GET" and request.GET.get("export") == "csv":
        return stream_csv(
            request=request,
            filename="导入记录.csv",
            header=["文件名", "类型", "数据行数", "写入行数", "错误数", "状态", "上传时间", "导入时间"],
            rows=(
                [
                    b.filename,
                    b.get_kind_display(),
                    b.total_rows,
                    b.written_rows,
                    b.error_count,
                    b.get_status_display(),
                    _dt(b.created_at),
                    _dt(b.committed_at),
                ]
                for b in qs.iterator()
            ),
            object_type="imports.ImportBatch",
            filters={k: v for k, v in request.GET.items() if k in filt.fields and v},
        )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/home.html",
        {"page": page, "filter": filt, "upload_forms": _upload_forms(request, bound)},
        status=status,
    )


def _dt(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "--"


@staff_view(Action.IMPORT)
def home(request):
    return _home(request)


@staff_view(Action.IMPORT)
def template_download(request, kind: str):
    kind = _kind(request, kind)
    content = build_template(kind, brands=Brand.objects.values_list("name", "code"))
    resp = HttpResponse(content, content_type=XLSX)
    filename = f"{ImportKind(kind).label}导入模板.xlsx"
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    resp["Cache-Control"] = "no-store"
    return resp


@staff_view(Action.IMPORT)
@require_POST
def upload(request, kind: str):
    kind = _kind(request, kind)
    form = UploadForm(request.POST, request.FILES, auto_id=f"id_{kind}_%s")
    if not form.is_valid():
        return _home(request, (kind, form), status=422)
    batch = batch_upload(kind=kind, filename=form.cleaned_data["file"].name, data=form.read_bytes(), by=request.user)
    if batch.status == ImportStatus.REFUSED:
        form.add_error("file", batch.errors[0]["message"])
        return _home(request, (kind, form), status=422)
    return redirect("imports:preview", pk=batch.pk)


@staff_view(Action.IMPORT)
def preview(request, pk: int):
    imports_purge_expired()
    batch = _batch(request, pk)
    headers = preview_headers(batch.kind)
    return render(
        request,
        "imports/preview.html",
        {
            "batch": batch,
            "headers": headers,
            "preview_rows": [list(zip(headers, r, strict=False)) for r in batch.preview],
            "hidden_errors": batch.error_count - len(batch.errors),
        },
    )


@staff_view(Action.IMPORT)
def error_report_download(request, pk: int):
    batch = _batch(request, pk)
    if not batch.errors:
        raise Http404
    return xlsx_response(
        request=request,
        filename=f"导入错误报告-{batch.pk}.xlsx",
        header=ERROR_HEADER,
        rows=error_rows(batch.errors),
        object_type="imports.ImportBatch",
        filters={"batch": batch.pk},
    )


@staff_view(Action.IMPORT)
@require_http_methods(["GET", "POST"])
def commit(request, pk: int):
    imports_purge_expired()
    batch = _batch(request, pk)
    if request.method == "GET":
        if not batch.can_commit:
            messages.error(request, f"该批次当前状态为“{batch.get_status_display()}”，不能导入")
            return redirect("imports:preview", pk=batch.pk)
        return render(request, "imports/confirm.html", {"batch": batch, "action": "commit"})
    try:
        batch = batch_commit(batch=batch, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("imports:preview", pk=batch.pk)
    if batch.status == ImportStatus.COMMITTED:
        messages.success(request, f"导入完成，共写入 {batch.written_rows:,} 条{batch.get_kind_display()}记录")
        return redirect("imports:result", pk=batch.pk)
    messages.error(request, _("导入前复核发现错误，未写入任何数据，请查看错误清单"))
    return redirect("imports:preview", pk=batch.pk)


@staff_view(Action.IMPORT)
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    batch = _batch(request, pk)
    if request.method == "GET":
        if batch.status != ImportStatus.READY:
            messages.error(request, f"该批次当前状态为“{batch.get_status_display()}”，不能取消")
            return redirect("imports:preview", pk=batch.pk)
        return render(request, "imports/confirm.html", {"batch": batch, "action": "cancel"})
    try:
        batch_cancel(batch=batch, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("imports:preview", pk=batch.pk)
    messages.success(request, f"已取消导入“{batch.filename}”，上传的文件已删除")
    return redirect("imports:home")


@staff_view(Action.IMPORT)
def result(request, pk: int):
    batch = _batch(request, pk)
    if batch.status != ImportStatus.COMMITTED:
        return redirect("imports:preview", pk=batch.pk)
    spec = get_import(batch.kind)
    return render(request, "imports/result.html", {"batch": batch, "result_url": spec.result_url if spec else ""})
