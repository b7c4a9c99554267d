"""工作简报 as Word (python-docx) and PDF (WeasyPrint), laid out after GB/T 9704-2012.

What the standard fixes and both outputs follow:

* A4; 天头 (top) 37 mm, 订口 (left) 28 mm, so the 版心 is 156 mm × 225 mm (bottom 35 mm, right 26 mm);
  22 lines of 28 characters (Word: a ``linesAndChars`` document grid; PDF: line height and tracking).
* Titles in 二号 (22 pt) 小标宋 (方正小标宋简体, falling back to 宋体); body in 三号 (16 pt) 仿宋;
  level-one headings in 黑体.
* Page numbers "— 1 —" in 四号 (14 pt) 半角宋体 digits, 7 mm below the 版心: odd pages at the right
  with one character of space, even pages at the left.
* 版记 at the end: 抄送 and then 印发机关 with 印发日期 on their own lines, 四号 仿宋, one character in from
  each side, between a thick first rule (0.35 mm), a thin middle rule (0.25 mm) and a thick last rule,
  each as wide as the 版心. It is a two-column table so the date never wraps into the unit's name.

Built in the background through ``wenming.exports`` (kinds ``plans.bulletin.docx`` and
``plans.bulletin.pdf``).
"""

from __future__ import annotations

import io
from datetime import date

from django.template.loader import render_to_string

from wenming.exports.services import register_builder
from wenming.plans.permissions import PlanAction as PA

from .models import Bulletin, ProgressReport

MASTHEAD = "辽宁邮政行业精神文明建设工作简报"
COPY_TO = "国家邮政局办公室"
RED = (0xC8, 0x16, 0x1D)
SECTION_TITLES = [
    ("summary", "工作开展情况"),
    ("highlights", "主要成效与亮点"),
    ("problems", "存在问题"),
    ("next_steps", "下步打算"),
]
CN_NUMERALS = "一二三四五六七八九十"

# GB/T 9704 sizes (pt) and the 版心 (mm)
SIZE_TITLE = 22  # 二号
SIZE_BODY = 16  # 三号
SIZE_SMALL = 14  # 四号 (版记, page numbers)
PAGE_W, PAGE_H = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 37, 35, 28, 26
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
TEXT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm
LINES, CHARS = 22, 28

FONT_TITLE = "方正小标宋简体"
FONT_TITLE_FALLBACK = "宋体"
FONT_BODY = "仿宋"
FONT_HEADING = "黑体"
FONT_NOTE = "楷体"
FONT_PAGE_NO = "宋体"


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


#: line pitch of the grid in twips (225 mm / 22 lines = 579) and the character spacing adjustment in
#: 1/4096 pt that makes 28 三号 characters fill 156 mm (about -849).
LINE_PITCH = _twips(TEXT_H) // LINES
CHAR_SPACE = round((TEXT_W / 25.4 * 72 / CHARS - SIZE_BODY) * 4096)


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def editor_name(b: Bulletin) -> str:
    """编印单位: the unit's 文明办 (精神文明建设指导委员会办公室)."""
    return f"{b.organization.name}文明办"


def printer_name(b: Bulletin) -> str:
    """印发机关 of the 版记."""
    return editor_name(b)


def bulletin_items(b: Bulletin) -> list[ProgressReport]:
    return list(b.reports.select_related("organization").order_by("organization__path", "submitted_at"))


def item_sections(r: ProgressReport) -> list[tuple[str, str]]:
    rows = [(label, getattr(r, f)) for f, label in SECTION_TITLES if (getattr(r, f) or "").strip()]
    return [(f"{CN_NUMERALS[i]}、{label}", text) for i, (label, text) in enumerate(rows)]


