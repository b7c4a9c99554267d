"""Progress reports (return with field comments, adopt, late flag, limits), bulletins as Word and PDF."""

import io
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest

from wenming.audit.models import AuditEvent
from wenming.core.errors import ApplicationError
from wenming.plans.choices import ProgressReportStatus
from wenming.plans.models import Bulletin, ProgressReport, ReportFieldComment
from wenming.plans.services import (
    bulletin_create,
    report_create,
    report_decide,
    report_submit,
    report_update,
)

from .conftest import at

R = ProgressReportStatus
TEXT = "沈阳市局开展“最美快递员”寻访活动，组织网点开展志愿服务，群众满意度持续提升。"


def _adopted(org, by_city, by_office, kind="monthly", period=10, text=TEXT):
    r = report_create(organization=org, kind=kind, year=2026, period=period, by=by_city)
    report_update(report_id=r.pk, by=by_city, summary=text, highlights="打造文明窗口三个。")
    report_submit(report_id=r.pk, by=by_city)
    report_decide(report_id=r.pk, name="accept", by=by_office)
    report_decide(report_id=r.pk, name="adopt", by=by_office, for_bulletin=True)
    return ProgressReport.objects.get(pk=r.pk)


def test_due_dates_and_late_flag(personas, org_tree):
    with at(2026, 11, 2):
        m = report_create(
            organization=org_tree.shenyang, kind="monthly", year=2026, period=10, by=personas.shenyang_staff
        )
        h = report_create(
            organization=org_tree.shenyang, kind="half_year", year=2026, period=1, by=personas.shenyang_staff
        )
        a = report_create(
            organization=org_tree.shenyang, kind="annual", year=2026, period=1, by=personas.shenyang_staff
        )
        d = report_create(
            organization=org_tree.shenyang, kind="monthly", year=2026, period=12, by=personas.shenyang_staff
        )
    assert (m.due_date, h.due_date, a.due_date, d.due_date) == (
        date(2026, 11, 5),
        date(2026, 7, 6),  # 7月5日 is a Sunday: the deadline rolls to Monday
        date(2026, 12, 31),
        date(2027, 1, 5),
    )
    with at(2026, 11, 5, 23):
        report_update(report_id=m.pk, by=personas.shenyang_staff, summary=TEXT)
        report_submit(report_id=m.pk, by=personas.shenyang_admin)
    with at(2026, 11, 6):
        report_update(report_id=h.pk, by=personas.shenyang_staff, summary=TEXT)
        report_submit(report_id=h.pk, by=personas.shenyang_admin)
    m.refresh_from_db()
    h.refresh_from_db()
    assert m.is_late is False and h.is_late is True


def test_length_limit(personas, org_tree):
    r = report_create(organization=org_tree.shenyang, kind="annual", year=2026, period=1, by=personas.shenyang_staff)
    report_update(report_id=r.pk, by=personas.shenyang_staff, summary="字" * 1500)
    with pytest.raises(ApplicationError) as exc:
        report_update(report_id=r.pk, by=personas.shenyang_staff, summary="字" * 1500, problems="多")
    assert "1,500" in exc.value.message


def test_return_with_field_comments_then_adopt_by_buttons(client, personas, org_tree):
    p = personas
    with at(2026, 11, 3):
        client.force_login(p.shenyang_staff)
        resp = client.post(
            "/plans/reports/new/", {"organization": org_tree.shenyang.pk, "kind": "monthly", "year": 2026, "period": 10}
        )
        assert resp.status_code == 302
        url = resp["Location"]
        r = ProgressReport.objects.get()
        client.post(url, {"summary": TEXT, "highlights": "亮点", "problems": "", "next_steps": ""})
        r.refresh_from_db()
        assert r.summary == TEXT and r.status == R.DRAFT
        assert 'value="submit"' not in client.get(url).content.decode()  # a city_user writes, the leading group submits
        client.force_login(p.shenyang_admin)
        assert "提交" in client.get(url).content.decode()
        client.post(url, {"summary": TEXT, "highlights": "亮点", "problems": "", "next_steps": "", "then": "submit"})
        r.refresh_from_db()
        assert r.status == R.SUBMITTED

        client.force_login(p.province_admin)
        page = client.get(url).content.decode()
        assert "退回" in page and "审核通过" in page
        client.post(f"{url}return/", {"reason": "请补充数据", "c_highlights": "亮点要写具体数字"})
        r.refresh_from_db()
        assert r.status == R.DRAFT
        c = ReportFieldComment.objects.get()
        assert (c.field, c.comment) == ("highlights", "亮点要写具体数字")
        assert AuditEvent.objects.filter(action="decision", object_id=str(r.pk), detail__transition="return").exists()

        client.force_login(p.shenyang_admin)
        page = client.get(url).content.decode()
        assert "亮点要写具体数字" in page and "主要成效与亮点" in page
        client.post(
            url, {"summary": TEXT, "highlights": "新建文明窗口3个", "problems": "", "next_steps": "", "then": "submit"}
        )

        client.force_login(p.province_admin)
        client.post(f"{url}accept/")
        assert "采用" in client.get(url).content.decode()
        client.post(f"{url}adopt/", {"for_bulletin": "on"})
    r.refresh_from_db()
    assert r.status == R.ADOPTED and r.for_bulletin
    assert list(r.events.values_list("kind", flat=True)) == ["create", "submit", "return", "submit", "accept", "adopt"]
    assert AuditEvent.objects.filter(action="decision", object_id=str(r.pk), detail__transition="adopt").exists()


