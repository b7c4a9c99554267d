"""The report documents: one content model, written as Word (GB/T 9704-2012 layout), PDF and Excel.

Layout numbers (docs/reports.md): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (text
area 156 × 225 mm); title 2号 (22 pt) 小标宋; body 3号 (16 pt) 仿宋, 22 lines of 28 characters
(line pitch 225 mm / 22 ≈ 28.95 pt); level-1 headings "一、" 黑体, level-2 "（一）" 楷体, level-3 "1."
仿宋 bold; page numbers 4号 (14 pt) "— 1 —" at the outside edge (odd pages right, even pages left);
the issuing body (发文机关署名) and the date (成文日期) at the end. Fonts are named, never embedded in
the Word file: Word substitutes the installed ones; the PDF embeds subsets of the installed Noto CJK.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import charts
from .periods import ReportPeriod
from .selectors import LEVELS, CityStats

TITLE_FONTS = ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC"]
BODY_FONTS = ["仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC"]
H1_FONTS = ["黑体", "SimHei", "Noto Sans CJK SC"]
H2_FONTS = ["楷体_GB2312", "楷体", "KaiTi", "Noto Serif CJK SC"]
LEVEL_LABELS = {"national": "全国", "provincial": "省级", "city": "市级", "enterprise": "企业级"}
NUMERALS = "一二三四五六七八九十"
PDF_CSS = Path(__file__).with_name("pdf_report.css")  # the GB/T 9704 page of the PDF (not a web page)


@dataclass
class Section:
    heading: str  # "一、…"
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] | None = None  # first row is the header
    chart: charts.Chart | None = None


@dataclass
class ReportContent:
    title: str
    period: ReportPeriod
    issuer: str
    issued_on: date
    sections: list[Section]


def _n(v) -> str:
    return "—" if v is None else f"{v:,}"


@dataclass(frozen=True)
class RankedCity:
    """One line of the city assessment ranking (read by the caller from the assessment module)."""

    rank: int
    name: str
    total: float


def build_content(
    stats: CityStats, *, issuer: str, issued_on: date, ranking: list[RankedCity] | None = None
) -> ReportContent:
    """The report's sections; ``ranking`` (annual reports only) adds the city assessment ranking."""
    p, t, rows = stats.period, stats.total, stats.rows
    kind = "年度总结" if p.kind == "year" else ("季度工作报告" if p.kind == "quarter" else "月度工作报告")
    names = [r.name for r in rows]
    sections = [
        Section(
            "工作任务落实情况",
            [
                f"{p.label}，应办结督办任务 {t.tasks_due:,} 项，按原定期限反馈 {t.tasks_on_time:,} 项，"
                f"按期率 {_n(t.on_time_pct)}%。"
            ],
            [["地市", "应办结", "按期反馈", "按期率（%）"]]
            + [[r.name, _n(r.tasks_due), _n(r.tasks_on_time), _n(r.on_time_pct)] for r in rows],
        ),
        Section(
            "创建活动和志愿服务",
            [
                f"经核实的创建活动 {t.activities:,} 场，参与 {t.participants:,} 人次；"
                f"认定志愿服务 {t.volunteer_times:,} 人次、{t.volunteers:,} 人，时长 {t.hours:,} 小时。"
            ],
            [["地市", "活动（场）", "参与人次", "志愿者（人）", "志愿服务时长（小时）"]]
            + [[r.name, _n(r.activities), _n(r.participants), _n(r.volunteers), _n(r.hours)] for r in rows],
            charts.bar_chart("各市创建活动（场）", names, [r.activities for r in rows]),
        ),
        Section(
            "先进典型和荣誉称号",
            [
                "命名荣誉称号 "
                + "，".join(f"{LEVEL_LABELS[lv]} {t.titles[lv]:,} 个" for lv in LEVELS)
                + f"；最美快递员推荐 {t.zuimei_nominees:,} 人，获评 {t.zuimei_awarded:,} 人。"
            ],
            [["地市", *[LEVEL_LABELS[lv] for lv in LEVELS], "最美快递员推荐", "最美快递员获评"]]
            + [
                [r.name, *[_n(r.titles[lv]) for lv in LEVELS], _n(r.zuimei_nominees), _n(r.zuimei_awarded)]
                for r in rows
            ],
        ),
        Section(
            "服务满意度和用户申诉",
            [
                f"收到满意度评价 {t.responses:,} 份，满意度指数 {_n(t.satisfaction)} 分；"
                f"受理申诉 {t.complaints:,} 件，其中有效申诉 {t.valid_complaints:,} 件，"
                f"有效申诉率 {_n(t.valid_ppm)} 件/百万件，企业答复超时 {t.reply_overdue:,} 件。"
            ],
            [["地市", "满意度指数", "申诉（件）", "有效申诉（件）", "有效申诉率（件/百万件）"]]
            + [[r.name, _n(r.satisfaction), _n(r.complaints), _n(r.valid_complaints), _n(r.valid_ppm)] for r in rows],
            charts.line_chart("各市满意度指数", names, [r.satisfaction or 0 for r in rows]),
        ),
        Section(
            "宣传报道",
            [f"各类媒体报道 {t.coverage:,} 篇（条），预估覆盖 {t.reach:,} 人次。"],
            [["地市", "报道（篇）", "预估覆盖人次"]] + [[r.name, _n(r.coverage), _n(r.reach)] for r in rows],
        ),
    ]
    if ranking:
        sections.append(
            Section(
                "城市考核排名",
                [
                    f"按{p.label}城市考核方案，{len(ranking)} 个地市参加排名，"
                    f"第一名为{ranking[0].name}（{ranking[0].total:.2f} 分）。"
                ],
                [["名次", "地市", "考核总分"]] + [[str(r.rank), r.name, f"{r.total:.2f}"] for r in ranking],
                charts.bar_chart("各市考核总分", [r.name for r in ranking], [r.total for r in ranking]),
            )
        )
    for i, s in enumerate(sections):
        s.heading = f"{NUMERALS[i]}、{s.heading}"
    return ReportContent(
        title=f"{issuer}{p.label}邮政行业精神文明建设{kind}",
        period=p,
        issuer=issuer,
        issued_on=issued_on,
        sections=sections,
    )


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ------------------------------------------------------------------------------------------------- Word


