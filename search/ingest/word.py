"""Read a Word file (.docx): paragraphs and table cells in reading order, the title, the byline.

The title is the first heading, else the first large bold paragraph that is
not part of an official header ("BAN TUYÊN GIÁO TỈNH ỦY", the motto, "Số:
..."), never the file's core properties: they name whoever set up the
machine. Runs in a legacy font (``.VnTime``, ``VNI-Times``) become the
letters they show, run by run: one file may mix Unicode and ``.VnTime`` text.
``.doc`` and ``.rtf`` are not read: Word saves them as ``.docx``.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from .document import Document, is_agency_header, place_date
from .encodings import font_encoding, redecode
from .page import byline_name

__all__ = ["read_docx"]

_LARGE_PT = 13.5  # a title is set larger than the 12-14 pt text around it
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Styles:
    """A document's styles, each looked up once: python-docx scans them all per lookup."""

    def __init__(self, doc) -> None:
        self.by_id = {s.style_id: s for s in doc.styles}
        normal = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.normal = normal.style_id if normal is not None else None
        self.cache: dict[tuple[str | None, str], object] = {}

    def get(self, style_id: str | None, attr: str):
        """``font.name``, ``font.bold``, ``font.size`` or ``name`` up the style's base chain."""
        key = (style_id, attr)
        if key not in self.cache:
            style, value = self.by_id.get(style_id or self.normal), None
            while style is not None and value is None:
                value = style.name if attr == "name" else getattr(style.font, attr.split(".")[1])
                style = style.base_style
            self.cache[key] = value
        return self.cache[key]


def _run_font(run, para_style: str | None, styles: _Styles) -> str | None:
    rfonts = run._r.rPr.rFonts if run._r.rPr is not None else None
    if rfonts is not None:
        for attr in ("ascii", "hAnsi", "cs"):
            value = rfonts.get(_W + attr)
            if value:
                return value
    run_style = run._r.style
    return (styles.get(run_style, "font.name") if run_style else None) or styles.get(
        para_style, "font.name"
    )


def _para_text(para: Paragraph, styles: _Styles) -> str:
    """A paragraph's text, each legacy-font run decoded by its font."""
    parts = []
    for run in para.runs:
        legacy = font_encoding(_run_font(run, para._p.style, styles))
        parts.append(redecode(run.text, *legacy) if legacy and run.text else run.text)
    return "".join(parts) if para.runs else para.text


def _looks_like_title(para: Paragraph, styles: _Styles) -> bool:
    style = para._p.style
    if (styles.get(style, "name") or "").lower().startswith(("heading", "title")):
        return True
    runs = [r for r in para.runs if r.text.strip()]
    if not runs:
        return False
    bold = all(r.bold if r.bold is not None else bool(styles.get(style, "font.bold")) for r in runs)
    sizes = [r.font.size or styles.get(style, "font.size") for r in runs]
    large = any(s is not None and s.pt >= _LARGE_PT for s in sizes)
    return bold and large


def _blocks(container, styles: _Styles, seen: set):
    """(paragraph, text) in reading order, descending into table cells (merged cells once)."""
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item, _para_text(item, styles)
        elif isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc in seen:  # the set keeps the element, so its proxy stays one
                        continue
                    seen.add(cell._tc)
                    yield from _blocks(cell, styles, seen)


def read_docx(data: bytes) -> Document | str:
    """A Word file's text, title and byline, or the reason it has none."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return "not a Word file: no .docx zip inside (damaged, or another format renamed .docx)"
    try:
        doc = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        return f"not a Word file: {str(exc).strip(chr(34)) or type(exc).__name__}"
    styles = _Styles(doc)
    title, lines, author, stated = "", [], None, None
    header = True
    for para, text in _blocks(doc, styles, set()):
        text = " ".join(text.split())
        if not text:
            continue
        if header and is_agency_header(text):
            stated = stated or place_date(text)
            continue
        if not title and _looks_like_title(para, styles) and len(text) <= 300:
            title, header = text, False
            continue
        header = False
        lines.append((para, text))
    if lines:
        last_para, last = lines[-1]
        if last_para.alignment == WD_ALIGN_PARAGRAPH.RIGHT and len(last) < 60:
            author = byline_name(last)
            if author:
                lines.pop()
    body = "\n".join(text for _p, text in lines)
    if not body.strip():
        return "no text in the Word file"
    return Document(
        body=body,
        title=title,
        date=stated,
        author=author,
        date_evidence="stated" if stated else None,
    )
