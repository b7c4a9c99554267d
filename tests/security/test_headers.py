"""Security headers and session-cookie flags (MLPS 2.0 level 3, docs/adr/0003-identity-security.md)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD


def _assert_headers(resp, url: str) -> None:
    assert resp["X-Frame-Options"] == "DENY", url
    assert resp["X-Content-Type-Options"] == "nosniff", url
    assert resp.get("Referrer-Policy") in ("same-origin", "strict-origin-when-cross-origin", "no-referrer"), url


def test_anonymous_pages_carry_security_headers(db):
    client = Client()
    for url in (reverse("accounts:login"), "/no-such-page/", reverse("healthz")):
        _assert_headers(client.get(url), url)


def test_login_sets_httponly_samesite_session_cookie_and_staff_pages_keep_headers(personas):
    client = Client()
    resp = client.post(reverse("accounts:login"), {"username": "sy_admin", "password": PASSWORD})
    assert resp.status_code == 302
    cookie = resp.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    csrf = resp.cookies.get(settings.CSRF_COOKIE_NAME)
    assert csrf is None or csrf["samesite"] in ("Lax", "Strict")
    for url in (reverse("workbench:home"), reverse("people:courier-list"), reverse("api:courier-list")):
        page = client.get(url)
        assert page.status_code == 200, url
        _assert_headers(page, url)
