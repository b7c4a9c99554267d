"""Tests and trial resets can still empty the database; the triggers come back afterwards."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from wenming.audit.guards import missing_guards
from wenming.audit.models import AuditEvent, AuditHead
from wenming.audit.services import verify_chain

from .helpers import write_events


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_tables_and_restores_the_triggers():
    write_events(3)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0 and not AuditHead.objects.exists()
    assert missing_guards(connection) == []
    # and a fresh chain starts cleanly
    write_events(2)
    assert verify_chain() == []


@pytest.mark.django_db
def test_flush_is_refused_in_the_production_profile(settings):
    settings.WENMING_PROFILE = "production"
    write_events(1)
    with pytest.raises(CommandError, match="生产环境不允许清空数据库"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 1
