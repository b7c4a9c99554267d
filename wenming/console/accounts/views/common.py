"""Shared by the account pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from wenming.accounts.roles import Action

OTP_ISSUER = "辽宁邮政精神文明平台"
LOGIN_NOTICES = {
    "timeout": "长时间未操作或登录已超过 12 小时，会话已结束，请重新登录",
    "killed": "会话已结束，请重新登录",
    "logout": "已安全退出",
    "otp_locked": "动态口令连续错误次数过多，账号已锁定，请 30 分钟后再试或联系安全管理员",
}
ACCOUNT_ACTIONS = (Action.USER_MANAGE, Action.ROLE_MANAGE)
LOG_ACTIONS = (Action.ROLE_MANAGE, Action.AUDIT_VIEW)


def safe_next(request: Any, default: str = "") -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return default or reverse("workbench:home")
