"""Forms of the accounts app (no saving here: views call services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseForm

from .models import LoginRecord, User
from .roles import ADMIN_DUTIES


class LoginForm(BaseForm):
    username = forms.CharField(
        label=_("用户名"), max_length=150, error_messages={"required": _("请输入用户名"), "max_length": _("用户名过长")}
    )
    password = forms.CharField(
        label=_("密码"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("请输入密码")},
    )
    # Asked only after many failures from one address; checked by the login service, not here.
    captcha = forms.CharField(
        label=_("验证问题"), required=False, max_length=16, error_messages={"max_length": _("答案过长")}
    )


class OtpForm(BaseForm):
    token = forms.RegexField(
        label=_("动态口令"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"required": _("请输入 6 位动态口令"), "invalid": _("动态口令为 6 位数字")},
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class NewPasswordMixin:
    """Two new-password fields checked against the policy for ``self.policy_user``."""

    policy_user: Any

    def _clean_new_passwords(self, cleaned: dict) -> None:
        p1, p2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", _("两次输入的新密码不一致"))
            return
        if p1:
            try:
                validate_password(p1, self.policy_user)
            except ValidationError as exc:
                self.add_error("new_password1", exc)


class PasswordChangeForm(NewPasswordMixin, BaseForm):
    old_password = forms.CharField(
        label=_("原密码"), strip=False, widget=forms.PasswordInput, error_messages={"required": _("请输入原密码")}
    )
    new_password1 = forms.CharField(
        label=_("新密码"), strip=False, widget=forms.PasswordInput, error_messages={"required": _("请输入新密码")}
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("请再次输入新密码")},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy_user = user

    def clean_old_password(self) -> str:
        value = self.cleaned_data["old_password"]
        if not self.policy_user.check_password(value):
            raise ValidationError(_("原密码不正确"))
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        self._clean_new_passwords(cleaned)
        return cleaned


class PasswordResetForm(NewPasswordMixin, BaseForm):
    """The system admin sets a temporary password for someone else."""

    new_password1 = forms.CharField(
        label=_("临时密码"), strip=False, widget=forms.PasswordInput, error_messages={"required": _("请输入临时密码")}
    )
    new_password2 = forms.CharField(
        label=_("确认临时密码"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("请再次输入临时密码")},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy_user = user

    def clean(self) -> dict:
        cleaned = super().clean()
        self._clean_new_passwords(cleaned)
        return cleaned


class DutyGrantForm(BaseForm):
    duty = forms.ChoiceField(
        label=_("三员职责"),
        choices=[("", _("请选择"))] + [(r.value, r.label) for r in ADMIN_DUTIES],
        error_messages={"required": _("请选择职责"), "invalid_choice": _("请选择有效的职责")},
    )


class UnlockForm(BaseForm):
    username = forms.CharField(label=_("用户名"), max_length=150, error_messages={"required": _("请输入用户名")})


class UserQueryForm(BaseForm):
    q = forms.CharField(label=_("用户名/姓名"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("active", _("正常")), ("inactive", _("已停用")), ("locked", _("已锁定"))],
    )
    kind = forms.ChoiceField(
        label=_("类别"),
        required=False,
        choices=[("", _("全部")), ("admin", _("三员")), ("staff", _("业务人员"))],
    )


class LoginRecordQueryForm(BaseForm):
    username = forms.CharField(label=_("用户名"), required=False, max_length=150)
    outcome = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部")), *LoginRecord.Outcome.choices]
    )
    ip = forms.CharField(label=_("来源IP"), required=False, max_length=45)
    start = forms.DateField(label=_("开始日期"), required=False, error_messages={"invalid": _("请输入有效的日期")})
    end = forms.DateField(label=_("结束日期"), required=False, error_messages={"invalid": _("请输入有效的日期")})
