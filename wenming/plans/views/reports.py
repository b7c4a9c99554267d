"""Progress reports (工作进展报告): list, writing, review."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import deny, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import rules, services
from ..filters import ReportFilter
from ..forms import (
    AdoptForm,
    ReportCreateForm,
    ReportEditForm,
    ReportReturnForm,
)
from ..models import (
    ProgressReport,
)
from ..selectors import (
    report_list,
)
from ..workflows import (
    PROGRESS_REPORT_WORKFLOW,
)
from .common import R

# --- progress reports -------------------------------------------------------------------------
REPORT_EXPORT = ExportSpec(
    filename="工作进展报告",
    header=["标题", "报送单位", "类型", "期次", "状态", "报送期限", "报送时间", "逾期报送", "字数"],
    row=lambda r: [
        r.title,
        r.organization.name,
        r.get_kind_display(),
        r.period_label,
        r.get_status_display(),
        r.due_date.isoformat(),
        timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M") if r.submitted_at else "",
        "是" if r.is_late else "否",
        r.text_length(),
    ],
    object_type="plans.ProgressReport",
)


@staff_view(Action.SUPERVISE)
def report_index(request):
    form = ReportCreateForm(user=request.user)
    return list_page(
        request,
        queryset=report_list(user=request.user),
        template="plans/report_list.html",
        filterset_class=ReportFilter,
        export=REPORT_EXPORT,
        context={"can_create": form.fields["organization"].queryset.exists()},
    )


@staff_view()
def report_create(request):
    form = ReportCreateForm(request.POST or None, user=request.user)
    if not form.fields["organization"].queryset.exists():
        deny(request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            r = services.report_create(
                organization=d["organization"], kind=d["kind"], year=d["year"], period=d["period"] or 1, by=request.user
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("plans:report-detail", args=[r.pk]), "新增成功")
    return render(
        request, "plans/form.html", {"form": form, "title": _("新增工作进展报告"), "back": reverse("plans:reports")}
    )


@staff_view()
def report_detail(request, pk: int):
    report = get_object_or_404(report_list(user=request.user), pk=pk)
    by = request.user
    can_edit = report.status == R.DRAFT and rules.can_edit_report(by, report)
    can_submit = report.status == R.DRAFT and rules.can_submit_report(by, report)
    reviewer = rules.can_review_report(by, report)
    edit_form = ReportEditForm(instance=report) if can_edit else None
    if request.method == "POST" and can_edit:
        edit_form = ReportEditForm(request.POST, instance=ProgressReport.objects.get(pk=report.pk))
        if edit_form.is_valid():
            try:
                services.report_update(report_id=report.pk, by=by, **edit_form.cleaned_data)
                for f in request.FILES.getlist("files"):
                    services.attachment_add(upload=f, by=by, report=report)
                if request.POST.get("then") == "submit":
                    services.report_submit(report_id=report.pk, by=by)
                    return done(request, request.path, "已提交")
            except ApplicationError as exc:
                form_error(edit_form, exc)
            else:
                return done(request, request.path, "保存成功")
    last_return = report.events.filter(kind="return").order_by("-at", "-id").first()
    comments = {c.field: c.comment for c in last_return.field_comments.all()} if last_return else {}
    sections = [
        {
            "name": f,
            "label": ProgressReport._meta.get_field(f).verbose_name,
            "text": getattr(report, f),
            "comment": comments.get(f),
        }
        for f in ProgressReport.SECTIONS
    ]
    actions = [t for t in PROGRESS_REPORT_WORKFLOW.available(report, request.user) if t.name != "submit"]
    return render(
        request,
        "plans/report_detail.html",
        {
            "r": report,
            "sections": sections,
            "edit_form": edit_form,
            "can_submit": can_submit,
            "reviewer": reviewer,
            "actions": [t.name for t in actions],
            "return_form": ReportReturnForm(),
            "adopt_form": AdoptForm(),
            "events": report.events.select_related("by").prefetch_related("field_comments"),
            "last_return": last_return,
            "attachments": report.attachments.all(),
            "max_chars": services.report_max_chars(report.kind),
        },
    )


@staff_view()
@require_POST
def report_action(request, pk: int, action: str):
    report = get_object_or_404(report_list(user=request.user), pk=pk)
    by = request.user
    url = reverse("plans:report-detail", args=[report.pk])
    try:
        if action == "submit":
            services.report_submit(report_id=report.pk, by=by)
            msg = "已提交"
        elif action == "return":
            form = ReportReturnForm(request.POST)
            form.is_valid()
            d = form.cleaned_data
            services.report_return(
                report_id=report.pk,
                by=by,
                reason=d.get("reason", ""),
                field_comments={f: d.get(f"c_{f}", "") for f in ProgressReport.SECTIONS},
            )
            msg = "已退回"
        elif action in ("accept", "adopt", "archive", "publish"):
            form = AdoptForm(request.POST)
            form.is_valid()
            services.report_decide(
                report_id=report.pk,
                name=action,
                by=by,
                comment=request.POST.get("comment", ""),
                for_bulletin=form.cleaned_data.get("for_bulletin", False),
                for_publication=form.cleaned_data.get("for_publication", False),
            )
            msg = {"accept": "审核通过", "adopt": "已采用", "archive": "已存档", "publish": "已发布"}[action]
        elif action == "flags":
            form = AdoptForm(request.POST)
            form.is_valid()
            services.report_set_flags(report_id=report.pk, by=by, **form.cleaned_data)
            msg = "保存成功"
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, url)
    return done(request, url, msg)
