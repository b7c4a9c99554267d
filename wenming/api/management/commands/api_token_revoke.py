"""``manage.py api_token_revoke <prefix>``: revoke an API token by the prefix shown at creation."""

from django.core.management.base import BaseCommand, CommandError

from wenming.api.models import ApiToken
from wenming.api.services import api_token_revoke
from wenming.core.errors import ApplicationError


class Command(BaseCommand):
    help = "按前缀撤销接口令牌（立即失效）"

    def add_arguments(self, parser):
        parser.add_argument("prefix", help="令牌前缀，如 wm_1a2b3c4d")

    def handle(self, *args, prefix: str, **options):
        tokens = list(ApiToken.objects.filter(prefix=prefix, revoked=False))
        if not tokens:
            raise CommandError(f"没有前缀为 {prefix} 的有效令牌")
        if len(tokens) > 1:
            raise CommandError(f"前缀 {prefix} 对应多个令牌，请联系安全管理员处理")
        try:
            api_token_revoke(token=tokens[0])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"令牌“{tokens[0].name}”（{prefix}）已撤销。")
