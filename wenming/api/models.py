"""API tokens: only a keyed hash of each key is stored; the key itself is shown once at creation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked=False, expires_at__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    """A bearer token of one user for the JSON API (``Authorization: Bearer <key>``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )
    name = models.CharField(_("名称"), max_length=60, help_text=_("用途，如：数据大屏对接"))
    prefix = models.CharField(_("令牌前缀"), max_length=16, db_index=True, help_text=_("便于识别，不足以使用令牌"))
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked = models.BooleanField(_("已撤销"), default=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_usable(self) -> bool:
        return not self.revoked and self.expires_at > timezone.now() and self.user.is_active
