"""What a reader of a document file (.html, .docx, .pdf) found: text and stated metadata.

Each format's reader returns a :class:`Document` (or the reason it has none);
:mod:`.corpus` turns it into an Article. Only what the file states is here:
inference from the text stays :func:`search.ingest.extract.enrich`'s job.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..text.normalize import normalize
from .page import parse_date

__all__ = ["Document", "is_agency_header", "place_date"]


@dataclass
class Document:
    body: str
    title: str = ""
    date: dt.date | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    date_evidence: str | None = None


_AGENCY = re.compile(
    r"^(?:BAN|BỘ|SỞ|CỤC|TỈNH|THÀNH|HUYỆN|UBND|HĐND|ỦY BAN|UỶ BAN|ĐẢNG|ĐOÀN|HỘI|MẶT TRẬN|"
    r"VĂN PHÒNG|CỘNG HÒA|CỘNG HOÀ|BÁO|ĐÀI|TRUNG TÂM|CÔNG AN|BỘ CHỈ HUY|LIÊN ĐOÀN|CHI BỘ)\b"
)
_MOTTO = re.compile(r"độc lập\s*[-–—]\s*tự do|^số\s*:|^\*+$|^[-–—_]+$", re.IGNORECASE)
_PLACE_DATE = re.compile(r",\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE)


def is_agency_header(line: str) -> bool:
    """A line of an official document's header: the agency, the motto, the number, place and date.

    >>> [is_agency_header(s) for s in ("BAN TUYÊN GIÁO TỈNH ỦY", "Độc lập - Tự do - Hạnh phúc",
    ...  "Lạng Sơn, ngày 5 tháng 6 năm 2017", "HỘI NGHỊ BAN CHẤP HÀNH ĐẢNG BỘ TỈNH LẦN THỨ 12 BÀN VỀ KINH TẾ")]
    [True, True, True, False]
    """
    line = normalize(line).strip()
    if _MOTTO.search(line) or _PLACE_DATE.search(line):
        return True
    return line.isupper() and len(line.split()) <= 8 and bool(_AGENCY.match(line))


def place_date(line: str) -> dt.date | None:
    """The date of a document's place-and-date line ("Lạng Sơn, ngày 5 tháng 6 năm 2017").

    >>> place_date("Lạng Sơn, ngày 5 tháng 6 năm 2017")
    datetime.date(2017, 6, 5)
    """
    m = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", line, re.IGNORECASE)
    return parse_date("/".join(m.groups())) if m else None
