"""``manage.py vote_flush [--once] [--interval 2]``: the flush worker (stream → ledger, seals, board)."""

import time

from django.core.management.base import BaseCommand

from wenming.voting import jobs


class Command(BaseCommand):
    help = "把网络投票的快速通道写入台账并封存（生产环境常驻运行）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=2.0)
        parser.add_argument("--max-seconds", type=float, default=0, help="运行这么多秒后退出（0：不限）")

    def handle(self, *args, **opts):
        started = time.monotonic()
        while True:
            done = jobs.flush_once()
            if opts["once"]:
                self.stdout.write(f"已写入：{done}")
                return
            if opts["max_seconds"] and time.monotonic() - started > opts["max_seconds"]:
                return
            time.sleep(opts["interval"])
