"""JSON API of activities and volunteer hours (list, detail, create). Scoped; personal data masked.

Mounted by ``wenming.api.urls`` (``urlpatterns += activities_api_urls``) under /api/v1/:
``activities/``, ``activities/<id>/``, ``volunteer-hours/``, ``volunteer-hours/<id>/``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.routers import SimpleRouter

from wenming.accounts.roles import Action
from wenming.activities.permissions import ActivityAction as AA
from wenming.core import pii
from wenming.core.errors import ApplicationError
from wenming.core.forms import BoundedSerializerMixin
from wenming.organizations.models import Organization
from wenming.organizations.scoping import has_action_anywhere
from wenming.web.api import ApiViewMixin

from . import services
from .choices import CoreValue, PostalValue
from .models import Activity, ActivityType, VolunteerRecord, VolunteerSignup


class ActivitySerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    organization_id = serializers.IntegerField(read_only=True)
    activity_type = serializers.CharField(source="activity_type.code", read_only=True)
    activity_type_name = serializers.CharField(source="activity_type.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    place = serializers.CharField(read_only=True)
    core_values = serializers.SerializerMethodField()
    postal_values = serializers.SerializerMethodField()
    photo_count = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "organization_id",
            "organization",
            "activity_type",
            "activity_type_name",
            "starts_at",
            "ends_at",
            "place",
            "participant_count",
            "beneficiaries",
            "beneficiary_count",
            "figures",
            "core_values",
            "postal_values",
            "description",
            "status",
            "status_display",
            "photo_count",
            "created_at",
        ]

    def get_core_values(self, obj: Activity) -> list[str]:
        return obj.core_value_labels()

    def get_postal_values(self, obj: Activity) -> list[str]:
        return obj.postal_value_labels()

    def get_photo_count(self, obj: Activity) -> int:
        n = getattr(obj, "n_photos", None)
        return obj.photos.count() if n is None else n


class ActivityCreateSerializer(BoundedSerializerMixin, serializers.Serializer):
    organization = serializers.IntegerField(error_messages={"required": _("请填写组织单位")})
    activity_type = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ActivityType.objects.filter(is_active=True),
        error_messages={"required": _("请填写活动类型"), "does_not_exist": _("活动类型不存在")},
    )
    title = serializers.CharField(max_length=100, error_messages={"required": _("请填写活动名称")})
    starts_at = serializers.DateTimeField(
        error_messages={"required": _("请填写开始时间"), "invalid": _("开始时间格式不正确")}
    )
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    participant_count = serializers.IntegerField(min_value=0, required=False)
    beneficiaries = serializers.CharField(max_length=200, required=False, allow_blank=True)
    beneficiary_count = serializers.IntegerField(min_value=0, required=False)
    figures = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False)
    core_values = serializers.ListField(child=serializers.ChoiceField(choices=CoreValue.values), required=False)
    postal_values = serializers.ListField(child=serializers.ChoiceField(choices=PostalValue.values), required=False)
    description = serializers.CharField(max_length=3000, error_messages={"required": _("请填写活动内容")})

    def validate_organization(self, value: int) -> Organization:
        user = self.context["request"].user
        org = Organization.objects.visible_to(user, AA.ACTIVITY_RECORD).filter(pk=value).first()
        if org is None:
            raise serializers.ValidationError(_("组织单位不存在或不在您的数据范围内"))
        return org


class ActivityViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """创建活动：列表、详情、新增（草稿）。"""

    serializer_class = ActivitySerializer

    def get_queryset(self):
        qs = (
            Activity.objects.visible_to(self.request.user, Action.VIEW)
            .select_related("organization", "activity_type", "outlet")
            .annotate(n_photos=Count("photos"))
        )
        params = self.request.query_params
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("type"):
            qs = qs.filter(activity_type__code=params["type"])
        return qs.order_by("-starts_at", "-id")

    def get_serializer_class(self):
        return ActivityCreateSerializer if self.action == "create" else ActivitySerializer

    def create(self, request, *args, **kwargs):
        if not has_action_anywhere(request.user, AA.ACTIVITY_RECORD):
            raise PermissionDenied("没有登记创建活动的权限")
        ser = ActivityCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        org, atype = d.pop("organization"), d.pop("activity_type")
        try:
            activity = services.activity_create(by=request.user, organization=org, activity_type=atype, data=d)
        except ApplicationError as exc:
            raise DRFValidationError({exc.field or "non_field_errors": [exc.message]}) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied("不在您的数据范围内") from exc
        from rest_framework import status
        from rest_framework.response import Response

        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class VolunteerRecordSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    person_kind = serializers.CharField(source="signup.person_kind", read_only=True)
    event_id = serializers.IntegerField(source="signup.event_id", read_only=True)
    event = serializers.CharField(source="signup.event.title", read_only=True)
    organization = serializers.CharField(source="signup.event.organization.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = VolunteerRecord
        fields = [
            "id",
            "name",
            "person_kind",
            "event_id",
            "event",
            "organization",
            "check_in_at",
            "check_out_at",
            "hours",
            "status",
            "status_display",
            "auto_checked_out",
            "needs_review",
        ]

    def get_name(self, obj: VolunteerRecord) -> str:
        return pii.mask_name(obj.signup.name)


class VolunteerRecordCreateSerializer(BoundedSerializerMixin, serializers.Serializer):
    signup = serializers.IntegerField(error_messages={"required": _("请填写报名编号")})
    check_in_at = serializers.DateTimeField(error_messages={"required": _("请填写签到时间")})
    check_out_at = serializers.DateTimeField(error_messages={"required": _("请填写签退时间")})

    def validate_signup(self, value: int) -> VolunteerSignup:
        user = self.context["request"].user
        s = VolunteerSignup.objects.visible_to(user, AA.ACTIVITY_RECORD).filter(pk=value).first()
        if s is None:
            raise serializers.ValidationError(_("报名记录不存在或不在您的数据范围内"))
        return s


class VolunteerRecordViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """志愿服务时长：列表、详情、人工录入（待审核）。"""

    serializer_class = VolunteerRecordSerializer

    def get_queryset(self):
        qs = VolunteerRecord.objects.visible_to(self.request.user, Action.VIEW).select_related(
            "signup", "signup__event", "signup__event__organization"
        )
        if self.request.query_params.get("status"):
            qs = qs.filter(status=self.request.query_params["status"])
        return qs.order_by("-check_in_at", "-id")

    def create(self, request, *args, **kwargs):
        if not has_action_anywhere(request.user, AA.ACTIVITY_RECORD):
            raise PermissionDenied("没有录入志愿服务时长的权限")
        ser = VolunteerRecordCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            record = services.volunteer_record_create_manual(
                signup_id=d["signup"].pk,
                by=request.user,
                check_in_at=d["check_in_at"],
                check_out_at=d["check_out_at"],
            )
        except ApplicationError as exc:
            raise DRFValidationError({exc.field or "non_field_errors": [exc.message]}) from exc
        from rest_framework import status
        from rest_framework.response import Response

        return Response(VolunteerRecordSerializer(record).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("activities", ActivityViewSet, basename="activity")
router.register("volunteer-hours", VolunteerRecordViewSet, basename="volunteer-hours")
urlpatterns = router.urls
