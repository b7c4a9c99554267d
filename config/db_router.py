"""Read-replica routing for reporting reads (dashboards, exports): see docs/deploy.md, "Read replica".

Only reads made inside ``wenming.core.db.reporting_db()`` go to the ``replica`` alias, and only when
that alias is configured (``DATABASE_REPLICA_URL``). Everything else, and every write, uses ``default``,
so request paths never read their own writes from a lagging replica.
"""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings

REPLICA = "replica"


def database_from_url(url: str, *, conn_max_age: int = 60) -> dict:
    """Django DATABASES entry for a ``postgres://user:pass@host:port/name`` URL."""
    u = urlparse(url)
    if u.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"不支持的数据库地址类型：{u.scheme or '（空）'}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": u.path.lstrip("/"),
        "USER": u.username or "",
        "PASSWORD": u.password or "",
        "HOST": u.hostname or "127.0.0.1",
        "PORT": u.port or 5432,
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
    }


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReportingRouter:
    """Send reporting reads to the replica; never writes, relations and migrations stay on ``default``."""

    def db_for_read(self, model, **hints):
        from wenming.core.db import reporting_requested

        if reporting_requested() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a physical copy of default: objects from either may be related.
        if {obj1._state.db, obj2._state.db} <= {"default", REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
