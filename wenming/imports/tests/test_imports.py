"""Upload → preview → commit of outlets and couriers: all-or-nothing, scoped, audited (IN10, IN11)."""

from __future__ import annotations

import io
import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wenming.audit.models import AuditEvent
from wenming.core import pii
from wenming.core.errors import ApplicationError
from wenming.exports.services import write_xlsx
from wenming.imports.models import ImportBatch, ImportStatus
from wenming.imports.parsers import COURIER_COLUMNS, OUTLET_COLUMNS, parse_courier_row, parse_outlet_row
from wenming.imports.services import batch_cancel, batch_commit, batch_upload, imports_purge_expired
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization, Outlet
from wenming.people.models import Courier

from .utils import courier_cells, outlet_cells, xlsx


def _upload(client, kind: str, data: bytes, name: str = "导入.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("imports:upload", args=[kind]), {"file": f})


def _upload_service(user, kind, rows):
    return batch_upload(kind=kind, filename="t.xlsx", data=xlsx(kind, rows), by=user)


# --- templates -------------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "columns"), [("outlets", OUTLET_COLUMNS), ("couriers", COURIER_COLUMNS)])
def test_template_download_opens_with_headers_example_and_instructions(kind, columns, client, personas):
    client.force_login(personas.shenyang_admin)
    resp = client.get(reverse("imports:template", args=[kind]))
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(resp.content))
    data, info = wb.worksheets[0], wb["填写说明"]
    header = [c.value for c in data[1]]
    assert header == [c.header for c in columns]
    assert "身份证号*" in header if kind == "couriers" else "网点名称*" in header
    example = {c.key: v.value for c, v in zip(columns, data[2], strict=True)}
    assert example["name"].startswith("【示例】")
    # the example row is valid once the mark is removed, so the instructions cannot drift from the parser
    example["name"] = example["name"].removeprefix("【示例】")
    parse = parse_courier_row if kind == "couriers" else parse_outlet_row
    assert not isinstance(parse(example, today=timezone.localdate()), list)
    texts = " ".join(str(c.value) for row in info.iter_rows() for c in row if c.value)
    assert "全部不写入" in texts and ("乡村邮递员" in texts if kind == "couriers" else "顺丰（SF）" in texts)


def test_untouched_template_imports_nothing(client, personas):
    client.force_login(personas.shenyang_admin)
    template = client.get(reverse("imports:template", args=["couriers"])).content
    resp = _upload(client, "couriers", template, "快递员导入模板.xlsx")
    batch = ImportBatch.objects.get()
    assert resp.status_code == 302
    assert batch.status == ImportStatus.INVALID and batch.skipped_rows == 1
    assert batch.errors[0]["message"] == "文件中没有可导入的数据行"


def test_unknown_kind_is_404_and_import_needs_the_action(client, personas):
    client.force_login(personas.shenyang_admin)
    assert client.get(reverse("imports:template", args=["users"])).status_code == 404
    client.force_login(personas.shenyang_staff)  # 市局工作人员: people.manage but no import
    assert client.get(reverse("imports:home")).status_code == 403
    assert client.get(reverse("imports:template", args=["couriers"])).status_code == 403
    assert _upload(client, "couriers", xlsx("couriers", [courier_cells(1)])).status_code == 403


# --- couriers --------------------------------------------------------------------------------
def test_thousand_valid_couriers_import_in_one_go(client, personas, org_tree):
    # given a 1,000-row file for the Shenyang outlet
    client.force_login(personas.shenyang_admin)
    data = xlsx("couriers", [courier_cells(i) for i in range(1000)])
    started = time.monotonic()
    # when uploaded, previewed and committed
    resp = _upload(client, "couriers", data, "沈阳快递员.xlsx")
    batch = ImportBatch.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("imports:preview", args=[batch.pk])
    assert batch.status == ImportStatus.READY and batch.valid_rows == 1000 and batch.has_file
    page = client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    confirm = client.get(reverse("imports:commit", args=[batch.pk])).content.decode()
    resp = client.post(reverse("imports:commit", args=[batch.pk]))
    elapsed = time.monotonic() - started
    # then every row is written, the file is gone, and the event is audited with counts only
    assert resp.status_code == 302 and resp["Location"] == reverse("imports:result", args=[batch.pk])
    assert Courier.objects.count() == 1000
    assert Courier.objects.filter(outlet=org_tree.shenyang_outlet).count() == 1000
    assert elapsed < 60
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.written_rows == 1000
    assert batch.content is None and not batch.has_file and batch.committed_at
    event = AuditEvent.objects.filter(action="import", outcome="success").get()
    assert event.detail["rows"] == 1000 and event.detail["kind"] == "couriers"
    first = courier_cells(0)
    assert first["id_number"] not in json.dumps(event.detail) and first["phone"] not in json.dumps(event.detail)
    # the preview shows 20 rows, masked on the server
    assert "1,000" in page and "确认导入" in confirm and "沈阳快递员.xlsx" in confirm
    assert first["id_number"] not in page and first["phone"] not in page and "快递员0" not in page
    assert pii.mask_id_number(first["id_number"]) in page
    assert page.count("<tr>") == 21  # header + the first 20 rows
    c = Courier.objects.get(name="快递员0")
    assert c.reveal_id_number() == first["id_number"] and c.gender == "M"
    assert c.birth_date.isoformat() == "1980-01-01" and c.is_union_member and not c.is_league_member
    result = client.get(reverse("imports:result", args=[batch.pk])).content.decode()
    assert "1,000" in result and "已导入" in result


