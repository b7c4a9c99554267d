"""工作简报 as Word (python-docx) and PDF (WeasyPrint), laid out after GB/T 9704 where it applies.

A4, margins top 37 mm / bottom 35 mm / left 28 mm / right 26 mm; red masthead; 仿宋 body and 黑体
headings with fallbacks (Noto CJK is installed on the servers). Built in the background through
``wenming.exports`` (kinds ``plans.bulletin.docx`` and ``plans.bulletin.pdf``).
"""

from __future__ import annotations

import io
from datetime import date

from django.template.loader import render_to_string

from wenming.exports.services import register_builder
from wenming.plans.permissions import PlanAction as PA

from .models import Bulletin, ProgressReport

MASTHEAD = "辽宁邮政行业精神文明建设工作简报"
ISSUER = "辽宁省邮政管理局精神文明建设指导委员会办公室"
RED = (0xC8, 0x16, 0x1D)
SECTION_TITLES = [
    ("summary", "工作开展情况"),
    ("highlights", "主要成效与亮点"),
    ("problems", "存在问题"),
    ("next_steps", "下步打算"),
]


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def bulletin_items(b: Bulletin) -> list[ProgressReport]:
    return list(b.reports.select_related("organization").order_by("organization__path", "submitted_at"))


def item_sections(r: ProgressReport) -> list[tuple[str, str]]:
    return [(label, getattr(r, f)) for f, label in SECTION_TITLES if (getattr(r, f) or "").strip()]


def _set_font(run, east_asian: str, latin: str = "Times New Roman", size: float | None = None, bold: bool = False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = latin
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold


def build_docx(b: Bulletin) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(16)  # 三号
    normal.element.get_or_add_rPr()
    normal.element.rPr.get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(MASTHEAD)
    _set_font(r, "方正小标宋简体", size=26, bold=True)
    r.font.color.rgb = RGBColor(*RED)

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run(f"第{b.issue_no}期"), "仿宋", size=16)

    p = doc.add_paragraph()
    _set_font(p.add_run(ISSUER), "仿宋", size=14)
    _set_font(p.add_run("　　" + cn_date(b.issued_on)), "仿宋", size=14)
    # red rule under the masthead block (bottom border of the paragraph)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C8161D")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)

    if b.editor_note:
        p = doc.add_paragraph()
        _set_font(p.add_run("【编者按】" + b.editor_note), "楷体", size=16)

    for item in bulletin_items(b):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(p.add_run(item.title), "方正小标宋简体", size=18)
        for label, text in item_sections(item):
            p = doc.add_paragraph()
            _set_font(p.add_run(label), "黑体", size=16)
            for para in [x for x in text.splitlines() if x.strip()]:
                p = doc.add_paragraph()
                p.paragraph_format.first_line_indent = Pt(32)
                _set_font(p.add_run(para.strip()), "仿宋", size=16)

    p = doc.add_paragraph()
    _set_font(p.add_run(f"报送：国家邮政局办公室　　印发：{ISSUER}　{cn_date(b.issued_on)}"), "仿宋", size=14)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def bulletin_html(b: Bulletin) -> str:
    items = [{"report": r, "sections": item_sections(r)} for r in bulletin_items(b)]
    return render_to_string(
        "plans/bulletin_pdf.html",
        {"b": b, "items": items, "masthead": MASTHEAD, "issuer": ISSUER, "issued": cn_date(b.issued_on)},
    )


def build_pdf(b: Bulletin) -> bytes:
    from weasyprint import HTML

    return HTML(string=bulletin_html(b)).write_pdf()


def _bulletin_for(gf) -> Bulletin:
    b = Bulletin.objects.visible_to(gf.owner, PA.REPORT_REVIEW).get(pk=gf.params["bulletin_id"])
    return b


@register_builder("plans.bulletin.docx")
def _docx_builder(gf, set_progress):
    b = _bulletin_for(gf)
    set_progress(30)
    data = build_docx(b)
    return (
        data,
        f"工作简报{b.year}年第{b.issue_no}期.docx",
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    )


@register_builder("plans.bulletin.pdf")
def _pdf_builder(gf, set_progress):
    b = _bulletin_for(gf)
    set_progress(30)
    data = build_pdf(b)
    return data, f"工作简报{b.year}年第{b.issue_no}期.pdf", "application/pdf"
