"""JSON API of 申诉 (read only): cases and monthly item volumes, scoped; the phone is masked.

Mounted by ``wenming.api.urls`` (``urlpatterns += complaints_api_urls``) under /api/v1/:
``complaints/``, ``complaints/<id>/``, ``item-volumes/``.
"""

from __future__ import annotations

from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import SimpleRouter

from wenming.accounts.roles import Action
from wenming.web.api import ApiViewMixin

from .models import Complaint, ItemVolume


class ComplaintSerializer(serializers.ModelSerializer):
    # Foreign keys' ids declared as plain integers: the schema generator would otherwise build a related
    # field and evaluate its queryset (a database query while `check --deploy` runs).
    enterprise_id = serializers.IntegerField(read_only=True)
    outlet_id = serializers.IntegerField(read_only=True, allow_null=True)
    enterprise = serializers.CharField(source="enterprise.name", read_only=True)
    outlet = serializers.CharField(source="outlet.name", read_only=True, default=None)
    brand = serializers.CharField(source="brand.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    phone = serializers.CharField(source="masked_phone", read_only=True)
    complainant = serializers.CharField(source="masked_name", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "case_no",
            "channel",
            "enterprise_id",
            "enterprise",
            "outlet_id",
            "outlet",
            "brand",
            "city_code",
            "waybill_no",
            "category",
            "category_display",
            "business_type",
            "description",
            "complainant",
            "phone",
            "status",
            "status_display",
            "received_at",
            "accept_due",
            "accepted_at",
            "reply_due",
            "replied_at",
            "callback_due",
            "final_due",
            "closed_at",
            "is_valid",
            "satisfaction",
            "overdue",
        ]

    def get_overdue(self, obj: Complaint) -> list[str]:
        return [
            name
            for name, flag in (
                ("accept", obj.accept_overdue),
                ("reply", obj.reply_overdue),
                ("callback", obj.callback_overdue),
                ("final", obj.final_overdue),
            )
            if flag
        ]


class ComplaintViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """申诉：列表、详情（只读，按数据范围）。``?status=``、``?category=``、``?from=``/``?to=`` 登记日期。"""

    serializer_class = ComplaintSerializer

    def get_queryset(self):
        qs = Complaint.objects.visible_to(self.request.user, Action.VIEW).select_related(
            "enterprise", "outlet", "brand"
        )
        p = self.request.query_params
        if p.get("status"):
            qs = qs.filter(status=p["status"])
        if p.get("category"):
            qs = qs.filter(category=p["category"])
        for key, lookup in (("from", "received_on__gte"), ("to", "received_on__lte")):
            value = serializers.DateField().to_internal_value(p[key]) if p.get(key) else None
            if value:
                qs = qs.filter(**{lookup: value})
        return qs.order_by("-received_at", "-id")


class ItemVolumeSerializer(serializers.ModelSerializer):
    enterprise_id = serializers.IntegerField(read_only=True)
    enterprise = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = ItemVolume
        fields = ["id", "enterprise_id", "enterprise", "month", "items"]


class ItemVolumeViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """企业月度业务量（只读，按数据范围）。"""

    serializer_class = ItemVolumeSerializer

    def get_queryset(self):
        qs = ItemVolume.objects.visible_to(self.request.user, Action.VIEW).select_related("enterprise")
        return qs.order_by("-month", "enterprise_id")


router = SimpleRouter()
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("item-volumes", ItemVolumeViewSet, basename="item-volume")
urlpatterns = router.urls
