"""Infer what users filter and read by: date, provinces, persons and roles, author, source.

Regexes over normalized text and the facts in ``search/data`` (loaded once);
no pyvi pass, so :func:`enrich` stays well under a millisecond per article.
Fields an article already has win: inference only fills what is missing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from functools import cache
from importlib import resources

from ..models import Article
from ..text.normalize import fold, normalize
from .page import DATELINES, byline_name

__all__ = [
    "enrich",
    "find_persons",
    "find_provinces",
    "infer_date",
    "reconcile_date",
    "tail_byline",
    "to_2025",
]

# --- the facts ----------------------------------------------------------------------


def _lines(name: str) -> list[str]:
    text = resources.files("search").joinpath("data", name).read_text(encoding="utf-8")
    return [normalize(line) for line in text.splitlines() if line.strip()]


@cache
def _provinces() -> tuple[dict[str, str], dict[str, str]]:
    """(form -> name of the unit at the time, name -> unit after the 2025 merger)."""
    forms, merged = {}, {}
    for row in _lines("provinces.tsv")[1:]:
        name, _kind, aliases, after = row.split("\t")
        merged[name] = after
        for form in [name, *(a.strip() for a in aliases.split(",") if a.strip())]:
            forms[form] = name
    hcm = "Thành phố Hồ Chí Minh"
    for form in (
        "thành phố Hồ Chí Minh",
        "Tp. Hồ Chí Minh",
        "Tp Hồ Chí Minh",
        "TP. HCM",
        "Tp. HCM",
    ):
        forms[form] = hcm
    forms.update({f.upper(): n for f, n in list(forms.items()) if len(f) > 4})
    return forms, merged


@cache
def _lookup() -> dict[str, str]:
    """Folded, lowercased, separator-free form -> province name (for given values)."""
    forms, merged = _provinces()
    table = {_key(f): n for f, n in forms.items()}
    table.update({_key(n): n for n in merged.values() if _key(n) not in table})
    return table


def _key(s: str) -> str:
    return re.sub(r"[\s.\-]+", "", fold(normalize(s)).lower())


def _trie_regex(sequences: list[list[str]]) -> str:
    """One regex for many alternatives, factored as a trie: Python's re tries
    alternatives one by one, so shared prefixes must be shared in the pattern."""
    trie: dict = {}
    for seq in sequences:
        node = trie
        for atom in seq:
            node = node.setdefault(atom, {})
        node[""] = {}

    def render(node: dict) -> str:
        alts = [atom + render(child) for atom, child in node.items() if atom]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(trie)


def _form_atoms(form: str) -> list[str]:
    """Regex atoms of a province form: any dash or space separates, a dot may be spaced."""
    atoms = []
    for piece in re.findall(r"\s*-\s*|\s+|\.\s*|.", form):
        if not piece.strip() or piece.strip() == "-":
            atoms.append(r"(?:\s*-\s*|\s+)")
        elif piece.startswith("."):
            atoms.append(r"\.\s*")
        else:
            atoms.append(re.escape(piece))
    return atoms


@cache
def _province_re() -> re.Pattern:
    alts = _trie_regex([_form_atoms(f) for f in _provinces()[0]])
    return re.compile(rf"(?<![\w.]){alts}(?![\w])")


@cache
def _surnames() -> set[str]:
    return set(_lines("surnames.txt"))


_EXTRA_TITLES = [
    "Ủy viên",
    "anh",
    "chị",
    "em",
    "cháu",
    "cụ",
    "nhà văn",
    "nhà thơ",
    "nhà báo",
    "nhạc sĩ",
    "họa sĩ",
    "nghệ sĩ",
    "Bác",
    "Tỉnh trưởng",
    "Phó tỉnh trưởng",
    "Phó Tổng thanh tra",
    "Đại sứ",
    "nguyên",
    "PGS-TS",
    "bác sĩ",
    "ĐB",
    "Thẩm phán",
]


@cache
def _title_re() -> re.Pattern:
    titles = set(_lines("titles.txt")) | set(_EXTRA_TITLES)
    seqs = [
        [r"\s+" if c == " " else re.escape(c) for c in " ".join(t.lower().split())] for t in titles
    ]
    return re.compile(rf"(?<![\w])(?:{_trie_regex(seqs)})(?![\w])", re.IGNORECASE)


# --- letters ---------------------------------------------------------------------------


def _letters() -> tuple[str, str]:
    chars = [
        chr(c)
        for r in ((0x41, 0x5B), (0x61, 0x7B), (0xC0, 0x250), (0x1EA0, 0x1EFA))
        for c in range(*r)
    ]
    viet = [c for c in chars if c.isalpha() and fold(c).isascii()]
    return "".join(c for c in viet if c.isupper()), "".join(c for c in viet if c.islower())


_UP, _LO = _letters()
_CAP = f"[{_UP}][{_LO}]+"
_NAME_RUN = re.compile(rf"(?<![\w.])({_CAP}(?: +{_CAP}){{1,4}})(?![\w])")
_CAP_WORD = re.compile(rf"^[{_UP}]")

# --- persons -----------------------------------------------------------------------------

_PLACE_BEFORE = re.compile(
    r"(?:đường|phố|phường|xã|quận|huyện|thị trấn|thị xã|tỉnh|thành phố|TP\.?|cầu|chợ|sân|"
    r"tư tưởng|phong cách|đạo đức|làng|thôn|ấp|hẻm|ngõ|lộ|mang tên|tên|Ảnh\s*:|ảnh\s*:|Tin\s*:)\s*$",
    re.IGNORECASE,
)
_ORG_WORDS = {
    "Trường",
    "THPT",
    "THCS",
    "Viện",
    "Quỹ",
    "Công",
    "Cty",
    "Tập",
    "Giải",
    "Đường",
    "Phố",
    "Cầu",
    "Chợ",
    "Lăng",
    "Bảo",
    "Đền",
    "Chùa",
    "ĐH",
    "Đại",
    "Trung",
    "Đoàn",
    "Hội",
    "Nhà",
    "Bệnh",
    "Học",
    "Ngân",
    "Báo",
    "Đài",
    "Khu",
    "Quận",
    "Huyện",
    "Xã",
    "Phường",
    "Tỉnh",
    "Làng",
}
_CLAUSE_END = re.compile(r"[,;:!?()\"“”]|\.\s")


_HONORIFICS = {"ông", "bà", "đồng chí", "các đồng chí", "anh", "chị", "em", "cháu", "cụ", "nguyên"}


def _honorific(word: str) -> bool:
    return " ".join(word.lower().split()) in _HONORIFICS


def _title_before(text: str, start: int) -> tuple[bool, bool, str | None]:
    """(a title leads to the name in its clause, it ends right at the name, the role it states)."""
    window = text[max(0, start - 120) : start]
    last = None
    for m in _title_re().finditer(window):
        last = m
    if last is None:
        return False, False, None
    gap = window[last.end() :]
    if _CLAUSE_END.search(gap) or len(gap.split()) > 7 or _ORG_WORDS & set(gap.split()):
        return False, False, None
    honorific = _honorific(last.group(0))
    return True, not gap.strip(), None if honorific else window[last.start() :].strip()


_ROLE_OPEN = re.compile(r"\s*(?:,|-|–|\()\s*")
_ROLE_TOKEN = re.compile(r"[ \t]+([^\s,;.()]+)")
_ROLE_WORDS = {"tỉnh", "thành", "phố", "huyện", "quận", "thị", "xã", "phường", "nhân", "dân"}


def _role_after(text: str, end: int) -> str | None:
    """Titles that follow a name: "Hoàng Văn Nghiệm, Phó Bí thư ..., Chủ tịch HĐND tỉnh"."""
    m = _ROLE_OPEN.match(text, end)
    if not m:
        return None
    pos, roles = m.end(), []
    while True:
        t = _title_re().match(text, pos)
        if not t or _honorific(t.group(0)) and t.group(0).lower() != "nguyên":
            break
        stop = t.end()
        while (w := _ROLE_TOKEN.match(text, stop)) and (
            _CAP_WORD.match(w.group(1)) or w.group(1) in _ROLE_WORDS
        ):
            stop = w.end(1)
        roles.append(text[t.start() : stop].strip())
        nxt = re.match(r"\s*,\s*", text[stop:])
        if not nxt:
            break
        pos = stop + nxt.end()
    return ", ".join(roles) if roles else None


def _canonical_name(name: str) -> str:
    """Each syllable capitalized; ``name`` is normalized already."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())


