"""Fixtures of the assessment tests: a published scheme over two registered metrics of fixed values."""

from __future__ import annotations

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from wenming.assessment import services
from wenming.assessment.metrics import Metric, MetricValue, Period, register_metric, unregister_metric

VALUES: dict[str, dict[str, MetricValue]] = {}


def _fixed(key):
    def compute(period: Period):
        from wenming.organizations.models import Organization

        by_code = VALUES.get(key, {})
        return {o.pk: by_code.get(o.code, MetricValue(None)) for o in Organization.objects.filter(kind="city_bureau")}

    return compute


@pytest.fixture
def test_metrics():
    """Two metrics whose values the test sets per city code (unregistered afterwards)."""
    ms = [
        register_metric(
            Metric(
                key=k,
                label=label,
                unit="%",
                higher_is_better=hib,
                compute=_fixed(k),
                records_url=lambda org, p: f"/plans/tasks/?city={org.pk}",
                order=900 + i,
            )
        )
        for i, (k, label, hib) in enumerate([("t_good", "测试指标甲", True), ("t_bad", "测试指标乙", False)])
    ]
    VALUES.clear()
    yield ms
    VALUES.clear()
    for m in ms:
        unregister_metric(m.key)


@pytest.fixture
def scheme_2026(test_metrics, personas):
    s = services.scheme_create(
        by=personas.province_admin,
        year=2026,
        name="2026年度城市考核方案",
        indicators=[
            {"metric_key": "t_good", "weight": D(60), "rule": "linear"},
            {"metric_key": "t_bad", "weight": D(40), "rule": "target", "target": D(2)},
        ],
    )
    return services.scheme_publish(scheme_id=s.pk, by=personas.province_admin)


@pytest.fixture
def ranked(scheme_2026, org_tree, personas):
    """Shenyang 90 % / 4 per million, Dalian 60 % / 2 per million, snapshots refreshed."""
    VALUES["t_good"] = {"210100": MetricValue(D(90), D(9), D(10)), "210200": MetricValue(D(60), D(6), D(10))}
    VALUES["t_bad"] = {"210100": MetricValue(D(4)), "210200": MetricValue(D(2))}
    services.refresh_snapshots(Period.year(2026), keys=["t_good", "t_bad"])
    return SimpleNamespace(scheme=scheme_2026)
