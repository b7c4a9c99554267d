"""``manage.py surveys_rollup [--rebuild] [--check N]``: refresh the satisfaction rollup now, rebuild it from
the raw responses, or run the sampled comparison with a live aggregate."""

from django.core.management.base import BaseCommand

from wenming.surveys import rollup


class Command(BaseCommand):
    help = "满意度汇总：增量刷新（默认）、全量重建（--rebuild）或抽样核对（--check N）"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="从答卷明细全量重建汇总表")
        parser.add_argument("--check", type=int, default=0, help="抽样核对 N 行汇总与明细")

    def handle(self, *args, rebuild: bool, check: int, **options):
        if rebuild:
            wm = rollup.rebuild()
            self.stdout.write(f"已全量重建汇总，水位 {wm}")
        elif check:
            r = rollup.check(sample=check)
            self.stdout.write(f"抽样核对 {r.sampled} 行，不一致 {r.mismatches} 行")
            if r.mismatches:
                raise SystemExit(1)
        else:
            n = rollup.refresh()
            self.stdout.write(f"已汇总新增答卷 {n} 份")
