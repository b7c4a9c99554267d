"""Delete uploaded import files not committed within an hour (the scheduler runs this every 10 minutes)."""

from django.core.management.base import BaseCommand

from wenming.imports.services import imports_purge_expired


class Command(BaseCommand):
    help = "删除超过1小时仍未确认导入的上传文件"

    def handle(self, *args, **options):
        n = imports_purge_expired()
        self.stdout.write(f"已删除 {n} 个过期的导入文件")
