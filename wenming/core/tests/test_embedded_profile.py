"""Issue 9 item 7: `make run` serves for real — DEBUG off, granian, compressed static files, Chinese errors.

The test runs ``scripts/run.sh`` (what `make run` runs after migrating and collecting static files)
against the test database and talks to it over HTTP.
"""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        WENMING_VAR_DIR=str(var_dir),
        # the test database was written with the test keys
        WENMING_FIELD_KEY=settings.WENMING_FIELD_KEY,
        WENMING_INDEX_KEY=settings.WENMING_INDEX_KEY,
        WENMING_AUDIT_KEY=settings.WENMING_AUDIT_KEY,
        WEB_CONCURRENCY="1",
    )
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = db["NAME"]
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return env


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def test_local_profile_defaults_to_debug_off_and_compressed_static_files(tmp_path):
    code = "from django.conf import settings as s; print(s.DEBUG, s.STORAGES['staticfiles']['BACKEND'])"
    env = _env(tmp_path)
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert out == ["False", "whitenoise.storage.CompressedManifestStaticFilesStorage"]


@pytest.mark.django_db(transaction=True)
def test_run_script_serves_through_granian_with_debug_off(tmp_path, org_tree):
    env = _env(tmp_path)
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )
    port = _free_port()
    proc = subprocess.Popen(
        [str(ROOT / "scripts/run.sh"), str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _get(base + "/healthz/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("scripts/run.sh did not answer /healthz/ within 60 s")
        # the server is granian, not runserver
        tree = subprocess.run(["ps", "-o", "args=", "--ppid", str(proc.pid)], capture_output=True, text=True).stdout
        assert "granian" in tree and "runserver" not in tree
        status, headers, body = _get(base + "/no-such-page/")
        text = body.decode()
        assert status == 404 and "页面不存在" in text
        assert "Traceback" not in text and "DEBUG" not in text and "URLconf" not in text
        status, headers, body = _get(base + "/accounts/login/")
        assert status == 200
        css = re.search(r"/static/[\w/.-]+\.[0-9a-f]{12}\.css", body.decode())
        assert css, "static URLs carry the manifest hash"
        status, headers, body = _get(base + css.group(0), **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip"
        assert "immutable" in headers.get("cache-control", "")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
