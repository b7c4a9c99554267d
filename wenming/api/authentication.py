"""Token authentication for the JSON API: ``Authorization: Bearer <key>``."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .services import api_token_check

INVALID = "令牌无效、已撤销或已过期"


class BearerTokenAuthentication(BaseAuthentication):
    """Looks the key up by its keyed hash; a request without a Bearer header is left to other schemes."""

    keyword = "bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        parts = header.split() if isinstance(header, str) else []
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("令牌格式不正确：应为 Authorization: Bearer <令牌>")
        key = parts[1]
        if not key.isascii():
            raise AuthenticationFailed(INVALID)
        token = api_token_check(key)
        if token is None:
            raise AuthenticationFailed(INVALID)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
