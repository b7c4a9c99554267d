"""Database helpers: ``reporting_db()`` marks reads that may be served by the read replica, and the
router that sends them there (docs/deploy.md, "Read replica").

Only reads made inside ``reporting_db()`` go to the ``replica`` alias, and only when that alias is
configured (``DATABASE_REPLICA_URL``; the production settings install ``ReportingRouter``). Everything
else, and every write, uses ``default``, so request paths never read their own writes from a lagging replica.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlparse

from django.conf import settings

REPLICA = "replica"

_reporting: ContextVar[bool] = ContextVar("wenming_reporting_db", default=False)


def reporting_requested() -> bool:
    return _reporting.get()


def reporting_alias() -> str:
    """The alias reporting reads use right now: ``replica`` when configured, else ``default``."""
    return REPLICA if replica_configured() else "default"


@contextmanager
def reporting_db() -> Iterator[str]:
    """Route ORM reads inside the block to the replica (when ``DATABASE_REPLICA_URL`` is set).

    For dashboards and exports, which tolerate seconds of replication lag. Writes inside the block
    still go to ``default``. Yields the alias in use, for raw SQL: ``connections[alias].cursor()``.

        with reporting_db() as alias:
            rows = list(Rollup.objects.visible_to(user, Action.VIEW).filter(...))
    """
    token = _reporting.set(True)
    try:
        yield reporting_alias()
    finally:
        _reporting.reset(token)


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
