"""Fixtures of the surveys tests: the default questionnaire, a second Shenyang outlet, raw responses."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from django.utils import timezone


@pytest.fixture
def questionnaire(org_tree):
    from wenming.surveys.services import ensure_default_questionnaire

    return ensure_default_questionnaire(organization=org_tree.province)


@pytest.fixture
def second_outlet(org_tree):
    """A second outlet of the Shenyang 顺丰 enterprise (the comparison outlet of the effect tests)."""
    from wenming.organizations.choices import OrgKind
    from wenming.organizations.models import Outlet
    from wenming.organizations.services import org_create

    org = org_create(parent=org_tree.shenyang_enterprise, kind=OrgKind.OUTLET, name="顺丰沈阳皇姑营业部", audit=False)
    Outlet.objects.create(organization=org, brand=org_tree.sf, county_code="210105", opened_on=date(2015, 3, 1))
    return org


_counter = [0]


def add_response(outlet_org, questionnaire, score_points: float | None, day: date, *, comment: str = "", **dims):
    """One raw response at ``outlet_org`` with the overall score ``score_points`` (0–100) on ``day``."""
    from wenming.surveys import services
    from wenming.surveys.models import SurveyResponse

    info = services.outlet_info(outlet_org.pk)
    _counter[0] += 1
    return SurveyResponse.objects.create(
        outlet_id=info.outlet_id,
        enterprise_id=info.enterprise_id,
        brand_id=info.brand_id,
        city_code=info.city_code,
        questionnaire=questionnaire,
        day=day,
        month=day.replace(day=1),
        submitted_at=timezone.make_aware(datetime.combine(day, time(10))),
        device=f"dev{_counter[0]:029d}",
        answers={},
        comment=comment,
        score=None if score_points is None else round(score_points * 10),
        **{f"s_{k}": round(v * 10) for k, v in dims.items()},
    )


@pytest.fixture
def responses():
    return SimpleNamespace(add=add_response)
