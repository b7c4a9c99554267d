"""Sealed chain: writers only INSERT (row + its MAC); the sealing job sets seq, prev_hash and hash once."""

from django.db import migrations, models


def drop_guards(apps, schema_editor):
    from wenming.audit.guards import drop_guards as drop

    drop(schema_editor.connection)


def install_guards(apps, schema_editor):
    from wenming.audit.guards import install_guards as install

    install(schema_editor.connection)


def seal_existing(apps, schema_editor):
    """Rows written before this migration are already chained in id order: seq = their position."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    from wenming.audit.services import _FIELDS, row_mac

    rows = []
    for n, ev in enumerate(AuditEvent.objects.order_by("id").iterator(chunk_size=2000), start=1):
        ev.seq = n
        ev.mac = row_mac({k: getattr(ev, k) for k in _FIELDS})
        rows.append(ev)
        if len(rows) >= 2000:
            AuditEvent.objects.bulk_update(rows, ["seq", "mac"])
            rows = []
    if rows:
        AuditEvent.objects.bulk_update(rows, ["seq", "mac"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_audit_head"),
    ]

    operations = [
        migrations.RunPython(drop_guards, install_guards),
        migrations.AddField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(db_default="", max_length=64, verbose_name="内容校验码"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="链序号"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("seq__isnull", False)), fields=("seq",), name="audit_event_seq_unique"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RunPython(install_guards, drop_guards),
    ]
