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


def _style_attr(style, get):
    """The first value ``get`` finds up a style's chain of base styles."""
    while style is not None:
        value = get(style)
        if value is not None:
            return value
        style = style.base_style
    return None


def _run_font(run, para, default: str | None) -> str | None:
    rfonts = run._r.rPr.rFonts if run._r.rPr is not None else None
    if rfonts is not None:
        for attr in ("ascii", "hAnsi", "cs"):
            value = rfonts.get(_W + attr)
            if value:
                return value
    return (
        _style_attr(run.style, lambda s: s.font.name)
        or _style_attr(para.style, lambda s: s.font.name)
        or default
    )


def _para_text(para: Paragraph, default: str | None) -> str:
    """A paragraph's text, each legacy-font run decoded by its font."""
    parts = []
    for run in para.runs:
        legacy = font_encoding(_run_font(run, para, default))
        parts.append(redecode(run.text, *legacy) if legacy and run.text else run.text)
    return "".join(parts) if para.runs else para.text


def _looks_like_title(para: Paragraph) -> bool:
    style = para.style.name.lower() if para.style is not None else ""
    if style.startswith(("heading", "title")):
        return True
    runs = [r for r in para.runs if r.text.strip()]
    if not runs:
        return False
    bold = all(
        r.bold if r.bold is not None else bool(_style_attr(para.style, lambda s: s.font.bold))
        for r in runs
    )
    sizes = [r.font.size or _style_attr(para.style, lambda s: s.font.size) for r in runs]
    large = any(s is not None and s.pt >= _LARGE_PT for s in sizes)
    return bold and large


def _blocks(container, default: str | None, seen: set):
    """(paragraph, text) in reading order, descending into table cells (merged cells once)."""
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item, _para_text(item, default)
        elif isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc in seen:  # the set keeps the element, so its proxy stays one
                        continue
                    seen.add(cell._tc)
                    yield from _blocks(cell, default, seen)


def read_docx(data: bytes) -> Document | str:
    """A Word file's text, title and byline, or the reason it has none."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return "not a Word file: no .docx zip inside (damaged, or another format renamed .docx)"
    try:
        doc = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        return f"not a Word file: {str(exc).strip(chr(34)) or type(exc).__name__}"
    normal = doc.styles.default(1) if hasattr(doc.styles, "default") else None
    default = normal.font.name if normal is not None else None
    title, lines, author, stated = "", [], None, None
    header = True
    for para, text in _blocks(doc, default, set()):
        text = " ".join(text.split())
        if not text:
            continue
        if header and is_agency_header(text):
            stated = stated or place_date(text)
            continue
        if not title and _looks_like_title(para) and len(text) <= 300:
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
