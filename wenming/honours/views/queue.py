"""审核队列: the applications waiting for this reviewer (or, on the office tab, for the office's stage)."""

from __future__ import annotations

from wenming.web.gate import can, staff_view
from wenming.web.lists import ExportSpec, export_dt, list_page

from .. import selectors
from ..permissions import HonourAction as HA

QUEUE_EXPORT = ExportSpec(
    filename="审核队列",
    header=["申报名称", "批次", "申报单位", "提交时间", "环节"],
    row=lambda a: [a.public_name, a.cycle.name, a.organization.name, export_dt(a.submitted_at), a.get_status_display()],
    object_type="honours.Application",
)


@staff_view(HA.REVIEW)
def queue(request):
    office = request.GET.get("tab") == "office" and can(request, HA.MANAGE)
    qs = selectors.office_queue(user=request.user) if office else selectors.review_queue(user=request.user)
    return list_page(
        request,
        queryset=qs,
        template="honours/queue.html",
        export=QUEUE_EXPORT,
        context={"office": office, "can_manage": can(request, HA.MANAGE)},
    )
