"""``flush`` that can empty the append-only audit tables (tests, local trial resets).

Django's own ``flush`` would hit the audit triggers (DELETE on SQLite, TRUNCATE on PostgreSQL). This
override suspends them for the flush only, and refuses in the production profile, where the
application role holds no DELETE/TRUNCATE privilege on the audit log anyway.
"""

from django.conf import settings
from django.core.management import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from wenming.audit.guards import guards_suspended


class Command(FlushCommand):
    def handle(self, **options):
        if getattr(settings, "WENMING_PROFILE", "") == "production":
            raise CommandError("生产环境不允许清空数据库（审计日志只能追加）")
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with guards_suspended(connection):
            return super().handle(**options)
