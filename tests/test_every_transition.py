"""One suite over every registered workflow transition (the kernel's contract).

For each transition an app declares a case (``wenming/<app>/tests/workflow_cases.py``); here every case
is checked the same way: refused from a wrong state, refused without permission, 404 out of scope, one
event row and one audit row (with the client IP) on success, nobody notified when the transaction rolls
back. A registered transition without a case fails the meta-test.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction

from wenming.audit.models import AuditEvent
from wenming.core import context
from wenming.core.errors import ApplicationError, TransitionNotAllowed
from wenming.workbench.models import Notification
from wenming.workflow.engine import perform, registry
from wenming.workflow.policy import SYSTEM
from wenming.workflow.testing import all_cases

for _app in apps.get_app_configs():
    if _app.name.startswith("wenming.") and importlib.util.find_spec(f"{_app.name}.tests") is not None:
        if importlib.util.find_spec(f"{_app.name}.tests.workflow_cases") is not None:
            importlib.import_module(f"{_app.name}.tests.workflow_cases")

CASES = sorted(all_cases().values(), key=lambda c: c.id)
CLIENT_IP = "198.51.100.23"


class Rollback(Exception):
    pass


@pytest.fixture
def ns(personas, org_tree):
    return SimpleNamespace(p=personas, t=org_tree)


def _staff_context(user):
    return context.bind(context.RequestContext(actor=user, ip=CLIENT_IP, request_id="t" * 16))


def _state(case, obj) -> str:
    wf = registry()[case.workflow]
    return wf.state_of(type(obj)._default_manager.get(pk=obj.pk))


def _events(case, obj) -> int:
    wf = registry()[case.workflow]
    subject = wf.subject_of(obj)
    return wf.event_class()._default_manager.filter(**{wf.event_fk: subject}).count()


def _permission(case) -> str:
    wf = registry()[case.workflow]
    return wf.named(case.transition)[0].permission


def test_every_registered_transition_has_a_case():
    missing = [
        f"{wf.key}:{t.name}"
        for wf in registry().values()
        for t in wf.transitions
        if (wf.key, t.name) not in all_cases()
    ]
    assert not missing, f"transitions without a case in <app>/tests/workflow_cases.py: {missing}"
    assert len(CASES) >= 29


def test_every_transition_permission_is_known_to_the_policy():
    from wenming.workflow.policy import is_known

    unknown = [f"{wf.key}:{t.name}={t.permission}" for wf in registry().values() for t in wf.transitions]
    assert [u for u in unknown if not is_known(u.rsplit("=", 1)[1])] == []


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_from_a_wrong_state(case, ns):
    obj = case.make(ns)
    type(obj)._default_manager.filter(pk=obj.pk).update(**{registry()[case.workflow].state_field: case.wrong_state})
    obj.refresh_from_db()
    before_events, before_audit = _events(case, obj), AuditEvent.objects.count()
    user = case.allowed(ns) if case.allowed else None
    if _permission(case) == SYSTEM:
        with pytest.raises(TransitionNotAllowed):
            perform(registry()[case.workflow], obj.pk, case.transition, by=None)
    else:
        with _staff_context(user), pytest.raises(ApplicationError):
            case.fire(obj, user)
    assert _state(case, obj) == case.wrong_state
    assert _events(case, obj) == before_events
    assert AuditEvent.objects.count() == before_audit


DENIABLE = [c for c in CASES if c.denied is not None or c.allowed is None and _permission(c) == SYSTEM]


@pytest.mark.django_db
@pytest.mark.parametrize("case", DENIABLE, ids=[c.id for c in DENIABLE])
def test_refused_without_permission(case, ns):
    obj = case.make(ns)
    state, before_events = _state(case, obj), _events(case, obj)
    if case.denied is not None:
        user = case.denied(ns)
        with _staff_context(user), pytest.raises(PermissionDenied):
            case.fire(obj, user)
    else:  # a system transition fired from inside a signed-in request
        user = ns.p.province_admin
        with _staff_context(user), pytest.raises(PermissionDenied):
            perform(registry()[case.workflow], obj.pk, case.transition, by=user)
    assert _state(case, obj) == state
    assert _events(case, obj) == before_events


HTTP = [c for c in CASES if c.http is not None and c.outsider is not None]


@pytest.mark.django_db
@pytest.mark.parametrize("case", HTTP, ids=[c.id for c in HTTP])
def test_out_of_scope_is_404(case, ns, client):
    obj = case.make(ns)
    state = _state(case, obj)
    client.force_login(case.outsider(ns))
    url, data = case.http(obj)
    assert client.post(url, data).status_code == 404
    assert _state(case, obj) == state


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_success_writes_one_event_and_one_audit_row_with_ip(case, ns, django_capture_on_commit_callbacks):
    wf = registry()[case.workflow]
    t = wf.named(case.transition)[0]
    obj = case.make(ns)
    subject = wf.subject_of(obj)
    before_events = _events(case, obj)
    before_notes = Notification.objects.count()
    audit_before = set(AuditEvent.objects.values_list("pk", flat=True))
    user = case.allowed(ns) if case.allowed else None
    with django_capture_on_commit_callbacks(execute=True):
        if _permission(case) == SYSTEM:
            case.fire(obj, None)  # the scheduler: no request, no signed-in actor
        else:
            with _staff_context(user):
                case.fire(obj, user)
    assert _state(case, obj) == next(x.target for x in wf.named(case.transition) if True)
    assert _events(case, obj) == before_events + 1
    event = wf.event_class()._default_manager.filter(**{wf.event_fk: subject}).order_by("-pk").first()
    assert event.kind == case.transition and event.label == t.label
    rows = [
        a
        for a in AuditEvent.objects.exclude(pk__in=audit_before)
        if a.object_type == subject._meta.label
        and str(a.object_id) == str(subject.pk)
        and a.detail.get("transition") == case.transition
    ]
    assert len(rows) == 1, rows
    if _permission(case) != SYSTEM:
        assert rows[0].ip == CLIENT_IP
    if user is not None:
        assert rows[0].actor_id == user.pk
    if case.notifies:
        assert Notification.objects.count() > before_notes


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rolled_back_transition_leaves_nothing_and_notifies_no_one(case, ns, django_capture_on_commit_callbacks):
    obj = case.make(ns)
    state, before_events = _state(case, obj), _events(case, obj)
    before_notes, before_audit = Notification.objects.count(), AuditEvent.objects.count()
    user = case.allowed(ns) if case.allowed else None
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Rollback):
            with transaction.atomic():
                if _permission(case) == SYSTEM:
                    case.fire(obj, None)
                else:
                    with _staff_context(user):
                        case.fire(obj, user)
                assert _state(case, obj) != state  # it did move, inside the transaction
                raise Rollback
    assert callbacks == []
    assert _state(case, obj) == state
    assert _events(case, obj) == before_events
    assert Notification.objects.count() == before_notes
    assert AuditEvent.objects.count() == before_audit
