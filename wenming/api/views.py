"""Read-only JSON API. Every queryset starts from ``visible_to(request.user, "view")``: out of scope is 404."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import viewsets

from wenming.accounts.roles import Action
from wenming.organizations.models import Organization
from wenming.people.models import Courier
from wenming.web.api import ApiPagination, ApiViewMixin

from .filters import CourierFilter, OrganizationFilter
from .serializers import CourierSerializer, OrganizationSerializer


@extend_schema_view(
    list=extend_schema(summary="机构列表", description="当前用户数据范围内的组织机构，按树形路径排序。"),
    retrieve=extend_schema(summary="机构详情", description="范围外的机构与不存在的机构一样返回 404。"),
)
class OrganizationViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganizationSerializer
    pagination_class = ApiPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return (
            Organization.objects.visible_to(self.request.user, Action.VIEW)
            .select_related("parent", "enterprise__brand", "outlet__brand")
            .order_by("path")
        )


@extend_schema_view(
    list=extend_schema(summary="快递员列表", description="当前用户数据范围内的快递员；身份证号、手机号一律脱敏。"),
    retrieve=extend_schema(summary="快递员详情", description="范围外的快递员返回 404；接口从不返回明文个人信息。"),
)
class CourierViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CourierSerializer
    pagination_class = ApiPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CourierFilter

    def get_queryset(self):
        return (
            Courier.objects.visible_to(self.request.user, Action.VIEW)
            .select_related("outlet__parent")
            .defer("id_number_enc", "phone_enc", "id_number_index", "phone_index")
            .order_by("outlet_id", "name", "id")
        )


def _drop_huge_bounds(node: Any) -> None:
    """Remove int64 bounds (9223372036854775807): no JSON client can use them, and a long digit run in
    a response looks like personal data to the masking crawl."""
    if isinstance(node, dict):
        for bound in ("maximum", "minimum"):
            if isinstance(node.get(bound), int) and abs(node[bound]) >= 2**53:
                del node[bound]
        for value in node.values():
            _drop_huge_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _drop_huge_bounds(value)


class SchemaView(ApiViewMixin, SpectacularJSONAPIView):
    """OpenAPI 3 description of this API (JSON); signed-in users and token holders only."""

    renderer_classes = [OpenApiJsonRenderer]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        _drop_huge_bounds(response.data)
        return response
