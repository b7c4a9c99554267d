"""Status polling and download of generated files (owner only; downloads audited; links expire)."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.exports.models import GeneratedFile, GeneratedFileStatus
from wenming.web.gate import staff_view


@staff_view()
def file_status(request, pk: int):
    gf = get_object_or_404(GeneratedFile, pk=pk, owner=request.user)
    return render(request, "exports/file_status.html", {"gf": gf, "done": gf.status == GeneratedFileStatus.DONE})


@staff_view()
def file_download(request, pk: int):
    gf = get_object_or_404(GeneratedFile, pk=pk, owner=request.user, status=GeneratedFileStatus.DONE)
    if gf.expires_at <= timezone.now():  # the link lives 24 hours; the hourly purge removes the file
        return render(request, "exports/file_status.html", {"gf": gf, "done": False, "expired": True}, status=410)
    audit_record(AuditAction.DOWNLOAD, request=request, obj=gf, detail={"kind": gf.kind})
    resp = FileResponse(gf.file.open("rb"), as_attachment=True, filename=gf.filename, content_type=gf.content_type)
    resp["Cache-Control"] = "no-store"
    return resp
