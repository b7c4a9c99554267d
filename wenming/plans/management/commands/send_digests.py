"""Daily supervision run: escalate stale overdue tasks, then send one reminder digest per user."""

from django.core.management.base import BaseCommand

from wenming.plans.supervision import digests_send, tasks_escalate
from wenming.plans.tasks import send_daily_digests


class Command(BaseCommand):
    help = "发送每日督办提醒（每人每天一条），并上报逾期无进展的任务"

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="在本进程内立即执行，不经后台队列")

    def handle(self, *args, **opts):
        if opts["now"]:
            esc, sent = tasks_escalate(), digests_send()
            self.stdout.write(f"上报 {esc} 项，发送提醒 {sent} 条")
        else:
            result = send_daily_digests.enqueue()
            self.stdout.write(f"已加入后台队列：{result.id}")
