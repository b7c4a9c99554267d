"""Locks, live sessions and the login log (security admin)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenming.accounts import selectors as accounts_selectors
from wenming.accounts.forms import LoginRecordQueryForm, UnlockForm
from wenming.accounts.models import LoginRecord
from wenming.accounts.roles import Action
from wenming.console.accounts.views.common import LOG_ACTIONS
from wenming.exports.services import stream_csv
from wenming.organizations import selectors, services
from wenming.web.gate import staff_view
from wenming.web.responses import done

# ---------------------------------------------------------------------------------------------
# Locks, sessions, login log (security admin)
# ---------------------------------------------------------------------------------------------


@staff_view(Action.ROLE_MANAGE)
def lock_list(request):
    form = UnlockForm()
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid():
            services.account_unlock(username=form.cleaned_data["username"], by=request.user, request=request)
            messages.success(request, f"已解除“{form.cleaned_data['username']}”的锁定")
            return done(request, reverse("accounts:locks"))
    page = Paginator(accounts_selectors.active_locks(), 20).get_page(request.GET.get("page"))
    return render(request, "accounts/lock_list.html", {"page": page, "form": form})


@staff_view(Action.ROLE_MANAGE)
def session_list(request):
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.session_list(viewer=request.user, actions=(Action.ROLE_MANAGE,))
    if q:
        qs = qs.filter(Q(user__username__icontains=q) | Q(user__display_name__icontains=q) | Q(ip__startswith=q))
    page = Paginator(qs.order_by("-last_seen_at"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/session_list.html",
        {"page": page, "q": q, "current_key": request.session.session_key},
    )


@require_POST
@staff_view(Action.ROLE_MANAGE)
def session_kill(request, pk: int):
    s = get_object_or_404(selectors.session_list(viewer=request.user, actions=(Action.ROLE_MANAGE,)), pk=pk)
    if s.session_key == request.session.session_key:
        messages.error(request, _("不能强制结束当前会话，请使用退出登录"))
    else:
        services.session_kill(session=s, by=request.user, request=request)
        messages.success(request, f"已强制“{s.user.username}”下线")
    return done(request, reverse("accounts:sessions"))


@staff_view(LOG_ACTIONS)
def login_log(request):
    form = LoginRecordQueryForm(request.GET or None)
    qs = selectors.login_record_list(viewer=request.user, actions=LOG_ACTIONS)
    if form.is_valid():
        d = form.cleaned_data
        if d["username"]:
            qs = qs.filter(username__icontains=d["username"])
        if d["outcome"]:
            qs = qs.filter(outcome=d["outcome"])
        if d["ip"]:
            qs = qs.filter(ip__startswith=d["ip"]) if ":" not in d["ip"] else qs.filter(ip=d["ip"])
        if d["start"]:
            qs = qs.filter(at__date__gte=d["start"])
        if d["end"]:
            qs = qs.filter(at__date__lte=d["end"])
    filtered = any(request.GET.get(k) for k in ("username", "outcome", "ip", "start", "end"))
    if request.GET.get("export") == "csv":
        labels = dict(LoginRecord.Outcome.choices)
        rows = (
            [
                timezone.localtime(r.at).strftime("%Y-%m-%d %H:%M:%S"),
                r.username,
                labels.get(r.outcome, r.outcome),
                r.ip or "",
            ]
            for r in qs.iterator(chunk_size=1000)
        )
        return stream_csv(
            request=request,
            filename="登录日志.csv",
            header=["时间", "用户名", "结果", "来源IP"],
            rows=rows,
            object_type="accounts.LoginRecord",
            filters={k: v for k, v in request.GET.items() if k != "export"},
        )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    ctx = {
        "form": form,
        "page": page,
        "filtered": filtered,
        "export_query": urlencode({**{k: v for k, v in request.GET.items() if k != "page"}, "export": "csv"}),
    }
    return render(request, "accounts/login_log.html", ctx)
