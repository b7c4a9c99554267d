"""F6: when the audit row cannot be written, the audited action is refused and rolled back."""

import pytest
from django.db import connection

from wenming.audit.models import AuditEvent
from wenming.audit.services import AuditWriteError
from wenming.organizations.models import Organization, OrgMove
from wenming.organizations.services import org_set_active

pytestmark = pytest.mark.django_db


def _refuse_audit_inserts() -> None:
    """A real database trigger that makes every audit INSERT fail (undone with the test transaction)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN RAISE EXCEPTION 'audit storage unavailable'; END; $$"
            )
            cur.execute(
                "CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_auditevent "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()"
            )
        else:
            cur.execute(
                "CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_auditevent "
                "BEGIN SELECT RAISE(ABORT, 'audit storage unavailable'); END"
            )


def test_deactivation_is_rolled_back_when_the_audit_write_fails(org_tree, personas):
    # given the audit table refuses inserts
    _refuse_audit_inserts()
    moves = OrgMove.objects.count()
    # when the province admin deactivates the Shenyang bureau (an audited action)
    with pytest.raises(AuditWriteError, match="审计日志写入失败，操作已取消"):
        org_set_active(org=org_tree.shenyang, active=False, by=personas.province_admin, reason="撤并")
    # then nothing happened: the subtree is still active, no history row, no audit row
    assert Organization.objects.filter(path__startswith=org_tree.shenyang.path, is_active=False).count() == 0
    assert OrgMove.objects.count() == moves
    assert AuditEvent.objects.count() == 0


def test_missing_audit_key_refuses_the_action(org_tree, personas, settings):
    # given the audit key is not configured
    settings.WENMING_AUDIT_KEY = ""
    with pytest.raises(AuditWriteError):
        org_set_active(org=org_tree.dalian, active=False, by=personas.province_admin)
    assert Organization.objects.get(pk=org_tree.dalian.pk).is_active
    # and with the key back the same action succeeds and is recorded
    settings.WENMING_AUDIT_KEY = "b" * 64
    assert org_set_active(org=org_tree.dalian, active=False, by=personas.province_admin) == 3
    ev = AuditEvent.objects.get()
    assert ev.actor_username == personas.province_admin.username and ev.object_id == str(org_tree.dalian.pk)
