"""Responses the views share: redirect after a successful POST (htmx-aware) and stored public pages."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from wenming.core.memo import ProcessMemo


def done(request: HttpRequest, url: str, msg: str = "") -> HttpResponse:
    """Flash ``msg`` (if any) and go to ``url``: 204 + ``HX-Redirect`` for htmx, a 302 otherwise."""
    if msg:
        messages.success(request, msg)
    if getattr(request, "htmx", None):
        resp = HttpResponse(status=204)
        resp["HX-Redirect"] = url
        return resp
    return HttpResponseRedirect(url)


# ---- stored pages ---------------------------------------------------------------------------------------
# The answers of the public hot paths (a vote's confirmation, a survey's thanks) are the same HTML for
# every visitor but the CSRF token of the page's forms: rendering the template for each of hundreds of
# requests a second is most of their cost (quality.md V1, S1). ``stored_page`` renders once per process,
# key, language, path and 关怀模式 and keeps the bytes for ``STORED_SECONDS`` (an edited outlet or poll name
# shows within that); the visitor's own token is put in the slot where the page had it.

STORED_SECONDS = 60.0
CSRF_SLOT = "wm-csrf-slot-7c1e9a04b2d35f68"
_stored = ProcessMemo[bytes]("web.stored_pages", ttl=STORED_SECONDS, max_entries=2000)


def stored_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, key: Hashable, status: int = 200
) -> HttpResponse:
    """``render(request, template, context)`` for a page that shows nothing of the visitor (no name, no
    answers, no per-visitor choices): ``key`` must name everything else the page varies by."""
    full_key = (template, key, status, get_language(), request.get_full_path(), request.COOKIES.get("care") == "1")
    body = _stored.get(
        full_key, lambda: render_to_string(template, {**context, "csrf_token": CSRF_SLOT}, request=request).encode()
    )
    slot = CSRF_SLOT.encode()
    if slot in body:
        body = body.replace(slot, get_token(request).encode())
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
