"""DB-R: the dashboard summary and the assessment ranking read (quality: p95 ≤ 200 ms, flat as data grows).

A child ``python -m bench.cases_dashboards`` against the run's scratch database seeds the province, its
14 cities, a province administrator and a published scheme over 媒体报道数, then measures twice: with a
small and with a ten times larger number of media-coverage rows and verified creation activities (the
records the summary's live counters, trends and per-city charts count; snapshots refreshed after each
seeding).
Each measurement times ``dashboards.selectors.summary(fresh=True)`` (every live counter and the ranking,
the cache bypassed) and ``assessment.selectors.ranking`` for the province user. Growth ratio = p95 at the
large size / p95 at the small one: the ranking reads year snapshots, never the records, so it stays flat.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.registry import BenchCase, Target, register


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _seed_tree() -> tuple[Any, list[Any]]:
    # deferred: runs in a bench child process after django.setup()
    from django.utils import timezone

    from wenming.accounts.models import User
    from wenming.assessment import services
    from wenming.assessment.selectors import published_scheme
    from wenming.organizations.choices import OrgKind
    from wenming.organizations.models import Organization, RoleAssignment
    from wenming.organizations.services import org_create

    province = Organization.objects.filter(code="210000").first() or org_create(
        parent=None, kind=OrgKind.PROVINCIAL_BUREAU, name="辽宁省邮政管理局", code="210000", audit=False
    )
    cities = []
    for n in range(1, 15):
        code = f"21{n:02d}00"
        city = Organization.objects.filter(code=code).first() or org_create(
            parent=province, kind=OrgKind.CITY_BUREAU, name=f"测试市{n}邮政管理局", code=code, audit=False
        )
        cities.append(city)
    user = User.objects.filter(username="bench_dbr").first()
    if user is None:
        user = User.objects.create_user(
            username="bench_dbr",
            password="Bench#dbr-2026-unused",
            display_name="bench_dbr",
            must_change_password=False,
            password_changed_at=timezone.now(),
            home_organization=province,
        )
        RoleAssignment.objects.create(user=user, organization=province, role="province_admin")
    year = timezone.localdate().year
    if published_scheme(year) is None:
        s = services.scheme_create(
            by=user,
            year=year,
            name=f"{year}年度城市考核方案（基准）",
            indicators=[{"metric_key": "media_coverage", "weight": Decimal(100), "rule": "linear"}],
        )
        services.scheme_publish(scheme_id=s.pk, by=user)
    return user, cities


def _grow(cities: list[Any], per_city: int) -> None:
    # deferred: runs in a bench child process after django.setup()
    from wenming.publicity.models import MediaCoverage

    year = date.today().year
    rows = [
        MediaCoverage(
            organization=c,
            title=f"基准报道{i}",
            outlet_name="辽宁日报",
            medium="newspaper",
            published_on=date(year, 1 + i % 12, 1 + i % 28),
        )
        for c in cities
        for i in range(per_city)
    ]
    MediaCoverage.objects.bulk_create(rows, batch_size=2000)
    # The activities the summary counts: verified, spread over the year so far, organised by each city.
    from django.utils import timezone

    from wenming.activities.models import Activity, ActivityType

    types = list(ActivityType.objects.order_by("sort_order"))
    today = timezone.localdate()
    span = max(1, (today - date(year, 1, 1)).days)
    tz = timezone.get_current_timezone()
    acts = [
        Activity(
            organization=c,
            activity_type=types[i % len(types)],
            title=f"基准活动{i}",
            starts_at=datetime(year, 1, 1, 9, tzinfo=tz) + timedelta(days=i % span),
            description="基准数据",
            participant_count=10,
            status="verified",
        )
        for c in cities
        for i in range(per_city)
    ]
    Activity.objects.bulk_create(acts, batch_size=2000)


def _time(fn, reps: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(reps):
        began = time.perf_counter()
        fn()
        out.append((time.perf_counter() - began) * 1000)
    return out


def measure(small: int, factor: int, reps: int) -> dict[str, Any]:
    import django

    django.setup()
    # deferred: runs in a bench child process after django.setup()
    from django.utils import timezone

    from wenming.assessment import selectors as assessment
    from wenming.assessment import services
    from wenming.assessment.metrics import Period
    from wenming.dashboards import selectors as dashboards

    user, cities = _seed_tree()
    year = timezone.localdate().year
    out: dict[str, Any] = {}
    for label, per_city in (("small", small), ("large", small * (factor - 1))):
        _grow(cities, per_city)
        services.refresh_snapshots(Period.year(year), keys=["media_coverage"])
        summary = _time(lambda: dashboards.summary(user, fresh=True), reps)
        ranking = _time(lambda: assessment.ranking(user, year=year), reps)
        out[f"summary_p95_ms_{label}"] = round(_p95(summary), 2)
        out[f"ranking_p95_ms_{label}"] = round(_p95(ranking), 2)
        out[f"rows_{label}"] = len(cities) * (small if label == "small" else small * factor)
        out["ranked_cities"] = len(assessment.ranking(user, year=year).rows)
    out["summary_p95_ms"] = max(out["summary_p95_ms_small"], out["summary_p95_ms_large"])
    out["ranking_p95_ms"] = max(out["ranking_p95_ms_small"], out["ranking_p95_ms_large"])
    out["ranking_growth"] = round(out["ranking_p95_ms_large"] / max(out["ranking_p95_ms_small"], 0.01), 2)
    out["summary_growth"] = round(out["summary_p95_ms_large"] / max(out["summary_p95_ms_small"], 0.01), 2)
    return out


def run_dbr(ctx: Any) -> dict[str, Any]:
    from bench.harness import PY, BenchError, run_bounded

    # Full run: 150 records of each kind per city (2,100 activities: the expected year, domain.md §8)
    # against ten times that (21,000: the load-test volume of 20,000 activities).
    small, reps = (50, 10) if ctx.smoke else (150, 50)
    cmd = [PY, "-m", "bench.cases_dashboards", "--small", str(small), "--factor", "10", "--reps", str(reps)]
    r = run_bounded(cmd, timeout=120 if ctx.smoke else 900, env=ctx.django_env())
    line = next((ln for ln in r["out"].splitlines() if ln.startswith("DBR_JSON ")), None)
    if r["timed_out"] or line is None:
        raise BenchError(f"DB-R failed: {(r['err'] or r['out'])[-800:]}")
    return json.loads(line.removeprefix("DBR_JSON "))


register(
    BenchCase(
        id="DB-R",
        title="数据看板与考核排名读取：p95 ≤ 200 ms，数据增长十倍不变慢",
        module="dashboards",
        order=300,
        run=run_dbr,
        reps=1,
        targets=(
            Target("summary_p95_ms", "<=", 200, label="看板汇总 p95 ≤ 200 ms"),
            Target("ranking_p95_ms", "<=", 200, label="考核排名 p95 ≤ 200 ms"),
            Target("ranking_growth", "<=", 1.5, label="记录 ×10 时排名 p95 增长 ≤ 1.5 ×"),
            Target("summary_growth", "<=", 1.5, label="记录 ×10 时看板汇总 p95 增长 ≤ 1.5 ×"),
            Target("ranked_cities", "==", 14, label="排名含 14 个地市", timing=False),
        ),
        notes="看板汇总绕过缓存（fresh=True）；增长的是媒体报道和已核实的创建活动，排名只读年度快照。",
    )
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--reps", type=int, default=50)
    opts = parser.parse_args(argv)
    print("DBR_JSON " + json.dumps(measure(opts.small, opts.factor, opts.reps)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
