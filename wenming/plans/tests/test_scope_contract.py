"""The data-scope contract for the organisation-owned models of 工作督办."""

from datetime import date

from django.utils import timezone

from wenming.plans.models import Institution, ProgressReport, WorkDispatch, WorkPlan, WorkTask
from wenming.testing import ScopedModelContract

CONTRACT_EXEMPT = {
    "plans.WorkGoal": "工作目标只在工作方案详情页列出，随方案的数据范围（由 WorkPlan 契约覆盖）",
    "plans.WorkDispatch": "督办事项按承办单位以督办任务出现在列表中（由 WorkTask 契约覆盖）；详情页按交办单位范围取数，范围外为404",
    "plans.Bulletin": "工作简报由省局编印，页面要求 plans.report_review，市局没有该页面",
}


class TestWorkTaskScope(ScopedModelContract):
    model = WorkTask
    list_url_name = "plans:tasks"
    detail_url_name = "plans:task-detail"

    def make_in(self, city):
        province = city.parent
        d = WorkDispatch.objects.create(
            issuer=province, title=f"{city.name}专项督办", content="按要求办理", due_date=date(2099, 12, 31)
        )
        return WorkTask.objects.create(
            dispatch=d,
            assignee=city,
            status="dispatched",
            original_due_date=d.due_date,
            due_date=d.due_date,
            dispatched_at=timezone.now(),
        )

    def label(self, obj):
        return obj.dispatch.title


class TestProgressReportScope(ScopedModelContract):
    model = ProgressReport
    list_url_name = "plans:reports"
    detail_url_name = "plans:report-detail"

    def make_in(self, city):
        return ProgressReport.objects.create(
            organization=city,
            kind="monthly",
            year=2026,
            period=10,
            title=f"{city.name}2026年10月月度工作进展",
            summary="工作开展情况",
            due_date=date(2026, 11, 5),
        )


class TestWorkPlanScope(ScopedModelContract):
    model = WorkPlan
    list_url_name = "plans:plans"
    detail_url_name = "plans:plan-detail"
    search_param = None
    export_param = None

    def make_in(self, city):
        return WorkPlan.objects.create(organization=city, year=2026, title=f"{city.name}2026年创建工作方案")


class TestInstitutionScope(ScopedModelContract):
    model = Institution
    list_url_name = "plans:institutions"
    detail_url_name = "plans:institution-detail"
    export_param = None

    def make_in(self, city):
        return Institution.objects.create(
            title=f"{city.name}文明窗口管理办法", issuing_org=city, link="https://example.gov.cn/rule"
        )
