"""Chinese-first language choice: only the 中文/English switch (its cookie) selects English."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ChineseFirstLocaleMiddleware:
    """Drops Accept-Language for visitors without a language cookie, so LocaleMiddleware falls back to zh-hans.

    Place it right before ``django.middleware.locale.LocaleMiddleware``. A browser set to English still
    gets Chinese until the user presses the switch, which posts to ``set_language`` and sets the cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
