"""Issue 9.11: backup, restore and the restore drill on SQLite (online backup API) and PostgreSQL (pg_dump)."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from wenming.audit.models import AuditEvent
from wenming.audit.tests.helpers import tamper, write_events
from wenming.certificates import sealing
from wenming.certificates.models import Certificate
from wenming.core.backup import backup, manifest_path, read_manifest
from wenming.organizations.models import Organization

pytestmark = pytest.mark.django_db(transaction=True)


def _certificate(org: Organization, serial: str) -> Certificate:
    cert = Certificate(
        kind="activities.volunteer",
        serial=serial,
        check_code="0123456789abcdef",
        title="志愿服务记录证明",
        organization=org,
        subject_key="people.courier:1",
        subject_name="赵*怡",
        subject_id_hint="2101**********109X",
        fields={"records": [{"title": "社区送温暖", "hours": "4.5"}], "total_hours": "12.5", "record_count": 3},
        issuer_name=org.name,
    )
    cert.content_hash = sealing.content_hash(cert)
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
    assert manifest["tables"]["certificates_certificate"] == 1
    assert manifest["tables"]["organizations_organization"] == Organization.objects.count()
    assert manifest["audit_head"]["count"] == 5


def test_drill_restores_into_an_empty_database_and_passes(data, capsys):
    code, out = _drill(capsys)
    assert code == 0, out
    assert "审计日志 7 条" in out and "证书 1 条" in out and "恢复演练通过" in out


def test_drill_fails_when_the_audit_chain_in_the_backup_is_broken(data, tmp_path, capsys):
    victim = AuditEvent.objects.filter(seq=2).get()
    tamper(("DELETE FROM audit_auditevent WHERE id = %s", [victim.id]))
    path = backup(tmp_path / "b.bak")
    code, out = _drill(capsys, path)
    assert code == 1 and "审计日志" in out and "链接断开" in out


def test_drill_fails_when_a_certificate_no_longer_matches_its_hash(data, tmp_path, capsys):
    Certificate.objects.filter(pk=data.pk).update(fields={**data.fields, "total_hours": "120.5"})
    code, out = _drill(capsys, backup(tmp_path / "b.bak"))
    assert code == 1 and "证书：ZM-2026-000001：内容与封存哈希不符" in out


def test_drill_fails_when_rows_are_missing_against_the_manifest(data, tmp_path, capsys):
    path = backup(tmp_path / "b.bak")
    manifest = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    manifest["tables"]["certificates_certificate"] = 2
    manifest_path(path).write_text(json.dumps(manifest), encoding="utf-8")
    code, out = _drill(capsys, path)
    assert code == 1 and "表 certificates_certificate 行数不符：清单 2 行，恢复后 1 行" in out


def test_drill_fails_when_the_backup_file_was_altered(data, tmp_path, capsys):
    path = backup(tmp_path / "b.bak")
    with path.open("ab") as fh:
        fh.write(b"\0")
    code, out = _drill(capsys, path)
    assert code == 1 and "SHA-256 与清单不符" in out


def test_restore_puts_the_database_back_as_it_was_backed_up(data, tmp_path, capsys):
    path = backup(tmp_path / "b.bak")
    write_events(3)
    Certificate.objects.all().delete()
    call_command("restore", str(path), yes=True)
    assert AuditEvent.objects.count() == 7 and Certificate.objects.get().serial == "ZM-2026-000001"
    call_command("verify_audit")
    assert "审计日志完整" in capsys.readouterr().out
