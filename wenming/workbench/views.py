"""Workbench home (工作台), notifications and the 关怀模式 switch."""

from datetime import date

from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.forms import parse_ids
from wenming.web.gate import staff_view
from wenming.workflow.policy import may_anywhere

from .models import Notification
from .services import counter, done_items, mark_read, panels, started_items, todo_items

TABS = ("todo", "done", "started")


def month_start() -> date:
    return timezone.localdate().replace(day=1)


@staff_view()
def home(request):
    """工作台: counters 待办 · 即将到期 · 已逾期 · 本月已办 (each links to the list it counts), tabs
    待办 / 已办 / 我发起的, the modules' panels and the latest notices."""
    user = request.user
    home_url = reverse("workbench:home")
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "todo"
    this_month = request.GET.get("month") == "1"
    todos = todo_items(user)
    done_month = done_items(user, since=month_start())
    counters = [
        {"key": "todo", "label": _("待办"), "count": len(todos), "url": f"{home_url}?tab=todo"},
        *(
            {"key": key, "label": label, "count": c.count, "url": c.url}
            for key, label in (("due_soon", _("即将到期")), ("overdue", _("已逾期")))
            if (c := counter(key, user)) is not None
        ),
        {"key": "done_month", "label": _("本月已办"), "count": len(done_month), "url": f"{home_url}?tab=done&month=1"},
    ]
    if tab == "done":
        rows = done_month if this_month else done_items(user)
    elif tab == "started":
        rows = started_items(user)
    else:
        rows = todos
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    recent = Notification.objects.filter(recipient=user)[:8]
    shown_panels = panels(user)
    reviewer = may_anywhere(user, Action.REVIEW) and not may_anywhere(user, Action.VIEW)
    return render(
        request,
        "workbench/home.html",
        {
            "counters": counters,
            "tab": tab,
            "this_month": this_month,
            "page": page,
            "panels": shown_panels,
            "recent": recent,
            # The reviewer's introduction says what will arrive; once a panel lists work, it gives way.
            "reviewer": reviewer,
            "reviewer_intro": reviewer and not any(p.rows for p in shown_panels),
        },
    )


@staff_view()
def notifications(request):
    qs = Notification.objects.filter(recipient=request.user)
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "workbench/notifications.html", {"page": page})


@staff_view()
@require_POST
def notifications_read(request):
    ids = request.POST.getlist("id") or None
    mark_read(user=request.user, ids=parse_ids(ids) if ids else None)
    return HttpResponseRedirect(reverse("workbench:notifications"))


@require_POST
def care_toggle(request):
    """关怀模式: larger type and controls, kept in a cookie (ui.md §1.5)."""
    nxt = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    resp = HttpResponseRedirect(nxt)
    on = request.COOKIES.get("care") != "1"
    resp.set_cookie("care", "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return resp
