"""Test profile: same code paths; fixed throw-away keys; fast hasher; immediate tasks.

DATABASE_URL / REDIS_URL switch the suite to PostgreSQL + Redis (the second CI leg).
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, DATABASES

WENMING_PROFILE = "local"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Throw-away keys for tests only; production keys come from the environment (docs/deploy.md).
WENMING_FIELD_KEY = "00112233445566778899aabbccddeeff"
WENMING_INDEX_KEY = "a" * 64
WENMING_AUDIT_KEY = "b" * 64
# Anchoring off by default (a shared directory would outlive each test's database); tests that
# exercise it point it at their own tmp_path.
WENMING_AUDIT_ANCHOR_DIR = ""
# Per-process names, so that several suites can run side by side on one machine.
# Per run, and per pytest-xdist worker (gw0, gw1, ...): databases, media, static and cache keys never collide.
_RUN = os.environ.get("WENMING_TEST_RUN_ID", str(os.getpid())) + (
    f"-{os.environ['PYTEST_XDIST_WORKER']}" if os.environ.get("PYTEST_XDIST_WORKER") else ""
)
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"wenming-test-media-{_RUN}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file-based test database, so that threads and the live server share it (quality.md B7).
    DATABASES["default"]["NAME"] = str(Path(tempfile.gettempdir()) / f"wenming-{_RUN}.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"wenming-test-{_RUN}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_wenming_{_RUN}"}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"]["KEY_PREFIX"] = f"t{_RUN}"
    CACHES["shared"]["KEY_PREFIX"] = f"t{_RUN}"
else:
    CACHES["shared"]["LOCATION"] = str(Path(tempfile.gettempdir()) / f"wenming-test-cache-{_RUN}")
# whitenoise wants STATIC_ROOT to exist even when tests never collect static files.
STATIC_ROOT = Path(tempfile.gettempdir()) / f"wenming-test-static-{_RUN}"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
