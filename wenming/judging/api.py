"""JSON API of expert judging, under /api/v1/judging/ (mounted by ``wenming.api.urls``):

* ``judging/rounds/`` and ``judging/rounds/<id>/`` — rounds in the organiser's scope (``judging.manage``);
* ``judging/rounds/<id>/entries/`` — the entries with their ranking (mean, z mean, counted/excluded
  judges, veto, pass), the same ``selectors.ranking`` as the page;
* ``judging/rounds/<id>/scores/`` — every judge's total per entry (counted or not, with the reason);
* ``judging/assignments/`` and ``judging/assignments/<id>/`` — the signed-in expert's own assignments
  with their scoring sheet; ``POST judging/assignments/<id>/scores/`` saves the expert's points
  (``{"points": {"<indicator id>": "38.5"}, "comments": {...}, "vetoes": {"<veto id>": "note"},
  "comment": "…", "submit": false}``) through ``services.save_scores`` / ``submit_scores``.
Anyone else's assignment is a 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.organizations.scoping import has_action_anywhere
from wenming.web.api import ApiViewMixin

from . import selectors, services
from .models import Assignment, Round
from .permissions import JudgingAction as J


def _num(d: Any) -> str | None:
    return None if d is None else str(selectors.q2(d))


class RoundSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    scheme = serializers.CharField(source="scheme.__str__", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    n_entries = serializers.IntegerField(read_only=True)
    n_assignments = serializers.IntegerField(read_only=True)
    n_submitted = serializers.IntegerField(read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "title",
            "organization_id",
            "organization",
            "scheme_id",
            "scheme",
            "panel_id",
            "opens_at",
            "closes_at",
            "status",
            "status_display",
            "published_at",
            "n_entries",
            "n_assignments",
            "n_submitted",
        ]


def _ranked(r: selectors.RankedEntry) -> dict[str, Any]:
    return {
        "id": r.entry.pk,
        "subject_key": r.entry.subject_key,
        "label": r.entry.label,
        "organization_id": r.entry.organization_id,
        "organization": r.entry.organization.name,
        "position": r.position,
        "mean": _num(r.mean),
        "normalised": _num(r.normalised),
        "counted": r.n_counted,
        "excluded": r.n_excluded,
        "vetoed": r.vetoed,
        "veto_reasons": r.veto_reasons,
        "passed": r.passed,
        "tied": r.tied,
    }


class RoundViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """专家评审：列表、详情、参评对象排名、各专家评分。"""

    serializer_class = RoundSerializer

    def get_queryset(self):
        return selectors.round_list(user=self.request.user).filter(
            pk__in=Round.objects.visible_to(self.request.user, J.MANAGE).values("pk")
        )

    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        rnd = self.get_object()
        return Response({"results": [_ranked(r) for r in selectors.ranking(rnd)]})

    @action(detail=True, methods=["get"])
    def scores(self, request, pk=None):
        rnd = self.get_object()
        out = []
        for r in selectors.ranking(rnd):
            for j in r.judges:
                out.append(
                    {
                        "entry_id": r.entry.pk,
                        "assignment_id": j.assignment.pk,
                        "expert_id": j.assignment.expert_id,
                        "status": j.assignment.status,
                        "total": _num(j.total),
                        "z": _num(j.z),
                        "counted": j.counted,
                        "reason": j.reason,
                    }
                )
        return Response({"results": out})


class AssignmentSerializer(serializers.ModelSerializer):
    entry = serializers.CharField(source="entry.label", read_only=True)
    organization = serializers.CharField(source="entry.organization.name", read_only=True)
    round_id = serializers.IntegerField(source="entry.round_id", read_only=True)
    round = serializers.CharField(source="entry.round.title", read_only=True)
    closes_at = serializers.DateTimeField(source="entry.round.closes_at", read_only=True)
    total = serializers.SerializerMethodField()
    excluded_reason = serializers.CharField(source="exclusion_reason", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "round_id",
            "round",
            "entry_id",
            "entry",
            "organization",
            "closes_at",
            "status",
            "total",
            "excluded_reason",
            "comment",
            "saved_at",
            "submitted_at",
        ]

    def get_total(self, obj: Assignment) -> str | None:
        return _num(getattr(obj, "total", None))


class ScoreWriteSerializer(serializers.Serializer):
    points = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=12), required=False)
    comments = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=500), required=False)
    vetoes = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=300), required=False)
    comment = serializers.CharField(allow_blank=True, max_length=3000, required=False)
    submit = serializers.BooleanField(required=False, default=False)

    def _ids(self, value: dict) -> dict[int, str]:
        out = {}
        for k, v in value.items():
            if not str(k).isdigit() or len(str(k)) > 12:
                raise serializers.ValidationError("编号应为整数")
            out[int(k)] = v
        return out

    def validate_points(self, value):
        return self._ids(value)

    def validate_comments(self, value):
        return self._ids(value)

    def validate_vetoes(self, value):
        return self._ids(value)


class AssignmentViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """本人的评分任务：列表、详情（含评分表）、保存或提交评分。"""

    serializer_class = AssignmentSerializer

    def get_queryset(self):
        qs = selectors.expert_assignments(user=self.request.user)
        if self.request.query_params.get("status"):
            qs = qs.filter(status=self.request.query_params["status"])
        return qs

    def list(self, request, *args, **kwargs):
        if not has_action_anywhere(request.user, Action.REVIEW):
            raise PermissionDenied("没有评审专家角色")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        a = self.get_object()
        sheet = selectors.score_sheet(a)
        data = AssignmentSerializer(a).data
        data["indicators"] = [
            {
                "id": n.indicator.pk,
                "parent_id": n.indicator.parent_id,
                "code": n.indicator.code,
                "level": n.indicator.level,
                "name": n.indicator.name,
                "max_points": str(n.indicator.max_points),
                "method": n.indicator.method,
                "leaf": n.is_leaf,
                "points": str(sheet.scores[n.indicator.pk].points) if n.indicator.pk in sheet.scores else None,
                "comment": sheet.scores[n.indicator.pk].comment if n.indicator.pk in sheet.scores else "",
            }
            for n in sheet.rows
        ]
        data["veto_items"] = [
            {
                "id": v.pk,
                "text": v.text,
                "marked": v.pk in sheet.vetoes,
                "comment": getattr(sheet.vetoes.get(v.pk), "comment", ""),
            }
            for v in sheet.veto_items
        ]
        return Response(data)

    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        a = self.get_object()
        ser = ScoreWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            services.save_scores(
                assignment_id=a.pk,
                by=request.user,
                points=d.get("points", {}),
                comments=d.get("comments", {}),
                vetoes=d.get("vetoes", {}),
                comment=d.get("comment"),
            )
            if d.get("submit"):
                services.submit_scores(assignment_id=a.pk, by=request.user)
        except ApplicationError as exc:
            raise DRFValidationError({exc.field or "non_field_errors": [exc.message]}) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied("不是您的评分任务") from exc
        a = self.get_queryset().get(pk=a.pk)
        return Response(AssignmentSerializer(a).data, status=status.HTTP_200_OK)


router = SimpleRouter()
router.register("judging/rounds", RoundViewSet, basename="judging-round")
router.register("judging/assignments", AssignmentViewSet, basename="judging-assignment")
urlpatterns = router.urls
