"""Login, logout and the password change."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from wenming.accounts import services
from wenming.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
)
from wenming.accounts.passwords import password_expired
from wenming.web.gate import staff_view

from .common import LOGIN_NOTICES, safe_next

# ---------------------------------------------------------------------------------------------
# Login, logout, password
# ---------------------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    notice = LOGIN_NOTICES.get(request.GET.get("reason", ""))
    if request.method == "POST":
        form = LoginForm(request.POST)
        if form.is_valid():
            user = services.login_attempt(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                captcha=form.cleaned_data["captcha"],
            )
            if user is not None:
                services.login_complete(request=request, user=user)
                return HttpResponseRedirect(safe_next(request))
            form.add_error(None, services.LOGIN_ERROR)
    else:
        if request.user.is_authenticated:
            return HttpResponseRedirect(safe_next(request))
        form = LoginForm()
    # Too many failures from this address: every rendering asks a fresh question (the last one is void).
    question = services.captcha_new(request) if services.captcha_required(request) else ""
    return render(
        request,
        "accounts/login.html",
        {"form": form, "notice": notice, "next": safe_next(request, ""), "captcha_question": question},
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.logout_complete(request=request)
    else:
        request.session.flush()
    return HttpResponseRedirect(reverse("accounts:login") + "?reason=logout")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@staff_view()
def password_change(request):
    user = request.user
    forced = password_expired(user)
    if request.method == "POST":
        form = PasswordChangeForm(user, request.POST)
        if form.is_valid():
            services.password_change_own(request=request, user=user, raw=form.cleaned_data["new_password1"])
            messages.success(request, _("密码修改成功"))
            return HttpResponseRedirect(reverse("workbench:home"))
    else:
        form = PasswordChangeForm(user)
    reason = ""
    if forced:
        reason = (
            "首次登录或密码已被重置，请先修改密码"
            if user.must_change_password
            else "密码已超过 90 天未修改，请修改密码"
        )
    template = "accounts/password_change_forced.html" if forced else "accounts/password_change.html"
    return render(request, template, {"form": form, "reason": reason, "forced": forced})
