"""The điểm báo: a search written up as the press-clipping report press offices send.

:func:`collect` turns a search into a :class:`Report`; :func:`write_docx` and
:func:`write_csv` write it. No Flask here: the web and the CLI both call these.
"""

from __future__ import annotations

from .clipping import GROUPS, MAX_ARTICLES, SITE_NAME, Report, collect
from .table import write_csv

FORMATS = ("docx", "csv")
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}


def write(report: Report, fmt: str) -> bytes:
    """The report in ``fmt`` (one of FORMATS)."""
    if fmt == "docx":
        from .word import write_docx  # python-docx loads only when a report is written

        return write_docx(report)
    return write_csv(report)


__all__ = [
    "FORMATS",
    "GROUPS",
    "MAX_ARTICLES",
    "MIMETYPES",
    "SITE_NAME",
    "Report",
    "collect",
    "write",
]
