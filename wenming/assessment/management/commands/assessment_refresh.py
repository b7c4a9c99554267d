"""manage.py assessment_refresh — recompute the assessment snapshots (the hourly job does the current periods).

manage.py assessment_refresh                    the current month, quarter and year
manage.py assessment_refresh --period 2026      one year (or 2026-Q3, 2026-11)
manage.py assessment_refresh --year 2026 --all  the year, its four quarters and twelve months
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wenming.assessment.metrics import Period, all_metrics
from wenming.assessment.services import current_periods, refresh_snapshots


class Command(BaseCommand):
    help = "重新计算考核指标快照（默认：当前月、季度、年度）"

    def add_arguments(self, parser):
        parser.add_argument("--period", action="append", default=[], help="周期：2026、2026-Q3 或 2026-11，可重复")
        parser.add_argument("--year", type=int, help="年度（与 --all 一起：该年的年度、四个季度和十二个月）")
        parser.add_argument("--all", action="store_true", help="与 --year 一起使用")
        parser.add_argument("--metric", action="append", default=[], help="只计算这些指标（可重复）")

    def handle(self, *args, **opts):
        periods: list[Period] = []
        try:
            periods += [Period.parse(t) for t in opts["period"]]
        except (ValueError, KeyError) as exc:
            raise CommandError(f"无法识别的周期：{exc}") from exc
        if opts["year"]:
            if not 2000 <= opts["year"] <= 2100:
                raise CommandError("年度应在 2000–2100 之间")
            year = Period.year(opts["year"])
            periods.append(year)
            if opts["all"]:
                periods += [Period.quarter(opts["year"], q) for q in range(1, 5)] + year.months()
        elif opts["all"]:
            raise CommandError("--all 需要与 --year 一起使用")
        if not periods:
            periods = current_periods()
        keys = opts["metric"] or None
        unknown = sorted(set(keys or []) - {m.key for m in all_metrics()})
        if unknown:
            raise CommandError(f"未登记的指标：{'、'.join(unknown)}")
        total = 0
        for p in periods:
            n = refresh_snapshots(p, keys=keys)
            total += n
            self.stdout.write(f"{p.label}：{n} 条快照")
        self.stdout.write(self.style.SUCCESS(f"共 {total} 条快照"))
