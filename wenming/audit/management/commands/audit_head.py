"""Seal pending rows and print the signed audit head as one JSON line (ADR 0004).

The periodic job ``audit.export_anchor`` writes the same line to the anchor directory every five minutes.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from wenming.audit.services import current_head, seal_pending


class Command(BaseCommand):
    help = "输出当前审计锚点（含 HMAC-SM3 校验码），供每日离线留存"

    def handle(self, *args, **options):
        seal_pending()
        head = current_head()
        if head is None:
            raise CommandError("审计日志为空，尚无锚点")
        self.stdout.write(json.dumps(head, ensure_ascii=False, sort_keys=True))
