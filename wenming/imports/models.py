"""Import batches: one uploaded spreadsheet, its validation result and what was written."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEEP_UPLOAD = timedelta(hours=1)


def _expiry():
    return timezone.now() + KEEP_UPLOAD


class ImportKind(models.TextChoices):
    OUTLETS = "outlets", _("网点")
    COURIERS = "couriers", _("快递员")
    ITEM_VOLUMES = "item_volumes", _("企业月度业务量")  # plugged in by complaints (registry.py)


class ImportStatus(models.TextChoices):
    REFUSED = "refused", _("已拒收")  # failed the upload safety checks; the file was never parsed or kept
    INVALID = "invalid", _("有错误")  # parsed, at least one bad row or cell; cannot be committed
    READY = "ready", _("待确认")  # parsed without errors; waiting for the user to commit
    COMMITTED = "committed", _("已导入")  # every row written in one transaction (terminal)
    CANCELLED = "cancelled", _("已取消")  # the user dropped it; file deleted (terminal)
    EXPIRED = "expired", _("已过期")  # not committed within an hour; file deleted (terminal)


OPEN_STATUSES = (ImportStatus.INVALID, ImportStatus.READY)


class ImportBatch(models.Model):
    """One uploaded file: who, what, its hash, row counts, every error; the bytes only until committed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_batches", verbose_name=_("导入人")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=ImportKind.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveIntegerField(_("文件大小"), default=0)
    content = models.BinaryField(_("文件内容"), null=True, blank=True, editable=False)  # read with .defer() on lists
    has_file = models.BooleanField(_("文件保留中"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, db_index=True)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    valid_rows = models.PositiveIntegerField(_("有效行数"), default=0)
    error_rows = models.PositiveIntegerField(_("错误行数"), default=0)
    skipped_rows = models.PositiveIntegerField(_("跳过的示例行"), default=0)
    written_rows = models.PositiveIntegerField(_("写入行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)  # [{"row": 5, "column": "身份证号", "message": …}]
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    preview = models.JSONField(_("预览"), default=list, blank=True)  # first rows, personal data masked
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("文件保留至"), default=_expiry, db_index=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}导入 {self.filename}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and self.has_file and self.expires_at > timezone.now()

    @property
    def can_commit(self) -> bool:
        return self.is_open and self.status == ImportStatus.READY

    @property
    def status_tag(self) -> str:
        return {
            ImportStatus.REFUSED: "tag-bad",
            ImportStatus.INVALID: "tag-warn",
            ImportStatus.READY: "tag-soon",
            ImportStatus.COMMITTED: "tag-ok",
        }.get(self.status, "tag-muted")
