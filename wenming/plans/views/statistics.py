"""Statistics per city and the supervision settings."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.forms import parse_year
from wenming.plans.permissions import PlanAction as PA
from wenming.web.gate import can, staff_view
from wenming.web.lists import ExportSpec, check_export, export_rows
from wenming.web.responses import done

from .. import stats
from ..forms import (
    SettingsForm,
)
from ..models import (
    SupervisionSettings,
)

# --- statistics and settings ------------------------------------------------------------------
STATISTICS_EXPORT = ExportSpec(
    filename="督办统计", header=stats.HEADER, row=stats.as_row, object_type="plans.Statistics"
)


@staff_view(Action.SUPERVISE)
def statistics(request):
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = parse_year(year, today.year)
    fmt = request.GET.get("export")
    if fmt:
        check_export(request, fmt)
        rows = stats.city_stats(user=request.user, year=year, action=Action.EXPORT)
        return export_rows(
            request,
            spec=STATISTICS_EXPORT,
            fmt=fmt,
            rows=(stats.as_row(r) for r in rows),
            count=lambda: len(rows),
            filters={"year": year},
            filename=f"督办统计-{year}",
        )
    rows = stats.city_stats(user=request.user, year=year)
    return render(
        request,
        "plans/statistics.html",
        {"rows": rows, "year": year, "can_export": can(request, Action.EXPORT)},
    )


@staff_view(PA.REPORT_REVIEW)
def settings_edit(request):
    cfg = SupervisionSettings.current()
    form = SettingsForm(request.POST or None, instance=cfg)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit_record(AuditAction.UPDATE, request=request, obj=cfg, detail={"fields": sorted(form.changed_data)})
        return done(request, reverse("plans:settings"), "保存成功")
    return render(
        request, "plans/form.html", {"form": form, "title": _("督办与报送设置"), "back": reverse("plans:tasks")}
    )
