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

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
WENMING_REQUIRE_ADMIN_2FA = True
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
