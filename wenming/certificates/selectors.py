"""Reads of the certificates app; every list starts from ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from wenming.accounts.roles import Action

from .models import Certificate, CertificateBatch


def certificate_list(*, user: Any, kind: str = "") -> QuerySet[Certificate]:
    qs = Certificate.objects.visible_to(user, Action.VIEW).select_related("organization").order_by("-issued_at", "-id")
    return qs.filter(kind=kind) if kind else qs


def certificates_of(*, user: Any, subject_key: str, kind: str = "") -> QuerySet[Certificate]:
    """The certificates of one subject (e.g. ``people.courier:12``) the user may see."""
    return certificate_list(user=user, kind=kind).filter(subject_key=subject_key)


def batch_of(*, user: Any, pk: int) -> CertificateBatch | None:
    """A batch is seen by the user who started it only."""
    if not getattr(user, "is_authenticated", False):
        return None
    return CertificateBatch.objects.filter(pk=pk, created_by=user).first()
