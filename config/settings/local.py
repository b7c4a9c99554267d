"""Embedded profile: SQLite in WAL mode, demo data allowed, dev keys kept under var/.

`make run` serves it for real: DEBUG off, granian (the production server), static files compressed and
hashed by whitenoise (``collectstatic`` runs first), the Chinese 403/404/500/503 pages. `make dev`
sets DEBUG=1 and uses runserver, for developers.
"""

import json
import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = os.environ.get("DEBUG", "0") == "1"
WENMING_PROFILE = "local"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def _dev_keys() -> dict:
    """Per-checkout random keys, kept outside the repository (var/ is ignored by git)."""
    path = VAR_DIR / "dev-keys.json"
    if path.exists():
        return json.loads(path.read_text())
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    keys = {name: secrets.token_hex(16 if name == "field" else 32) for name in ("field", "index", "audit")}
    path.write_text(json.dumps(keys))
    path.chmod(0o600)
    return keys


_keys = _dev_keys()
WENMING_FIELD_KEY = os.environ.get("WENMING_FIELD_KEY") or _keys["field"]
WENMING_INDEX_KEY = os.environ.get("WENMING_INDEX_KEY") or _keys["index"]
WENMING_AUDIT_KEY = os.environ.get("WENMING_AUDIT_KEY") or _keys["audit"]
