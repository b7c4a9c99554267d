"""Content-Security-Policy: sent by both profiles, nothing inline allowed, templates free of inline code.

The browser side (0 violations on the main pages) is tests/e2e/test_csp_phone_e2e.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
# Rendered server-side by WeasyPrint into PDF; never shown to a browser.
PDF_TEMPLATES = {"plans/bulletin_pdf.html", "activities/certificate_pdf.html"}


def _directives(header: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def _assert_strict(header: str) -> None:
    d = _directives(header)
    assert d["default-src"] == ["'self'"], header
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in d[name], header
        assert "'unsafe-eval'" not in d[name], header
        assert "*" not in d[name] and not any(v.startswith(("http:", "https:")) for v in d[name]), header
    assert d["script-src"] == ["'self'"], header
    assert d["object-src"] == ["'none'"], header
    assert d["frame-ancestors"] == ["'none'"], header
    assert d["base-uri"] == ["'self'"], header
    assert d["form-action"] == ["'self'"], header


_PROFILE_PROBE = """
import django, json, os
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
# Hashed static names need collectstatic; the policy does not depend on them.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
urls = ["/healthz/", "/no-such-page/"]
if settings.WENMING_PROFILE == "local":  # its own throw-away SQLite file; the shared PostgreSQL is left alone
    call_command("migrate", verbosity=0)
    urls.append("/accounts/login/")
c = Client(raise_request_exception=False)
out = {}
for url in urls:
    r = c.get(url, secure=True)
    out[url] = [r.status_code, r.get("Content-Security-Policy", "")]
print("CSP=" + json.dumps(out))
"""


@pytest.mark.parametrize("profile", ["local", "production"])
def test_both_profiles_send_a_strict_policy(profile, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"config.settings.{profile}",
        "WENMING_VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "0",
    }
    if profile == "production":
        env.update(
            SECRET_KEY="x" * 50,
            WENMING_FIELD_KEY="00112233445566778899aabbccddeeff",
            WENMING_INDEX_KEY="a" * 64,
            WENMING_AUDIT_KEY="b" * 64,
            DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://wenming:wenming@127.0.0.1:5432/wenming"),
            REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        )
    else:
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        env["SQLITE_PATH"] = str(tmp_path / "db.sqlite3")
    done = subprocess.run(
        [sys.executable, "-c", _PROFILE_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("CSP=")), None)
    assert line, done.stdout + done.stderr
    for url, (status, header) in json.loads(line[4:]).items():
        assert status < 500, (profile, url, status)
        assert header, (profile, url, "no Content-Security-Policy header")
        _assert_strict(header)


def test_pages_carry_the_policy_signed_in_and_out(client, personas):
    for url in (reverse("accounts:login"), "/no-such-page/", reverse("healthz")):
        _assert_strict(client.get(url)["Content-Security-Policy"])
    c = Client()
    c.post(reverse("accounts:login"), {"username": "sy_admin", "password": PASSWORD})
    for url in (reverse("workbench:home"), reverse("people:courier-list"), reverse("workdays:calendar")):
        resp = c.get(url)
        assert resp.status_code == 200, url
        _assert_strict(resp["Content-Security-Policy"])


def test_error_page_style_is_the_one_hash_allowed():
    """500/503 are self-contained (no static files, no database): their fixed <style> is allowed by hash."""
    allowed = set(_directives(_policy_text())["style-src"])
    for name in ("500.html", "503.html"):
        blocks = re.findall(r"<style>(.*?)</style>", (TEMPLATES / name).read_text(), re.S)
        assert len(blocks) == 1, name
        digest = base64.b64encode(hashlib.sha256(blocks[0].encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, name
    assert allowed == {"'self'", settings.WENMING_CSP_ERROR_PAGE_STYLE}


def _policy_text() -> str:
    d = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return "; ".join(f"{k} {' '.join(v)}" for k, v in d.items())


INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")", re.I), "inline <script>"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\shx-on", re.I), "hx-on handler (needs unsafe-eval)"),
]


def _page_templates():
    """Every template a browser can receive: the project's and every app's (wenming/<app>/templates).

    Templates rendered only by WeasyPrint on the server carry "pdf" in their file name and are not
    covered by the header; they are skipped.
    """
    for base in [TEMPLATES, *sorted((ROOT / "wenming").glob("*/templates"))]:
        for path in base.rglob("*.html"):
            rel = path.relative_to(base).as_posix()
            if rel in PDF_TEMPLATES or "pdf" in path.name or rel in ("500.html", "503.html"):
                continue
            yield rel, path


def test_templates_have_no_inline_script_or_style():
    found = []
    scanned = 0
    for rel, path in _page_templates():
        scanned += 1
        text = path.read_text()
        for pattern, what in INLINE:
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{rel}:{line}: {what}")
    assert found == []
    assert scanned > 200  # the apps' templates are in the scan, not only the project's
    # The error pages carry nothing but their one hashed <style>.
    for name in ("500.html", "503.html"):
        text = (TEMPLATES / name).read_text()
        assert not re.search(r"\sstyle\s*=|\son[a-z]+\s*=|<script", text, re.I), name
