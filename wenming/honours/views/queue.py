"""审核队列: the applications waiting for this reviewer (or, on the office tab, for the office's stage)."""

from __future__ import annotations

from wenming.web.gate import can, staff_view
from wenming.web.lists import list_page

from .. import selectors
from ..permissions import HonourAction as HA


@staff_view(HA.REVIEW)
def queue(request):
    office = request.GET.get("tab") == "office" and can(request, HA.MANAGE)
    qs = selectors.office_queue(user=request.user) if office else selectors.review_queue(user=request.user)
    return list_page(
        request,
        queryset=qs,
        template="honours/queue.html",
        context={"office": office, "can_manage": can(request, HA.MANAGE)},
    )