BAD = {
    # row index → (column label, cell overrides)
    0: ("身份证号", {"id_number": "110105194912310021"}),  # check digit
    1: ("性别", {"gender": "未知"}),
    2: ("姓名", {"name": ""}),
    3: ("手机号", {"phone": "12345"}),
    4: ("从事收投工作时间", {"started_on": "2019-13-01"}),
    5: ("劳动合同", {"has_labour_contract": "也许"}),
    6: ("所属网点", {"outlet": "不存在的网点"}),
    7: ("岗位", {"job": "分拣员"}),
    8: ("中共党员", {"is_party_member": "党员"}),
    9: ("从事收投工作时间", {"started_on": "2099-01-01"}),
}


def test_file_with_37_bad_rows_writes_nothing_and_reports_every_bad_cell(client, personas):
    # given 100 rows, 37 of them bad across the columns (one row bad in two columns)
    rows = [courier_cells(i) for i in range(100)]
    expected: set[tuple[int, str]] = set()
    bad_indexes = list(range(4, 99, 2))[:34]
    for n, i in enumerate(bad_indexes):
        column, over = BAD[n % len(BAD)]
        rows[i].update(over)
        expected.add((i + 2, column))
    rows[2]["gender"] = "女" if rows[2]["gender"] == "男" else "男"  # contradicts the ID number
    expected.add((4, "性别"))
    rows[3]["id_number"] = rows[1]["id_number"]  # duplicate inside the file
    rows[3]["gender"] = rows[1]["gender"]
    expected.add((5, "身份证号"))
    rows[98].update({"phone": "999", "outlet": "不存在的网点"})  # bad in two columns
    expected |= {(100, "手机号"), (100, "所属网点")}
    client.force_login(personas.shenyang_admin)
    # when
    resp = _upload(client, "couriers", xlsx("couriers", rows))
    # then
    batch = ImportBatch.objects.get()
    assert resp.status_code == 302
    assert batch.status == ImportStatus.INVALID and not batch.has_file and batch.content is None
    assert batch.total_rows == 100 and batch.error_rows == 37 and batch.valid_rows == 63
    reported = {(e["row"], e["column"]) for e in batch.errors}
    assert expected <= reported
    assert {r for r, _ in reported} == {r for r, _ in expected}
    assert Courier.objects.count() == 0
    page = client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    assert "第 6 行 · 身份证号：身份证号码校验位不正确" in page
    assert "第 5 行 · 身份证号：与第 3 行身份证号重复" in page
    assert page.count("<li>第 ") == batch.error_count
    # the error report lists the same cells and no values
    report = client.get(reverse("imports:errors", args=[batch.pk]))
    ws = load_workbook(io.BytesIO(report.content)).worksheets[0]
    lines = [tuple(c.value for c in r) for r in ws.iter_rows(min_row=2)]
    assert {(int(r), c) for r, c, _ in lines} == reported and len(lines) == batch.error_count
    assert rows[1]["id_number"] not in report.content.decode("latin-1")
    # and it cannot be committed
    assert client.post(reverse("imports:commit", args=[batch.pk])).status_code == 302
    with pytest.raises(ApplicationError):
        batch_commit(batch=batch, by=personas.shenyang_admin)
    assert Courier.objects.count() == 0


