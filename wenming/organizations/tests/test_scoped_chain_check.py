"""wenming.E001 covers models that reach an organisation through a foreign-key chain."""

from __future__ import annotations

from django.core import checks

from wenming.organizations.checks import scoped_models_check
from wenming.organizations.scoping import EXEMPT_MODELS, ScopedQuerySet, org_chain_models, org_owned_models


def test_chain_models_are_found_and_scoped():
    chain = {m._meta.label for m in org_chain_models()}
    # children of plans and activities rows, and the memberships of a governing body
    assert {
        "plans.Attachment",
        "plans.ExtensionRequest",
        "plans.ReportFieldComment",
        "plans.WorkTaskEvent",
        "activities.VolunteerRecord",
        "activities.VolunteerRecordEvent",
        "people.Membership",
    } <= chain
    assert not chain & {m._meta.label for m in org_owned_models()}
    for model in org_chain_models():
        assert isinstance(model._default_manager.get_queryset(), ScopedQuerySet), model._meta.label


def test_exempt_models_do_not_carry_the_chain():
    # accounts.User points at its home organisation but is exempt: the login log and sessions, which
    # point at users, are not pulled in through it
    assert "accounts.User" in EXEMPT_MODELS
    chain = {m._meta.label for m in org_chain_models()}
    assert "accounts.LoginRecord" not in chain and "accounts.UserSession" not in chain


def test_the_check_reports_nothing_on_this_code_base_and_flags_an_unscoped_chain_model(monkeypatch):
    assert [e for e in scoped_models_check() if e.id == "wenming.E001"] == []
    from wenming.organizations import scoping
    from wenming.plans.models import Attachment

    monkeypatch.setattr(scoping, "org_chain_models", lambda: [Attachment])
    monkeypatch.setattr(Attachment._default_manager, "get_queryset", lambda: Attachment._base_manager.get_queryset())
    errors = scoped_models_check()
    assert [(e.id, e.obj) for e in errors] == [("wenming.E001", Attachment)]
    assert isinstance(errors[0], checks.Error)
