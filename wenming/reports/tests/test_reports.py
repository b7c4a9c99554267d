"""The report files built end to end through the background-file builder, then read back."""

import io
import re
import zlib
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from wenming.audit.models import AuditAction, AuditEvent
from wenming.exports.models import GeneratedFile, GeneratedFileStatus
from wenming.publicity.models import MediaCoverage
from wenming.reports import documents, services
from wenming.reports.models import ReportSchedule
from wenming.reports.periods import ReportPeriod
from wenming.reports.selectors import city_stats

YEAR = ReportPeriod("year", 2026)


@pytest.fixture
def coverage(org_tree):
    """Two reports in Shenyang, three in Dalian, dated inside 2026."""
    for city, n in ((org_tree.shenyang, 2), (org_tree.dalian, 3)):
        for i in range(n):
            MediaCoverage.objects.create(
                organization=city,
                title=f"{city.name}报道{i}",
                outlet_name="辽宁日报",
                medium="newspaper",
                published_on=date(2026, 5, 1 + i),
                reach=100,
            )


def _build(user, *, kind="summary", period=YEAR, fmt="docx", capture=None) -> tuple[GeneratedFile, bytes]:
    with capture(execute=True):
        gf = services.start_report(by=user, kind=kind, period=period, fmt=fmt)
    gf.refresh_from_db()
    assert gf.status == GeneratedFileStatus.DONE, gf.error if hasattr(gf, "error") else gf.status
    assert gf.progress == 100
    return gf, Path(gf.file.path).read_bytes()


def _docx_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def _first_column(doc) -> list[str]:
    return [row.cells[0].text for t in doc.tables for row in t.rows[1:]]


@pytest.mark.django_db
@pytest.mark.parametrize("period", [YEAR, ReportPeriod("quarter", 2026, 2), ReportPeriod("month", 2026, 5)])
def test_word_report_is_a_gbt9704_page_with_a_chart(personas, coverage, django_capture_on_commit_callbacks, period):
    gf, data = _build(personas.province_admin, period=period, capture=django_capture_on_commit_callbacks)
    doc = Document(io.BytesIO(data))
    title = doc.paragraphs[0]
    assert title.text == f"辽宁省邮政管理局{period.label}邮政行业精神文明建设" + (
        "年度总结" if period.kind == "year" else ("季度工作报告" if period.kind == "quarter" else "月度工作报告")
    )
    assert title.runs[0].font.size.pt == 22  # 2号
    assert doc.styles["Normal"].font.size.pt == 16  # 3号
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
        37,
        35,
        28,
        26,
    ]
    assert len(doc.inline_shapes) >= 2  # the charts, as pictures
    assert doc.inline_shapes[0].width <= Mm(156)  # inside the text area
    footer_xml = sec.footer._element.xml
    assert "PAGE" in footer_xml and "— " in sec.footer.paragraphs[0].text
    assert _first_column(doc)[:2] == ["沈阳市邮政管理局", "大连市邮政管理局"]
    assert "各类媒体报道 5 篇" in _docx_text(doc)
    assert gf.file.name.endswith(".docx")


def _pdf_streams(data: bytes) -> list[bytes]:
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            out.append(m.group(1))
    return out


def _pdf_text(streams: list[bytes]) -> str:
    """The text of the pages, decoded through the fonts' ToUnicode maps (what a PDF reader extracts)."""
    cmaps = []
    for s in streams:
        if b"begincmap" in s:
            cmap = {}
            for a, b in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", s.split(b"endcodespacerange", 1)[-1]):
                cmap[a.lower()] = bytes.fromhex(b.decode()).decode("utf-16-be")
            cmaps.append(cmap)
    text = []
    for s in streams:
        for array in re.findall(rb"\[(.*?)\]\s*TJ", s, re.S):
            codes = [h[i : i + 4] for h in re.findall(rb"<([0-9a-fA-F]+)>", array) for i in range(0, len(h), 4)]
            for cmap in cmaps:
                if all(c.lower() in cmap for c in codes):
                    text.append("".join(cmap[c.lower()] for c in codes))
                    break
    return "".join(text)


