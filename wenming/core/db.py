"""Database helpers: ``reporting_db()`` marks reads that may be served by the read replica."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_reporting: ContextVar[bool] = ContextVar("wenming_reporting_db", default=False)


def reporting_requested() -> bool:
    return _reporting.get()


def reporting_alias() -> str:
    """The alias reporting reads use right now: ``replica`` when configured, else ``default``."""
    from config.db_router import REPLICA, replica_configured

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