def _set_font(run_or_style, names: list[str], size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = names[0]
    font.size = Pt(size_pt)
    font.bold = bold
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), names[0])


def _page_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_text(text: str):
        r = paragraph.add_run(text)
        _set_font(r, ["宋体", "Noto Serif CJK SC"], 14)
        return r

    run_text("— ")
    r = run_text("")
    for tag, attrs in (
        ("w:fldChar", {"w:fldCharType": "begin"}),
        ("w:instrText", {}),
        ("w:fldChar", {"w:fldCharType": "end"}),
    ):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        if tag == "w:instrText":
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        r._r.append(el)
    run_text(" —")


def render_docx(content: ReportContent) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.start_type = WD_SECTION.NEW_PAGE
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.footer_distance = Mm(25)  # the number's line sits ~7 mm below the text area
    doc.settings.odd_and_even_pages_header_footer = True

    normal = doc.styles["Normal"]
    _set_font(normal, BODY_FONTS, 16)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28.95)  # 225 mm / 22 lines
    pf.space_before = pf.space_after = Pt(0)

    odd = sec.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)  # one character in from the outside edge
    _page_field(odd)
    even = sec.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_field(even)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    _set_font(title.add_run(content.title), TITLE_FONTS, 22)
    doc.add_paragraph()

    for s in content.sections:
        h = doc.add_paragraph()
        h.paragraph_format.first_line_indent = Pt(32)
        _set_font(h.add_run(s.heading), H1_FONTS, 16)
        for text in s.paragraphs:
            para = doc.add_paragraph()
            para.paragraph_format.first_line_indent = Pt(32)  # two characters
            _set_font(para.add_run(text), BODY_FONTS, 16)
        if s.chart is not None:
            pic = doc.add_paragraph()
            pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pic.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            pic.add_run().add_picture(io.BytesIO(charts.to_png(s.chart)), width=Mm(150))
        if s.table:
            table = doc.add_table(rows=0, cols=len(s.table[0]))
            table.style = "Table Grid"
            for i, row in enumerate(s.table):
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=False):
                    cell.text = ""
                    p = cell.paragraphs[0]
                    p.paragraph_format.first_line_indent = Pt(0)
                    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                    _set_font(p.add_run(str(value)), BODY_FONTS if i else H1_FONTS, 10.5)

    doc.add_paragraph()
    doc.add_paragraph()
    sign = doc.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.right_indent = Pt(32)
    _set_font(sign.add_run(content.issuer), BODY_FONTS, 16)
    dated = doc.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated.paragraph_format.right_indent = Pt(64)  # 成文日期 four characters in from the right
    _set_font(dated.add_run(cn_date(content.issued_on)), BODY_FONTS, 16)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# -------------------------------------------------------------------------------------------------- PDF


