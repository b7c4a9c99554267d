"""Seal pending rows, then verify the audit chain, its head, the newest anchor kept outside the
database (and its age) and the append-only triggers; exit 1 on any problem."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from wenming.audit.guards import missing_guards
from wenming.audit.services import anchor_dir, anchor_problems, seal_pending, verify_report


class Command(BaseCommand):
    help = "校验审计日志哈希链、锚点与防篡改触发器；发现问题时以非零状态退出"

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchors",
            help="离线留存的锚点文件（每行一个 manage.py audit_head 输出的 JSON）",
        )

    def handle(self, *args, **options):
        anchors = []
        if options.get("anchors"):
            try:
                lines = Path(options["anchors"]).read_text(encoding="utf-8").splitlines()
                anchors = [json.loads(line) for line in lines if line.strip()]
            except (OSError, ValueError) as exc:
                raise CommandError(f"无法读取锚点文件：{exc}") from exc
        seal_pending()
        newest, anchor_issues = anchor_problems()
        report = verify_report(anchors=[*anchors, *newest])
        problems = [(p.event_id, p.problem) for p in report.problems]
        problems += [(None, text) for text in anchor_issues]
        problems += [(None, f"防篡改触发器缺失或被停用：{name}") for name in missing_guards(connection)]
        self.stdout.write(f"已校验审计记录 {report.checked} 条，离线锚点 {len(anchors) + len(newest)} 个。")
        if anchor_dir() is None:
            self.stdout.write("提示：未配置离线锚点目录（WENMING_AUDIT_ANCHOR_DIR），未与离线锚点比对。")
        if not problems:
            self.stdout.write(self.style.SUCCESS("审计日志完整：哈希链、锚点和触发器均正常。"))
            return
        self.stdout.write(self.style.ERROR(f"发现 {len(problems)} 个问题："))
        for event_id, text in problems:
            where = f"记录 #{event_id}" if event_id is not None else "整体"
            self.stdout.write(f"  - {where}：{text}")
        sys.exit(1)
