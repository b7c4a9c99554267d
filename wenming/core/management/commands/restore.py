"""``make restore FILE=…``: replace the configured database with a backup (after a confirmation)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.core.backup import BackupError, restore_into_default


class Command(BaseCommand):
    help = "用备份文件覆盖当前数据库（先用 restore_drill 演练）"

    def add_arguments(self, parser):
        parser.add_argument("backup", help="manage.py backup 生成的备份文件")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接覆盖")

    def handle(self, *args, backup: str, yes: bool = False, **options):
        if not yes:
            answer = input(f"将用 {backup} 覆盖当前数据库中的全部数据。输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，数据库未改动")
        try:
            restore_into_default(Path(backup))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已从 {backup} 恢复。请运行 manage.py verify_audit 确认审计日志完整。"))
