"""Helpers shared by the publicity views."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.shortcuts import render


def file_response(field: Any, *, filename: str = "", content_type: str = "", inline: bool = False) -> FileResponse:
    try:
        fh = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    resp = FileResponse(fh, as_attachment=not inline, filename=filename or None, content_type=content_type or None)
    resp["Cache-Control"] = "private, max-age=3600"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def form_page(request, template: str, ctx: dict[str, Any]):
    return render(request, template, ctx, status=422 if request.method == "POST" else 200)
