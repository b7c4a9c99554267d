"""Database-level protection of the audit tables: triggers that refuse UPDATE, DELETE and TRUNCATE.

The one UPDATE allowed is the seal: ``seq``, ``prev_hash`` and ``hash`` go from NULL to a value, once,
and every other column stays as inserted (``services.seal_pending``).

The triggers are defence in depth. In production the real control is the privilege model: the
migration role owns the tables and the application role holds only SELECT/INSERT on the log
(``manage.py audit_grant_app_role``). The chain (``services.verify_chain``) detects what a table owner
could still do. See docs/adr/0004-audit-chain.md.

Note: on SQLite a migration that rebuilds ``audit_auditevent`` (AlterField and friends) drops its
triggers; such a migration must call ``install_guards`` again. ``verify_audit`` reports missing triggers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

EVENT_TABLE = "audit_auditevent"
HEAD_TABLE = "audit_audithead"
MESSAGE = "audit log is append-only"
# Everything a writer inserts; the seal may not touch any of it.
CONTENT_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "detail",
    "mac",
)
SEAL_COLUMNS = ("seq", "prev_hash", "hash")

_SQLITE_TRIGGERS = {
    "audit_auditevent_seal_only": (
        f"CREATE TRIGGER IF NOT EXISTS audit_auditevent_seal_only BEFORE UPDATE ON {EVENT_TABLE} "
        "WHEN NOT (OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL "
        "AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL "
        + " ".join(f"AND NEW.{c} IS OLD.{c}" for c in CONTENT_COLUMNS)
        + f") BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    ),
    "audit_auditevent_no_delete": (
        f"CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_delete BEFORE DELETE ON {EVENT_TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    ),
    "audit_audithead_no_delete": (
        f"CREATE TRIGGER IF NOT EXISTS audit_audithead_no_delete BEFORE DELETE ON {HEAD_TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'audit head cannot be deleted'); END"
    ),
    "audit_audithead_forward_only": (
        f"CREATE TRIGGER IF NOT EXISTS audit_audithead_forward_only BEFORE UPDATE ON {HEAD_TABLE} "
        "WHEN NEW.event_count < OLD.event_count "
        "BEGIN SELECT RAISE(ABORT, 'audit head only moves forward'); END"
    ),
}

_PG_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION wenming_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION wenming_audit_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
           AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
           AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION wenming_audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'audit head cannot be deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.event_count < OLD.event_count THEN
            RAISE EXCEPTION 'audit head only moves forward' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END;
    $$
    """,
    f"DROP TRIGGER IF EXISTS audit_auditevent_append_only ON {EVENT_TABLE}",
    f"""CREATE TRIGGER audit_auditevent_append_only BEFORE DELETE ON {EVENT_TABLE}
        FOR EACH ROW EXECUTE FUNCTION wenming_audit_append_only()""",
    f"DROP TRIGGER IF EXISTS audit_auditevent_seal_only ON {EVENT_TABLE}",
    f"""CREATE TRIGGER audit_auditevent_seal_only BEFORE UPDATE ON {EVENT_TABLE}
        FOR EACH ROW EXECUTE FUNCTION wenming_audit_seal_only()""",
    f"DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON {EVENT_TABLE}",
    f"""CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON {EVENT_TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION wenming_audit_append_only()""",
    f"DROP TRIGGER IF EXISTS audit_audithead_guard ON {HEAD_TABLE}",
    f"""CREATE TRIGGER audit_audithead_guard BEFORE UPDATE OR DELETE ON {HEAD_TABLE}
        FOR EACH ROW EXECUTE FUNCTION wenming_audit_head_guard()""",
    f"DROP TRIGGER IF EXISTS audit_audithead_no_truncate ON {HEAD_TABLE}",
    f"""CREATE TRIGGER audit_audithead_no_truncate BEFORE TRUNCATE ON {HEAD_TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION wenming_audit_append_only()""",
]
_PG_TRIGGERS = {
    "audit_auditevent_append_only",
    "audit_auditevent_seal_only",
    "audit_auditevent_no_truncate",
    "audit_audithead_guard",
    "audit_audithead_no_truncate",
}
_PG_DROP = [
    f"DROP TRIGGER IF EXISTS audit_auditevent_append_only ON {EVENT_TABLE}",
    f"DROP TRIGGER IF EXISTS audit_auditevent_seal_only ON {EVENT_TABLE}",
    f"DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON {EVENT_TABLE}",
    f"DROP TRIGGER IF EXISTS audit_audithead_guard ON {HEAD_TABLE}",
    f"DROP TRIGGER IF EXISTS audit_audithead_no_truncate ON {HEAD_TABLE}",
    "DROP FUNCTION IF EXISTS wenming_audit_append_only()",
    "DROP FUNCTION IF EXISTS wenming_audit_head_guard()",
    "DROP FUNCTION IF EXISTS wenming_audit_seal_only()",
]
# Triggers of earlier schema versions, dropped before the current ones are installed.
_SQLITE_OLD = ("audit_auditevent_no_update",)


def install_guards(connection: Any) -> None:
    """Create the append-only triggers for the connection's vendor (idempotent)."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for sql in _SQLITE_TRIGGERS.values():
                cur.execute(sql)
        elif connection.vendor == "postgresql":
            for sql in _PG_INSTALL:
                cur.execute(sql)


def drop_guards(connection: Any) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for name in (*_SQLITE_TRIGGERS, *_SQLITE_OLD):
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            for sql in _PG_DROP:
                cur.execute(sql)


def missing_guards(connection: Any) -> list[str]:
    """Names of expected triggers that are absent or disabled (empty on other vendors)."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {r[0] for r in cur.fetchall()}
            return sorted(set(_SQLITE_TRIGGERS) - present)
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D' "
                "AND tgrelid IN (%s::regclass, %s::regclass)",
                [EVENT_TABLE, HEAD_TABLE],
            )
            present = {r[0] for r in cur.fetchall()}
            return sorted(_PG_TRIGGERS - present)
    return []


@contextmanager
def guards_suspended(connection: Any) -> Iterator[None]:
    """Owner-only maintenance window (flush in tests, archived-retention purge): triggers off, then on.

    SQLite: the triggers are dropped and recreated (DDL is transactional there). PostgreSQL:
    ``ALTER TABLE ... DISABLE TRIGGER USER`` needs table ownership, which the app role never has.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"ALTER TABLE {EVENT_TABLE} DISABLE TRIGGER USER")
            cur.execute(f"ALTER TABLE {HEAD_TABLE} DISABLE TRIGGER USER")
        try:
            yield
        finally:
            with connection.cursor() as cur:
                cur.execute(f"ALTER TABLE {EVENT_TABLE} ENABLE TRIGGER USER")
                cur.execute(f"ALTER TABLE {HEAD_TABLE} ENABLE TRIGGER USER")
    else:
        drop_guards(connection)
        try:
            yield
        finally:
            install_guards(connection)
