"""Restore drill: restore a backup (a fresh one by default) into an empty database and verify it.

Checks the row count of every table against the backup's manifest, the audit chain, its head and
triggers, and every volunteer certificate's content hash; exits 1 on any mismatch.
"""

import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.core.backup import BackupError, backup, drill


class Command(BaseCommand):
    help = "恢复演练：把备份恢复到一个空库，核对各表行数、审计哈希链和证明哈希；不一致时以非零状态退出"

    def add_arguments(self, parser):
        parser.add_argument("--backup", help="要演练的备份文件（默认先做一次新的备份）")

    def handle(self, *args, backup: str | None = None, **options):
        try:
            if backup:
                report = drill(Path(backup))
            else:
                with tempfile.TemporaryDirectory(prefix="wenming-drill-") as tmp:
                    path = _fresh_backup(Path(tmp))
                    self.stdout.write(f"已做新的备份：{path.name}")
                    report = drill(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复到空库并核对：{report.tables} 张表、{report.rows} 行；"
            + "；".join(f"{name} {n} 条" for name, n in report.checked.items())
            + "。"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS("恢复演练通过：行数、审计哈希链与证明哈希均一致。"))
            return
        self.stdout.write(self.style.ERROR(f"恢复演练未通过，发现 {len(report.problems)} 个问题："))
        for text in report.problems:
            self.stdout.write(f"  - {text}")
        sys.exit(1)


def _fresh_backup(folder: Path) -> Path:
    from django.db import connection

    return backup(folder / ("drill.sqlite3" if connection.vendor == "sqlite" else "drill.dump"))
