"""Issue 9.11: backup, restore and the restore drill on SQLite (online backup API) and PostgreSQL (pg_dump)."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from wenming.activities.models import VolunteerCertificate
from wenming.activities.services import certificate_hash
from wenming.audit.models import AuditEvent
from wenming.audit.tests.helpers import tamper, write_events
from wenming.core.backup import backup, manifest_path, read_manifest
from wenming.organizations.models import Organization

pytestmark = pytest.mark.django_db(transaction=True)


def _certificate(org: Organization, serial: str) -> VolunteerCertificate:
    cert = VolunteerCertificate(
        serial=serial,
        organization=org,
        person_name="赵*怡",
        id_hint="2101**********109X",
        total_hours=Decimal("12.5"),
        record_count=3,
        content={"records": [{"title": "社区送温暖", "hours": "4.5"}]},
    )
    cert.content_hash = certificate_hash(cert)
    cert.save()
    return cert


def _drill(capsys, path=None) -> tuple[int, str]:
    try:
        call_command("restore_drill", *(["--backup", str(path)] if path else []))
    except SystemExit as exc:
        return exc.code, capsys.readouterr().out
    return 0, capsys.readouterr().out


@pytest.fixture
def data(org_tree):
    write_events(5)
    write_events(2, seal=False)  # not sealed yet when the backup runs: verified by their MACs
    return _certificate(org_tree.shenyang, "ZM-2026-000001")


def test_backup_writes_a_manifest_that_matches_the_database(data, tmp_path):
    path = backup(tmp_path / "b.bak")
    manifest = read_manifest(path)
    assert manifest["vendor"] == connection.vendor and manifest_path(path).is_file()
    assert manifest["tables"]["audit_auditevent"] == 7
    assert manifest["tables"]["activities_volunteercertificate"] == 1
    assert manifest["tables"]["organizations_organization"] == Organization.objects.count()
    assert manifest["audit_head"]["count"] == 5


def test_drill_restores_into_an_empty_database_and_passes(data, capsys):
    code, out = _drill(capsys)
    assert code == 0, out
    assert "审计日志 7 条" in out and "志愿服务记录证明 1 条" in out and "恢复演练通过" in out


def test_drill_fails_when_the_audit_chain_in_the_backup_is_broken(data, tmp_path, capsys):
    victim = AuditEvent.objects.filter(seq=2).get()
    tamper(("DELETE FROM audit_auditevent WHERE id = %s", [victim.id]))
    path = backup(tmp_path / "b.bak")
    code, out = _drill(capsys, path)
    assert code == 1 and "审计日志" in out and "链接断开" in out


def test_drill_fails_when_a_certificate_no_longer_matches_its_hash(data, tmp_path, capsys):
    VolunteerCertificate.objects.filter(pk=data.pk).update(total_hours=Decimal("120.5"))
    code, out = _drill(capsys, backup(tmp_path / "b.bak"))
    assert code == 1 and "志愿服务记录证明：ZM-2026-000001：内容与封存哈希不符" in out


def test_drill_fails_when_rows_are_missing_against_the_manifest(data, tmp_path, capsys):
    path = backup(tmp_path / "b.bak")
    manifest = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    manifest["tables"]["activities_volunteercertificate"] = 2
    manifest_path(path).write_text(json.dumps(manifest), encoding="utf-8")
    code, out = _drill(capsys, path)
    assert code == 1 and "表 activities_volunteercertificate 行数不符：清单 2 行，恢复后 1 行" in out


def test_drill_fails_when_the_backup_file_was_altered(data, tmp_path, capsys):
    path = backup(tmp_path / "b.bak")
    with path.open("ab") as fh:
        fh.write(b"\0")
    code, out = _drill(capsys, path)
    assert code == 1 and "SHA-256 与清单不符" in out


def test_restore_puts_the_database_back_as_it_was_backed_up(data, tmp_path, capsys):
    path = backup(tmp_path / "b.bak")
    write_events(3)
    VolunteerCertificate.objects.all().delete()
    call_command("restore", str(path), yes=True)
    assert AuditEvent.objects.count() == 7 and VolunteerCertificate.objects.get().serial == "ZM-2026-000001"
    call_command("verify_audit")
    assert "审计日志完整" in capsys.readouterr().out
