"""Login-log retention: delete LoginRecord rows past WENMING_LOGIN_LOG_RETENTION (never below 180 days)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from wenming.accounts.services import login_records_purge


class Command(BaseCommand):
    help = "删除超过保留期限的登录日志（不少于 180 天），以及已过期的登录限流记录和已失效的会话记录"

    def handle(self, *args, **options) -> None:
        try:
            counts = login_records_purge()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            "已删除：登录日志 {login_records} 条，账号限流记录 {login_throttles} 条，"
            "失效会话记录 {user_sessions} 条".format(**counts)
        )
