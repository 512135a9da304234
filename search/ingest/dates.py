"""The publication date a text states, and the evidence that decided it."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

_LEAD_DATE = re.compile(
    r"(?<!\w)(?:rạng\s+)?(?:sáng|chiều|tối|trưa|đêm|ngày|hôm)(?:\s+(?:nay|qua|mai))?"
    r"[\s(,–-]*(?:ngày\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?(?![\d])",
    re.IGNORECASE,
)
_YEAR_WORD = re.compile(r"[Nn]ăm\s+((?:19|20)\d\d)(?!\s*[-–/]\s*\d)(?!\d)")
_YEAR_PERIOD = re.compile(r"(?:tháng|quý)\s+[\dIVX]+\s*[/-]\s*((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_ANNIVERSARY = re.compile(
    r"\((?:\d{1,2}[/.-]\d{1,2}[/.-])?((?:18|19|20)\d\d)\s*[-–/]\s*(?:\d{1,2}[/.-]\d{1,2}[/.-])?((?:19|20)\d\d)\)"
)
_FULL_DATE = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d\d)(?!\d)"
)
_PERIOD_PAST = {"từ", "trước", "hồi", "sau"}  # "từ tháng 9/2016"; "vào quý III/2017" may be ahead
_PAST_WORDS = {"sinh", "vào", "từ", "đến", "trước", "tới", "nhìn", "hồi", "sau"}


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def text_year(text: str) -> int | None:
    """The year the text reports in: the one it names most as current, ties to the earliest.

    Years of births, of targets ("đến năm 2020") and term ranges ("2015-2020")
    do not count; an anniversary "(21/6/1925-21/6/2017)" names the current year.

    >>> text_year("Năm 2017, thành phố ... quý IV/2017, đến năm 2020, sinh năm 1959")
    2017
    """
    years: Counter = Counter()
    for m in _YEAR_WORD.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()].split()
        if not before or before[-1].lower().strip("(,") not in _PAST_WORDS:
            years[int(m.group(1))] += 1
    for m in _YEAR_PERIOD.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()].split()
        if not before or before[-1].lower().strip("(,") not in _PERIOD_PAST:
            years[int(m.group(1))] += 1
    for m in _ANNIVERSARY.finditer(text):
        if int(m.group(2)) - int(m.group(1)) >= 10:
            years[int(m.group(2))] += 1
    if not years:
        return None
    return min(years, key=lambda y: (-years[y], y))


def reconcile_date(
    body: str, timestamp: dt.date | None = None, banner: dt.date | None = None
) -> tuple[dt.date | None, str | None]:
    """The date an article reports on, and the evidence that decided it.

    A time stamp wins. Otherwise the lead's day/month ("Sáng nay (5/6)") takes
    its year from the lead itself, else from the year the text reports in
    (the year after, when the text reports that year as over), else from the
    banner (the page's date line: an upper bound, often the day the page was
    viewed, so the latest such day not after it).

    >>> reconcile_date("Sáng nay (5/6), ... đến hết năm 2018 ...", None, dt.date(2020, 1, 20))
    (datetime.date(2019, 6, 5), 'lead+text')
    >>> reconcile_date("Sáng nay (5/6), ...", None, dt.date(2020, 1, 20))
    (datetime.date(2019, 6, 5), 'lead+banner')
    >>> reconcile_date("Sáng nay (20/10), ... quý IV/2017 ...", None, dt.date(2022, 8, 8))
    (datetime.date(2017, 10, 20), 'lead+text')
    """
    if timestamp:
        return timestamp, "timestamp"
    year = text_year(body)
    lead = None
    for m in _LEAD_DATE.finditer(body[:400]):
        d, mo = int(m.group(1)), int(m.group(2))
        if m.group(3) and _date(int(m.group(3)), mo, d):
            return _date(int(m.group(3)), mo, d), "lead"
        if 1 <= mo <= 12 and _date(2000, mo, d):  # 2000: a leap year, 29/2 passes
            lead = (mo, d)
            break
    if year and re.search(rf"(?:hết|cả)\s+năm\s+{year}|năm\s+{year}\s+(?:đạt|tăng|giảm)", body):
        year += 1  # "đến hết năm 2018", "năm 2018 đạt 8,36%": that year is over
    if lead and banner:
        by = banner.year if (lead <= (banner.month, banner.day)) else banner.year - 1
        if year is None or year > by:
            return _date(by, *lead), "lead+banner"
        return _date(year, *lead), "lead+text"
    if lead and year:
        return _date(year, *lead), "lead+text"
    if banner and (year is None or year >= banner.year - 1):
        return banner, "banner"
    return None, None


def infer_date(title: str, body: str) -> tuple[dt.date | None, str | None]:
    """The date of an article read from JSON: lead evidence, else a full date in the title."""
    date, evidence = reconcile_date(body)
    if date:
        return date, evidence
    m = _FULL_DATE.search(title)
    if m and (d := _date(int(m.group(3)), int(m.group(2)), int(m.group(1)))):
        return d, "text"
    return None, None


# --- author and source -------------------------------------------------------------------------
