"""``manage.py scheduler``: start the registered periodic jobs when they are due (no cron needed)."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from wenming.core.periodic import periodic_jobs, run_due

STATUS = {"queued": "已加入队列", "running": "执行中", "ok": "已完成", "failed": "失败"}


class Command(BaseCommand):
    help = "定时任务调度：每约 30 秒检查一次，到期的任务交给后台任务进程执行（多台服务器同时运行也只执行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只检查并启动当前到期的任务，然后退出（供 cron 使用）")
        parser.add_argument("--inline", action="store_true", help="在本进程内直接执行，不经后台队列")
        parser.add_argument("--interval", type=float, default=30.0, help="检查间隔秒数，默认 30")

    def handle(self, *args, **opts):
        if opts["once"]:
            self._tick(opts["inline"])
            return
        names = "、".join(job.name for job in periodic_jobs())
        self.stdout.write(f"定时任务调度已启动，间隔 {opts['interval']:g} 秒：{names}")
        try:
            while True:
                close_old_connections()  # a long-lived loop: drop broken or expired connections
                self._tick(opts["inline"])
                time.sleep(opts["interval"])
        except KeyboardInterrupt:
            self.stdout.write("定时任务调度已停止")

    def _tick(self, inline: bool) -> None:
        for name, status in run_due(inline=inline).items():
            self.stdout.write(f"{name}：{STATUS.get(status, status)}", ending="\n")
            self.stdout.flush()
