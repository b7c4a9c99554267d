"""Scheme versioning and the weights rule."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from wenming.assessment import services
from wenming.assessment.models import Scheme
from wenming.core.errors import ApplicationError


def test_weights_must_sum_to_100(test_metrics, personas):
    with pytest.raises(ApplicationError) as exc:
        services.scheme_create(
            by=personas.province_admin,
            year=2026,
            name="方案",
            indicators=[{"metric_key": "t_good", "weight": D(60)}, {"metric_key": "t_bad", "weight": D(30)}],
        )
    assert "100" in exc.value.message and "90" in exc.value.message


def test_target_rule_needs_a_target(test_metrics, personas):
    with pytest.raises(ApplicationError) as exc:
        services.scheme_create(
            by=personas.province_admin,
            year=2026,
            name="方案",
            indicators=[{"metric_key": "t_good", "weight": D(100), "rule": "target"}],
        )
    assert exc.value.field == "target_t_good"


def test_published_scheme_is_immutable_and_edits_make_a_new_version(scheme_2026, personas):
    with pytest.raises(ApplicationError):
        services.scheme_update(
            scheme_id=scheme_2026.pk,
            by=personas.province_admin,
            name="改",
            indicators=[{"metric_key": "t_good", "weight": D(100)}],
        )
    new = services.scheme_new_version(scheme_id=scheme_2026.pk, by=personas.province_admin)
    assert new.version == 2 and not new.is_published and new.indicators.count() == 2
    services.scheme_update(
        scheme_id=new.pk, by=personas.province_admin, name="改", indicators=[{"metric_key": "t_good", "weight": D(100)}]
    )
    scheme_2026.refresh_from_db()
    assert scheme_2026.indicators.count() == 2 and scheme_2026.name == "2026年度城市考核方案"


def test_scheme_pages_are_province_only(client, scheme_2026, personas):
    client.force_login(personas.shenyang_admin)
    assert client.get(reverse("assessment:scheme-list")).status_code == 403
    client.force_login(personas.province_admin)
    assert "2026年度城市考核方案" in client.get(reverse("assessment:scheme-list")).content.decode()
    assert client.get(reverse("assessment:scheme-detail", args=[scheme_2026.pk])).status_code == 200


def test_scheme_form_shows_chinese_weight_error_and_keeps_input(client, test_metrics, personas):
    client.force_login(personas.province_admin)
    resp = client.post(
        reverse("assessment:scheme-create"),
        {"year": 2026, "name": "草稿方案", "weight_t_good": "50", "rule_t_good": "linear", "rule_t_bad": "linear"},
    )
    body = resp.content.decode()
    assert resp.status_code == 200 and "权重之和须为 100 分" in body and "草稿方案" in body
    assert not Scheme.objects.exists()
