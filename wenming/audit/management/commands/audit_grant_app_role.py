"""PostgreSQL: give the application role INSERT/SELECT on the audit log, UPDATE of the seal columns
only (the trigger allows NULL → value once), and nothing that rewrites it."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from wenming.audit.guards import EVENT_TABLE, HEAD_TABLE, SEAL_COLUMNS


class Command(BaseCommand):
    help = "（PostgreSQL）收回应用角色对审计日志的 UPDATE/DELETE/TRUNCATE 权限，只保留 SELECT/INSERT"

    def add_arguments(self, parser):
        parser.add_argument("role", help="应用连接数据库所用的角色名")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("该命令仅适用于 PostgreSQL")
        with connection.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cur.fetchone() is None:
                raise CommandError(f"数据库角色不存在：{role}")
        from psycopg import sql

        r = sql.Identifier(role).as_string(connection.connection)
        statements = [
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {EVENT_TABLE} FROM {r}",
            f"GRANT SELECT, INSERT ON {EVENT_TABLE} TO {r}",
            # The sealing job writes the seal columns once (the trigger allows NULL → value only).
            f"GRANT UPDATE ({', '.join(SEAL_COLUMNS)}) ON {EVENT_TABLE} TO {r}",
            # The anchor moves forward on every write (its trigger refuses going back); never deleted.
            f"REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON {HEAD_TABLE} FROM {r}",
            f"GRANT SELECT, INSERT, UPDATE ON {HEAD_TABLE} TO {r}",
        ]
        with transaction.atomic(), connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
        self.stdout.write(self.style.SUCCESS(f"已设置角色 {role}：审计日志仅可查询和追加。"))