def render_pdf(content: ReportContent) -> bytes:
    # deferred: WeasyPrint loads Pango and its fonts; only the processes that render pay for it
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML

    html = render_to_string(
        "reports/pdf_report.html",
        {
            "c": content,
            "sections": [(s, charts.to_svg(s.chart) if s.chart else "") for s in content.sections],
            "issued_on": cn_date(content.issued_on),
        },
    )
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PDF_CSS))])


# ------------------------------------------------------------------------------------- national workbook

NATIONAL_SHEETS = ["创建活动", "志愿服务", "荣誉称号", "最美快递员", "满意度与申诉"]


def national_rows(stats: CityStats) -> dict[str, tuple[list[str], list[list]]]:
    """The sheets of the national statistics workbook: header and one row per city, then 合计."""
    rows = [*stats.rows, stats.total]

    def code(r):
        return r.code or "合计"

    return {
        "创建活动": (
            ["地市代码", "地市", "创建活动（场）", "参与人次"],
            [[code(r), r.name, r.activities, r.participants] for r in rows],
        ),
        "志愿服务": (
            ["地市代码", "地市", "志愿者（人）", "志愿服务人次", "志愿服务时长（小时）"],
            [[code(r), r.name, r.volunteers, r.volunteer_times, float(r.hours)] for r in rows],
        ),
        "荣誉称号": (
            ["地市代码", "地市", *[LEVEL_LABELS[lv] for lv in LEVELS], "合计"],
            [[code(r), r.name, *[r.titles[lv] for lv in LEVELS], r.titles_total] for r in rows],
        ),
        "最美快递员": (
            ["地市代码", "地市", "推荐人选（人）", "获评（人）"],
            [[code(r), r.name, r.zuimei_nominees, r.zuimei_awarded] for r in rows],
        ),
        "满意度与申诉": (
            [
                "地市代码",
                "地市",
                "评价（份）",
                "满意度指数",
                "申诉（件）",
                "有效申诉（件）",
                "业务量（件）",
                "有效申诉率（件/百万件）",
                "答复超时（件）",
            ],
            [
                [
                    code(r),
                    r.name,
                    r.responses,
                    r.satisfaction,
                    r.complaints,
                    r.valid_complaints,
                    r.items,
                    r.valid_ppm,
                    r.reply_overdue,
                ]
                for r in rows
            ],
        ),
    }


def render_national_xlsx(stats: CityStats, *, issuer: str, generated: str) -> bytes:
    # deferred: openpyxl and the exports helpers are needed only when a workbook is built
    from openpyxl import Workbook

    from wenming.exports.services import safe_cell

    wb = Workbook(write_only=True)
    for name, (header, rows) in national_rows(stats).items():
        ws = wb.create_sheet(title=name)
        ws.append([f"{issuer} {stats.period.label} 邮政行业精神文明建设统计表：{name}"])
        ws.append(header)
        for row in rows:
            ws.append([safe_cell("" if v is None else v) for v in row])
    info = wb.create_sheet(title="说明")
    info.append(["填报单位", issuer])
    info.append(["统计期", f"{stats.period.start.isoformat()} 至 {stats.period.end.isoformat()}"])
    info.append(["生成时间", generated])
    info.append(
        ["口径", "活动为已核实的创建活动；志愿服务为已认定的记录；称号按命名日期；申诉按登记日期；业务量按月份"]
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
