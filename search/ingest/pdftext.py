"""Read a PDF's text layer (pypdf), its lines joined back into paragraphs.

A line break inside a paragraph is only where the page ran out of width, so
lines are joined with a space unless the line ends a sentence and the next
opens one, or a blank line, page break or indent says a paragraph ends: a
phrase across a line break stays a phrase. A PDF without a text layer (a
scan) or locked with a password is named with that reason; there is no OCR.
"""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from .document import Document, is_agency_header, place_date
from .page import _SENTENCE_END, byline_name

__all__ = ["join_lines", "read_pdf"]

_MIN_CHARS_PER_PAGE = 40  # fewer: the pages are pictures (a scan)
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?$", re.I)


def join_lines(lines: list[str]) -> list[str]:
    """Paragraphs from the lines of a text layer.

    >>> join_lines(["Hội nghị Ban Chấp hành Đảng bộ", "tỉnh lần thứ 12.", "Sáng nay, tỉnh họp."])
    ['Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12.', 'Sáng nay, tỉnh họp.']
    """
    paras: list[str] = []
    cur: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        if not line or _PAGE_NUMBER.match(line):
            if not line and cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        if cur and cur[-1].endswith(_SENTENCE_END) and (line[0].isupper() or line[0] in "-–•"):
            paras.append(" ".join(cur))
            cur = []
        cur.append(line)
    if cur:
        paras.append(" ".join(cur))
    return paras


def read_pdf(data: bytes) -> Document | str:
    """A PDF's text, title and byline, or the reason it has none."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is one line of ours
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return "encrypted PDF (needs a password)"
        # Layout mode keeps the vertical gaps: a blank line where a paragraph ends.
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        if "encrypt" in str(exc).lower() or "decrypt" in str(exc).lower():
            return "encrypted PDF (needs a password)"
        return f"not a readable PDF: {str(exc) or type(exc).__name__}"
    if not pages:
        return "not a readable PDF: no pages"
    if sum(len(p.strip()) for p in pages) < _MIN_CHARS_PER_PAGE * len(pages):
        return "PDF without a text layer (a scan?): no OCR"
    lines: list[str] = []
    for text in pages:
        lines.extend(text.splitlines())
        lines.append("")
    paras = join_lines(lines)
    stated = None
    while paras and is_agency_header(paras[0]):
        stated = stated or place_date(paras[0])
        paras.pop(0)
    title = ""
    if len(paras) > 1 and len(paras[0]) <= 250 and not paras[0].endswith((".", "!", "?")):
        title = paras.pop(0)
    author = byline_name(paras[-1]) if len(paras) > 1 and len(paras[-1]) < 60 else None
    if author:
        paras.pop()
    if not paras:
        return "no text in the PDF"
    return Document(
        body="\n".join(paras),
        title=title,
        date=stated,
        author=author,
        date_evidence="stated" if stated else None,
    )
