"""Posts: the role phrase an article names a person with, cut into normalized posts.

:func:`find_persons` gives one role phrase per person and article, as written:
"Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy" or "Phó bí thư Tỉnh ủy, Chủ tịch UBND
tỉnh Quảng Ninh". A reader asking "who was Bí thư Tỉnh ủy Lạng Sơn?" needs one
spelling per post, so :func:`split_posts`

- cuts a list of posts into one post each (at commas and "kiêm");
- drops former posts ("nguyên Bí thư", "cựu Chủ tịch"): the person does not hold them;
- drops what is no post: ranks and honours (Thiếu tướng, TS, NSND) and bare
  titles with no body named (Chủ tịch, Thứ trưởng, Trưởng ban);
- spells bodies one way (Ủy ban nhân dân -> UBND, Ban Chấp hành Trung ương Đảng
  -> Trung ương Đảng, ĐBQH -> Đại biểu Quốc hội);
- names the province a provincial post leaves implicit ("Bí thư Tỉnh ủy" in an
  article about Lạng Sơn is "Bí thư Tỉnh ủy Lạng Sơn"), and writes a named one
  the one way ("UBND tỉnh Quảng Ninh", "UBND TP Hà Nội", "Tỉnh ủy Lạng Sơn").

"Phó Bí thư" stays apart from "Bí thư": the whole phrase is the post.
:func:`post_key` is the folded, hyphenated form that identifies a post (and is
its URL): case, tone placement and diacritics do not matter.
"""

from __future__ import annotations

import re
from functools import cache

from ..text.normalize import fold, normalize, slug
from .lexicon import CALLINGS, UPPER, province_forms, province_kinds, province_re, title_list

# Titles that are no post: ranks, degrees, honours, callings.
NOT_POSTS = {
    fold(t).lower()
    for t in (
        "Đại tướng Thượng tướng Trung tướng Thiếu tướng Đại tá Thượng tá Trung tá Thiếu tá "
        "Đại úy Thượng úy Trung úy Thiếu úy Đô đốc".split()
        + [
            "Phó Đô đốc",
            "Chuẩn Đô đốc",
            "Giáo sư",
            "Phó Giáo sư",
            "Tiến sĩ",
            "Thạc sĩ",
            "Bác sĩ",
            "Luật sư",
            "Thẩm phán",
            *CALLINGS,
        ]
    )
}
_DEGREE = re.compile(
    r"^(?:GS|PGS|TS|ThS|BS|NSND|NSƯT|GS\.TS|PGS\.TS|PGS-TS|Nghệ sĩ|Nhà giáo|Thầy thuốc|"
    r"Anh hùng|Mẹ Việt Nam|Bác|ĐB|đồng chí|ông|bà|anh|chị|em|cháu|cụ)\b",
    re.IGNORECASE,
)
# Posts complete without a body: there is one of each in the country.
NATIONAL = {
    fold(t).lower()
    for t in (
        "Tổng Bí thư",
        "Chủ tịch nước",
        "Phó Chủ tịch nước",
        "Thủ tướng",
        "Phó Thủ tướng",
        "Phó Thủ tướng Thường trực",
        "Chủ tịch Quốc hội",
        "Phó Chủ tịch Quốc hội",
        "Thường trực Ban Bí thư",
        "Ủy viên Bộ Chính trị",
        "Ủy viên Trung ương Đảng",
        "Ủy viên dự khuyết Trung ương Đảng",
        "Bí thư Trung ương Đảng",
        "Đại biểu Quốc hội",
        "Tổng Thư ký Quốc hội",
        "Tổng Kiểm toán Nhà nước",
        "Tổng Thanh tra Chính phủ",
        "Tổng Tham mưu trưởng",
        "Tỉnh ủy viên",
        "Thành ủy viên",
    )
}
# One spelling for each body (matched case-insensitively, whole words).
_SPELLINGS = [
    (r"ủy ban nhân dân", "UBND"),
    (r"hội đồng nhân dân", "HĐND"),
    (r"mặt trận tổ quốc", "MTTQ"),
    (
        r"ban chấp hành trung ương đảng|bch trung ương đảng|ban chấp hành trung ương",
        "Trung ương Đảng",
    ),
    (r"trung ương đảng cộng sản việt nam", "Trung ương Đảng"),
    (r"t\.ư\.?|tw", "Trung ương"),
    (r"ban chấp hành đảng bộ", "Ban Chấp hành Đảng bộ"),
    (r"đbqh|đại biểu quốc hội", "Đại biểu Quốc hội"),
    (r"thủ tướng chính phủ", "Thủ tướng"),
    (r"tỉnh ủy", "Tỉnh ủy"),
    (r"thành ủy", "Thành ủy"),
    (r"thành phố|tp\.?", "TP"),
    (r"gd-đt|gd&đt|gd và đt|giáo dục và đào tạo", "Giáo dục và Đào tạo"),
]
_SPELL = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.IGNORECASE), s) for p, s in _SPELLINGS]
# Localities abbreviated before a number or a name: "UBND Q.1", "UBND P.Hải Cảng".
_ABBREVIATED = [
    (re.compile(r"(?<![\w.])Q\.\s*(?=\d)"), "Quận "),
    (re.compile(rf"(?<![\w.])P\.\s*(?=[{UPPER}])"), "phường "),
    (re.compile(rf"(?<![\w.])H\.\s*(?=[{UPPER}])"), "huyện "),
    (re.compile(rf"(?<![\w.])TX\.\s*(?=[{UPPER}])"), "thị xã "),
]
# A committee named with its locality's kind once too often ("Quận ủy quận Thủ Đức",
# "Thành ủy TP Bảo Lộc"), or
# the locality standing for its committee ("Bí thư quận Thủ Đức", "Bí thư huyện Nga Sơn").
_KIND_AGAIN = re.compile(
    r"\b(Quận|Huyện|Thị|Tỉnh|Thành) ủy (?:quận|huyện|thị xã|tỉnh|TP|thành phố) (?=[^\W\d])",
    re.IGNORECASE,
)
_LOCALITY_FOR_COMMITTEE = re.compile(
    r"^((?i:Phó )?(?i:Bí thư)(?i: Thường trực)?) (quận|huyện|thị xã|tỉnh)(?= [^\W\d])(?! ủy)"
)
MAX_WORDS = 14
_FORMER = re.compile(r"^(?:nguyên|cựu|từng là|từng giữ chức)\s+", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|;|\bkiêm\b|\bđồng thời là\b)\s*", re.IGNORECASE)
_LOCALITY = re.compile(r"\s+(?:tỉnh|TP)$")
# Bodies every province has one of, named without the province when the article
# is about it; a district's or commune's would name its district ("huyện", "xã").
_PROVINCIAL_BODY = re.compile(
    r"^[^,]*\b(?:Sở|Công an tỉnh|Bộ Chỉ huy Quân sự tỉnh)\b(?!.*\b(?:huyện|quận|xã|phường|thị xã|TP)\b)"
)
_UNNAMED = re.compile(
    r"\s(?:xã|phường|huyện|quận|thị xã|thị trấn|tỉnh|TP|Đảng bộ|Chi bộ)$", re.IGNORECASE
)
_PARTY = re.compile(r"(?:Tỉnh|Thành) ủy$")
_STANDING_DEPUTY = re.compile(r"^Phó Bí thư Thường trực$", re.IGNORECASE)


