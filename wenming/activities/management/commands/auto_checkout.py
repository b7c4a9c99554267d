"""``manage.py auto_checkout``: close overdue volunteer check-ins and flag them for review."""

from django.core.management.base import BaseCommand

from wenming.activities.services import volunteer_auto_checkout


class Command(BaseCommand):
    help = "自动签退：签到超过活动设定时长仍未签退的志愿服务记录，自动签退并标记待复核"

    def handle(self, *args, **options):
        n = volunteer_auto_checkout()
        self.stdout.write(f"自动签退 {n} 条记录")
