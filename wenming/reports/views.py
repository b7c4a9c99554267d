"""统计报告 pages: generated reports (status, download, expiry) and the create form, schedules, the matrix."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.errors import ApplicationError
from wenming.exports.services import XLSX_CONTENT_TYPE
from wenming.organizations.selectors import user_list
from wenming.web.forms import form_error
from wenming.web.gate import can, get_scoped_or_404, staff_view

from . import selectors, services
from .forms import ReportForm, ScheduleForm
from .periods import ReportPeriod
from .permissions import ReportsAction as RA


@staff_view(RA.GENERATE)
def index(request):
    last_year = ReportPeriod("year", timezone.localdate().year - 1).token
    form = ReportForm(request.POST or None, initial={"period": last_year, "kind": "summary", "fmt": "docx"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if d["kind"] == "national" and not can(request, RA.NATIONAL):
            form_error(form, ApplicationError(_("您没有生成上报国家局统计表的权限"), field="kind"))
        else:
            try:
                gf = services.start_report(by=request.user, kind=d["kind"], period=d["period"], fmt=d["fmt"])
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.info(request, _("报告已转为后台生成；完成后可在此页下载（24 小时内有效）。"))
                return redirect("exports:file-status", gf.pk)
    files = selectors.generated_reports(user=request.user)[:50]
    return render(
        request,
        "reports/index.html",
        {"form": form, "files": files, "now": timezone.now(), "can_schedule": can(request, RA.SCHEDULE)},
    )


@staff_view(RA.SCHEDULE)
def schedule_list(request):
    return render(request, "reports/schedule_list.html", {"schedules": selectors.schedule_list(user=request.user)})


def _recipients(request):
    return user_list(viewer=request.user, actions=(RA.GENERATE,)).filter(is_active=True).order_by("username")


@staff_view(RA.SCHEDULE)
def schedule_create(request):
    form = ScheduleForm(request.POST or None, recipients_qs=_recipients(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = request.user.home_organization
        try:
            services.schedule_create(by=request.user, organization=org, data=d, recipients=list(d["recipients"]))
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("定时报告已保存"))
            return redirect("reports:schedule-list")
    return render(request, "reports/schedule_form.html", {"form": form})


@staff_view(RA.SCHEDULE)
def schedule_delete(request, pk: int):
    schedule = get_scoped_or_404(request, selectors.schedule_list(user=request.user, action=RA.SCHEDULE), pk=pk)
    if request.method == "POST":
        services.schedule_delete(by=request.user, schedule=schedule)
        messages.success(request, _("定时报告已删除"))
        return redirect("reports:schedule-list")
    return render(request, "reports/schedule_delete.html", {"schedule": schedule})


@staff_view(RA.MATRIX, message="只有安全管理员、审计管理员可以导出权限矩阵")
def matrix(request):
    if not services.may_export_matrix(request.user):
        raise PermissionDenied
    if request.method == "POST":
        data = services.permission_matrix_xlsx(request=request)
        resp = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
        stamp = timezone.localtime().strftime("%Y%m%d")
        resp["Content-Disposition"] = f"attachment; filename=permission-matrix-{stamp}.xlsx"
        resp["Cache-Control"] = "no-store"
        return resp
    return render(request, "reports/matrix.html", {"action": reverse("reports:matrix")})
