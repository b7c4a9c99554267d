"""The WSGI application: the whole middleware stack for every page, a lean one for the public hot POSTs.

Two anonymous public ``POST`` paths carry the platform's bursts: the vote (quality.md V1, hundreds a
second in a campaign's last hours) and the outlet survey's submit (S1). Neither reads a session, a
signed-in user, an OTP device, flashed messages or htmx headers, yet every request through the full
stack pays for those middleware. ``application`` sends exactly those ``POST``s (``WENMING_LEAN_POST_PATHS``,
anchored patterns) through a second Django handler whose middleware is ``settings.MIDDLEWARE`` minus
``WENMING_LEAN_SKIP_MIDDLEWARE``; everything else, including a ``GET`` of the same paths, goes through the
full stack. The lean stack is derived from the full one, never listed beside it: a middleware added to
``MIDDLEWARE`` later (a security header, say) is in both unless it is named as skippable. What stays:
security headers, CSP, locale, ``CommonMiddleware``, the CSRF check, the request context (client address,
request id) and clickjacking protection. docs/adr/0023-lean-public-post-stack.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

StartResponse = Callable[..., Any]


def lean_middleware() -> list[str]:
    """``settings.MIDDLEWARE`` in its order, without the middleware the public hot POSTs do not need."""
    skip = set(getattr(settings, "WENMING_LEAN_SKIP_MIDDLEWARE", ()))
    return [m for m in settings.MIDDLEWARE if m not in skip]


def lean_path_pattern() -> re.Pattern[str] | None:
    paths = list(getattr(settings, "WENMING_LEAN_POST_PATHS", ()))
    return re.compile("|".join(f"(?:{p})" for p in paths)) if paths else None


class LeanMiddlewareMixin(BaseHandler):
    """A Django handler that loads ``lean_middleware()`` instead of ``settings.MIDDLEWARE``."""

    def load_middleware(self, is_async: bool = False) -> None:
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = lean_middleware()  # read once here, at start-up, by BaseHandler
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


class LeanWSGIHandler(LeanMiddlewareMixin, WSGIHandler):
    pass


class Application:
    """The WSGI callable: one path test per request, then the lean or the full Django handler."""

    def __init__(self) -> None:
        self.full = get_wsgi_application()  # runs django.setup()
        self.pattern = lean_path_pattern()
        self.lean = LeanWSGIHandler() if self.pattern is not None else self.full

    def handler_for(self, environ: dict[str, Any]) -> WSGIHandler:
        if (
            self.pattern is not None
            and environ.get("REQUEST_METHOD") == "POST"
            and self.pattern.fullmatch(environ.get("PATH_INFO", ""))
        ):
            return self.lean
        return self.full

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        return self.handler_for(environ)(environ, start_response)
