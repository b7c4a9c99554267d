"""The reports app's org-owned models and their scope contracts."""

from wenming.reports.models import ReportSchedule
from wenming.testing import ScopedModelContract

CITY_SHORT = {"210100": "沈阳", "210200": "大连"}


class TestReportScheduleScope(ScopedModelContract):
    """A schedule belongs to the unit that set it up; its one page of its own is the delete confirmation."""

    model = ReportSchedule
    list_url_name = "reports:schedule-list"
    detail_url_name = "reports:schedule-delete"
    search_param = None  # the schedule list is short and has no search box
    export_param = None  # nor an export

    def make_in(self, city):
        return ReportSchedule.objects.create(
            organization=city, name=f"{CITY_SHORT[city.code]}契约月报", kind="summary", fmt="docx", frequency="month"
        )
