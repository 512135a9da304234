"""The điểm báo as a CSV table: one row per article, UTF-8 with a BOM.

The BOM is what makes Excel on Windows read the file as UTF-8 rather than the
ANSI code page, which would turn every Vietnamese letter into mojibake. A cell
that opens with ``= + - @`` gets a leading apostrophe, so a hostile title is
never run by a spreadsheet as a formula (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import csv
import io

from .clipping import Report, clean

COLUMNS = ("id", "title", "date", "source", "author", "url", "provinces", "persons", "summary")
LIST_SEPARATOR = "; "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_csv(report: Report) -> bytes:
    """The report's articles, in its order, as the bytes of a ``.csv`` file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for hit in report.hits:
        row = (
            hit.id,
            hit.title,
            hit.date or "",
            hit.source or "",
            hit.author or "",
            hit.url or "",
            LIST_SEPARATOR.join(hit.provinces),
            LIST_SEPARATOR.join(hit.persons),
            report.summaries.get(hit.id, ""),
        )
        writer.writerow([cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def cell(value: str) -> str:
    """A cell as a spreadsheet will show it, never as a formula.

    >>> cell("=HYPERLINK(1)"), cell("Tỉnh ủy")
    ("'=HYPERLINK(1)", 'Tỉnh ủy')
    """
    value = clean(value)
    return "'" + value if value.startswith(_FORMULA_START) else value