# --- Word ------------------------------------------------------------------------------------------
def _set_font(run, east_asian: str, latin: str = "Times New Roman", size: float | None = None, bold: bool = False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = latin
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold


def _el(tag: str, **attrs: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    return el


def _border(parent, side: str, sz: int, color: str = "000000") -> None:
    parent.append(_el(f"w:{side}", val="single", sz=str(sz), space="0", color=color))


# child order of the property elements (ECMA-376 sequences); Word rejects files that break it
_SEQ = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign "
    "hideMark headers cellIns cellDel cellMerge tcPrChange",
}


def _put(parent, child) -> None:
    """Set ``child`` on a property element, replacing one of its kind and keeping the schema order."""
    local = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731
    seq = _SEQ[local(parent)].split()
    for old in [c for c in parent if local(c) == local(child)]:
        parent.remove(old)
    pos = seq.index(local(child))
    for i, c in enumerate(parent):
        if local(c) in seq and seq.index(local(c)) > pos:
            parent.insert(i, child)
            return
    parent.append(child)


def _register_fallback_font(doc) -> None:
    """Name 宋体 as the alternative of 方正小标宋简体 in the font table (used where it is not installed)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from lxml import etree

    part = next((rel.target_part for rel in doc.part.rels.values() if rel.reltype == RT.FONT_TABLE), None)
    if part is None:  # pragma: no cover - the default template has one
        return
    root = etree.fromstring(part.blob)
    font = _el("w:font", name=FONT_TITLE)
    font.append(_el("w:altName", val=FONT_TITLE_FALLBACK))
    font.append(_el("w:charset", val="86"))
    font.append(_el("w:family", val="roman"))
    font.append(_el("w:pitch", val="variable"))
    if not any(f.get(qn("w:name")) == FONT_TITLE for f in root):
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(paragraph, *, odd: bool) -> None:
    """ "— N —" with a PAGE field; odd pages right with one character of space, even pages left."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    if odd:
        fmt.right_indent = Pt(SIZE_SMALL)
    else:
        fmt.left_indent = Pt(SIZE_SMALL)
    fmt.space_before = fmt.space_after = Pt(0)
    _put(paragraph._p.get_or_add_pPr(), _el("w:snapToGrid", val="0"))

    def run(text: str = ""):
        r = paragraph.add_run(text)
        _set_font(r, FONT_PAGE_NO, latin=FONT_PAGE_NO, size=SIZE_SMALL)
        r._element.rPr.rFonts.set(qn("w:hAnsi"), FONT_PAGE_NO)
        return r

    run("— ")
    run()._r.append(_el("w:fldChar", fldCharType="begin"))
    instr = _el("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    run()._r.append(instr)
    run()._r.append(_el("w:fldChar", fldCharType="separate"))
    run("1")
    run()._r.append(_el("w:fldChar", fldCharType="end"))
    run(" —")


def _setup_document(doc) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(PAGE_W), Mm(PAGE_H)
    sec.top_margin, sec.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    sec.left_margin, sec.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    sec.header_distance = Mm(15)
    # the dash of the page number sits about 7 mm below the 版心
    sec.footer_distance = Mm(MARGIN_BOTTOM - 7 - 4)
    sect_pr = sec._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = _el("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(sec.footer.paragraphs[0], odd=True)
    _page_number(sec.even_page_footer.paragraphs[0], odd=False)

    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(SIZE_BODY)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_BODY)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    _register_fallback_font(doc)


def _colophon(doc, b: Bulletin) -> None:
    """版记: 抄送 row and 印发 row between a thick, a thin and a thick rule, as wide as the 版心."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for el in list(tbl_pr):
        if el.tag.endswith("}tblStyle"):
            tbl_pr.remove(el)
    _put(tbl_pr, _el("w:tblW", w=str(_twips(TEXT_W)), type="dxa"))
    borders = _el("w:tblBorders")
    _border(borders, "top", 8)  # 0.35 mm
    borders.append(_el("w:left", val="nil"))
    _border(borders, "bottom", 8)
    borders.append(_el("w:right", val="nil"))
    _border(borders, "insideH", 6)  # 0.25 mm
    borders.append(_el("w:insideV", val="nil"))
    _put(tbl_pr, borders)
    mar = _el("w:tblCellMar")
    mar.append(_el("w:left", w="0", type="dxa"))
    mar.append(_el("w:right", w="0", type="dxa"))
    _put(tbl_pr, mar)
    # floated to the foot of the page it ends on: its last rule lies on the lower edge of the 版心
    _put(tbl_pr, _el("w:tblpPr", vertAnchor="margin", horzAnchor="margin", tblpXSpec="center", tblpYSpec="bottom"))
    widths = (Mm(TEXT_W - 60), Mm(60))
    for col, w in zip(table.columns, widths, strict=True):
        col.width = w
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w
    one_char = Pt(SIZE_SMALL)

    cc = table.cell(0, 0).merge(table.cell(0, 1))
    p = cc.paragraphs[0]
    label = "抄送："
    p.paragraph_format.left_indent = one_char * (1 + len(label))
    p.paragraph_format.first_line_indent = -one_char * len(label)  # wrapped lines align after the colon
    p.paragraph_format.right_indent = one_char
    _set_font(p.add_run(f"{label}{COPY_TO}。"), FONT_BODY, size=SIZE_SMALL)

    left, right = table.cell(1, 0), table.cell(1, 1)
    p = left.paragraphs[0]
    p.paragraph_format.left_indent = one_char
    _set_font(p.add_run(printer_name(b)), FONT_BODY, size=SIZE_SMALL)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.right_indent = one_char
    _set_font(p.add_run(f"{cn_date(b.issued_on)}印发"), FONT_BODY, size=SIZE_SMALL)
    for cell in (left, right):
        _put(cell._tc.get_or_add_tcPr(), _el("w:noWrap"))
    doc.add_paragraph()  # a document ends with a paragraph


def build_docx(b: Bulletin) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    _setup_document(doc)

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(MASTHEAD)
    _set_font(r, FONT_TITLE, size=26)
    r.font.color.rgb = RGBColor(*RED)

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run(f"第{b.issue_no}期"), FONT_BODY, size=SIZE_BODY)

    p = doc.add_paragraph()
    p.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_W), WD_TAB_ALIGNMENT.RIGHT)
    _set_font(p.add_run(f"{editor_name(b)}编"), FONT_BODY, size=SIZE_SMALL)
    _set_font(p.add_run("\t" + cn_date(b.issued_on)), FONT_BODY, size=SIZE_SMALL)
    # red rule as wide as the 版心 under the masthead block
    bdr = _el("w:pBdr")
    _border(bdr, "bottom", 12, color="C8161D")
    _put(p._p.get_or_add_pPr(), bdr)

    if b.editor_note:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(SIZE_BODY * 2)
        _set_font(p.add_run("【编者按】" + b.editor_note), FONT_NOTE, size=SIZE_BODY)

    for item in bulletin_items(b):
        doc.add_paragraph()
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(p.add_run(item.title), FONT_TITLE, size=SIZE_TITLE)
        for label, text in item_sections(item):
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(SIZE_BODY * 2)
            _set_font(p.add_run(label), FONT_HEADING, size=SIZE_BODY)
            for para in [x for x in text.splitlines() if x.strip()]:
                p = doc.add_paragraph()
                p.paragraph_format.first_line_indent = Pt(SIZE_BODY * 2)
                _set_font(p.add_run(para.strip()), FONT_BODY, size=SIZE_BODY)

    _colophon(doc, b)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- PDF -------------------------------------------------------------------------------------------
def bulletin_html(b: Bulletin) -> str:
    items = [{"report": r, "sections": item_sections(r)} for r in bulletin_items(b)]
    line_pt = TEXT_H / 25.4 * 72 / LINES
    tracking_pt = TEXT_W / 25.4 * 72 / CHARS - SIZE_BODY
    return render_to_string(
        "plans/bulletin_pdf.html",
        {
            "b": b,
            "items": items,
            "masthead": MASTHEAD,
            "editor": editor_name(b),
            "printer": printer_name(b),
            "copy_to": COPY_TO,
            "issued": cn_date(b.issued_on),
            "line_pt": f"{line_pt:.2f}",
            "tracking_pt": f"{tracking_pt:.3f}",
        },
    )


def build_pdf(b: Bulletin) -> bytes:
    from weasyprint import HTML

    return HTML(string=bulletin_html(b)).write_pdf()


def _bulletin_for(gf) -> Bulletin:
    return Bulletin.objects.visible_to(gf.owner, PA.REPORT_REVIEW).get(pk=gf.params["bulletin_id"])


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
