"""The one certificate record of the platform, its history, its serial counters and batch jobs.

Each module declares its kinds (``kinds.register_kind``); every certificate, whatever the kind, is a
``Certificate`` row: a serial (prefix per kind, year, sequence), a random check code printed in the
verification QR, the subject (a generic key such as ``people.courier:12`` plus display fields), the
merge fields, the issuer and its seal, and the rendered PDF. ``content_hash`` (keyed) seals the
content and ``pdf_hash`` the stored file; the integrity check recomputes both.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TransitionEvent
from wenming.organizations.models import Organization
from wenming.organizations.scoping import ScopedQuerySet

from .choices import BatchStatus, CertificateStatus
from .workflows import CERTIFICATE_WORKFLOW


class CertificateQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Certificate(models.Model):
    kind = models.CharField(_("证书种类"), max_length=50, db_index=True)
    serial = models.CharField(_("证书编号"), max_length=40, unique=True)
    check_code = models.CharField(max_length=32)
    title = models.CharField(_("证书名称"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=20, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("所属单位")
    )
    subject_key = models.CharField(max_length=80, db_index=True)  # e.g. "people.courier:12"
    subject_name = models.CharField(_("证书持有人"), max_length=100)
    subject_id_hint = models.CharField(max_length=18, blank=True)  # masked ID hint, never the number
    fields = models.JSONField(_("证书内容"), default=dict)
    issuer = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("出具单位")
    )
    issuer_name = models.CharField(_("出具单位"), max_length=100)
    seal_image = models.CharField(max_length=200, blank=True)  # the uploaded seal file at issue ("" → drawn)
    seal_specimen = models.BooleanField(default=False)
    content_hash = models.CharField(max_length=64)
    pdf = models.FileField(upload_to="certificates/%Y/", max_length=200, blank=True)
    pdf_hash = models.CharField(max_length=64, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("出具时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    batch = models.ForeignKey(
        "CertificateBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="certificates"
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["kind", "-issued_at"])]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_revoked(self) -> bool:
        return self.status == CertificateStatus.REVOKED


class CertificateEventQuerySet(ScopedQuerySet):
    scope_field = "certificate__organization"


class CertificateEvent(TransitionEvent):
    """One step of a certificate's history: issued, PDF rendered, revoked."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=CERTIFICATE_WORKFLOW.kind_choices())

    objects = CertificateEventQuerySet.as_manager()


class SerialCounter(models.Model):
    """The last sequence number per serial prefix and year; the row is locked while a serial is drawn."""

    prefix = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="certificates_counter_unique")]


class CertificateBatch(models.Model):
    """A background batch issue: the items waiting, and how many are done or failed (the page polls it).

    Seen only by the user who started it (its progress page is 404 for everyone else).
    """

    kind = models.CharField(_("证书种类"), max_length=50)
    title = models.CharField(_("批次"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    items = models.JSONField(default=list)  # [{subject_key, subject_name, subject_id_hint, organization_id, fields}]
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    failed = models.PositiveIntegerField(_("失败"), default=0)
    errors = models.JSONField(default=list)  # [{index, subject_name, message}]
    base_url = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def processed(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        return int(self.processed * 100 / self.total) if self.total else 100

    @property
    def finished(self) -> bool:
        return self.status in (BatchStatus.DONE, BatchStatus.FAILED)
