"""The production profile keeps files on the file system unless S3-compatible storage is configured."""

import subprocess
import sys

from wenming.core.tests.test_db_router import ROOT, _production_env

PROBE = """
import django
django.setup()
from django.core.files.storage import storages
s = storages["default"]
print(type(s).__module__ + "." + type(s).__name__)
print(getattr(s, "bucket_name", "-"), getattr(s, "default_acl", "-"))
"""


def _storage(env: dict[str, str]) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    return out.split()


def test_default_storage_is_the_file_system():
    assert _storage(_production_env()) == ["django.core.files.storage.filesystem.FileSystemStorage", "-", "-"]


def test_s3_endpoint_selects_private_s3_storage():
    env = _production_env(
        S3_ENDPOINT_URL="http://127.0.0.1:9000", S3_ACCESS_KEY="ak", S3_SECRET_KEY="sk", S3_BUCKET="wenming-files"
    )
    assert _storage(env) == ["storages.backends.s3.S3Storage", "wenming-files", "private"]
