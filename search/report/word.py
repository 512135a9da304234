"""The điểm báo as a Word file (python-docx): heading, then numbered items per group.

Every style is set in one font that has every Vietnamese letter, for all four
of Word's script slots (ascii, hAnsi, eastAsia, cs) and with the theme fonts
removed, so neither Word nor LibreOffice substitutes a font without ạ, ữ, ỹ.
Items are numbered in their text rather than with Word list numbering, which
LibreOffice and Word restart differently across headings.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from .clipping import NO_SOURCE, Item, Report, clean, vn_date

FONT = "Times New Roman"  # in every Windows and, metric-compatible, in LibreOffice
SIZE = Pt(13)  # the size of Vietnamese administrative documents (Nghị định 30/2020)
LINK_BLUE = RGBColor(0x05, 0x63, 0xC1)
LANGUAGE = "vi-VN"
NOTHING_FOUND = "Không tìm thấy bài viết nào phù hợp với nội dung và bộ lọc trên."


def write_docx(report: Report) -> bytes:
    """The report as the bytes of a ``.docx`` file."""
    doc = Document()
    _set_fonts(doc)
    _set_properties(doc, report)
    _heading(doc, report)
    if not report.groups:
        doc.add_paragraph(NOTHING_FOUND)
    ids = {name: doc.styles[name].style_id for name in ("Heading 1", "Heading 2")}
    for group in report.groups:
        head = styled_paragraph(doc, ids["Heading 1"])
        head.add_run(f"{clean(group.label)} ({len(group.items)} tin, bài)")
        for item in group.items:
            _item(doc, item, ids["Heading 2"])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _heading(doc, report: Report) -> None:
    site = doc.add_paragraph()
    site.alignment = WD_ALIGN_PARAGRAPH.CENTER
    site.add_run(clean(report.site_name).upper()).bold = True
    title = doc.add_paragraph("ĐIỂM BÁO", style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for label, value in report.criteria():
        _labelled(doc.add_paragraph(), label, value)
    span = period_words(*report.period())
    if span:
        _labelled(doc.add_paragraph(), "Thời gian", span)
    count = f"{len(report.items)} tin, bài"
    if report.total > len(report.hits):
        count += f" (trong {report.total} kết quả tìm thấy; lấy {len(report.hits)} bài đầu)"
    _labelled(doc.add_paragraph(), "Số tin, bài", count)
    _labelled(doc.add_paragraph(), "Ngày lập", vn_date(report.made))


def period_words(first: dt.date | None, last: dt.date | None) -> str:
    """``từ 01/05/2020 đến 23/05/2020``; one day, one bound or none said as such."""
    if first and first == last:
        return f"ngày {vn_date(first)}"
    return " ".join(
        part for part in (first and f"từ {vn_date(first)}", last and f"đến {vn_date(last)}") if part
    )


def styled_paragraph(doc, style_id: str) -> Paragraph:
    """A new paragraph in a style given by id: python-docx's lookup by name scans
    every style on each call, most of the time of a 200-article report."""
    p = doc.add_paragraph()
    p._p.get_or_add_pPr().style = style_id
    return p


def _item(doc, item: Item, head_style: str) -> None:
    hit = item.hit
    head = styled_paragraph(doc, head_style)
    head.add_run(f"{item.number}. ")
    head.add_run(clean(hit.title) or "(không có tiêu đề)").bold = True
    meta = ", ".join(clean(o) for o in item.outlets) or NO_SOURCE
    if hit.date:
        meta += f" – {vn_date(hit.date)}"
    if len(item.outlets) > 1:
        meta = f"Đăng trên {len(item.outlets)} báo: {meta}"
    doc.add_paragraph().add_run(meta).italic = True
    if item.summary:
        doc.add_paragraph(item.summary)
    if hit.persons:
        _labelled(doc.add_paragraph(), "Nhân vật", ", ".join(clean(p) for p in hit.persons))
    if hit.provinces:
        _labelled(doc.add_paragraph(), "Địa phương", ", ".join(clean(p) for p in hit.provinces))
    if hit.url:
        p = doc.add_paragraph()
        p.add_run("Link: ").bold = True
        add_hyperlink(p, hit.url, clean(hit.url))


def _labelled(p: Paragraph, label: str, value: str) -> None:
    p.add_run(f"{label}: ").bold = True
    p.add_run(clean(value))


def add_hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    """A clickable external link: python-docx reads ``w:hyperlink`` but has no writer for it."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = paragraph.add_run(text)
    run.font.color.rgb = LINK_BLUE
    run.font.underline = True
    link.append(run._r)  # moves the run from the paragraph into the link
    paragraph._p.append(link)


def _set_fonts(doc) -> None:
    for style in doc.styles:  # each style names the font itself, none inherits a theme's
        style.element.get_or_add_rPr().get_or_add_rFonts()
    for rpr in doc.styles.element.iterfind(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"
    ):
        rpr.get_or_add_rFonts()
        for lang in rpr.iterfind(qn("w:lang")):  # spelling and hyphenation in Vietnamese
            for slot in ("w:val", "w:eastAsia", "w:bidi"):
                lang.set(qn(slot), LANGUAGE)
    # Every rFonts of styles.xml: defaults, styles, and table styles' conditional parts.
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    normal = doc.styles["Normal"]
    normal.font.size = SIZE
    normal.paragraph_format.space_after = Pt(4)  # an item's lines read as one block
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Heading 2"].font.size = SIZE


def _set_properties(doc, report: Report) -> None:
    props = doc.core_properties
    words = "; ".join(value for _, value in report.criteria())
    props.title = clean(f"Điểm báo: {words}")[:250]
    props.author = clean(report.site_name)[:250]
    props.language = LANGUAGE
    props.created = props.modified = dt.datetime.combine(report.made, dt.time())