def test_commit_revalidates_and_writes_none_when_the_database_changed(personas, org_tree):
    # given a READY batch of 3
    batch = _upload_service(personas.shenyang_admin, "couriers", [courier_cells(i) for i in range(3)])
    assert batch.status == ImportStatus.READY
    # when someone registers the second person before the commit
    c = Courier(
        outlet=org_tree.shenyang_outlet,
        name="先到者",
        gender="F",
        birth_date="1980-01-02",
        started_delivery_on="2010-01-01",
    )
    c.set_id_number(courier_cells(1)["id_number"])
    c.save()
    batch = batch_commit(batch=batch, by=personas.shenyang_admin)
    # then nothing is written and the row is reported
    assert batch.status == ImportStatus.INVALID
    assert Courier.objects.count() == 1
    assert batch.errors == [{"row": 3, "column": "身份证号", "message": "该身份证号已登记，不能重复导入"}]
    assert not batch.has_file


def test_out_of_scope_outlet_is_refused_for_shenyang_without_revealing_it(personas, org_tree):
    rows = [
        courier_cells(0),
        courier_cells(1, outlet="中通大连中山营业部"),
        courier_cells(2, outlet="根本没有这个网点"),
    ]
    batch = _upload_service(personas.shenyang_admin, "couriers", rows)
    assert batch.status == ImportStatus.INVALID
    assert batch.errors == [
        {"row": 3, "column": "所属网点", "message": "找不到该网点或无权限"},
        {"row": 4, "column": "所属网点", "message": "找不到该网点或无权限"},
    ]
    # the Dalian admin can import into Dalian, and the province admin into both
    ok = _upload_service(personas.dalian_admin, "couriers", [courier_cells(1, outlet="中通大连中山营业部")])
    assert ok.status == ImportStatus.READY
    both = _upload_service(personas.province_admin, "couriers", rows[:2])
    assert both.status == ImportStatus.READY


def test_same_outlet_name_in_two_enterprises_needs_the_enterprise(personas, org_tree):
    from wenming.organizations.services import org_create

    twin = org_create(parent=org_tree.dalian_enterprise, kind=OrgKind.OUTLET, name="顺丰沈阳和平营业部", audit=False)
    Outlet.objects.create(organization=twin, brand=org_tree.zto, county_code="210202")
    batch = _upload_service(personas.province_admin, "couriers", [courier_cells(0)])
    assert batch.errors[0]["message"].startswith("有多个同名网点")
    batch = _upload_service(
        personas.province_admin, "couriers", [courier_cells(0, outlet="大连中通快递有限公司/顺丰沈阳和平营业部")]
    )
    assert batch.status == ImportStatus.READY
    batch_commit(batch=batch, by=personas.province_admin)
    assert Courier.objects.get().outlet_id == twin.pk


def test_formula_like_text_is_stored_as_plain_text_and_never_exported_live(personas, org_tree):
    payload = "=cmd|' /C calc'!A0"
    batch = _upload_service(
        personas.shenyang_admin,
        "outlets",
        [outlet_cells(1, name="+SUM(1,2)", address=payload), outlet_cells(2, name="@营业部")],
    )
    batch = batch_commit(batch=batch, by=personas.shenyang_admin)
    assert batch.status == ImportStatus.COMMITTED
    org = Organization.objects.get(name="+SUM(1,2)")
    assert org.address == payload
    # a real formula cell is never evaluated: its (absent) cached value is read, so the row is refused
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in OUTLET_COLUMNS])
    ws.append(["公式网点", "顺丰速运（沈阳）有限公司", "顺丰", "营业网点", "210102", "城市", '=A2&"路"', None, None])
    buf = io.BytesIO()
    wb.save(buf)
    formula = batch_upload(kind="outlets", filename="f.xlsx", data=buf.getvalue(), by=personas.shenyang_admin)
    assert formula.errors == [{"row": 2, "column": "地址", "message": "必填，不能为空"}]
    # written back to a spreadsheet, the stored text stays text (0 live formulas)
    out = load_workbook(io.BytesIO(write_xlsx(["名称", "地址"], [[org.name, org.address]])))
    cells = [c for row in out.worksheets[0].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)


