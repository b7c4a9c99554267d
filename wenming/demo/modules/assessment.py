"""Demo data of 考核 (called by ``seed_demo`` with the shared ``DemoContext``, after every module it reads).

The province's published assessment scheme for the demo year over all eleven indicators (weights sum to
100), the year's, the current quarter's and the current month's snapshots computed from the demo
records the other modules wrote, and one audited adjustment (加分) with its reason, so a fresh install's
ranking of the 14 cities shows what the records say. Idempotent: nothing is written when the year has a
scheme already.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wenming.assessment import services
from wenming.assessment.metrics import Period
from wenming.assessment.models import Scheme

# (metric, weight, rule, target): the province's weighting of the eleven indicators (docs/assessment.md).
INDICATORS = [
    ("task_on_time", 15, "linear", None),
    ("task_ack_1wd", 8, "target", 95),
    ("reports_adopted", 8, "linear", None),
    ("activities_per_1000", 10, "linear", None),
    ("volunteer_hours_per_courier", 10, "linear", None),
    ("honours_by_level", 8, "linear", None),
    ("satisfaction_index", 15, "target", 85),
    ("satisfaction_trend", 6, "linear", None),
    ("valid_complaints_ppm", 8, "linear", None),
    ("complaint_reply_overdue", 6, "linear", None),
    ("media_coverage", 6, "linear", None),
]


def seed(ctx: Any) -> None:
    year = ctx.today.year
    if Scheme.objects.filter(year=year).exists():
        return
    by = ctx.users.get("province")
    rows = [
        {"metric_key": k, "weight": Decimal(w), "rule": rule, **({"target": Decimal(t)} if t is not None else {})}
        for k, w, rule, t in INDICATORS
    ]
    scheme = services.scheme_create(
        by=by,
        year=year,
        name=f"{year}年度全省邮政行业精神文明建设工作考核方案",
        description="依据《辽宁省邮政行业精神文明建设工作实施方案》，对 14 个市邮政管理局按季度通报、年度考核。",
        indicators=rows,
    )
    services.scheme_publish(scheme_id=scheme.pk, by=by)
    dandong = ctx.cities.get("210600")
    if dandong is not None:
        services.adjustment_add(
            org=dandong,
            year=year,
            points=Decimal(2),
            reason=f"在全省寄递渠道安全专项整治中成效突出，获省局通报表扬（辽邮管〔{year}〕35号）",
            by=by,
        )
    today = ctx.today
    periods = [Period.year(year), Period.current("quarter", today), Period.current("month", today)]
    written = sum(services.refresh_snapshots(p) for p in periods)
    ctx.note("考核快照", written)
