"""Staff pages for one's own API tokens: create (the key is shown once), list (prefix only), revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from wenming.core.errors import ApplicationError
from wenming.core.forms import BaseForm
from wenming.web.gate import staff_view
from wenming.web.responses import done

from .models import ApiToken
from .services import api_token_create, api_token_revoke

VALIDITY_CHOICES = [("30", _("30 天")), ("90", _("90 天")), ("180", _("180 天")), ("365", _("1 年"))]


class TokenCreateForm(BaseForm):
    name = forms.CharField(
        label=_("名称"),
        max_length=60,
        help_text=_("用途，如：数据大屏对接"),
        error_messages={"required": _("请填写令牌名称"), "max_length": _("名称不能超过 60 个字")},
    )
    days = forms.TypedChoiceField(
        label=_("有效期"),
        choices=VALIDITY_CHOICES,
        coerce=int,
        initial="90",
        error_messages={"required": _("请选择有效期"), "invalid_choice": _("请选择列出的有效期")},
    )


def _render(request: HttpRequest, form: TokenCreateForm, new_key: str = "", new_token=None) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    return render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": tokens, "new_key": new_key, "new_token": new_token},
    )


@never_cache
@staff_view()
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's own tokens; ``POST`` issues one and shows its key on this answer only."""
    if request.method == "POST":
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            try:
                token, key = api_token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    by=request.user,
                    request=request,
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("令牌已创建：请立即复制保存，离开本页后无法再次查看"))
                return _render(request, TokenCreateForm(), new_key=key, new_token=token)
        return _render(request, form)
    return _render(request, TokenCreateForm())


@never_cache
@staff_view()
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's own tokens after confirmation; another user's token is 404."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    back = reverse("api-tokens:list")
    if request.method == "POST":
        try:
            api_token_revoke(token=token, by=request.user, request=request)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已撤销令牌“{token.name}”")
        return done(request, back)
    return render(
        request,
        "accounts/confirm.html",
        {
            "title": "撤销接口令牌",
            "question": f"确定撤销令牌“{token.name}”（{token.prefix}…）吗？",
            "consequence": "撤销立即生效，使用该令牌的程序将无法再访问接口；此操作不可恢复。",
            "verb": "撤销",
            "danger": True,
            "back": back,
        },
    )
