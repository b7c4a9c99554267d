"""Progress reports (return with field comments, adopt, late flag, limits), bulletins as Word and PDF."""

import io
import subprocess
from datetime import date

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


def _bulletin(org_tree, personas, **kw):
    return bulletin_create(
        organization=org_tree.province,
        period_start=kw.get("start", date(2026, 11, 1)),
        period_end=kw.get("end", date(2026, 11, 30)),
        issued_on=kw.get("issued", date(2026, 11, 27)),
        by=personas.province_admin,
    )


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_bulletin_docx_follows_gbt_9704(personas, org_tree):
    """Page numbers as a PAGE field in "— N —" (odd right, even left), the 22 × 28 grid, 二号 小标宋 titles,
    三号 仿宋 body, and the 版记 as two rows (抄送; 印发机关 | 印发日期) between thick, thin and thick rules."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    from wenming.plans.documents import build_docx

    with at(2026, 11, 3):
        r = _adopted(org_tree.shenyang, personas.shenyang_admin, personas.province_admin)
        b = _bulletin(org_tree, personas)
    assert b.issue_no == 1 and b.reports.count() == 1

    doc = Document(io.BytesIO(build_docx(b)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "辽宁邮政行业精神文明建设工作简报" in text and "第1期" in text
    assert "2026年11月27日" in text and TEXT in text

    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    margins = [round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)]
    assert margins == [37, 35, 28, 26]
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch, char_space = int(grid.get(qn("w:linePitch"))), int(grid.get(qn("w:charSpace")))
    text_h_twips = sec.page_height.twips - sec.top_margin.twips - sec.bottom_margin.twips
    text_w_pt = sec.page_width.pt - sec.left_margin.pt - sec.right_margin.pt
    assert text_h_twips // line_pitch == 22  # 22 lines on a page
    assert round(text_w_pt / (16 + char_space / 4096)) == 28  # 28 三号 characters on a line

    # page numbers: "— N —" around a PAGE field, 四号 宋体, odd pages right and even pages left
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.alignment == align
        instr = "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert len(list(p._p.iter(qn("w:fldChar")))) == 3
        assert p.text == "— 1 —"
        for run in p.runs:
            assert run.font.size.pt == 14
            assert run._element.rPr.rFonts.get(qn("w:ascii")) == "宋体"
            assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"

    # fonts and sizes
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert doc.styles["Normal"].font.size.pt == 16
    title_run = next(run for p in doc.paragraphs for run in p.runs if run.text == r.title)
    assert title_run.font.size.pt == 22
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body_run = next(run for p in doc.paragraphs for run in p.runs if TEXT in run.text)
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋" and body_run.font.size.pt == 16
    heading_run = next(run for p in doc.paragraphs for run in p.runs if run.text == "一、工作开展情况")
    assert heading_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    font_table = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable"))
    assert "方正小标宋简体" in font_table.blob.decode() and 'w:altName w:val="宋体"' in font_table.blob.decode()

    # 版记: the last table of the body, two rows, thick / thin / thick rules
    colophon = doc.tables[-1]
    assert doc.element.body.index(colophon._tbl) > doc.element.body.index(body_run._element.getparent())
    rows = [[c.text for c in row.cells] for row in colophon.rows]
    assert rows[0][0] == "抄送：国家邮政局办公室。"
    assert rows[1] == ["辽宁省邮政管理局文明办", "2026年11月27日印发"]
    borders = colophon._tbl.tblPr.find(qn("w:tblBorders"))
    sizes = {side: borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "insideH", "bottom")}
    assert sizes == {"top": "8", "insideH": "6", "bottom": "8"}
    float_at = colophon._tbl.tblPr.find(qn("w:tblpPr"))
    assert (float_at.get(qn("w:vertAnchor")), float_at.get(qn("w:tblpYSpec"))) == ("margin", "bottom")
    for cell in colophon.rows[1].cells:
        assert cell._tc.tcPr.find(qn("w:noWrap")) is not None
        assert cell.paragraphs[0].runs[0].font.size.pt == 14


def test_bulletin_pdf_renders_colophon_lines_whole(personas, org_tree, tmp_path):
    from wenming.plans.documents import build_pdf

    with at(2026, 11, 3):
        _adopted(org_tree.shenyang, personas.shenyang_admin, personas.province_admin)
        b = _bulletin(org_tree, personas)
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(build_pdf(b))
    flat = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "辽宁邮政行业精神文明建设工作简报" in flat.replace(" ", "")
    assert "最美快递员" in flat.replace("\n", "").replace(" ", "")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in f" {line} " for line in cjk)

    # the layout text keeps each printed line on one line: 抄送 whole, 印发机关 and 印发日期 side by side
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [" ".join(line.split()) for line in layout.splitlines() if line.strip()]
    assert "抄送：国家邮政局办公室。" in [line.replace(" ", "") for line in lines]
    printed = [line for line in lines if "印发" in line and "文明办" in line]
    assert len(printed) == 1
    unit, when = printed[0].rsplit(" ", 1)
    assert unit.replace(" ", "") == "辽宁省邮政管理局文明办" and when == "2026年11月27日印发"
    assert "—1—" in [line.replace(" ", "") for line in lines]  # the page number of page one

    # and the picture agrees: the rendered last page has three dark horizontal rules spanning the 版心
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    from PIL import Image

    page = Image.open(sorted(tmp_path.glob("page*.png"))[-1]).convert("L")
    w, h = page.size
    left, right = int(w * 28 / 210) + 3, int(w * (210 - 26) / 210) - 3
    rule_rows = [
        y
        for y in range(h)
        if all(page.getpixel((x, y)) < 160 for x in range(left, right, max(1, (right - left) // 40)))
    ]
    bands = [y for i, y in enumerate(rule_rows) if i == 0 or y - rule_rows[i - 1] > 1]
    assert len(bands) >= 3  # the red masthead rule on page one is not dark enough to count here


def test_bulletin_does_not_repeat_earlier_issues(personas, org_tree):
    with at(2026, 11, 3):
        first_item = _adopted(org_tree.shenyang, personas.shenyang_admin, personas.province_admin)
        first = _bulletin(org_tree, personas)
        with pytest.raises(ApplicationError) as exc:
            _bulletin(org_tree, personas, issued=date(2026, 11, 28))
        assert exc.value.field == "period_start"
        second_item = _adopted(org_tree.dalian, personas.dalian_admin, personas.province_admin)
        second = _bulletin(org_tree, personas, issued=date(2026, 11, 30))
    assert list(first.reports.all()) == [first_item]
    assert list(second.reports.all()) == [second_item] and second.issue_no == 2
    # another unit's bulletin may still print the item
    from wenming.plans.services import bulletin_candidates

    city = bulletin_candidates(organization=org_tree.shenyang, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert list(city) == [first_item]


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