def find_persons(text: str) -> tuple[list[str], dict[str, str], list[tuple[int, int]]]:
    """Persons named in normalized ``text``: (canonical names, role of each where stated, spans).

    >>> names, roles, _ = find_persons("Dự có đồng chí Lâm Thị Phương Thanh, Bí thư Tỉnh ủy Lạng Sơn "
    ...                                "và Thiếu tướng Trần Quốc Tỏ; đường Trần Hưng Đạo.")
    >>> names, roles["Lâm Thị Phương Thanh"]
    (['Lâm Thị Phương Thanh', 'Trần Quốc Tỏ'], 'Bí thư Tỉnh ủy Lạng Sơn')
    """
    surnames, provinces, titles = _surnames(), _province_re(), _title_re()
    found: dict[str, str | None] = {}
    spans: list[tuple[int, int]] = []
    pos = 0
    while m := _NAME_RUN.search(text, pos):
        start, words = m.start(), m.group(1).split()
        pos = m.start() + len(words[0])
        p = provinces.match(text, start)
        if p:  # "Hà Tĩnh Lê Đình Sơn": the province is no family name
            pos = p.end()
            continue
        if _honorific(words[0]):  # "Ông Cầm Bá Thể" opening a sentence
            continue
        listed = words[0] in surnames or f"{words[0]} {words[1]}" in surnames
        if not listed and not surnames.intersection(words):
            if len(words) < 3 and not _ROLE_OPEN.match(text, m.end()):
                pos = m.end()  # "Ban Thường vụ": no family name and no role after it
                continue
        # Cut the given names where a title or a province begins ("Võ Công Trí Phó Bí thư").
        cut, offset = len(words), start + len(words[0])
        for i in range(1, len(words)):
            offset = text.index(words[i], offset)
            t = titles.match(text, offset)
            if words[i] in ("Ông", "Bà"):  # "Vàng bạc Hà An Ông Nguyễn Thanh Hà"
                cut = i
                break
            if (i >= 2 and t and not _honorific(t.group(0))) or (
                i >= 3 and provinces.match(text, offset)
            ):
                cut = i
                break
            offset += len(words[i])
        words = words[: min(cut, 4)]
        if len(words) < 2:
            continue
        end = text.index(words[-1], start + len(words[0])) + len(words[-1])
        if re.match(r"\s+[A-ZĐ]\.", text[end : end + 3]):
            continue  # "chị Nguyễn Thị Bích T.": the name is withheld
        before = text[max(0, start - 40) : start]
        titled, exact, role = _title_before(text, start)
        clause = re.split(r"[,;:!?()\"“”]|\.\s", before)[-1]
        prev = [w.strip("*•-–") for w in clause.split()[-3:]]
        if not exact and (_PLACE_BEFORE.search(before) or _ORG_WORDS & set(prev)):
            continue
        canon = _canonical_name(" ".join(words))
        after_role = _role_after(text, end)
        if not listed:
            # An unlisted family name (Kpă Thuyên, Tất Thành Cang) needs a title
            # right before it and a role after it or three syllables.
            if (
                not (exact and (after_role or len(words) >= 3))
                or _ORG_WORDS & set(words)
                or surnames & set(words[1:])
                or titles.match(text, start)
            ):
                continue
        elif not (titled or after_role or canon in found):
            capitalized_before = prev and prev[-1][-1:].isalpha() and _CAP_WORD.match(prev[-1])
            if len(words) < 3 or capitalized_before:
                continue  # "Kiếp Bạc Tòa Cửu Phẩm": inside a longer proper name
        pos = end
        role = after_role or role
        if canon not in found or (role and len(role) > len(found[canon] or "")):
            found[canon] = role
        spans.append((start, end))
    names = list(found)
    return names, {n: r for n, r in found.items() if r}, spans