@cache
def _city_provinces() -> frozenset[str]:
    """Provinces that are centrally-run cities: their bodies are "Thành ủy", "UBND TP"."""
    return frozenset(n for n, kind in province_kinds().items() if kind.startswith("thành phố"))


@cache
def _generic_titles() -> frozenset[str]:
    """Folded titles of titles.txt naming no body on their own (Chủ tịch, Giám đốc Sở)."""
    titles = {fold(t).lower() for t in title_list()}
    bodies = ("trung uong", "quoc hoi", "chinh phu", "bo ", "tinh", "thanh pho", "huyen", "tp")
    generic = {t for t in titles if not any(b in t for b in bodies)}
    generic |= {t + " thuong truc" for t in generic}
    return frozenset(generic - NATIONAL - NOT_POSTS)


def post_key(post: str) -> str:
    """The folded, hyphenated form of a post or a name: its identity and URL.

    >>> post_key("Bí thư Tỉnh uỷ Lạng Sơn"), post_key("bi-thu-tinh-uy-lang-son")
    ('bi-thu-tinh-uy-lang-son', 'bi-thu-tinh-uy-lang-son')
    """
    return slug(post)


def _province_shown(name: str) -> str:
    return re.sub(r"^Thành phố ", "", name)


def _with_province(post: str, province: str | None) -> str:
    """The post with its province written the one way, or added where implicit."""
    forms = province_forms()[0]
    tail = None
    for m in province_re().finditer(post):
        if m.end() == len(post):
            tail = m
    if tail is not None:
        named = forms.get(tail.group(0)) or forms.get(normalize(tail.group(0)))
        if named is None:
            return post
        core = _LOCALITY.sub("", post[: tail.start()].rstrip(" -–"))
        if not core or core.lower() == "tp":
            return post
        return _placed(core, named)
    if province is None:
        return post
    city = province in _city_provinces()
    if post.endswith(" tỉnh") and not city or post.endswith(" TP") and city:
        return _placed(_LOCALITY.sub("", post), province)
    if post.endswith("Tỉnh ủy") and not city or post.endswith("Thành ủy") and city:
        return _placed(post, province)
    if _STANDING_DEPUTY.match(post):  # one in each province: the article's province's
        return _placed(f"{post} {'Thành ủy' if city else 'Tỉnh ủy'}", province)
    if _PROVINCIAL_BODY.search(post):  # "Giám đốc Sở TT&TT": the article's province's
        return _placed(post, province)
    return post


