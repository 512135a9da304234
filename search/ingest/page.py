"""Parse a news page copied as text: chrome, title, lead, body, captions, byline.

A copied page has no markup, only lines. The layout of the seeds (and of most
Vietnamese news sites) is: menu and hotline lines, a date banner, the title
(sometimes a kicker line ending in ":" before it), a lead opening with the
outlet's dateline ("LSO-Sáng nay (5/6), ..."), body paragraphs with image
captions between them (lines that end without sentence punctuation), and the
author on the last line. Everything here is ``str -> data``: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..text.normalize import fold, normalize

__all__ = ["Page", "byline_name", "parse_date", "parse_page", "DATELINE", "DATELINES"]

# Datelines that open a lead, and the outlet they stand for.
DATELINES = {
    "LSO": "Báo Lạng Sơn",
    "BNA": "Báo Nghệ An",
    "BGĐT": "Báo Bắc Giang",
    "BHG": "Báo Hà Giang",
    "BTO": "Báo Bình Thuận",
    "BPO": "Báo Bình Phước",
    "QNO": "Báo Quảng Ngãi",
    "HNM": "Hà Nội Mới",
    "KTĐT": "Kinh tế & Đô thị",
    "ĐCSVN": "Báo Điện tử Đảng Cộng sản Việt Nam",
    "NDĐT": "Nhân Dân",
    "QĐND": "Quân đội Nhân dân",
    "CAND": "Công an Nhân dân",
    "TTXVN": "TTXVN",
    "VOV": "VOV",
    "VTV": "VTV",
    "SGGP": "Sài Gòn Giải Phóng",
    "TTO": "Tuổi Trẻ",
    "PLO": "Pháp Luật TP.HCM",
    "GDVN": "Giáo dục Việt Nam",
}
# "LSO-", "(BNA) -", "TTXVN –": the agency's code, then a dash, opening a lead.
DATELINE = re.compile(r"^\(?([A-ZĐ&]{2,6})\)?\s*[-–]\s*(?=\S)")
_DASH_LEAD = re.compile(r"^[-–]\s+")

_SOCIAL = {"rss", "youtube", "facebook", "twitter", "zalo", "tiktok", "instagram", "email"}
_CHROME_WORDS = _SOCIAL | {"trang", "chu", "dang", "nhap", "ky", "tim", "kiem", "lien", "he"}
_WEEKDAY = r"(?:Thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|Chủ\s+nhật)"
_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_BANNER = re.compile(rf"^\s*{_WEEKDAY}\s*,?\s*(?:ngày\s*)?{_DATE}", re.IGNORECASE)
_TIMESTAMP = re.compile(
    rf"^\s*\d{{1,2}}[:h]\d{{2}}\s*(?:[|,-]\s*)?(?:{_WEEKDAY}\s*,?\s*)?{_DATE}\s*$"
)
_TIMESTAMP_2 = re.compile(
    rf"^\s*{_DATE}\s*(?:[|,-]\s*)?\d{{1,2}}[:h]\d{{2}}(?:\s*(?:GMT|\(GMT)\S*)?\s*$"
)
_HOTLINE = re.compile(
    r"hotline|đường dây nóng\s*:|\b0\d{2,3}[.\s]?\d{3}[.\s]?\d{3,4}\b", re.IGNORECASE
)
_SENTENCE_END = tuple(".!?…:;\"'”)»")
_CAPTION_MARK = "\ue000"  # marks a line known to be a caption while paragraphs form
_NAME_WORD = re.compile(r"^(?:[A-ZĐ]\.)?[A-ZÀ-ỸĐ][a-zà-ỹđA-ZÀ-ỸĐ]*$")


@dataclass
class Page:
    """What :func:`parse_page` finds in a copied page."""

    title: str = ""
    lead: str = ""
    body: str = ""  # lead, paragraphs and captions, in page order
    captions: list[str] = field(default_factory=list)
    author: str | None = None
    source: str | None = None
    banner: dt.date | None = None  # the page's date line: often the day it was viewed
    timestamp: dt.date | None = None  # an explicit publication time stamp
    dropped: list[str] = field(default_factory=list)  # chrome lines, for inspection


def parse_date(text: str) -> dt.date | None:
    """A dd/mm/yyyy (or d-m-yyyy, d.m.yyyy) date, or None when it is not a real day.

    >>> parse_date("23/05/2020"), parse_date("31-2-2020")
    (datetime.date(2020, 5, 23), None)
    """
    m = re.search(_DATE, text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _is_social(line: str) -> bool:
    words = re.findall(r"\w+", fold(line).lower())
    return bool(words) and all(w in _CHROME_WORDS for w in words) and bool(_SOCIAL & set(words))


def _is_alt_text(line: str) -> bool:
    """An image file name or alt text typed without diacritics ("lanh dao ... da ps")."""
    words = line.split()
    return len(words) >= 4 and line.isascii() and line == line.lower() and not line.endswith(".")


def byline_name(text: str) -> str | None:
    """The author's name in a byline, in title case, or None when it is no name.

    >>> byline_name("CÔNG QUÂN"), byline_name("Thu Hiền"), byline_name("T.UYÊN")
    ('Công Quân', 'Thu Hiền', 'T.Uyên')
    >>> byline_name("Tỉnh ủy Lạng Sơn tổ chức hội nghị.") is None
    True
    """
    text = normalize(text).strip(" -–\t")
    names = [n.strip() for n in re.split(r"\s+-\s+|\s*,\s*", text) if n.strip()]
    if not names or len(names) > 3:
        return None
    out = []
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 4 or not all(_NAME_WORD.match(w) for w in words):
            return None
        if len(words) == 1 and "." not in words[0]:
            return None
        if any(_is_acronym(w) for w in words):
            return None  # an agency or a role (TTXVN, PV, VOV), not a name
        out.append(" ".join(_title(w) for w in words))
    return " - ".join(out)


_AGENCIES = {fold(k) for k in DATELINES} | {"PV", "CTV", "VNA", "VTC", "TTXVN", "BTV", "ONLINE"}


def _is_acronym(word: str) -> bool:
    last = word.rpartition(".")[2]
    if len(last) < 2:  # "P.V"
        return True
    return fold(word).upper() in _AGENCIES or not re.search(r"[aeiouy]", fold(last).lower())


def _title(word: str) -> str:
    if "." in word:
        head, _, tail = word.rpartition(".")
        return head.upper() + "." + tail.capitalize()
    return word.capitalize()


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paras, cur = [], []
    for line in lines:
        if cur and DATELINE.match(line.strip()):  # a dateline opens the lead
            paras.append(cur)
            cur = []
        if line.strip():
            cur.append(line.strip())
        elif cur:
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    return paras


def parse_page(text: str) -> Page:
    """Split a copied news page into its parts.

    >>> p = parse_page("RSS Youtube Facebook\\nThứ ba 26/05/2020 20:33 Hotline: 0913.068.624\\n\\n"
    ...                "Tiêu đề bài\\n21:22 | 23/05/2020\\n\\nLSO-Sáng nay (5/6), tỉnh họp.\\n\\nCÔNG QUÂN")
    >>> p.title, p.lead, p.author, p.source, p.banner, p.timestamp
    ('Tiêu đề bài', 'Sáng nay (5/6), tỉnh họp.', 'Công Quân', 'Báo Lạng Sơn', datetime.date(2020, 5, 26), datetime.date(2020, 5, 23))
    """
    page = Page()
    kept: list[str] = []
    caption_next = False
    for raw in normalize(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            kept.append("")
            continue
        banner = _BANNER.match(line)
        if banner:
            page.banner = page.banner or parse_date(line)
            page.dropped.append(line)
            continue
        if _TIMESTAMP.match(line) or _TIMESTAMP_2.match(line):
            page.timestamp = page.timestamp or parse_date(line)
            page.dropped.append(line)
            continue
        if _is_social(line) or _HOTLINE.search(line) and len(line) < 160 or _is_alt_text(line):
            page.dropped.append(line)
            kept.append("")  # what follows an alt text is its caption: keep it apart
            caption_next = _is_alt_text(line)
            continue
        kept.append(_CAPTION_MARK + line if caption_next else line)
        caption_next = False
    paras = _paragraphs(kept)
    if paras and len(paras) > 1:
        byline = byline_name(paras[-1][-1]) if len(paras[-1][-1]) < 60 else None
        if byline:
            page.author = byline
            paras[-1].pop()
            if not paras[-1]:
                paras.pop()
    page.title, paras = _take_title(paras)
    blocks = []
    for i, para in enumerate(paras):
        # A paragraph whose last line ends without punctuation ends with a caption
        # (seed 004: the caption follows the lead after a single line break).
        lines = list(para)
        if lines[0].startswith(_CAPTION_MARK):
            caption = lines.pop(0)[1:]
            page.captions.append(caption)
            blocks.append(caption)
            if not lines:
                continue
        ends = [k for k, line in enumerate(lines) if line.endswith(_SENTENCE_END)]
        tail = lines[ends[-1] + 1 :] if ends else []
        lines = lines[: ends[-1] + 1] if ends else lines
        joined = " ".join(lines)
        if i > 0 and not joined.endswith(_SENTENCE_END):
            page.captions.append(joined)
        blocks.append(joined)
        if tail:
            caption = " ".join(tail)
            page.captions.append(caption)
            blocks.append(caption)
    if blocks:
        lead = blocks[0]
        m = DATELINE.match(lead)
        if m and (m.group(1) in DATELINES or m.group(1).isupper()):
            page.source = DATELINES.get(m.group(1), m.group(1))
            lead = lead[m.end() :]
        else:
            lead = _DASH_LEAD.sub("", lead)
        blocks[0] = page.lead = lead
    page.body = "\n\n".join(blocks)
    return page


def _take_title(paras: list[list[str]]) -> tuple[str, list[list[str]]]:
    """The title: the first short paragraph(s) before the lead; a kicker ending in ':' joins."""
    if len(paras) < 2:
        return "", paras
    parts = []
    while paras and len(parts) < 3:
        first = " ".join(paras[0])
        if len(first) > 250 or (parts and not parts[-1].endswith(":")):
            break
        if DATELINE.match(first) or _DASH_LEAD.match(first):
            break
        parts.append(first)
        paras = paras[1:]
        if not first.endswith(":"):
            break
    return " ".join(parts), paras