# --- provinces ----------------------------------------------------------------------------

_NOT_PROVINCE_BEFORE = re.compile(
    r"(?:huyện|quận|thị xã|thị trấn|xã|phường|đường|phố|quốc lộ|cầu|sông|chợ|hẻm|ấp|thôn|"
    r"làng|khu|đảo|núi|bến|sân bay|ga|Báo|báo|Bia|tờ)\s*$",
    re.IGNORECASE,
)
_COMPANY = {
    "công",
    "cty",
    "tập",
    "ngân",
    "tạp",
    "đài",
    "clb",
    "khách",
    "bia",
    "nhà",
    "nhiệt",
    "xi",
    "fc",
    "báo",
}
_PREFIX_STOP = {"tỉnh", "thành", "phố", "tp", "tp.", "ở", "tại", "của"}


def find_provinces(text: str, persons: list[tuple[int, int]] = ()) -> list[str]:
    """Provinces (names of the time) mentioned in ``text``, in order of first mention.

    >>> find_provinces("Vì hòa bình, tỉnh Hòa Bình và TP.HCM; huyện Quảng Ninh, Quảng Bình.")
    ['Hòa Bình', 'Thành phố Hồ Chí Minh', 'Quảng Bình']
    """
    forms = _provinces()[0]
    seen: dict[str, None] = {}
    for m in _province_re().finditer(text):
        s, e = m.span()
        if any(ps <= s < pe or ps < e <= pe for ps, pe in persons):
            continue  # inside a person's name: "Nguyễn Thái Bình"
        before = text[max(0, s - 40) : s]
        if _NOT_PROVINCE_BEFORE.search(before):
            continue
        prev = [w.strip("*•-–") for w in re.split(r"[,;:.!?()\"“”]", before)[-1].split()[-4:]]
        stop = next(
            (i for i in range(len(prev) - 1, -1, -1) if prev[i].lower() in _PREFIX_STOP), -1
        )
        if any(w.lower() in _COMPANY for w in prev[stop + 1 :]):
            continue  # "Công ty Nhôm Đắk Nông", "Bia Sài Gòn"
        if before.endswith("(") and re.match(
            rf"\s*,\s*(?:{_province_re().pattern})\s*\)", text[e : e + 40]
        ):
            continue  # "(Quảng Ninh, Quảng Bình)": a district, then its province
        nxt = re.match(rf"\s+([{_UP}]\w*)", text[e : e + 30])
        if (
            nxt
            and stop < 0
            and nxt.group(1) not in _surnames()
            and not _title_re().match(text, e + nxt.start(1))
        ):
            continue  # "Sài Gòn Giải Phóng", "Hà Nội Mới"
        seen[_canonical_province(m.group(0), forms)] = None
    return list(seen)


