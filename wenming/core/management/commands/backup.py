"""``make backup``: a consistent copy of the database plus its manifest (row counts, audit head, SHA-256)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.core.backup import BackupError, backup, manifest_path


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump），并写出备份清单"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份文件路径（默认 WENMING_BACKUP_DIR 下按时间命名）")

    def handle(self, *args, output=None, **options):
        try:
            path = backup(Path(output) if output else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已备份：{path}"))
        self.stdout.write(f"备份清单：{manifest_path(path)}")
