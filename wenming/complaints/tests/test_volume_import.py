"""Monthly item volumes by Excel through the import mechanism: template, preview, row-by-row Chinese
errors, scope, all-or-nothing commit (a bad file writes nothing), replacement of a month already entered."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from wenming.audit.models import AuditEvent
from wenming.complaints.models import ItemVolume
from wenming.complaints.volume_import import VOLUME_COLUMNS, parse_items, parse_month
from wenming.imports.models import ImportBatch, ImportStatus
from wenming.imports.parsers import ParseError
from wenming.imports.services import batch_commit, batch_upload

pytestmark = pytest.mark.django_db
KIND = "item_volumes"
TODAY = date(2026, 6, 15)


def _xlsx(rows: list[tuple]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业月度业务量"
    ws.append([c.header for c in VOLUME_COLUMNS])
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(user, rows):
    return batch_upload(kind=KIND, filename="业务量.xlsx", data=_xlsx(rows), by=user, today=TODAY)


def _errors(batch) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in batch.errors]


def test_month_and_items_parsers():
    assert parse_month("2026-03", today=TODAY) == date(2026, 3, 1)
    assert parse_month("2026年3月", today=TODAY) == date(2026, 3, 1)
    assert parse_month(202603, today=TODAY) == date(2026, 3, 1)
    assert parse_month(date(2026, 5, 20), today=TODAY) == date(2026, 5, 1)
    assert parse_month("2026-06", today=TODAY) == date(2026, 6, 1)  # the current month may be entered
    for bad, msg in [
        ("2026-13", "月份应在1至12之间"),
        ("三月", "月份格式不正确"),
        (2026.03, "月份格式不正确"),
        ("2026-07", "不能导入未来月份"),
        ("1999-12", "2000年之后"),
        ("2026-03-15", "月份格式不正确"),
    ]:
        with pytest.raises(ParseError, match=msg):
            parse_month(bad, today=TODAY)
    assert parse_items("1,250,000") == parse_items(1250000.0) == parse_items("1250000件") == 1_250_000
    assert parse_items(0) == 0
    for bad, msg in [
        (-5, "不能为负数"),
        ("-5", "不能为负数"),
        (12.5, "应为整数"),
        ("12.5", "应为整数"),
        (100_000_001, "超过每月"),
        ("约一万", "请填写数字"),
        ("", "必填"),
    ]:
        with pytest.raises(ParseError, match=msg):
            parse_items(bad)


def test_template_has_the_columns_an_example_and_instructions(client, personas):
    client.force_login(personas.shenyang_admin)
    home = client.get(reverse("imports:home")).content.decode()
    assert reverse("imports:template", args=[KIND]) in home
    resp = client.get(reverse("imports:template", args=[KIND]))
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.worksheets[0].title == "企业月度业务量"
    assert [c.value for c in wb.worksheets[0][1]] == ["企业*", "月份*", "业务量*"]
    assert wb.worksheets[0]["A2"].value.startswith("【示例】")
    notes = " ".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "同一企业同一月份只能有一行" in notes and "全部不写入" in notes
    # the untouched template imports nothing (its only row is the example)
    batch = batch_upload(kind=KIND, filename="t.xlsx", data=resp.content, by=personas.shenyang_admin, today=TODAY)
    assert batch.status == ImportStatus.INVALID and batch.skipped_rows == 1


def test_a_good_file_previews_then_writes_every_row_and_replaces_a_month(client, org_tree, personas):
    ent = org_tree.shenyang_enterprise
    ItemVolume.objects.create(enterprise=ent, month=date(2026, 1, 1), items=999)
    batch = _upload(
        personas.shenyang_admin,
        [(ent.name, "2026-01", 1_200_000), ("辽210100001", "2026年2月", "1,300,000"), (ent.name, 202603, 0)],
    )
    assert batch.status == ImportStatus.READY, batch.errors
    assert batch.preview[0] == [2, ent.name, "2026-01", "1,200,000", "999"]  # the old value is shown
    assert batch.preview[1][4] == "--"
    with time_machine.travel(TODAY):
        done = batch_commit(batch=batch, by=personas.shenyang_admin)
    assert done.status == ImportStatus.COMMITTED and done.written_rows == 3
    got = dict(ItemVolume.objects.filter(enterprise=ent).values_list("month", "items"))
    assert got == {date(2026, 1, 1): 1_200_000, date(2026, 2, 1): 1_300_000, date(2026, 3, 1): 0}
    replaced = AuditEvent.objects.filter(action="update", object_type="complaints.ItemVolume")
    assert replaced.count() == 1 and replaced.get().detail["old"] == 999
    assert AuditEvent.objects.filter(action="import").exists()
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("imports:result", args=[done.pk])).content.decode()
    assert reverse("complaints:volumes") in page


def test_a_bad_file_writes_nothing_and_names_every_bad_cell(org_tree, personas):
    sy, dl = org_tree.shenyang_enterprise, org_tree.dalian_enterprise
    rows = [
        (sy.name, "2026-01", 1000),  # good
        ("不存在的快递公司", "2026-01", 1000),
        (dl.name, "2026-01", 1000),  # another city's enterprise
        (sy.name, "2026/1/15", 1000),
        (sy.name, "2026-02", -3),
        (sy.name, "2026-03", 5_000_000_000),
        (sy.name, "2026-01", 2000),  # the same enterprise and month as row 2
        ("", "2026-04", 5),
    ]
    batch = _upload(personas.shenyang_admin, rows)
    assert batch.status == ImportStatus.INVALID and not batch.has_file
    assert _errors(batch) == [
        (3, "企业", "找不到该企业，请填写企业全称或统一社会信用代码"),
        (4, "企业", "该企业不在您的数据范围内"),
        (5, "月份", "月份格式不正确，请填写如 2026-03"),
        (6, "业务量", "业务量不能为负数"),
        (7, "业务量", "业务量超过每月 100,000,000 件，请核对是否多填了位数"),
        (8, "企业", "与第 2 行重复（同一企业同一月份只能填写一行）"),
        (9, "企业", "必填，不能为空"),
    ]
    assert ItemVolume.objects.count() == 0
    # the province sees both enterprises: the same Dalian row is good for it
    ok = _upload(personas.province_admin, [(dl.name, "2026-01", 1000), (sy.name, "2026-01", 1000)])
    assert ok.status == ImportStatus.READY, ok.errors


def test_commit_revalidates_and_writes_nothing_when_the_scope_changed(org_tree, personas):
    from wenming.organizations.models import RoleAssignment

    user = personas.shenyang_admin
    batch = _upload(user, [(org_tree.shenyang_enterprise.name, "2026-01", 10)])
    assert batch.status == ImportStatus.READY
    RoleAssignment.objects.filter(user=user).update(organization=org_tree.dalian)
    user = type(user).objects.get(pk=user.pk)  # the commit is another request: a fresh user, no cached scope
    with time_machine.travel(TODAY):
        done = batch_commit(batch=batch, by=user)
    assert done.status == ImportStatus.INVALID and "不在您的数据范围内" in done.errors[0]["message"]
    assert ItemVolume.objects.count() == 0


def test_only_holders_of_the_volume_action_see_and_use_the_kind(client, org_tree, personas):
    # the enterprise administrator may import couriers but does not enter item volumes
    user = personas.shenyang_enterprise
    client.force_login(user)
    home = client.get(reverse("imports:home"))
    assert home.status_code == 200 and reverse("imports:template", args=[KIND]) not in home.content.decode()
    assert client.get(reverse("imports:template", args=[KIND])).status_code == 404
    from wenming.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        _upload(user, [(org_tree.shenyang_enterprise.name, "2026-01", 10)])
    assert ImportBatch.objects.count() == 0
