"""Accounts, the three MLPS administrator duties, and identity-security state."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import ADMIN_DUTIES, Role


class User(AbstractUser):
    """A staff account (regulator, enterprise, outlet, expert). The public never has one."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=True)
    is_demo = models.BooleanField(_("演示账号"), default=False, help_text=_("只由 seed_demo 创建；生产环境拒绝登录"))
    home_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    otp_failures = models.PositiveSmallIntegerField(_("连续动态口令错误次数"), default=0)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def admin_duty(self) -> str | None:
        duty = getattr(self, "duty", None)
        return duty.duty if duty else None

    @property
    def is_mlps_admin(self) -> bool:
        return self.admin_duty is not None


class AdminDuty(models.Model):
    """One of the three MLPS administrator duties (三员). ``user`` is unique: no account holds two."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="duty", verbose_name=_("用户"))
    duty = models.CharField(_("职责"), max_length=20, choices=[(r.value, r.label) for r in ADMIN_DUTIES])
    granted_at = models.DateTimeField(_("授予时间"), default=timezone.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("授予人")
    )

    class Meta:
        verbose_name = _("三员职责")
        verbose_name_plural = _("三员职责")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duty__in=[r.value for r in ADMIN_DUTIES]), name="admin_duty_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {Role(self.duty).label}"


class PasswordHistory(models.Model):
    """Hashes of earlier passwords: none of the last five may be reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class LoginThrottle(models.Model):
    """Failure counter per username (known or not, so the answer never reveals which exist)."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)


class UserSession(models.Model):
    """A live staff session: lets the security admin list and end sessions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="live_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]


class LoginRecord(models.Model):
    """Login log (登录日志): kept ≥ 180 days; the tamper-evident copy is in the audit chain."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        LOCKED = "locked", _("已锁定")
        LOGOUT = "logout", _("退出")
        TIMEOUT = "timeout", _("超时退出")

    username = models.CharField(_("用户名"), max_length=150, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    ip = models.GenericIPAddressField(_("来源IP"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
