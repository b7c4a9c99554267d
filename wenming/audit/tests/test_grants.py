"""AU2 on PostgreSQL: the application role can append to and read the log, never rewrite it."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from wenming.audit.models import AuditEvent
from wenming.audit.services import audit_record, seal_pending, verify_chain

pytestmark = pytest.mark.django_db


def _app_role() -> str:
    """A throwaway role (rolled back with the test) when we may create one; otherwise the built-in
    ``pg_database_owner`` role, which holds no table privileges of its own and which the owner of the
    test database may SET ROLE to."""
    with connection.cursor() as cur:
        cur.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        if cur.fetchone()[0]:
            cur.execute("CREATE ROLE wenming_test_app NOLOGIN")
            cur.execute("GRANT wenming_test_app TO current_user")
            return "wenming_test_app"
    return "pg_database_owner"


def _priv(role: str, table: str, priv: str) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, priv])
        return cur.fetchone()[0]


def test_grant_app_role_leaves_only_select_and_insert():
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="仅适用于 PostgreSQL"):
            call_command("audit_grant_app_role", "app")
        return
    role = _app_role()
    with connection.cursor() as cur:
        # a careless earlier grant that the command must take back
        cur.execute(f'GRANT ALL ON audit_auditevent, audit_audithead TO "{role}"')
    assert _priv(role, "audit_auditevent", "UPDATE")
    call_command("audit_grant_app_role", role)
    assert _priv(role, "audit_auditevent", "SELECT") and _priv(role, "audit_auditevent", "INSERT")
    for priv in ("UPDATE", "DELETE", "TRUNCATE"):
        assert not _priv(role, "audit_auditevent", priv), priv
    assert not _priv(role, "audit_audithead", "DELETE") and _priv(role, "audit_audithead", "UPDATE")
    with connection.cursor() as cur:
        cur.execute("SELECT has_column_privilege(%s, 'audit_auditevent', 'hash', 'UPDATE')", [role])
        assert cur.fetchone()[0]
        cur.execute("SELECT has_column_privilege(%s, 'audit_auditevent', 'outcome', 'UPDATE')", [role])
        assert not cur.fetchone()[0]
    # acting as that role: appending works, rewriting is refused by the privilege system itself
    (ev,) = [audit_record("update", object_type="test.Thing", object_id=1)]
    with connection.cursor() as cur:
        cur.execute(f'SET ROLE "{role}"')
    try:
        audit_record("update", object_type="test.Thing", object_id=2)
        assert seal_pending() == 2  # the sealing job runs as the application role too
        for sql in (
            "UPDATE audit_auditevent SET outcome = 'x'",
            "DELETE FROM audit_auditevent",
            "TRUNCATE audit_auditevent",
        ):
            with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute(sql)
    finally:
        with connection.cursor() as cur:
            cur.execute("RESET ROLE")
    assert AuditEvent.objects.count() == 2 and verify_chain() == []
    assert AuditEvent.objects.get(pk=ev.pk).outcome == "success"


def test_grant_app_role_rejects_unknown_role():
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError):
            call_command("audit_grant_app_role", "nobody_here")
        return
    with pytest.raises(CommandError, match="数据库角色不存在"):
        call_command("audit_grant_app_role", "nobody_here")
