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


_ANY_FULL_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d\d)(?!\d)")
_PERIOD = re.compile(r"(tháng|quý)\s+([\dIVX]+)\s*[/-]\s*((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_EDITION = re.compile(r"lần thứ\s+[IVXL]+\s*[-–]\s*((?:19|20)\d\d)(?!\d)")
_NEAR_DAYS = 31  # a full date this close to the lead's day and month gives it its year


def lead_year(body: str, lead: tuple[int, int], at: int) -> int | None:
    """The year of the lead's day and month (``lead`` = (month, day) found at ``at``), from
    evidence in the same text only, or None when there is none or it disagrees.

    Evidence: a full date within a month of it ("(21/6/1925-21/6/2017)"), the
    month or quarter it falls in ("tháng 4-2017" for 9-5, "quý IV/2017" for
    20/10), "năm 2017" in the lead's own sentence (not "sinh năm", "đến năm").
    A year merely named in the text is no evidence (a 2017 article recalls 2005
    as often as it names 2017), and evidence for a year the text names a later
    one beside ("tháng 2/2016" in a piece on 2017) is no evidence either.

    >>> lead_year("Chiều 9-5, ... từ đầu tháng 4-2017 ...", (5, 9), 0)
    2017
    >>> lead_year("Ngày 6-2, theo Chỉ thị ngày 16-12-2016 ...", (2, 6), 0) is None
    True
    """
    mo, d = lead
    years: set[int] = set()
    founded = {a.start(1) for a in _ANNIVERSARY.finditer(body)}  # "(21/6/1925-": the past
    for m in _ANY_FULL_DATE.finditer(body):
        before = [w.lower() for w in body[max(0, m.start() - 14) : m.start()].split()[-2:]]
        if m.start(3) in founded or {"sinh", "hồi"} & set(before):
            continue  # a founding, a birth: the past
        full = _date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        for y in (int(m.group(3)) - 1, int(m.group(3)), int(m.group(3)) + 1):
            cand = _date(y, mo, d)
            if full and cand and abs((cand - full).days) <= _NEAR_DAYS:
                years.add(y)
    for m in _PERIOD.finditer(body):
        n = _ROMAN.get(m.group(2).upper()) if not m.group(2).isdigit() else int(m.group(2))
        before = body[max(0, m.start() - 8) : m.start()].split()
        if n is None or (before and before[-1].lower() in _PERIOD_PAST):
            continue
        if m.group(1).lower() == "tháng" and abs(n - mo) <= 1:
            years.add(int(m.group(3)))
        elif m.group(1).lower() == "quý" and (mo - 1) // 3 + 1 == n:
            years.add(int(m.group(3)))
    start = max(body.rfind(". ", 0, at), body.rfind("\n", 0, at)) + 1
    ends = [i for i in (body.find(". ", at), body.find("\n", at)) if i >= 0]
    sentence = body[start : min(ends) if ends else len(body)]
    for m in _YEAR_WORD.finditer(sentence):
        before = sentence[max(0, m.start() - 8) : m.start()].split()
        if not before or before[-1].lower().strip("(,") not in _PAST_WORDS | {"trong"}:
            years.add(int(m.group(1)))
    years.update(int(y) for y in _EDITION.findall(sentence))  # "Festival ... lần thứ VI-2017"
    if len(years) != 1:
        return None
    year = years.pop()
    latest = max(_current_years(body), default=year)
    return year if latest <= year else None  # the text speaks of a later year as present


def _current_years(text: str):
    """Years the text names as present or past: not births, targets or ranges."""
    for m in _YEAR_WORD.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()].split()
        if not before or before[-1].lower().strip("(,") not in _PAST_WORDS - {"vào"}:
            yield int(m.group(1))
    for m in _ANY_FULL_DATE.finditer(text):
        yield int(m.group(3))


def reconcile_date(
    body: str, timestamp: dt.date | None = None, banner: dt.date | None = None
) -> tuple[dt.date | None, str | None]:
    """The date an article reports on, and the evidence that decided it.

    A time stamp wins. Otherwise the lead's day/month ("Sáng nay (5/6)") takes
    its year from the lead itself, else from evidence beside it in the text
    (:func:`lead_year`), else from the banner (the page's date line: an upper
    bound, often the day the page was viewed, so the latest such day not
    after it). No evidence, no date: a wrong year misplaces an article in
    every filter and sort, which is worse than none.

    >>> reconcile_date("Sáng nay (5/6), ... đến hết năm 2018 ...", None, dt.date(2020, 1, 20))
    (datetime.date(2019, 6, 5), 'lead+banner')
    >>> reconcile_date("Sáng nay (20/10), ... quý IV/2017 ...", None, dt.date(2022, 8, 8))
    (datetime.date(2017, 10, 20), 'lead+text')
    >>> reconcile_date("Sáng nay (6/2), ... như năm 2005 ...")
    (None, None)
    """
    if timestamp:
        return timestamp, "timestamp"
    lead = year = None
    for m in _LEAD_DATE.finditer(body[:400]):
        d, mo = int(m.group(1)), int(m.group(2))
        if m.group(3) and _date(int(m.group(3)), mo, d):
            return _date(int(m.group(3)), mo, d), "lead"
        if 1 <= mo <= 12 and _date(2000, mo, d):  # 2000: a leap year, 29/2 passes
            lead = (mo, d)
            year = lead_year(body, lead, m.start())
            break
    if lead and banner:
        by = banner.year if (lead <= (banner.month, banner.day)) else banner.year - 1
        if year is None or year > by:
            return _date(by, *lead), "lead+banner"
        return _date(year, *lead), "lead+text"
    if lead and year:
        return _date(year, *lead), "lead+text"
    text_years = text_year(body)
    if banner and (text_years is None or text_years >= banner.year - 1):
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
