"""JSON API of the honours engine, mounted by ``wenming.api.urls`` under /api/v1/honours/:

* ``programmes/`` (read), ``cycles/`` and ``cycles/<id>/`` with their dated stages,
  ``cycles/<id>/ranking/`` (the expert ranking: mean, normalised, judges counted and excluded);
* ``applications/`` (scoped list and detail; POST a draft), ``applications/<id>/submit/`` (the
  applicant), ``applications/<id>/decide/`` (the reviewer: ``decision`` advance | return | reject,
  ``comment``);
* ``titles/`` (scoped list and detail).

Every read starts from ``visible_to``; persons appear by masked name; writes call the same services as
the pages (``ApplicationError`` → 400 with the field, ``PermissionDenied`` → 403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from wenming.core.errors import ApplicationError
from wenming.core.forms import BoundedSerializerMixin
from wenming.organizations.models import Organization
from wenming.people.models import Courier
from wenming.web.api import ApiViewMixin

from . import selectors, services
from .models import Application, Cycle, Programme, Title
from .permissions import HonourAction as HA


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "subject",
            "level",
            "conferring_body",
            "cycle_years",
            "validity_years",
            "recommender_quota",
            "ranked",
            "star_levels",
            "categories",
            "evidence",
            "rules",
            "stages",
            "notice_workdays",
            "pass_mark",
            "vote_weight",
        ]


class CycleSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.code", read_only=True)
    stages = serializers.SerializerMethodField()

    class Meta:
        model = Cycle
        fields = [
            "id",
            "programme",
            "year",
            "edition",
            "name",
            "level",
            "vote_weight",
            "decision_no",
            "decision_date",
            "stages",
        ]

    def get_stages(self, obj: Cycle) -> list[dict]:
        return [
            {"code": s.code, "label": s.label, "starts_on": s.starts_on, "ends_on": s.ends_on}
            for s in obj.stage_rows.all()
        ]


class ApplicationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="public_name", read_only=True)
    cycle = serializers.IntegerField(source="cycle_id", read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True)
    organization_id = serializers.IntegerField(read_only=True)
    recommender = serializers.CharField(source="recommender.name", read_only=True, default="")
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "cycle",
            "name",
            "organization_id",
            "organization",
            "recommender",
            "rank",
            "category",
            "star",
            "status",
            "status_display",
            "eligible",
            "eligibility",
            "expert_mean",
            "vote_count",
            "vote_score",
            "final_score",
            "position",
            "committee_result",
            "submitted_at",
        ]


class ApplicationCreateSerializer(BoundedSerializerMixin, serializers.Serializer):
    cycle = serializers.IntegerField(error_messages={"required": _("请填写批次")})
    organization = serializers.IntegerField(error_messages={"required": _("请填写申报单位")})
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    statement = serializers.CharField(max_length=3000, error_messages={"required": _("请填写主要事迹")})
    courier = serializers.IntegerField(required=False, allow_null=True)
    leader = serializers.IntegerField(required=False, allow_null=True)
    rank = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=99)
    category = serializers.CharField(max_length=30, required=False, allow_blank=True)
    star = serializers.IntegerField(required=False, min_value=0, max_value=5)

    def validate(self, data):
        user = self.context["request"].user
        out = dict(data)
        out["cycle"] = Cycle.objects.select_related("programme").filter(pk=data["cycle"]).first()
        if out["cycle"] is None:
            raise serializers.ValidationError({"cycle": _("批次不存在")})
        out["organization"] = Organization.objects.visible_to(user, HA.APPLY).filter(pk=data["organization"]).first()
        if out["organization"] is None:
            raise serializers.ValidationError({"organization": _("申报单位不存在或不在您的数据范围内")})
        for f in ("courier", "leader"):
            if data.get(f):
                out[f] = Courier.objects.visible_to(user, HA.APPLY).filter(pk=data[f]).first()
                if out[f] is None:
                    raise serializers.ValidationError({f: _("人员不存在或不在您的数据范围内")})
        return out


class DecisionSerializer(BoundedSerializerMixin, serializers.Serializer):
    decision = serializers.ChoiceField(choices=["advance", "return", "reject"])
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class TitleSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="public_holder", read_only=True)
    programme = serializers.CharField(source="programme.code", read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Title
        fields = [
            "id",
            "holder",
            "programme",
            "level",
            "star",
            "category",
            "organization",
            "conferred_by",
            "decision_no",
            "decision_date",
            "valid_from",
            "valid_to",
            "status",
            "status_display",
        ]


def _call(fn):
    try:
        return fn()
    except ApplicationError as exc:
        raise DRFValidationError({exc.field or "non_field_errors": [exc.message]}) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied("没有权限执行此操作") from exc


class ProgrammeViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """评选项目（只读）。"""

    serializer_class = ProgrammeSerializer
    queryset = Programme.objects.filter(is_active=True).order_by("sort_order", "id")


class CycleViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """评选批次及各环节日期；``ranking``：专家评审排名。"""

    serializer_class = CycleSerializer

    def get_queryset(self):
        return selectors.cycle_list(user=self.request.user)

    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        cycle = self.get_object()
        rows = services.cycle_ranking(cycle)
        return Response(
            [
                {
                    "position": r.position,
                    "subject_key": r.entry.subject_key,
                    "label": r.entry.label,
                    "mean": r.mean_display,
                    "normalised": r.normalised_display,
                    "judges_counted": r.n_counted,
                    "judges_excluded": r.n_excluded,
                    "vetoed": r.vetoed,
                }
                for r in rows
            ]
        )


class ApplicationViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """荣誉申报：列表、详情、新增草稿、提交、审核。"""

    serializer_class = ApplicationSerializer

    def get_queryset(self):
        qs = selectors.application_list(user=self.request.user)
        params = self.request.query_params
        if params.get("cycle", "").isdigit():
            qs = qs.filter(cycle_id=int(params["cycle"]))
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs

    def create(self, request, *args, **kwargs):
        ser = ApplicationCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        cycle, org = d.pop("cycle"), d.pop("organization")
        app = _call(lambda: services.application_create(cycle=cycle, organization=org, data=d, by=request.user))
        return Response(ApplicationSerializer(app).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        app = self.get_object()
        app = _call(lambda: services.application_submit(application_id=app.pk, by=request.user))
        return Response(ApplicationSerializer(Application.objects.get(pk=app.pk)).data)

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        app = self.get_object()
        ser = DecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        _call(
            lambda: services.application_decide(
                application_id=app.pk, decision=d["decision"], comment=d.get("comment", ""), by=request.user
            )
        )
        return Response(ApplicationSerializer(Application.objects.get(pk=app.pk)).data)


class TitleViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """荣誉称号（数据范围内）。"""

    serializer_class = TitleSerializer

    def get_queryset(self):
        return selectors.title_list(user=self.request.user)


router = SimpleRouter()
router.register("honours/programmes", ProgrammeViewSet, basename="honours-programme")
router.register("honours/cycles", CycleViewSet, basename="honours-cycle")
router.register("honours/applications", ApplicationViewSet, basename="honours-application")
router.register("honours/titles", TitleViewSet, basename="honours-title")
urlpatterns = router.urls
