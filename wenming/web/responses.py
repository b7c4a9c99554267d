"""Redirect after a successful POST, htmx-aware."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


def done(request: HttpRequest, url: str, msg: str = "") -> HttpResponse:
    """Flash ``msg`` (if any) and go to ``url``: 204 + ``HX-Redirect`` for htmx, a 302 otherwise."""
    if msg:
        messages.success(request, msg)
    if getattr(request, "htmx", None):
        resp = HttpResponse(status=204)
        resp["HX-Redirect"] = url
        return resp
    return HttpResponseRedirect(url)