def _placed(core: str, province: str) -> str:
    if _PARTY.search(core) or core.endswith("Đảng bộ"):
        return f"{core} {_province_shown(province)}"
    word = "TP" if province in _city_provinces() else "tỉnh"
    return f"{core} {word} {_province_shown(province)}"


_BARE_PARTY = re.compile(
    r"^(?:Phó )?Bí thư(?: Thường trực)?(?P<committee> (?:Huyện|Quận|Thị|Thành) ủy)?$", re.IGNORECASE
)
_LOCAL_GOVERNMENT = re.compile(
    r"\b(?:UBND|HĐND|Ủy ban nhân dân|Hội đồng nhân dân)\s+(tỉnh|huyện|quận|thị xã|xã|phường|TP|thành phố)(?:\s+(\S.*))?$",
    re.IGNORECASE,
)
_COMMITTEE = {
    "tỉnh": "Tỉnh ủy",
    "huyện": "Huyện ủy",
    "quận": "Quận ủy",
    "thị xã": "Thị ủy",
    "xã": "Đảng ủy xã",
    "phường": "Đảng ủy phường",
    "tp": "Thành ủy",
    "thành phố": "Thành ủy",
}


def _committee_of(m: re.Match) -> str:
    return f"{m.group(1)} {_COMMITTEE[m.group(2).lower()]}"


def _party_of_next(part: str, rest: list[str]) -> str:
    """ "Phó Bí thư, Chủ tịch UBND huyện Quỳnh Lưu": the party post is of that huyện's committee."""
    bare = _BARE_PARTY.match(part.strip())
    if not bare:
        return part
    for later in rest:
        m = _LOCAL_GOVERNMENT.search(later.strip(" .-–"))
        if not m:
            continue
        committee = _COMMITTEE[m.group(1).lower()]
        if bare.group("committee") and bare.group("committee").strip().lower() != committee.lower():
            return part  # "Phó Bí thư Quận ủy, Chủ tịch UBND tỉnh": not the same locality
        name = m.group(2) or ""
        if name[:1].isdigit():  # "Quận ủy Quận 1"
            name = f"{m.group(1).capitalize()} {name}"
        head = part.strip()[: bare.start("committee")] if bare.group("committee") else part.strip()
        return f"{head} {committee} {name}".strip()
    return part


def split_posts(role: str, province: str | None = None) -> list[str]:
    """The posts a role phrase names, normalized; ``province``: the article's, if any.

    >>> split_posts("Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy", "Lạng Sơn")
    ['Ủy viên Trung ương Đảng', 'Bí thư Tỉnh ủy Lạng Sơn']
    >>> split_posts("nguyên Bí thư Tỉnh ủy, Thiếu tướng", "Lạng Sơn")
    []
    """
    posts: list[str] = []
    role = normalize(role)
    for pattern, spelling in _ABBREVIATED:
        role = pattern.sub(spelling, role)
    parts = _SPLIT.split(role)
    for i, part in enumerate(parts):
        part = _party_of_next(part, parts[i + 1 :])
        part = part.strip(' .-–:()"“”')
        if not part or _FORMER.match(part) or _DEGREE.match(part):
            continue
        for pattern, spelling in _SPELL:
            part = pattern.sub(spelling, part)
        part = _LOCALITY_FOR_COMMITTEE.sub(lambda m: _committee_of(m), part)
        part = _KIND_AGAIN.sub(r"\1 ủy ", part)
        part = " ".join(part.replace("|", " ").split())
        if len(part.split()) > MAX_WORDS:
            continue  # too long: a role phrase run on into the sentence
        post = _with_province(part, province)
        folded = fold(post).lower()
        if folded in NOT_POSTS or folded in _generic_titles() or folded == "uy vien":
            continue
        if len(post.split()) < 2 or _UNNAMED.search(post):
            continue  # "Phó Chủ tịch HĐND xã", "Phó Bí thư Đảng bộ": which one is not said
        if post not in posts:
            posts.append(post)
    return posts


def person_posts(roles: dict[str, str], provinces: list[str]) -> list[tuple[str, str]]:
    """(person, post) pairs of an article, from its roles and its first province."""
    province = provinces[0] if provinces else None
    return [(p, post) for p, role in roles.items() for post in split_posts(role, province)]
