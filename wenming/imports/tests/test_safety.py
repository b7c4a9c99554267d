"""IN9: hostile files are refused on their raw bytes, before openpyxl.load_workbook is reached."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from wenming.core.uploads import UploadRejected, check_spreadsheet
from wenming.imports import spreadsheets
from wenming.imports.models import ImportBatch, ImportStatus
from wenming.imports.spreadsheets import build_template

from .utils import courier_cells, rezip, xlsx

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    b"<si><t>&lol3;</t></si></sst>"
)


@pytest.fixture
def load_spy(monkeypatch):
    """Counts calls of the real load_workbook used by the import reader."""
    calls = []
    real = spreadsheets.load_workbook

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(spreadsheets, "load_workbook", spy)
    return calls


@pytest.fixture
def good():
    return xlsx("couriers", [courier_cells(1)])


def _refusal(data: bytes) -> UploadRejected:
    with pytest.raises(UploadRejected) as info:
        check_spreadsheet(data)
    return info.value


def test_a_real_workbook_passes(good):
    check_spreadsheet(good)
    check_spreadsheet(build_template("outlets"))


def test_zip_bomb_with_a_highly_compressed_60_mb_entry(good):
    bomb = rezip(good, add={"xl/media/image1.bin": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024  # tiny on the wire
    err = _refusal(bomb)
    assert err.stage in {"uncompressed", "ratio"}
    assert "压缩炸弹" in err.message


def test_entry_packed_more_than_100_to_1_is_refused_even_under_the_total_limit(good):
    err = _refusal(rezip(good, add={"xl/media/image1.bin": b"A" * (5 * 1024 * 1024)}))
    assert err.stage == "ratio"
    assert "100:1" in err.message


def test_too_many_entries(good):
    err = _refusal(rezip(good, add={f"xl/media/p{i}.bin": b"x" for i in range(600)}))
    assert err.stage == "entries"
    assert "500" in err.message


@pytest.mark.parametrize(
    "data", ["name,id\n张三,110105\n".encode(), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, b"PK\x03\x04garbage"]
)
def test_non_zip_or_broken_zip_named_xlsx(data):
    err = _refusal(data)
    assert err.stage in {"magic", "zip"}
    assert "不是有效的 Excel" in err.message


def test_zip_without_workbook_parts():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    err = _refusal(buf.getvalue())
    assert err.stage == "structure"


def test_doctype_and_entity_declarations_are_refused(good):
    err = _refusal(rezip(good, replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS}))
    assert err.stage == "dtd"
    assert "DTD" in err.message
    err = _refusal(
        rezip(good, add={"customXml/item1.xml": b'<?xml version="1.0"?><!ENTITY x SYSTEM "file:///etc/passwd">'})
    )
    assert err.stage == "dtd"


def test_utf16_xml_parts_cannot_hide_a_doctype(good):
    err = _refusal(rezip(good, replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS.decode().encode("utf-16")}))
    assert err.stage == "encoding"


def test_size_limit(settings, good):
    settings.WENMING_IMPORT_MAX_BYTES = len(good) - 1
    assert _refusal(good).stage == "size"


@pytest.mark.parametrize(
    ("name", "stage"),
    [("bomb", "uncompressed"), ("entries", "entries"), ("renamed", "magic"), ("dtd", "dtd")],
)
def test_upload_view_refuses_before_load_workbook(name, stage, client, personas, load_spy, good):
    # given each hostile file, uploaded through the page
    files = {
        "bomb": lambda: rezip(good, add={"xl/media/image1.bin": b"\0" * (60 * 1024 * 1024)}),
        "entries": lambda: rezip(good, add={f"xl/media/p{i}.bin": b"x" for i in range(600)}),
        "renamed": lambda: "姓名,身份证号\n张三,11010519491231002X\n".encode(),
        "dtd": lambda: rezip(good, replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS}),
    }
    client.force_login(personas.shenyang_admin)
    f = io.BytesIO(files[name]())
    f.name = "快递员.xlsx"
    # when
    resp = client.post(reverse("imports:upload", args=["couriers"]), {"file": f})
    # then: a Chinese refusal on the form, a REFUSED batch with its stage audited, no parser reached
    assert resp.status_code == 422
    assert "已拒收" in resp.content.decode() or "不是有效的 Excel" in resp.content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REFUSED and not batch.has_file and batch.content is None
    assert load_spy == []
    from wenming.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action="import").latest("id")
    assert event.outcome == "refused" and event.detail["stage"] in {stage, "ratio"}


def test_the_spy_does_see_a_good_upload(client, personas, load_spy, good):
    client.force_login(personas.shenyang_admin)
    f = io.BytesIO(good)
    f.name = "快递员.xlsx"
    resp = client.post(reverse("imports:upload", args=["couriers"]), {"file": f})
    assert resp.status_code == 302
    assert len(load_spy) == 1 and load_spy[0]["read_only"] is True and load_spy[0]["data_only"] is True


def test_too_many_rows_is_refused(settings, client, personas, good):
    settings.WENMING_IMPORT_MAX_ROWS = 3
    client.force_login(personas.shenyang_admin)
    f = io.BytesIO(xlsx("couriers", [courier_cells(i) for i in range(4)]))
    f.name = "快递员.xlsx"
    resp = client.post(reverse("imports:upload", args=["couriers"]), {"file": f})
    assert resp.status_code == 422
    assert "数据超过 3 行" in resp.content.decode()
    assert ImportBatch.objects.get().status == ImportStatus.REFUSED


def test_wrong_extension_and_oversize_are_form_errors(settings, client, personas, good):
    client.force_login(personas.shenyang_admin)
    f = io.BytesIO(good)
    f.name = "快递员.xls"
    resp = client.post(reverse("imports:upload", args=["couriers"]), {"file": f})
    assert resp.status_code == 422 and "只支持 .xlsx" in resp.content.decode()
    settings.WENMING_IMPORT_MAX_BYTES = 100
    f = io.BytesIO(good)
    f.name = "快递员.xlsx"
    resp = client.post(reverse("imports:upload", args=["couriers"]), {"file": f})
    assert resp.status_code == 422 and "文件超过" in resp.content.decode()
    assert not ImportBatch.objects.exists()