def test_city_cannot_review_its_own_report(client, personas, org_tree):
    r = report_create(organization=org_tree.shenyang, kind="monthly", year=2026, period=9, by=personas.shenyang_staff)
    report_update(report_id=r.pk, by=personas.shenyang_staff, summary=TEXT)
    report_submit(report_id=r.pk, by=personas.shenyang_admin)
    client.force_login(personas.shenyang_admin)
    client.post(f"/plans/reports/{r.pk}/accept/")
    r.refresh_from_db()
    assert r.status == R.SUBMITTED
    client.force_login(personas.shenyang_staff)
    client.post(f"/plans/reports/{r.pk}/submit/")  # a city_user may write but not submit
    assert client.get(f"/plans/reports/{r.pk}/").status_code == 200


def test_dalian_never_sees_shenyang_report(client, personas, org_tree):
    r = report_create(organization=org_tree.shenyang, kind="monthly", year=2026, period=8, by=personas.shenyang_staff)
    client.force_login(personas.dalian_admin)
    assert r.title not in client.get("/plans/reports/").content.decode()
    assert client.get(f"/plans/reports/{r.pk}/").status_code == 404
    assert client.post(f"/plans/reports/{r.pk}/submit/").status_code == 404
    client.force_login(personas.province_admin)
    assert r.title in client.get("/plans/reports/").content.decode()


def test_bulletin_docx_and_pdf(client, personas, org_tree):
    from docx import Document
    from docx.oxml.ns import qn

    from wenming.plans.documents import build_docx, build_pdf

    with at(2026, 11, 3):
        _adopted(org_tree.shenyang, personas.shenyang_admin, personas.province_admin)
        b = bulletin_create(
            organization=org_tree.province,
            period_start=date(2026, 11, 1),
            period_end=date(2026, 11, 30),
            issued_on=date(2026, 11, 27),
            by=personas.province_admin,
        )
    assert b.issue_no == 1 and b.reports.count() == 1

    doc = Document(io.BytesIO(build_docx(b)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "辽宁邮政行业精神文明建设工作简报" in text and "第1期" in text
    assert "2026年11月27日" in text and TEXT in text
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    body_run = next(r for p in doc.paragraphs for r in p.runs if TEXT in r.text)
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    sec = doc.sections[0]
    assert round(sec.top_margin.mm) == 37 and round(sec.left_margin.mm) == 28

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "b.pdf"
        pdf.write_bytes(build_pdf(b))
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "辽宁邮政行业精神文明建设工作简报" in out.replace(" ", "")
        assert "最美快递员" in out.replace("\n", "").replace(" ", "")
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        cjk = [line for line in fonts.splitlines() if "CJK" in line]
        assert cjk and all(" yes " in f" {line} " for line in cjk)


def test_bulletin_generated_in_background(client, personas, org_tree, django_capture_on_commit_callbacks):
    from wenming.exports.models import GeneratedFile

    with at(2026, 11, 3):
        _adopted(org_tree.shenyang, personas.shenyang_admin, personas.province_admin)
        client.force_login(personas.province_admin)
        resp = client.post(
            "/plans/bulletins/",
            {"period_start": "2026-11-01", "period_end": "2026-11-30", "issued_on": "2026-11-27"},
        )
        assert resp.status_code == 302
        b = Bulletin.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(f"/plans/bulletins/{b.pk}/", {"format": "docx"})
    gf = GeneratedFile.objects.get()
    assert resp["Location"] == f"/files/{gf.pk}/"
    assert gf.status == "done" and gf.filename.endswith(".docx")
    client.force_login(personas.dalian_admin)
    assert client.get(f"/plans/bulletins/{b.pk}/").status_code in (403, 404)


def test_bulletin_needs_adopted_items(personas, org_tree):
    with pytest.raises(ApplicationError):
        bulletin_create(
            organization=org_tree.province,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            issued_on=date(2026, 2, 1),
            by=personas.province_admin,
        )
