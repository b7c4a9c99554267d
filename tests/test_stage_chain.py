"""A review chain stored as data (an honour programme's stages) runs on the same kernel.

The stages here are written onto progress reports only because that model already has fitting states;
the honours engine builds its chain from its programme rows the same way.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from wenming.audit.models import AuditEvent
from wenming.core.errors import TransitionNotAllowed
from wenming.plans.permissions import PlanAction as PA
from wenming.plans.tests.workflow_cases import _report
from wenming.workflow import engine
from wenming.workflow.engine import Stage, perform, stage_chain


@pytest.fixture
def chain():
    wf = stage_chain(
        "test.city_then_province",
        model="plans.ProgressReport",
        event_model="plans.ProgressReportEvent",
        event_fk="report",
        draft="draft",
        returned="archived",
        done="published",
        rejected="reviewed",
        submit_permission=PA.PLAN_HANDLE,
        stages=[
            Stage("submitted", "市局初审", "plans.submit_report"),  # the city bureau itself, not above it
            Stage("adopted", "省局复审", "plans.review_report"),  # held above the city, never on it
        ],
    )
    yield wf
    engine.unregister(wf.key)


@pytest.mark.django_db
def test_stages_as_data_run_on_the_kernel(chain, personas, org_tree):
    ns = SimpleNamespace(p=personas, t=org_tree)
    r = _report(ns, "draft")
    city, province = personas.shenyang_admin, personas.province_admin
    assert [t.name for t in chain.available(r, personas.shenyang_staff)] == ["submit"]
    perform(chain, r.pk, "submit", by=personas.shenyang_staff)
    r.refresh_from_db()
    assert r.status == "submitted"
    assert {t.name for t in chain.available(r, city)} == {"advance", "return", "reject"}
    assert chain.available(r, province) == []  # the province sees the first stage but does not decide it
    perform(chain, r.pk, "advance", by=city, comment="初审通过")
    r.refresh_from_db()
    assert r.status == "adopted"
    with pytest.raises(PermissionDenied):
        perform(chain, r.pk, "advance", by=city)
    perform(chain, r.pk, "return", by=province, comment="请补充佐证")
    r.refresh_from_db()
    assert r.status == "archived"
    with pytest.raises(TransitionNotAllowed):
        perform(chain, r.pk, "advance", by=province)
    perform(chain, r.pk, "resubmit", by=personas.shenyang_staff)
    perform(chain, r.pk, "advance", by=city)
    perform(chain, r.pk, "advance", by=province)
    r.refresh_from_db()
    assert r.status == "published"
    kinds = list(r.events.values_list("kind", flat=True))
    assert kinds == ["submit", "advance", "return", "resubmit", "advance", "advance"]
    assert AuditEvent.objects.filter(object_type="plans.ProgressReport", object_id=str(r.pk)).count() == 6
