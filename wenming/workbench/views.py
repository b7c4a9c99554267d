"""Workbench home (工作台), notifications and the 关怀模式 switch."""

from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wenming.core.forms import parse_ids
from wenming.web.gate import staff_view

from .models import Notification
from .services import mark_read, todo_items


@staff_view()
def home(request):
    items = todo_items(request.user)
    recent = Notification.objects.filter(recipient=request.user)[:8]
    stats = {
        "todo": len(items),
        "overdue": sum(1 for i in items if i.overdue),
        "unread": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count(),
    }
    return render(request, "workbench/home.html", {"todos": items, "recent": recent, "stats": stats})


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
