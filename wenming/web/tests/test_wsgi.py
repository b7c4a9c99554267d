"""The WSGI application's two stacks (docs/adr/0023): which requests take the lean one, what it keeps."""

from __future__ import annotations

import io
import sys

import pytest
from django.conf import settings

from wenming.web.wsgi import Application, lean_middleware

KEPT = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "wenming.core.middleware.RequestContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


def environ(method: str, path: str, body: bytes = b"") -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
    }


def test_the_lean_stack_is_the_full_one_minus_the_named_middleware_in_the_same_order():
    lean = lean_middleware()
    assert lean == [m for m in settings.MIDDLEWARE if m not in settings.WENMING_LEAN_SKIP_MIDDLEWARE]
    assert all(m in lean for m in KEPT), "security headers, CSP, CSRF and the request context stay"
    # every name to skip is in the full stack: a renamed middleware would otherwise be kept unnoticed
    assert set(settings.WENMING_LEAN_SKIP_MIDDLEWARE) <= set(settings.MIDDLEWARE)


def test_a_middleware_added_to_the_full_stack_is_in_the_lean_one_too(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "wenming.core.middleware.NewHeaderMiddleware"]
    assert lean_middleware()[-1] == "wenming.core.middleware.NewHeaderMiddleware"


@pytest.mark.parametrize(
    ("method", "path", "lean"),
    [
        ("POST", "/p/voting/12/vote/", True),
        ("POST", "/p/surveys/o/41.AbC-_x/", True),
        ("GET", "/p/voting/12/vote/", False),  # only the POST
        ("GET", "/p/surveys/o/41.AbC-_x/", False),
        ("POST", "/p/voting/12/vote/extra/", False),  # anchored at both ends
        ("POST", "/x/p/voting/12/vote/", False),
        ("POST", "/p/voting/12/verify/", False),
        ("POST", "/p/surveys/o/41/x/", False),
        ("POST", "/accounts/login/", False),
        ("POST", "/p/complaints/new/", False),
    ],
)
def test_only_the_named_public_posts_take_the_lean_stack(method, path, lean):
    app = Application()
    assert (app.handler_for(environ(method, path)) is app.lean) is lean
    assert app.lean is not app.full


def test_without_lean_paths_every_request_takes_the_full_stack(settings):
    settings.WENMING_LEAN_POST_PATHS = []
    app = Application()
    assert app.handler_for(environ("POST", "/p/voting/12/vote/")) is app.full


@pytest.mark.django_db
def test_a_request_through_the_application_answers_through_the_lean_stack():
    """The real WSGI callable, as the server calls it: a vote POST without a CSRF token is refused by the
    lean stack's CSRF check, and its answer carries the headers of the kept middleware."""
    app = Application()
    seen: dict = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ("POST", "/p/voting/999999/vote/", b"c=1"), start_response))
    assert seen["status"].startswith("403") and body
    headers = seen["headers"]
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in headers and headers.get("X-Request-ID")
