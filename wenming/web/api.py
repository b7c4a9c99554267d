"""The base of every JSON API view (any module's): Chinese messages, 401 with a bearer challenge,
``Cache-Control: no-store``, one pagination. Authentication classes come from
``settings.REST_FRAMEWORK`` (bearer token first, then the session), so this kit imports no app.
"""

from __future__ import annotations

from django.utils import translation
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer

NOT_AUTHENTICATED = "未登录：请先登录，或在请求头中提供 Authorization: Bearer <令牌>"


class ApiPagination(PageNumberPagination):
    """``?page=N`` and ``?page_size=`` (default 20, at most 100)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "页码无效"


class ApiViewMixin:
    """Shared behaviour: bearer token or session, Chinese messages, ``Cache-Control: no-store``."""

    # authentication: settings.REST_FRAMEWORK (bearer token first, then the session)
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    def dispatch(self, request, *args, **kwargs):
        with translation.override("zh-hans"):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        # A NUL byte can reach no column (PostgreSQL refuses it in any string): one 400 here for every API,
        # instead of a 500 from whichever filter passes the value on.
        if any("\x00" in key or "\x00" in value for key, value in request.query_params.items()):
            raise ValidationError({"detail": "查询参数含有不允许的字符（NUL）"})
        super().initial(request, *args, **kwargs)

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise NotAuthenticated(NOT_AUTHENTICATED)
        raise PermissionDenied(message or "没有权限执行此操作")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response