def _canonical_province(matched: str, forms: dict[str, str]) -> str:
    flat = re.sub(r"\s*-\s*|\s+", " ", matched).replace(". ", ".")
    return forms.get(matched) or forms.get(flat) or _lookup().get(_key(matched), matched)


def to_2025(provinces: list[str]) -> list[str]:
    """The units after NQ 202/2025/QH15 that the given provinces belong to.

    >>> to_2025(["Hà Giang", "Tuyên Quang", "Lạng Sơn"])
    ['Tuyên Quang', 'Lạng Sơn']
    """
    merged = _provinces()[1]
    return list(dict.fromkeys(merged[p] for p in provinces if p in merged))


# --- dates -----------------------------------------------------------------------------------

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

_CREDIT = re.compile(
    r"^(?:(?:Tin|Bài|Ảnh|Video)(?:\s*[,-]\s*(?:ảnh|bài|clip))?\s*:?|Theo)$", re.IGNORECASE
)


def tail_byline(body: str) -> tuple[str | None, int]:
    """The author named at the end of a body, and where that byline starts.

    >>> tail_byline("... cập nhật vụ việc. Tin, ảnh: HỒNG HIẾU")
    ('Hồng Hiếu', 32)
    """
    text = body.rstrip(" -\n\t")
    paren = re.search(r"\s*\([^()]{1,80}\)$", text)
    if paren:
        text = text[: paren.start()]
    words = list(re.finditer(r"\S+", text[-160:]))
    base = max(0, len(text) - 160)
    run: list[re.Match] = []
    for w in reversed(words):
        token = w.group(0).split("/")[0] if w is words[-1] else w.group(0)
        if token in {"-", "–"} or (_CAP_WORD.match(token) and token[-1].isalpha()):
            run.insert(0, w)
            continue
        break
    while run and (_CREDIT.match(run[0].group(0)) or run[0].group(0) in {"-", "–"}):
        run.pop(0)
    if not run:
        return None, len(body)
    initial = next((w for w in run if re.match(r"[A-ZĐ]\.\w", w.group(0))), None)
    if initial is not None:  # "... trong ngày Vía Thần Tài P.Linh": the name opens there
        run = run[run.index(initial) :]
    start = base + run[0].start()
    name = byline_name(re.sub(r"/\S*$", "", text[start:]))
    if name is None or name in _provinces()[0]:
        return None, len(body)
    return name, start


def _dateline_source(body: str) -> str | None:
    m = re.match(r"\(?([A-ZĐ&]{2,6})\)?\s*[-–]\s*\S", body)
    return DATELINES.get(m.group(1)) if m else None


# --- all of it -------------------------------------------------------------------------------


def enrich(article: Article) -> Article:
    """A copy of ``article`` with every missing field inferred from its text."""
    a = dataclasses.replace(
        article, provinces=list(article.provinces), persons=list(article.persons)
    )
    body = a.body
    end = len(body)
    if not a.origin.endswith(".txt"):  # a copied page's byline is gone already
        byline, end = tail_byline(body)
        a.author = a.author or byline
    text = normalize(a.title + "\n" + body[:end] if a.title else body[:end])
    persons, roles, spans = find_persons(text)
    if not a.persons:
        a.persons = persons
    else:
        a.persons = list(dict.fromkeys(_canonical_name(normalize(p)) for p in a.persons))
    a.roles = {**{p: r for p, r in roles.items() if p in a.persons}, **a.roles}
    if a.provinces:
        a.provinces = list(dict.fromkeys(_lookup().get(_key(p), p) for p in a.provinces))
    else:
        a.provinces = find_provinces(text, spans)
    if not a.provinces_2025:
        a.provinces_2025 = to_2025(a.provinces)
    if a.date is None:
        a.date, a.date_evidence = infer_date(normalize(a.title), text[len(a.title) :])
    if a.source is None:
        a.source = _dateline_source(body)
    if not a.title:
        first = body.strip().split("\n", 1)[0]
        a.title = first if len(first) <= 200 else first[:120].rsplit(" ", 1)[0] + "…"
    return a
