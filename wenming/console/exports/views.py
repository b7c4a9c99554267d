"""我的文件: the signed-in user's generated files (list exports, reports, bulletins, posters) — history,
status polling, download and delete. Owner only: another user's file answers 404 on every URL.
Downloads and deletions are audited; links expire 24 hours after the file was asked for."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.exports.models import GeneratedFile, GeneratedFileStatus
from wenming.exports.services import generated_file_delete, my_files
from wenming.web.gate import staff_view
from wenming.web.lists import ExportSpec, export_dt, list_page
from wenming.web.responses import done

from .filters import GeneratedFileFilter

FILES_EXPORT = ExportSpec(
    filename="我的文件",
    header=["名称", "类型", "创建时间", "状态", "失败原因", "大小（字节）", "行数", "有效期至"],
    row=lambda f: [
        f.title,
        f.kind_display,
        export_dt(f.created_at),
        f.get_shown_status_display(),
        f.error,
        f.size,
        f.rows,
        export_dt(f.expires_at),
    ],
    object_type="exports.GeneratedFile",
)


def _own_file(request, pk: int) -> GeneratedFile:
    return get_object_or_404(my_files(user=request.user), pk=pk)


@staff_view()
def file_list(request):
    return list_page(
        request,
        queryset=my_files(user=request.user),
        template="exports/file_list.html",
        filterset_class=GeneratedFileFilter,
        export=FILES_EXPORT,
    )


@staff_view()
def file_status(request, pk: int):
    gf = _own_file(request, pk)
    expired = gf.is_expired
    done_ = gf.status == GeneratedFileStatus.DONE and not expired
    return render(request, "exports/file_status.html", {"gf": gf, "done": done_, "expired": expired})


@staff_view()
def file_download(request, pk: int):
    gf = _own_file(request, pk)
    if gf.is_expired:  # the link lives 24 hours; the hourly purge removes the bytes
        return render(request, "exports/file_status.html", {"gf": gf, "done": False, "expired": True}, status=410)
    if gf.status != GeneratedFileStatus.DONE:
        raise Http404("文件尚未生成")
    audit_record(
        AuditAction.DOWNLOAD,
        request=request,
        obj=gf,
        detail={"kind": gf.kind, "filename": gf.filename, "rows": gf.rows},
    )
    resp = FileResponse(gf.file.open("rb"), as_attachment=True, filename=gf.filename, content_type=gf.content_type)
    resp["Cache-Control"] = "no-store"
    return resp


@staff_view()
def file_delete(request, pk: int):
    """GET: the confirmation page; POST: delete the file (bytes and row), audited."""
    gf = _own_file(request, pk)
    busy = gf.status in (GeneratedFileStatus.PENDING, GeneratedFileStatus.RUNNING) and not gf.is_expired
    if request.method == "POST" and not busy:
        generated_file_delete(request=request, gf=gf)
        return done(request, reverse("exports:file-list"), _("已删除文件“%(title)s”") % {"title": gf.title})
    if request.method == "POST":
        messages.error(request, _("文件正在生成，完成后才能删除"))
    ctx = {"gf": gf, "busy": busy}
    return render(request, "exports/file_delete.html", ctx, status=409 if request.method == "POST" else 200)
