"""Writes of the certificates app: issue, render, revoke, batch issue, verify, download, integrity.

Public API (what other modules call):

* ``issue(kind, *, subject_key, subject_name, fields, by, organization, subject_id_hint="", issuer=None,
  title="", base_url="", render=True) -> Certificate``
* ``revoke(certificate, *, by, reason) -> Certificate``
* ``batch_issue(kind, items, *, by, title="", base_url="") -> CertificateBatch`` (background, with progress)
* ``verify(*, serial, check) -> Certificate | None``; ``verification_url(cert, base="")``
* ``pdf_bytes(cert, *, by, base_url="") -> bytes`` (audited download; renders a missing PDF first)
* ``integrity_check(using) -> (checked, problems)`` (registered with ``core.integrity``)
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError
from wenming.core.tasks import task
from wenming.organizations.models import Organization
from wenming.organizations.services import issuing_bureau, seal_of
from wenming.workflow.engine import perform, record_event
from wenming.workflow.policy import require

from . import sealing
from .choices import BatchStatus, CertificateStatus
from .kinds import CertificateKind, get_kind
from .models import Certificate, CertificateBatch, SerialCounter
from .rendering import certificate_pdf, verification_url
from .workflows import CERTIFICATE_WORKFLOW

__all__ = [
    "batch_issue",
    "integrity_check",
    "issue",
    "pdf_bytes",
    "render",
    "revoke",
    "verification_url",
    "verify",
]

MAX_BATCH = 5000
MAX_REASON = 200


def _next_serial(prefix: str, year: int) -> str:
    SerialCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = SerialCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"


def _missing_fields(kind: CertificateKind, fields: Mapping[str, Any]) -> list[str]:
    return [name for name in kind.fields if fields.get(name) in (None, "")]


def _check_item(kind: CertificateKind, *, subject_key: str, subject_name: str, fields: Mapping[str, Any]) -> None:
    if not subject_key or len(subject_key) > 80:
        raise ApplicationError(_("证书持有人标识无效"))
    if not subject_name or not subject_name.strip():
        raise ApplicationError(_("请填写证书持有人"))
    missing = _missing_fields(kind, fields)
    if missing:
        raise ApplicationError(_("证书内容缺少：%(fields)s") % {"fields": "、".join(missing)})


@transaction.atomic
def _create(
    kind: CertificateKind,
    *,
    subject_key: str,
    subject_name: str,
    fields: Mapping[str, Any],
    by: Any,
    organization: Organization,
    subject_id_hint: str = "",
    issuer: Organization | None = None,
    title: str = "",
    batch: CertificateBatch | None = None,
) -> Certificate:
    require(by, kind.issue_permission, organization)
    _check_item(kind, subject_key=subject_key, subject_name=subject_name, fields=fields)
    issuer = issuer or issuing_bureau(organization) or organization
    seal = seal_of(issuer)
    now = timezone.now()
    cert = Certificate(
        kind=kind.code,
        serial=_next_serial(kind.serial_prefix, timezone.localtime(now).year),
        check_code=secrets.token_hex(8),
        title=(title or str(kind.label))[:100],
        organization=organization,
        subject_key=subject_key,
        subject_name=subject_name.strip()[:100],
        subject_id_hint=subject_id_hint[:18],
        fields=dict(fields),
        issuer=issuer,
        issuer_name=issuer.name,
        seal_image=seal.image.name if seal else "",
        seal_specimen=bool(seal and seal.is_specimen),
        issued_by=by,
        issued_at=now,
        batch=batch,
    )
    cert.content_hash = sealing.content_hash(cert)
    cert.save()
    record_event(CERTIFICATE_WORKFLOW, cert, "issue", by=by, new=cert.status)
    audit_record(
        AuditAction.CREATE,
        user=by,
        obj=cert,
        object_repr=cert.serial,
        detail={"kind": kind.code, "op": "certificate_issue", **({"batch": batch.pk} if batch else {})},
    )
    return cert


def issue(
    kind: str,
    *,
    subject_key: str,
    subject_name: str,
    fields: Mapping[str, Any],
    by: Any,
    organization: Organization,
    subject_id_hint: str = "",
    issuer: Organization | None = None,
    title: str = "",
    base_url: str = "",
    render: bool = True,
) -> Certificate:
    """Issue one certificate of ``kind`` and (``render``) store its PDF.

    ``by`` needs the kind's issue permission on ``organization`` (the unit the certificate belongs to:
    its data scope). The issuer defaults to the bureau above that unit, whose uploaded seal is printed;
    without one a round seal with its name is drawn. ``fields`` are the merge fields the kind's template
    prints (JSON values); ``subject_id_hint`` is an already masked hint, never an ID number.
    """
    cert = _create(
        get_kind(kind),
        subject_key=subject_key,
        subject_name=subject_name,
        fields=fields,
        by=by,
        organization=organization,
        subject_id_hint=subject_id_hint,
        issuer=issuer,
        title=title,
    )
    if render:
        render_pdf(cert, by=by, base_url=base_url)
    return cert


def render_pdf(cert: Certificate, *, by: Any = None, base_url: str = "") -> Certificate:
    """Render and store the PDF of ``cert`` if it has none yet (idempotent; the first stored file wins)."""
    if cert.pdf:
        return cert
    data = certificate_pdf(cert, base_url)
    year = timezone.localtime(cert.issued_at).year
    name = default_storage.save(f"certificates/{year}/{cert.serial}.pdf", ContentFile(data))
    digest = sealing.pdf_hash(cert.serial, data)
    with transaction.atomic():
        stored = Certificate.objects.filter(pk=cert.pk, pdf="").update(pdf=name, pdf_hash=digest)
        if stored:
            record_event(CERTIFICATE_WORKFLOW, cert, "render", by=by)
    if not stored:  # rendered concurrently by someone else: keep theirs
        default_storage.delete(name)
    cert.refresh_from_db(fields=["pdf", "pdf_hash"])
    return cert


render = render_pdf


def revoke(certificate: Certificate | int, *, by: Any, reason: str) -> Certificate:
    """Revoke a valid certificate (the kind's revoke permission on its unit); the public page shows it."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("请填写撤销原因"), field="reason")
    if len(reason) > MAX_REASON:
        raise ApplicationError(_("撤销原因不能超过200字"), field="reason")
    outcome = perform(
        CERTIFICATE_WORKFLOW,
        certificate,
        "revoke",
        by=by,
        comment=reason,
        fields={"revoked_at": timezone.now(), "revoked_reason": reason},
        audit_repr=getattr(certificate, "serial", ""),
    )
    return outcome.obj


def verify(*, serial: str, check: str) -> Certificate | None:
    """The certificate if serial and check code agree and its content still matches its seal."""
    if not serial or not check or len(serial) > 40 or len(check) > 32:
        return None
    cert = Certificate.objects.filter(serial=serial).select_related("organization").first()
    if cert is None or not cert.check_code:
        return None
    if not constant_time_compare(cert.check_code, check):
        return None
    if not constant_time_compare(sealing.content_hash(cert), cert.content_hash):
        return None
    return cert


def pdf_bytes(cert: Certificate, *, by: Any, base_url: str = "") -> bytes:
    """The stored PDF (rendered first if missing), refused when its file no longer matches; audited."""
    cert = render_pdf(cert, by=by, base_url=base_url)
    with default_storage.open(cert.pdf.name) as f:
        data = f.read()
    if not constant_time_compare(sealing.pdf_hash(cert.serial, data), cert.pdf_hash):
        raise ApplicationError(_("证书文件与封存记录不符，请联系系统管理员"))
    audit_record(AuditAction.DOWNLOAD, user=by, obj=cert, object_repr=cert.serial, detail={"kind": cert.kind})
    return data


def integrity_check(using: str) -> tuple[int, list[str]]:
    """Every certificate's content and stored PDF against their keyed hashes, in database ``using``."""
    n, problems = 0, []
    for cert in Certificate.objects.using(using).order_by("id").iterator(chunk_size=500):
        n += 1
        if not constant_time_compare(sealing.content_hash(cert), cert.content_hash):
            problems.append(f"{cert.serial}：内容与封存哈希不符")
            continue
        if cert.pdf:
            try:
                with default_storage.open(cert.pdf.name) as f:
                    data = f.read()
            except OSError:
                problems.append(f"{cert.serial}：PDF文件缺失")
                continue
            if not constant_time_compare(sealing.pdf_hash(cert.serial, data), cert.pdf_hash):
                problems.append(f"{cert.serial}：PDF文件与封存哈希不符")
    return n, problems


# --- batches ----------------------------------------------------------------------------------------
def _item(raw: Mapping[str, Any]) -> dict[str, Any]:
    org = raw.get("organization")
    org_id = org.pk if isinstance(org, Organization) else org
    issuer = raw.get("issuer")
    return {
        "subject_key": str(raw.get("subject_key", "")),
        "subject_name": str(raw.get("subject_name", "")),
        "subject_id_hint": str(raw.get("subject_id_hint", "")),
        "organization_id": org_id,
        "issuer_id": issuer.pk if isinstance(issuer, Organization) else issuer,
        "title": str(raw.get("title", "")),
        "fields": dict(raw.get("fields") or {}),
    }


def batch_issue(
    kind: str, items: Iterable[Mapping[str, Any]], *, by: Any, title: str = "", base_url: str = ""
) -> CertificateBatch:
    """Queue one certificate per item and return the batch row; a background task issues them.

    Each item: ``subject_key``, ``subject_name``, ``organization`` (instance or pk), ``fields`` and
    optionally ``subject_id_hint``, ``issuer``, ``title``. Everything is checked here first (permission
    on every unit, required fields), so a bad batch is refused whole, in the request. The task issues
    the items one by one (each in its own short transaction, PDF rendered outside it) and counts
    ``done``/``failed`` on the row, which ``certificates:batch`` polls.
    """
    k = get_kind(kind)
    rows = [_item(raw) for raw in items]
    if not rows:
        raise ApplicationError(_("没有需要出具的证书"))
    if len(rows) > MAX_BATCH:
        raise ApplicationError(_("一次最多出具%(n)s份证书") % {"n": MAX_BATCH})
    orgs = Organization.objects.in_bulk({r["organization_id"] for r in rows})
    for i, r in enumerate(rows, start=1):
        org = orgs.get(r["organization_id"])
        if org is None:
            raise ApplicationError(_("第%(i)s项：单位不存在") % {"i": i})
        require(by, k.issue_permission, org)
        try:
            _check_item(k, subject_key=r["subject_key"], subject_name=r["subject_name"], fields=r["fields"])
        except ApplicationError as exc:
            raise ApplicationError(_("第%(i)s项：%(msg)s") % {"i": i, "msg": exc.message}) from exc
    with transaction.atomic():
        batch = CertificateBatch.objects.create(
            kind=k.code,
            title=(title or f"{k.label}（{len(rows)}）")[:200],
            items=rows,
            total=len(rows),
            base_url=base_url[:200],
            created_by=by,
        )
        audit_record(
            AuditAction.CREATE,
            user=by,
            obj=batch,
            object_repr=batch.title,
            detail={"kind": k.code, "op": "certificate_batch", "total": len(rows)},
        )
        transaction.on_commit(lambda: run_batch.enqueue(batch.pk))
    return batch


def batch_run(batch_id: int) -> CertificateBatch:
    """Issue every waiting item of the batch (the background task); safe to re-run after a crash."""
    batch = CertificateBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.finished:
        return batch
    CertificateBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    kind = get_kind(batch.kind)
    by = batch.created_by
    start = batch.processed  # items before this index were handled by an earlier run
    orgs = Organization.objects.in_bulk({r["organization_id"] for r in batch.items})
    for index, raw in enumerate(batch.items[start:], start=start):
        try:
            org = orgs.get(raw["organization_id"])
            if org is None:
                raise ApplicationError(_("单位不存在"))
            issuer = orgs.get(raw["issuer_id"]) or (
                Organization.objects.filter(pk=raw["issuer_id"]).first() if raw.get("issuer_id") else None
            )
            cert = _create(
                kind,
                subject_key=raw["subject_key"],
                subject_name=raw["subject_name"],
                fields=raw["fields"],
                by=by,
                organization=org,
                subject_id_hint=raw.get("subject_id_hint", ""),
                issuer=issuer,
                title=raw.get("title", ""),
                batch=batch,
            )
            render_pdf(cert, by=by, base_url=batch.base_url)
        except Exception as exc:
            message = getattr(exc, "message", None) or _("出具失败")
            CertificateBatch.objects.filter(pk=batch.pk).update(failed=F("failed") + 1)
            batch.refresh_from_db(fields=["errors"])
            errors = [*batch.errors, {"index": index + 1, "subject_name": raw["subject_name"], "message": str(message)}]
            CertificateBatch.objects.filter(pk=batch.pk).update(errors=errors[:200])
        else:
            CertificateBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
    batch.refresh_from_db()
    batch.status = BatchStatus.DONE if batch.done or not batch.failed else BatchStatus.FAILED
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "finished_at"])
    return batch


@task()
def run_batch(batch_id: int) -> int:
    """The background task: issue a batch's certificates one by one, counting progress on the batch row."""
    return batch_run(batch_id).done


def certificate_status_label(cert: Certificate) -> str:
    return str(CertificateStatus(cert.status).label)
