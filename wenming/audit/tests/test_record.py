"""AU1 fields of one event, and no personal data in what the log keeps."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import RequestFactory

from wenming.audit.models import AuditAction, AuditEvent
from wenming.audit.services import audit_record, verify_chain
from wenming.people.models import Courier

pytestmark = pytest.mark.django_db


def test_an_event_keeps_time_user_ip_event_object_and_outcome(personas, org_tree):
    request = RequestFactory().post("/org/x/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="1.1.1.1")
    request.user = personas.province_admin
    with time_machine.travel(datetime(2026, 11, 27, 6, 8, 5, tzinfo=UTC), tick=False):
        audit_record(AuditAction.ORG_MOVE, request=request, obj=org_tree.shenyang_outlet, outcome="failure")
    ev = AuditEvent.objects.get()
    assert ev.at == datetime(2026, 11, 27, 6, 8, 5, tzinfo=UTC)
    assert (ev.actor_id, ev.actor_username, ev.ip) == (personas.province_admin.pk, "p_admin", "192.0.2.7")
    assert (ev.action, ev.outcome) == ("org_move", "failure")
    assert (ev.object_type, ev.object_id, ev.object_repr) == (
        "organizations.Organization",
        str(org_tree.shenyang_outlet.pk),
        "顺丰沈阳和平营业部",
    )
    assert verify_chain() == []


def test_a_courier_is_recorded_by_masked_name_only(org_tree, personas):
    c = Courier(
        outlet=org_tree.shenyang_outlet,
        name="赵静怡",
        gender="F",
        birth_date=date(1990, 3, 7),
        started_delivery_on=date(2015, 6, 1),
    )
    c.set_id_number("21010219900307109X")
    c.save()
    ev = audit_record(AuditAction.UPDATE, user=personas.shenyang_admin, obj=c)
    assert ev.object_repr == "赵*怡" and ev.object_id == str(c.pk)
