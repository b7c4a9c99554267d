"""JSON API of plans, goals, tasks (督办任务) and progress reports: read, plus 签收 and 报送进展 of a task.

Mounted by ``wenming.api.urls`` (``urlpatterns += plans_api_urls``) under /api/v1/: ``plans/``,
``goals/``, ``tasks/``, ``tasks/<id>/acknowledge/``, ``tasks/<id>/progress/``, ``tasks/<id>/report/``,
``reports/`` (each list with ``<id>/``). Reads go through the selectors (scoped: out of scope is 404);
writes go through the services (the workflow kernel: permission, history, audit row with the client IP).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from wenming.core.errors import ApplicationError
from wenming.core.forms import BaseFilterSet, BoundedSerializerMixin
from wenming.web.api import ApiPagination, ApiViewMixin

from . import selectors, services
from .choices import WorkGoalStatus
from .filters import ReportFilter, TaskFilter
from .models import ProgressReport, SupervisionSettings, WorkGoal, WorkPlan, WorkTask


# --- serializers ----------------------------------------------------------------------------------
class WorkPlanSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    organization_id = serializers.IntegerField(read_only=True)
    progress_mode_display = serializers.CharField(source="get_progress_mode_display", read_only=True)

    class Meta:
        model = WorkPlan
        fields = [
            "id",
            "year",
            "title",
            "summary",
            "organization_id",
            "organization",
            "progress_mode",
            "progress_mode_display",
            "created_at",
            "updated_at",
        ]


class WorkGoalSerializer(serializers.ModelSerializer):
    plan_id = serializers.IntegerField(read_only=True)
    plan = serializers.CharField(source="plan.title", read_only=True)
    owner_id = serializers.IntegerField(read_only=True)
    owner = serializers.CharField(source="owner.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = WorkGoal
        fields = [
            "id",
            "plan_id",
            "plan",
            "clause",
            "title",
            "description",
            "owner_id",
            "owner",
            "indicators",
            "target",
            "baseline",
            "evidence",
            "status",
            "status_display",
            "created_at",
            "updated_at",
        ]


class WorkTaskSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    content = serializers.CharField(source="dispatch.content", read_only=True)
    dispatch_id = serializers.IntegerField(read_only=True)
    plan_id = serializers.IntegerField(source="dispatch.plan_id", read_only=True, allow_null=True)
    issuer_id = serializers.IntegerField(source="dispatch.issuer_id", read_only=True)
    issuer = serializers.CharField(source="dispatch.issuer.name", read_only=True)
    assignee_id = serializers.IntegerField(read_only=True)
    assignee = serializers.CharField(source="assignee.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    progress = serializers.SerializerMethodField(help_text=_("进度（%），按工作方案的计算方式（填报或汇总子任务）"))
    light = serializers.SerializerMethodField(help_text=_("督办提示灯：green/blue/yellow/red；草稿和已结束的任务为空"))

    class Meta:
        model = WorkTask
        fields = [
            "id",
            "title",
            "content",
            "dispatch_id",
            "plan_id",
            "issuer_id",
            "issuer",
            "assignee_id",
            "assignee",
            "status",
            "status_display",
            "original_due_date",
            "due_date",
            "dispatched_at",
            "acknowledged_at",
            "progress",
            "progress_note",
            "reported_at",
            "closed_at",
            "returned",
            "light",
        ]

    def _cfg(self) -> SupervisionSettings:
        cache = self.context.setdefault("_plans_cfg", [])
        if not cache:
            cache.append(SupervisionSettings.current())
        return cache[0]

    def get_progress(self, obj: WorkTask) -> int:
        return selectors.effective_progress(obj)

    def get_light(self, obj: WorkTask) -> str | None:
        return selectors.task_light(obj, cfg=self._cfg())


class ProgressReportSerializer(serializers.ModelSerializer):
    organization_id = serializers.IntegerField(read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    period_label = serializers.CharField(read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "organization_id",
            "organization",
            "kind",
            "kind_display",
            "year",
            "period",
            "period_label",
            "title",
            "summary",
            "highlights",
            "problems",
            "next_steps",
            "status",
            "status_display",
            "due_date",
            "submitted_at",
            "is_late",
            "created_at",
            "updated_at",
        ]


class TaskProgressSerializer(BoundedSerializerMixin, serializers.Serializer):
    progress = serializers.IntegerField(
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("请填写进度"),
            "invalid": _("进度应为整数"),
            "min_value": _("进度应在 0–100 之间"),
            "max_value": _("进度应在 0–100 之间"),
        },
    )
    note = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        required=False,
        default="",
        error_messages={"max_length": _("办理情况不能超过 2000 字")},
    )


# --- filters --------------------------------------------------------------------------------------
class PlanFilter(BaseFilterSet):
    year = django_filters.NumberFilter(field_name="year", label=_("年度"))
    organization = django_filters.NumberFilter(field_name="organization_id", label=_("制定单位 id"))
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("标题包含"))

    class Meta:
        model = WorkPlan
        fields: list[str] = []


class GoalFilter(BaseFilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("工作方案 id"))
    owner = django_filters.NumberFilter(field_name="owner_id", label=_("牵头单位 id"))
    status = django_filters.ChoiceFilter(choices=WorkGoalStatus.choices, label=_("状态"))
    year = django_filters.NumberFilter(field_name="plan__year", label=_("年度"))
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("目标包含"))

    class Meta:
        model = WorkGoal
        fields: list[str] = []


class ApiTaskFilter(TaskFilter):
    """The task list's query form (``q``, ``status``, ``light``, ``city``, ``mine``, ``year``) plus ids."""

    plan = django_filters.NumberFilter(field_name="dispatch__plan_id", label=_("工作方案 id"))
    goal = django_filters.NumberFilter(field_name="dispatch__goal_id", label=_("工作目标 id"))
    assignee = django_filters.NumberFilter(field_name="assignee_id", label=_("承办单位 id"))