@pytest.mark.django_db
def test_pdf_report_is_a4_with_vector_charts(personas, coverage, django_capture_on_commit_callbacks):
    gf, data = _build(personas.province_admin, fmt="pdf", capture=django_capture_on_commit_callbacks)
    assert data.startswith(b"%PDF-")
    assert gf.file.name.endswith(".pdf")
    streams = _pdf_streams(data)
    objects = b"\n".join(streams)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", objects)
    assert boxes and all((round(float(w)), round(float(h))) == (595, 842) for w, h in boxes)  # A4
    # the charts are vector drawing (filled rectangles of the bars), not raster images
    assert objects.count(b" re\nf") >= 2  # each chart's canvas is a drawn rectangle
    assert b"/Subtype /Image" not in objects
    text = _pdf_text(streams)
    assert "辽宁省邮政管理局2026年邮政行业精神文明建设年度总结" in text
    assert "一、工作任务落实情况" in text
    assert "各市创建活动（场）" in text and "各市满意度指数" in text  # the SVG charts' own text, drawn as text
    assert "—" in text  # the page number "— 1 —"


@pytest.mark.django_db
def test_national_workbook_has_one_row_per_city_equal_to_the_selector(
    personas, coverage, django_capture_on_commit_callbacks
):
    gf, data = _build(personas.province_admin, kind="national", fmt="xlsx", capture=django_capture_on_commit_callbacks)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [*documents.NATIONAL_SHEETS, "说明"]
    stats = city_stats(personas.province_admin, YEAR)
    for name, (header, rows) in documents.national_rows(stats).items():
        ws = wb[name]
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        assert list(values[1]) == header
        body = values[2:]
        assert [r[0] for r in body] == [*[c.code for c in stats.rows], "合计"]
        assert [r[1] for r in body][:2] == [c.name for c in stats.rows][:2]
        for got, want in zip(body, rows, strict=True):
            assert list(got) == [None if v in ("", None) else v for v in want], name
    assert len(stats.rows) == 2


@pytest.mark.django_db
def test_city_user_report_holds_own_city_only(personas, coverage, django_capture_on_commit_callbacks):
    _, data = _build(personas.dalian_admin, capture=django_capture_on_commit_callbacks)
    doc = Document(io.BytesIO(data))
    names = _first_column(doc)
    assert names and all("沈阳" not in n for n in names)
    assert "各类媒体报道 3 篇" in _docx_text(doc)
    assert doc.paragraphs[0].text.startswith("大连市邮政管理局")


@pytest.mark.django_db
def test_schedule_by_province_gives_dalian_its_own_scope(personas, coverage, django_capture_on_commit_callbacks):
    s = services.schedule_create(
        by=personas.province_admin,
        organization=personas.province_admin.home_organization,
        data={"name": "年度总结", "kind": "summary", "fmt": "docx", "frequency": "year", "day": 2},
        recipients=[personas.dalian_admin],
    )
    assert services.run_schedules(today=date(2027, 1, 1)) == 0  # before the day
    with django_capture_on_commit_callbacks(execute=True):
        assert services.run_schedules(today=date(2027, 1, 2)) == 1
    assert services.run_schedules(today=date(2027, 1, 3)) == 0  # once per period
    s.refresh_from_db()
    assert s.last_period == "2026"
    gf = GeneratedFile.objects.get(kind=services.SUMMARY_KIND)
    assert gf.owner == personas.dalian_admin and gf.params["schedule"] == s.pk
    assert gf.status == GeneratedFileStatus.DONE
    doc = Document(io.BytesIO(Path(gf.file.path).read_bytes()))
    names = _first_column(doc)
    assert names and all("沈阳" not in n for n in names)
    assert "各类媒体报道 3 篇" in _docx_text(doc)


@pytest.mark.django_db
def test_permission_matrix_only_for_security_and_audit_admins(client, personas):
    url = reverse("reports:matrix")
    for who in ("secadmin", "auditor"):
        client.force_login(getattr(personas, who))
        before = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="reports.PermissionMatrix").count()
        resp = client.post(url)
        assert resp.status_code == 200
        wb = load_workbook(io.BytesIO(resp.content))
        assert wb.sheetnames == ["角色权限", "授权明细", "三员"]
        users = [r[0] for r in wb["授权明细"].iter_rows(min_row=2, values_only=True)]
        assert "dl_admin" in users and "sy_admin" in users
        after = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="reports.PermissionMatrix")
        assert after.count() == before + 1
    for who in ("province_admin", "sysadmin", "dalian_admin", "shenyang_enterprise"):
        client.force_login(getattr(personas, who))
        denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, actor=getattr(personas, who)).count()
        resp = client.post(url)
        assert resp.status_code == 403, who
        assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, actor=getattr(personas, who)).count() == (
            denied + 1
        ), who
        assert "三员" not in resp.content.decode(errors="ignore")


