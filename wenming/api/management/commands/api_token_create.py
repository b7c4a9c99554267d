"""``manage.py api_token_create <username> <name> [--days 90]``: issue an API token, print it once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from wenming.api.services import DEFAULT_DAYS, api_token_create
from wenming.core.errors import ApplicationError


class Command(BaseCommand):
    help = "为用户创建接口令牌；令牌只显示这一次，数据库中只保存其摘要"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("name", help="令牌名称（用途）")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"有效天数（默认 {DEFAULT_DAYS}）")

    def handle(self, *args, username: str, name: str, days: int, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        try:
            token, key = api_token_create(user=user, name=name, days=days)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已为 {username} 创建令牌“{token.name}”（前缀 {token.prefix}，到期 {token.expires_at:%Y-%m-%d}）。"
        )
        self.stdout.write("令牌只显示这一次，请立即妥善保存：")
        self.stdout.write(key)
