"""``manage.py vote_recount [--poll ID]``: rebuild every tally from the ledger; exit 1 on any mismatch.

Also verifies the poll's seal chain. Drain first with ``manage.py vote_flush --once`` when the fast path
is in use (a vote still in the stream is reported as a mismatch, not silently ignored).
"""

from django.core.management.base import BaseCommand, CommandError

from wenming.voting import engine
from wenming.voting.models import Poll


class Command(BaseCommand):
    help = "按台账重算网络投票票数，与显示票数不一致时以非零状态退出"

    def add_arguments(self, parser):
        parser.add_argument("--poll", type=int, action="append", help="投票编号（可重复；缺省为全部）")

    def handle(self, *args, **opts):
        ids = opts["poll"] or list(Poll.objects.order_by("pk").values_list("pk", flat=True))
        bad = 0
        for poll_id in ids:
            result = engine.recount(poll_id)
            problems = result.mismatches + engine.verify_ledger(poll_id)
            total = sum(result.counted.values())
            self.stdout.write(
                f"投票 {poll_id}：选票 {result.ballots} 张（隔离 {result.quarantined}），重算网络票 {total}，"
                f"线下票 {sum(result.offline.values())}：" + ("一致" if not problems else f"{len(problems)} 处不一致")
            )
            for p in problems:
                self.stderr.write(f"  {p}")
            bad += bool(problems)
        if bad:
            raise CommandError(f"{bad} 个投票的重算结果与显示不一致")