# --- outlets ---------------------------------------------------------------------------------
def test_outlets_import_under_their_enterprise(client, personas, org_tree):
    client.force_login(personas.shenyang_admin)
    rows = [outlet_cells(1), outlet_cells(2, outlet_type="驿站", is_rural="农村", status="暂停营业", opened_on="")]
    resp = _upload(client, "outlets", xlsx("outlets", rows))
    batch = ImportBatch.objects.get()
    assert resp.status_code == 302 and batch.status == ImportStatus.READY
    client.post(reverse("imports:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.written_rows == 2
    new = Outlet.objects.select_related("organization").get(organization__name="顺丰沈阳第2营业部")
    assert new.organization.parent_id == org_tree.shenyang_enterprise.pk
    assert new.organization.path.startswith(org_tree.shenyang_enterprise.path)
    assert new.organization.kind == OrgKind.OUTLET and new.organization.city_code == "210100"
    assert (new.outlet_type, new.is_rural, new.status, new.opened_on) == ("parcel_station", True, "suspended", None)
    assert new.brand == org_tree.sf


def test_outlet_rows_checked_against_scope_duplicates_and_divisions(personas, org_tree):
    rows = [
        outlet_cells(1),
        outlet_cells(1),  # same name under the same enterprise
        outlet_cells(3, name="顺丰沈阳和平营业部"),  # exists already
        outlet_cells(4, enterprise="大连中通快递有限公司"),  # out of scope for Shenyang
        outlet_cells(5, enterprise="辽210100001", county_code="210202"),  # licence no.; Dalian county
        outlet_cells(6, brand="不存在"),
        outlet_cells(7, county_code="219999"),
    ]
    batch = _upload_service(personas.shenyang_admin, "outlets", rows)
    assert batch.status == ImportStatus.INVALID
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (3, "网点名称", "与第 2 行重复（同一企业下网点名称不能相同）"),
        (4, "网点名称", "该企业下已有同名网点"),
        (5, "所属企业", "找不到该企业或无权限"),
        (6, "区县代码", "不在所属企业所在地市的范围内"),
        (7, "品牌", "找不到该品牌"),
        (8, "区县代码", "不是有效的辽宁省县级行政区划代码"),
    ]
    assert Outlet.objects.count() == 2


# --- lifecycle -------------------------------------------------------------------------------
def test_files_are_dropped_after_an_hour_on_cancel_and_never_shared(client, personas):
    batch = _upload_service(personas.shenyang_admin, "couriers", [courier_cells(1)])
    with time_machine.travel(timezone.now() + timedelta(minutes=59)):
        assert imports_purge_expired() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        out = io.StringIO()
        call_command("purge_imports", stdout=out)
        assert "已删除 1 个" in out.getvalue()
        batch.refresh_from_db()
        assert batch.status == ImportStatus.EXPIRED and batch.content is None
        with pytest.raises(ApplicationError):
            batch_commit(batch=batch, by=personas.shenyang_admin)
    other = _upload_service(personas.shenyang_admin, "couriers", [courier_cells(2)])
    client.force_login(personas.province_admin)  # another user's batch does not exist for you
    assert client.get(reverse("imports:preview", args=[other.pk])).status_code == 404
    assert client.post(reverse("imports:commit", args=[other.pk])).status_code == 404
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("imports:cancel", args=[other.pk])).content.decode()
    assert "确定取消导入“t.xlsx”吗" in page
    assert client.post(reverse("imports:cancel", args=[other.pk])).status_code == 302
    other.refresh_from_db()
    assert other.status == ImportStatus.CANCELLED and other.content is None
    with pytest.raises(ApplicationError):
        batch_cancel(batch=other, by=personas.shenyang_admin)
    assert Courier.objects.count() == 0


def test_home_lists_my_batches_with_filters_export_and_menu(client, personas):
    _upload_service(personas.shenyang_admin, "couriers", [courier_cells(1)])
    _upload_service(personas.shenyang_admin, "outlets", [outlet_cells(1, brand="?")])
    _upload_service(personas.province_admin, "couriers", [courier_cells(2)])
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("imports:home")).content.decode()
    assert "数据导入" in page and reverse("imports:home") in page  # menu entry
    assert page.count('data-label="文件名"') == 2 and "共 2 条" in page
    assert "待确认" in page and "有错误" in page
    filtered = client.get(reverse("imports:home"), {"status": "invalid"}).content.decode()
    assert filtered.count('data-label="文件名"') == 1 and 'value="invalid" selected' in filtered
    empty = client.get(reverse("imports:home"), {"status": "committed"}).content.decode()
    assert "没有符合条件的记录" in empty
    csv = b"".join(client.get(reverse("imports:home"), {"status": "ready", "export": "csv"}).streaming_content).decode()
    assert csv.count("t.xlsx") == 1 and "待确认" in csv
    client.force_login(personas.shenyang_staff)
    assert reverse("imports:home") not in client.get(reverse("workbench:home")).content.decode()