@pytest.mark.django_db
def test_report_pages_per_role(client, personas):
    index, schedules = reverse("reports:index"), reverse("reports:schedule-list")
    expect = {
        "province_admin": (200, 200),
        "dalian_admin": (200, 200),
        "shenyang_staff": (200, 403),
        "shenyang_enterprise": (200, 403),
        "shenyang_outlet": (403, 403),
        "nobody": (403, 403),
    }
    for who, (i, s) in expect.items():
        client.force_login(getattr(personas, who))
        assert (client.get(index).status_code, client.get(schedules).status_code) == (i, s), who
    client.logout()
    for url in (index, schedules):
        resp = client.get(url)
        assert resp.status_code == 302 and reverse("accounts:login") in resp["Location"]


@pytest.mark.django_db
def test_schedule_list_is_scoped(client, personas):
    for who in ("province_admin", "dalian_admin"):
        u = getattr(personas, who)
        services.schedule_create(
            by=u,
            organization=u.home_organization,
            data={"name": f"{who}定时", "kind": "summary", "fmt": "docx", "frequency": "month", "day": 1},
            recipients=[u],
        )
    client.force_login(personas.dalian_admin)
    body = client.get(reverse("reports:schedule-list")).content.decode()
    assert "dalian_admin定时" in body and "province_admin定时" not in body
    assert ReportSchedule.objects.count() == 2


@pytest.fixture
def ranked_2026(personas, org_tree):
    """A published 2026 scheme over one registered metric: Dalian 80 %, Shenyang 50 %."""
    from decimal import Decimal as D

    from wenming.assessment import services as assessment
    from wenming.assessment.metrics import Metric, MetricValue, Period, register_metric, unregister_metric

    values = {"210100": MetricValue(D(50), D(5), D(10)), "210200": MetricValue(D(80), D(8), D(10))}

    def compute(period):
        from wenming.organizations.models import Organization

        return {o.pk: values.get(o.code, MetricValue(None)) for o in Organization.objects.filter(kind="city_bureau")}

    register_metric(
        Metric(
            key="r_test",
            label="报告测试指标",
            unit="%",
            higher_is_better=True,
            compute=compute,
            records_url=lambda org, p: "/",
            order=990,
        )
    )
    try:
        s = assessment.scheme_create(
            by=personas.province_admin,
            year=2026,
            name="2026年度城市考核方案",
            indicators=[{"metric_key": "r_test", "weight": D(100), "rule": "linear"}],
        )
        assessment.scheme_publish(scheme_id=s.pk, by=personas.province_admin)
        assessment.refresh_snapshots(Period.year(2026), keys=["r_test"])
        yield
    finally:
        unregister_metric("r_test")


@pytest.mark.django_db
def test_annual_report_carries_the_assessment_ranking(personas, ranked_2026, django_capture_on_commit_callbacks):
    _, data = _build(personas.province_admin, capture=django_capture_on_commit_callbacks)
    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.text.startswith("六、")]
    assert headings == ["六、城市考核排名"]
    ranking = next(t for t in doc.tables if t.rows[0].cells[0].text == "名次")
    assert [[c.text for c in r.cells] for r in ranking.rows[1:]] == [
        ["1", "大连市邮政管理局", "100.00"],
        ["2", "沈阳市邮政管理局", "0.00"],
    ]
    assert len(doc.inline_shapes) == 3  # activities, satisfaction and the ranking chart
    # the quarterly report has no ranking (the scheme is annual)
    _, data = _build(
        personas.province_admin, period=ReportPeriod("quarter", 2026, 1), capture=django_capture_on_commit_callbacks
    )
    assert not any(t.rows[0].cells[0].text == "名次" for t in Document(io.BytesIO(data)).tables)


@pytest.mark.django_db
def test_schedule_skips_recipients_who_left_or_lost_the_right(personas, django_capture_on_commit_callbacks):
    from wenming.organizations.models import RoleAssignment

    services.schedule_create(
        by=personas.province_admin,
        organization=personas.province_admin.home_organization,
        data={"name": "月报", "kind": "summary", "fmt": "pdf", "frequency": "month", "day": 1},
        recipients=[personas.dalian_admin, personas.shenyang_admin, personas.shenyang_staff],
    )
    personas.shenyang_staff.is_active = False
    personas.shenyang_staff.save()
    RoleAssignment.objects.filter(user=personas.shenyang_admin).delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.run_schedules(today=date(2026, 6, 1)) == 1
    gf = GeneratedFile.objects.get(kind=services.SUMMARY_KIND)
    assert gf.owner == personas.dalian_admin and gf.params["period"] == "2026-05"
    assert gf.status == GeneratedFileStatus.DONE and gf.file.name.endswith(".pdf")