# --- views ----------------------------------------------------------------------------------------
class _ReadOnly(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = ApiPagination
    filter_backends = [DjangoFilterBackend]


@extend_schema_view(
    list=extend_schema(
        summary="工作方案列表", description="当前用户数据范围内的年度工作方案（`year=`、`organization=`、`q=`）。"
    ),
    retrieve=extend_schema(summary="工作方案详情", description="范围外的工作方案与不存在的一样返回 404。"),
)
class WorkPlanViewSet(_ReadOnly):
    serializer_class = WorkPlanSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user).order_by("-year", "id")


@extend_schema_view(
    list=extend_schema(
        summary="工作目标列表",
        description="数据范围内工作方案的工作目标（`plan=`、`owner=`、`status=`、`year=`、`q=`）。",
    ),
    retrieve=extend_schema(summary="工作目标详情", description="范围外的工作目标返回 404。"),
)
class WorkGoalViewSet(_ReadOnly):
    serializer_class = WorkGoalSerializer
    filterset_class = GoalFilter

    def get_queryset(self):
        return selectors.goal_list(user=self.request.user).order_by("plan_id", "sort_order", "id")


@extend_schema_view(
    list=extend_schema(
        summary="督办任务列表",
        description="数据范围内的督办任务；未下发的任务只对交办方可见（`q=`、`status=`、`light=`、`city=`、`mine=`、"
        "`year=`、`plan=`、`goal=`、`assignee=`）。",
    ),
    retrieve=extend_schema(summary="督办任务详情", description="范围外的任务返回 404。"),
)
class WorkTaskViewSet(_ReadOnly):
    serializer_class = WorkTaskSerializer
    filterset_class = ApiTaskFilter

    def get_queryset(self):
        return selectors.task_list(user=self.request.user).order_by("due_date", "id")

    def _run(self, request: Any, fn: Any, **kwargs: Any) -> Response:
        task = self.get_object()  # scoped: out of scope is 404
        try:
            fn(task_id=task.pk, by=request.user, **kwargs)
        except ApplicationError as exc:
            raise DRFValidationError({exc.field or "non_field_errors": [exc.message]}) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or "没有办理该督办任务的权限") from exc
        fresh = self.get_queryset().get(pk=task.pk)
        return Response(WorkTaskSerializer(fresh, context=self.get_serializer_context()).data)

    def _progress_args(self, request: Any) -> dict[str, Any]:
        ser = TaskProgressSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return {"progress": ser.validated_data["progress"], "note": ser.validated_data["note"]}

    @extend_schema(
        summary="签收督办任务",
        description="承办单位签收已下发的任务（待签收 → 办理中）；写入任务历史和审计日志。无承办权限返回 403。",
        request=None,
        responses=WorkTaskSerializer,
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._run(request, services.task_acknowledge)

    @extend_schema(
        summary="更新办理进度",
        description="办理中的任务更新进度（0–100）和进展情况，状态不变；写入任务历史。",
        request=TaskProgressSerializer,
        responses=WorkTaskSerializer,
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        return self._run(request, services.task_update_progress, **self._progress_args(request))

    @extend_schema(
        summary="报送进展（反馈）",
        description="承办单位报送办理情况（进度 + 办理情况，必填），任务转交办方复核；写入任务历史和审计日志。",
        request=TaskProgressSerializer,
        responses=WorkTaskSerializer,
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        return self._run(request, services.task_report, **self._progress_args(request))


@extend_schema_view(
    list=extend_schema(
        summary="工作进展报告列表",
        description="数据范围内的月度、半年、年度工作进展报告（`q=`、`kind=`、`year=`、`status=`、`city=`、`late=`）。",
    ),
    retrieve=extend_schema(summary="工作进展报告详情", description="范围外的报告返回 404。"),
)
class ProgressReportViewSet(_ReadOnly):
    serializer_class = ProgressReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return selectors.report_list(user=self.request.user).order_by("-year", "-period", "organization__path", "id")


router = SimpleRouter()
router.register("plans", WorkPlanViewSet, basename="plan")
router.register("goals", WorkGoalViewSet, basename="goal")
router.register("tasks", WorkTaskViewSet, basename="task")
router.register("reports", ProgressReportViewSet, basename="report")
urlpatterns = router.urls
