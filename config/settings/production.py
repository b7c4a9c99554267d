"""Production profile: PostgreSQL + Redis required, secrets from the environment, hardened cookies."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL

WENMING_PROFILE = "production"
DEBUG = False


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"环境变量 {name} 未设置（见 docs/deploy.md）")
    return value


SECRET_KEY = _required("SECRET_KEY")
WENMING_FIELD_KEY = _required("WENMING_FIELD_KEY")
WENMING_INDEX_KEY = _required("WENMING_INDEX_KEY")
WENMING_AUDIT_KEY = _required("WENMING_AUDIT_KEY")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("生产环境需要 DATABASE_URL（PostgreSQL）")
if not REDIS_URL:
    raise ImproperlyConfigured("生产环境需要 REDIS_URL（Redis）")

# Read replica for reporting reads (dashboards, exports): wenming/core/db.py, docs/deploy.md.
if os.environ.get("DATABASE_REPLICA_URL"):
    from wenming.core.db import REPLICA, database_from_url

    DATABASES[REPLICA] = database_from_url(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
    DATABASES[REPLICA]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["wenming.core.db.ReportingRouter"]

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
WENMING_REQUIRE_ADMIN_2FA = True
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
# The load balancer probes /healthz/ over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
# Only trust X-Forwarded-Proto from the reverse proxy (nginx sets it; docs/deploy.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is a one-way commitment for the whole registrable domain, made by its owner: off unless
# SECURE_HSTS_PRELOAD=1. While it is off, Django's reminder W021 is silenced so that
# `check --deploy --fail-level WARNING` gates on everything else (docs/deploy.md, "Release checks").
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "0") == "1"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded and generated files on an S3-compatible store (MinIO inside the network) once S3_ENDPOINT_URL
# is set; the file system otherwise. Every file goes through Django's storage API (wenming.core.uploads,
# docs/deploy.md §4.5, docs/adr/0006-uploads.md).
if os.environ.get("S3_ENDPOINT_URL"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": os.environ["S3_ENDPOINT_URL"],
            "bucket_name": os.environ.get("S3_BUCKET", "wenming"),
            "access_key": os.environ["S3_ACCESS_KEY"],
            "secret_key": os.environ["S3_SECRET_KEY"],
            "region_name": os.environ.get("S3_REGION", "cn-north-1"),
            "default_acl": "private",
            "querystring_auth": True,  # signed, expiring download links
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
# Baseline endpoints under /_bench/ (bench/urls.py): only the benchmark harness turns them on.
WENMING_BENCH_ENDPOINTS = os.environ.get("WENMING_BENCH_ENDPOINTS", "0") == "1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
