"""Settings shared by every profile. The environment picks the backends (docs/deploy.md)."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("WENMING_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

# "local" (embedded SQLite, demo data allowed) or "production" (PostgreSQL + Redis, no demo accounts).
WENMING_PROFILE = "local"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "template_partials",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "wenming.core",
    "wenming.audit",
    "wenming.accounts",
    "wenming.organizations",
    "wenming.people",
    "wenming.imports",
    "wenming.workbench",
    "wenming.exports",
    "wenming.workdays",
    "wenming.workflow",
    "wenming.certificates",
    "wenming.plans",
    "wenming.activities",
    "wenming.complaints",
    "wenming.surveys",
    "wenming.judging",
    "wenming.honours",
    "wenming.voting",
    "wenming.publicity",
    "wenming.portal",
    "wenming.assessment",
    "wenming.dashboards",
    "wenming.reports",
    "wenming.api",
    "wenming.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wenming.workbench.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wenming.core.middleware.RequestContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wenming.accounts.middleware.SessionSecurityMiddleware",
    "wenming.accounts.middleware.PasswordPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wenming.core.middleware.NoStoreMiddleware",
]

# The public hot POSTs (the vote, the outlet survey's submit) run through a lean handler: the stack above
# without the middleware an anonymous public POST does not use (wenming.web.wsgi, docs/adr/0023). Only
# these anchored paths, only POST; everything else runs the whole stack.
WENMING_LEAN_POST_PATHS = [r"/p/voting/[0-9]+/vote/", r"/p/surveys/o/[^/]+/"]
WENMING_LEAN_SKIP_MIDDLEWARE = [
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files only
    "django.contrib.sessions.middleware.SessionMiddleware",  # the vote's voter and the survey's device are cookies of their own
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wenming.accounts.middleware.SessionSecurityMiddleware",
    "wenming.accounts.middleware.PasswordPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wenming.core.middleware.NoStoreMiddleware",  # signed-in pages only; both views send never_cache themselves
]

# The reverse proxies whose client-address header is believed (wenming.core.context.client_ip).
WENMING_TRUSTED_PROXIES = [n for n in os.environ.get("WENMING_TRUSTED_PROXIES", "").split(",") if n.strip()]
WENMING_PROXY_IP_HEADER = os.environ.get("WENMING_PROXY_IP_HEADER", "HTTP_X_REAL_IP")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wenming.workbench.context_processors.workbench",
                "wenming.core.context_processors.site",
            ],
        },
    }
]


def _database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        u = urlparse(url)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": u.path.lstrip("/"),
            "USER": u.username or "",
            "PASSWORD": u.password or "",
            "HOST": u.hostname or "127.0.0.1",
            "PORT": u.port or 5432,
            "CONN_MAX_AGE": int(os.environ.get("DB_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
        # Kept open between requests, as on PostgreSQL: opening the file and running the PRAGMAs cost
        # ≈ 2 ms a request, more than the vote's own transaction (quality.md S2).
        "CONN_MAX_AGE": int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# The vote store (tallies, per-voter day keys, the queued ballots: wenming/voting/engine.py) may live on its
# own Redis: it must run with ``appendfsync always`` (an acknowledged vote is on disk), which the cache,
# sessions and rate-limit counters do not need (docs/deploy.md §4.3). Unset: the same Redis as the cache.
VOTE_REDIS_URL = os.environ.get("VOTE_REDIS_URL", "") or REDIS_URL


def redis_caches(url: str) -> dict:
    """The cache settings for a Redis at ``url``: an outage degrades to cache misses (wenming/core/cache.py).

    ``shared`` (what every process must see alike: rate-limit counters) is the same Redis.
    """
    return {
        "default": {"BACKEND": "wenming.core.cache.ResilientRedisCache", "LOCATION": url},
        "shared": {"BACKEND": "wenming.core.cache.ResilientRedisCache", "LOCATION": url},
    }


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    # Embedded profile: several granian worker processes. LocMem is per process, so the counters of
    # core.ratelimit live in files all of them share, with locked increments (ADR 0010).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wenming"},
        "shared": {
            "BACKEND": "wenming.core.cache.SharedFileCache",
            "LOCATION": str(VAR_DIR / "cache" / "shared"),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = ["wenming.accounts.backends.WenmingBackend"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "wenming.accounts.passwords.RoleLengthValidator"},
    {"NAME": "wenming.accounts.passwords.CharacterClassValidator"},
    {"NAME": "wenming.accounts.passwords.StrengthValidator"},
    {"NAME": "wenming.accounts.passwords.NoUsernameValidator"},
    {"NAME": "wenming.accounts.passwords.HistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Identity security (MLPS 2.0 level 3; docs/adr/0003-identity-security.md)
WENMING_PASSWORD_MAX_AGE = timedelta(days=90)
WENMING_LOCKOUT_FAILURES = 5
WENMING_LOCKOUT_WINDOW = timedelta(minutes=15)
WENMING_LOCKOUT_DURATION = timedelta(minutes=30)
WENMING_IDLE_TIMEOUT = timedelta(minutes=30)
WENMING_ADMIN_IDLE_TIMEOUT = timedelta(minutes=15)
WENMING_ABSOLUTE_SESSION = timedelta(hours=12)
WENMING_REQUIRE_ADMIN_2FA = False
WENMING_IP_THROTTLE_FAILURES = 20  # failed logins per source address per window → CAPTCHA (never a lockout)
WENMING_IP_THROTTLE_WINDOW = timedelta(hours=1)
WENMING_LOGIN_LOG_RETENTION = timedelta(
    days=365
)  # LoginRecord rows; refused below 180 days (Cybersecurity Law Art. 21)
WENMING_UNMASK_DAILY_LIMIT = 20

# Government-website conventions (政府网站发展指引, GB/T 政府网站标识): the public pages' footer and
# <meta> tags. Each item is shown only when set (docs/deploy.md §2); the operator fills them in per site.
WENMING_SITE = {
    "name": os.environ.get("WENMING_SITE_NAME", "辽宁邮政行业精神文明建设管理平台"),
    "domain": os.environ.get("WENMING_SITE_DOMAIN", ""),
    "description": os.environ.get(
        "WENMING_SITE_DESCRIPTION",
        "辽宁省邮政管理局邮政行业精神文明建设管理平台：工作方案、督办落实、文明创建与志愿服务。",
    ),
    "sponsor": os.environ.get("WENMING_SITE_SPONSOR", "辽宁省邮政管理局"),  # 主办单位
    "icp": os.environ.get("WENMING_SITE_ICP", ""),  # ICP 备案号, e.g. 辽ICP备05012345号-1
    "psb": os.environ.get("WENMING_SITE_PSB", ""),  # 公安机关备案号, e.g. 辽公网安备 21010202000123号
    "id_code": os.environ.get("WENMING_SITE_ID_CODE", ""),  # 网站标识码 (10 digits), also <meta SiteIDCode>
    "gov_mark_url": os.environ.get("WENMING_SITE_GOV_MARK_URL", ""),  # 党政机关网站标识: the conac.cn link
    "gov_mark_image": os.environ.get("WENMING_SITE_GOV_MARK_IMAGE", ""),  # … and its image (URL or static path)
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_SAVE_EVERY_REQUEST = False
CSRF_COOKIE_HTTPONLY = False
PASSWORD_RESET_TIMEOUT = 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def _origin(url: str) -> str:
    """The origin (scheme, host and any port) of an absolute URL, or "" for a path (served from 'self')."""
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere. Scripts and styles
# come from static files only; pages pass data through data- attributes. The one exception is the
# fixed <style> of the self-contained 500/503 pages (they must render when static files or the
# database are unavailable), allowed by its hash; tests/security/test_csp.py recomputes it.
# The 党政机关 badge image may be loaded from its registry's host (WENMING_SITE gov_mark_image).
WENMING_CSP_ERROR_PAGE_STYLE = "'sha256-R469D9jQT2oD/KWENWZajYgfKraa5nWnK9/tmNfyvTg='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", WENMING_CSP_ERROR_PAGE_STYLE],
        "img-src": ["'self'", "data:", *filter(None, [_origin(WENMING_SITE["gov_mark_image"])])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Keys for personal data (SM4) and blind indexes / audit chain (HMAC-SM3): hex, from the environment.
WENMING_FIELD_KEY = os.environ.get("WENMING_FIELD_KEY", "")
WENMING_INDEX_KEY = os.environ.get("WENMING_INDEX_KEY", "")
WENMING_AUDIT_KEY = os.environ.get("WENMING_AUDIT_KEY", "")
# Signed audit heads are appended here every five minutes: keep it outside the database server's
# control (docs/deploy.md). verify_audit fails when the newest one is older than the max age (minutes).
WENMING_AUDIT_ANCHOR_DIR = os.environ.get("WENMING_AUDIT_ANCHOR_DIR", str(VAR_DIR / "audit-anchors"))
WENMING_AUDIT_ANCHOR_MAX_AGE = int(os.environ.get("WENMING_AUDIT_ANCHOR_MAX_AGE", "30"))
# Backups (manage.py backup / make backup) go here unless --output is given.
WENMING_BACKUP_DIR = os.environ.get("WENMING_BACKUP_DIR", str(VAR_DIR / "backups"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("WENMING_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Upload limits (Django defaults kept; imports have their own limits in wenming.imports)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
WENMING_IMPORT_MAX_BYTES = 10 * 1024 * 1024
WENMING_IMPORT_MAX_UNCOMPRESSED = 50 * 1024 * 1024
WENMING_IMPORT_MAX_ENTRIES = 500
WENMING_IMPORT_MAX_ROWS = 20000

REST_FRAMEWORK = {
    # Bearer first: DRF answers an unauthenticated request with the first scheme's challenge, so
    # every endpoint says 401 + ``WWW-Authenticate: Bearer`` (session auth alone would say 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wenming.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "文明平台 API (Wenming)",
    "DESCRIPTION": "辽宁邮政行业精神文明建设管理平台 JSON API。所有数据按当前用户的数据范围过滤，个人信息一律脱敏。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