@pytest.mark.django_db
def test_report_form_queues_a_file_and_rejects_wrong_formats(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.dalian_admin)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("reports:index"), {"kind": "summary", "period": "2026Q2", "fmt": "pdf"})
    gf = GeneratedFile.objects.get(owner=personas.dalian_admin)
    assert resp.status_code == 302 and resp["Location"] == reverse("exports:file-status", args=[gf.pk])
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=personas.dalian_admin).exists()
    # a city may not produce the national workbook; a monthly national workbook does not exist
    resp = client.post(reverse("reports:index"), {"kind": "national", "period": "2026", "fmt": "xlsx"})
    assert resp.status_code == 200 and GeneratedFile.objects.count() == 1
    client.force_login(personas.province_admin)
    resp = client.post(reverse("reports:index"), {"kind": "national", "period": "2026-03", "fmt": "xlsx"})
    assert resp.status_code == 200 and GeneratedFile.objects.count() == 1
    resp = client.post(reverse("reports:index"), {"kind": "summary", "period": "2026", "fmt": "xlsx"})
    assert resp.status_code == 200 and GeneratedFile.objects.count() == 1


@pytest.mark.django_db
def test_a_deactivated_owner_gets_no_report(personas, django_capture_on_commit_callbacks):
    gf = services.start_report(by=personas.dalian_admin, kind="summary", period=YEAR, fmt="docx")
    personas.dalian_admin.is_active = False
    personas.dalian_admin.save()
    from wenming.exports.services import generated_file_build

    with pytest.raises(PermissionError):  # the worker logs it; the file shows as failed
        generated_file_build(gf.pk)
    gf.refresh_from_db()
    assert gf.status == GeneratedFileStatus.FAILED and not gf.file and "账号已停用" in gf.error


@pytest.mark.django_db
def test_enterprise_report_is_its_own_city_line_and_issued_by_the_enterprise(
    personas, coverage, django_capture_on_commit_callbacks
):
    _, data = _build(personas.shenyang_enterprise, capture=django_capture_on_commit_callbacks)
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text.startswith("顺丰速运（沈阳）有限公司2026年")
    assert set(_first_column(doc)) == {"沈阳市邮政管理局"}
    assert "各类媒体报道 0 篇" in _docx_text(doc)  # the bureaus' own coverage is outside an enterprise's scope


@pytest.mark.django_db
def test_schedule_form_offers_only_recipients_in_scope(client, personas):
    client.force_login(personas.dalian_admin)
    url = reverse("reports:schedule-create")
    body = client.get(url).content.decode()
    assert "dl_admin" in body and "sy_admin" not in body
    resp = client.post(
        url,
        {
            "name": "大连月报",
            "kind": "summary",
            "fmt": "docx",
            "frequency": "month",
            "day": 3,
            "recipients": [personas.shenyang_admin.pk],
        },
    )
    assert resp.status_code == 200 and not ReportSchedule.objects.exists()  # not a valid choice
    client.force_login(personas.province_admin)
    resp = client.post(
        url,
        {
            "name": "全省季报",
            "kind": "summary",
            "fmt": "pdf",
            "frequency": "quarter",
            "day": 5,
            "recipients": [personas.dalian_admin.pk, personas.shenyang_admin.pk],
        },
    )
    assert resp.status_code == 302
    s = ReportSchedule.objects.get()
    assert s.organization == personas.province_admin.home_organization
    assert set(s.recipients.all()) == {personas.dalian_admin, personas.shenyang_admin}
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, actor=personas.province_admin).exists()


@pytest.mark.django_db
def test_schedule_by_an_account_without_a_home_unit_is_refused_with_its_reason(client, personas):
    """A schedule belongs to a unit; an account with the right but no home unit gets the reason, not a 500."""
    admin = personas.province_admin
    admin.home_organization = None
    admin.save(update_fields=["home_organization"])
    client.force_login(admin)
    data = {
        "name": "全省季报",
        "kind": "summary",
        "fmt": "pdf",
        "frequency": "quarter",
        "day": 5,
        "recipients": [personas.dalian_admin.pk],
    }
    resp = client.post(reverse("reports:schedule-create"), data)
    body = resp.content.decode()
    assert resp.status_code == 200 and "未设所属单位" in body and not ReportSchedule.objects.exists()
    assert 'value="全省季报"' in body  # the input comes back
