"""Accounts (system admin) and role grants (security admin)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from wenming.accounts import selectors as accounts_selectors
from wenming.accounts import services as accounts_services
from wenming.accounts.forms import DutyGrantForm, PasswordResetForm, UserQueryForm
from wenming.accounts.models import AdminDuty, LoginRecord, User, UserSession
from wenming.accounts.roles import Action, Role
from wenming.console.accounts.views.common import ACCOUNT_ACTIONS
from wenming.core.errors import ApplicationError
from wenming.exports.services import stream_csv
from wenming.organizations import selectors, services
from wenming.organizations.forms import RoleGrantForm, UserCreateForm
from wenming.organizations.models import Organization, RoleAssignment
from wenming.web.forms import form_error
from wenming.web.gate import can, staff_view
from wenming.web.responses import done
from wenming.web.widgets import use_picker

# ---------------------------------------------------------------------------------------------
# Accounts (system admin) and grants (security admin)
# ---------------------------------------------------------------------------------------------


def _filtered_users(request, form: UserQueryForm):
    qs = selectors.user_list(viewer=request.user, actions=ACCOUNT_ACTIONS)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(username__icontains=d["q"]) | Q(display_name__icontains=d["q"]))
        if d["status"] == "active":
            qs = qs.filter(is_active=True)
        elif d["status"] == "inactive":
            qs = qs.filter(is_active=False)
        elif d["status"] == "locked":
            qs = qs.annotate(_lower=Lower("username")).filter(_lower__in=accounts_selectors.locked_usernames())
        if d["kind"] == "admin":
            qs = qs.filter(duty__isnull=False)
        elif d["kind"] == "staff":
            qs = qs.filter(duty__isnull=True)
    return qs.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("organization"))
    ).order_by("username")


def _role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


@staff_view(Action.USER_MANAGE)
def user_list(request):
    return _user_list(request, "users")


@staff_view(Action.ROLE_MANAGE)
def grant_list(request):
    return _user_list(request, "grants")


def _user_list(request, mode: str):
    form = UserQueryForm(request.GET or None)
    qs = _filtered_users(request, form)
    locked = {n.casefold() for n in accounts_selectors.locked_usernames()}
    if request.GET.get("export") == "csv":
        rows = (
            [
                u.username,
                u.display_name,
                u.home_organization.name if u.home_organization else "",
                "、".join(
                    [str(Role(u.admin_duty).label)]
                    if u.admin_duty
                    else [_role_label(r.role) for r in u.role_assignments.all()]
                ),
                "已停用" if not u.is_active else ("已锁定" if u.username.casefold() in locked else "正常"),
                timezone.localtime(u.last_login).strftime("%Y-%m-%d %H:%M") if u.last_login else "",
            ]
            for u in qs.iterator(chunk_size=500)
        )
        return stream_csv(
            request=request,
            filename="用户列表.csv",
            header=["用户名", "姓名", "所属单位", "角色", "状态", "最近登录"],
            rows=rows,
            object_type="accounts.User",
            filters={k: v for k, v in request.GET.items() if k != "export"},
        )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    for u in page.object_list:
        u.is_locked = u.username.casefold() in locked
        u.role_labels = [f"{_role_label(r.role)}（{r.organization.name}）" for r in u.role_assignments.all()]
    ctx = {
        "form": form,
        "page": page,
        "mode": mode,
        "title": _("角色授权") if mode == "grants" else _("用户管理"),
        "filtered": bool(request.GET.get("q") or request.GET.get("status") or request.GET.get("kind")),
        "can_manage_users": can(request, Action.USER_MANAGE),
        "export_query": urlencode({**{k: v for k, v in request.GET.items() if k != "page"}, "export": "csv"}),
    }
    return render(request, "accounts/user_list.html", ctx)


def _viewable_user(request, pk: int) -> User:
    return get_object_or_404(selectors.user_list(viewer=request.user, actions=ACCOUNT_ACTIONS), pk=pk)


def _detail_context(request, target: User, *, grant_form=None, duty_form=None) -> dict:
    can_roles = can(request, Action.ROLE_MANAGE)
    assignments = list(
        RoleAssignment.objects.filter(user=target).select_related("organization").order_by("organization__path")
    )
    for ra in assignments:
        ra.role_name = _role_label(ra.role)
    ctx: dict[str, Any] = {
        "target": target,
        "assignments": assignments,
        "duty": AdminDuty.objects.filter(user=target).first(),
        "sessions": UserSession.objects.filter(user=target),
        "locked": accounts_services.is_locked(target.get_username()),
        "has_device": TOTPDevice.objects.filter(user=target, confirmed=True).exists(),
        "can_manage_users": can(request, Action.USER_MANAGE),
        "can_manage_roles": can_roles,
        "recent_logins": LoginRecord.objects.filter(user=target)[:10],
    }
    if can_roles:
        grant_form = grant_form or RoleGrantForm(
            org_queryset=Organization.objects.visible_to(request.user, Action.ROLE_MANAGE)
        )
        use_picker(grant_form.fields["organization"], action=Action.ROLE_MANAGE)
        ctx["grant_form"] = grant_form
        ctx["duty_form"] = duty_form or DutyGrantForm()
    return ctx


@staff_view(ACCOUNT_ACTIONS)
def user_detail(request, pk: int):
    target = _viewable_user(request, pk)
    return render(request, "accounts/user_detail.html", _detail_context(request, target))


@staff_view(Action.USER_MANAGE)
@sensitive_post_parameters("new_password1", "new_password2")
def user_create(request):
    org_qs = Organization.objects.visible_to(request.user, Action.USER_MANAGE).filter(is_active=True)
    if request.method == "POST":
        form = UserCreateForm(request.POST, org_queryset=org_qs)
        if form.is_valid():
            d = form.cleaned_data
            try:
                user = services.user_create(
                    username=d["username"],
                    display_name=d["display_name"],
                    password=d["new_password1"],
                    home_organization=d["home_organization"],
                    by=request.user,
                    request=request,
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("新增成功，首次登录须修改初始密码"))
                return HttpResponseRedirect(reverse("accounts:user-detail", args=[user.pk]))
    else:
        form = UserCreateForm(org_queryset=org_qs)
    use_picker(form.fields["home_organization"], action=Action.USER_MANAGE)
    return render(request, "accounts/user_form.html", {"form": form})


@staff_view(Action.USER_MANAGE)
def user_deactivate(request, pk: int):
    target = _viewable_user(request, pk)
    if request.method == "POST":
        try:
            n = services.user_deactivate(user=target, by=request.user, request=request)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已停用，结束会话 {n} 个")
        return done(request, reverse("accounts:user-detail", args=[target.pk]))
    return render(
        request,
        "accounts/confirm.html",
        {
            "title": _("停用账号"),
            "question": f"确定停用账号“{target.username}（{target.display_name or target.username}）”吗？",
            "consequence": "停用后此账号立即退出所有会话，且不能再登录，可以重新启用",
            "verb": "停用",
            "danger": True,
            "back": reverse("accounts:user-detail", args=[target.pk]),
        },
    )


@staff_view(Action.USER_MANAGE)
def user_reactivate(request, pk: int):
    target = _viewable_user(request, pk)
    if request.method == "POST":
        services.user_reactivate(user=target, by=request.user, request=request)
        messages.success(request, _("已启用"))
        return done(request, reverse("accounts:user-detail", args=[target.pk]))
    return render(
        request,
        "accounts/confirm.html",
        {
            "title": _("启用账号"),
            "question": f"确定重新启用账号“{target.username}（{target.display_name or target.username}）”吗？",
            "consequence": "启用后此账号可以再次登录",
            "verb": "启用",
            "danger": False,
            "back": reverse("accounts:user-detail", args=[target.pk]),
        },
    )


@staff_view(Action.USER_MANAGE)
@sensitive_post_parameters("new_password1", "new_password2")
def user_password_reset(request, pk: int):
    target = _viewable_user(request, pk)
    form = PasswordResetForm(target, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_reset(
            user=target, raw=form.cleaned_data["new_password1"], by=request.user, request=request
        )
        messages.success(request, _("密码已重置，此用户下次登录须修改密码"))
        return HttpResponseRedirect(reverse("accounts:user-detail", args=[target.pk]))
    return render(request, "accounts/password_reset.html", {"form": form, "target": target})


@require_POST
@staff_view(Action.ROLE_MANAGE)
def role_grant(request, pk: int):
    target = _viewable_user(request, pk)
    form = RoleGrantForm(request.POST, org_queryset=Organization.objects.visible_to(request.user, Action.ROLE_MANAGE))
    if form.is_valid():
        try:
            services.role_grant(
                user=target,
                organization=form.cleaned_data["organization"],
                role=form.cleaned_data["role"],
                by=request.user,
                request=request,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("授权成功"))
            return HttpResponseRedirect(reverse("accounts:user-detail", args=[target.pk]))
    return render(request, "accounts/user_detail.html", _detail_context(request, target, grant_form=form))


@require_POST
@staff_view(Action.ROLE_MANAGE)
def role_revoke(request, pk: int):
    ra = get_object_or_404(
        RoleAssignment.objects.visible_to(request.user, Action.ROLE_MANAGE).select_related("user", "organization"),
        pk=pk,
    )
    user_pk = ra.user_id
    services.role_revoke(assignment=ra, by=request.user, request=request)
    messages.success(request, _("已撤销"))
    return done(request, reverse("accounts:user-detail", args=[user_pk]))


@require_POST
@staff_view(Action.ROLE_MANAGE)
def duty_grant(request, pk: int):
    target = _viewable_user(request, pk)
    form = DutyGrantForm(request.POST)
    if form.is_valid():
        try:
            services.admin_duty_grant(user=target, duty=form.cleaned_data["duty"], by=request.user, request=request)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("授权成功"))
            return HttpResponseRedirect(reverse("accounts:user-detail", args=[target.pk]))
    return render(request, "accounts/user_detail.html", _detail_context(request, target, duty_form=form))


@require_POST
@staff_view(Action.ROLE_MANAGE)
def duty_revoke(request, pk: int):
    target = _viewable_user(request, pk)
    duty = get_object_or_404(AdminDuty, user=target)
    try:
        services.admin_duty_revoke(duty=duty, by=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤销"))
    return done(request, reverse("accounts:user-detail", args=[target.pk]))


@require_POST
@staff_view(Action.ROLE_MANAGE)
def otp_reset(request, pk: int):
    target = _viewable_user(request, pk)
    services.otp_reset(user=target, by=request.user, request=request)
    messages.success(request, _("已重置动态口令，此用户下次登录须重新绑定"))
    return done(request, reverse("accounts:user-detail", args=[target.pk]))
