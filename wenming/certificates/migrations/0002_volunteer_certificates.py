"""Move the volunteer-record certificates (activities.VolunteerCertificate) onto the one Certificate table.

Serials and the check codes already printed in their QR codes are kept, so every issued PDF still
verifies (at /p/volunteer/certificates/… and /p/certificates/…). A row whose content no longer matched
its old sealed hash is carried over with an empty seal, so it keeps failing verification and the
integrity check. The PDFs were never stored; they are rendered on first download.
"""

from django.db import migrations
from django.utils.crypto import salted_hmac

KIND = "activities.volunteer"
PREFIX = "LNYZ-VS"
OLD_SALT = "wenming.activities.certificate"


def _old_hash(row) -> str:
    # deferred: a migration imports app code only while it runs
    from wenming.certificates.sealing import canonical
    from wenming.core import crypto

    return crypto.sm3_hex(
        canonical(
            {
                "serial": row.serial,
                "organization_id": row.organization_id,
                "person_name": row.person_name,
                "id_hint": row.id_hint,
                "total_hours": str(row.total_hours),
                "record_count": row.record_count,
                "content": row.content,
            }
        )
    )


def forward(apps, schema_editor):
    # deferred: a migration imports app code only while it runs
    from wenming.certificates import sealing

    db = schema_editor.connection.alias
    Old = apps.get_model("activities", "VolunteerCertificate")
    OldCounter = apps.get_model("activities", "CertificateSerialCounter")
    Certificate = apps.get_model("certificates", "Certificate")
    Event = apps.get_model("certificates", "CertificateEvent")
    Counter = apps.get_model("certificates", "SerialCounter")
    Organization = apps.get_model("organizations", "Organization")
    for old in Old.objects.using(db).order_by("id").iterator(chunk_size=500):
        content = old.content or {}
        issuer_id = content.get("issuer_id")
        if issuer_id and not Organization.objects.using(db).filter(pk=issuer_id).exists():
            issuer_id = None
        new = Certificate(
            kind=KIND,
            serial=old.serial,
            check_code=salted_hmac(OLD_SALT, f"{old.serial}|{old.content_hash}", algorithm="sha256").hexdigest()[:16],
            title="志愿服务记录证明",
            status="valid",
            organization_id=old.organization_id,
            subject_key=f"people.courier:{old.courier_id}" if old.courier_id else f"accounts.user:{old.user_id}",
            subject_name=old.person_name,
            subject_id_hint=old.id_hint,
            fields={
                "records": content.get("records", []),
                "total_hours": str(old.total_hours),
                "record_count": old.record_count,
                "unit": content.get("unit", ""),
            },
            issuer_id=issuer_id,
            issuer_name=content.get("issuer", ""),
            seal_image=content.get("seal", ""),
            seal_specimen=bool(content.get("seal_specimen")),
            issued_by_id=old.issued_by_id,
            issued_at=old.issued_at,
        )
        if not new.issuer_name:
            new.issuer_name = Organization.objects.using(db).get(pk=old.organization_id).name
        new.content_hash = sealing.content_hash(new) if _old_hash(old) == old.content_hash else ""
        new.save(using=db)
        Event.objects.using(db).create(
            certificate=new, kind="issue", to_status="valid", by_id=old.issued_by_id, at=old.issued_at
        )
    for c in OldCounter.objects.using(db).all():
        Counter.objects.using(db).update_or_create(prefix=PREFIX, year=c.year, defaults={"last": c.last})


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("activities", "0006_pairing_events"),
        ("organizations", "__first__"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
