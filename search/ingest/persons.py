"""Persons and the roles an article names them with."""

from __future__ import annotations

import re

from .lexicon import LOWER, UPPER, country_re, province_re, surname_set, title_re

_CAP = f"[{UPPER}][{LOWER}]+"
_NAME_RUN = re.compile(rf"(?<![\w.])({_CAP}(?: +{_CAP}){{1,4}})(?![\w])")
CAP_WORD = re.compile(rf"^[{UPPER}]")

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
    for m in title_re().finditer(window):
        last = m
    if last is None:
        return False, False, None
    gap = window[last.end() :]
    if _CLAUSE_END.search(gap) or len(gap.split()) > 7 or _ORG_WORDS & set(gap.split()):
        return False, False, None
    honorific = _honorific(last.group(0))
    role = None if honorific else window[last.start() :].strip()
    if role and _FORMER_BEFORE.search(window[: last.start()]):
        role = "nguyên " + role  # "nguyên Thủ tướng Nguyễn Tấn Dũng": no longer holds it
    return True, not gap.strip(), role


_ROLE_OPEN = re.compile(r"\s*(?:,|-|–|\()\s*")
_FORMER_BEFORE = re.compile(r"(?<!\w)(?:nguyên|cựu)\s+$", re.IGNORECASE)
# A dot inside a token belongs to it (T.Ư, TP.HCM); one before a space ends the sentence.
_ROLE_TOKEN = re.compile(r"[ \t]+((?:[^\s,;.()]|\.(?=[^\s,;.()]))+)")
_LOCALITY_WORDS = {"tỉnh", "huyện", "quận", "xã", "phường", "trấn", "TP"}
_ROLE_WORDS = {"tỉnh", "thành", "phố", "huyện", "quận", "thị", "xã", "phường", "nhân", "dân"}


# Words that follow a body's name, never end one ("Chủ tịch UBND huyện Nam Trực cùng ...").
_NOT_SECOND = set(
    "cùng cho đã đang sẽ và là có được phát nói cũng vừa khi thì tại trong với về đến để này đó "
    "nhận chủ dự thăm làm kiểm trao tặng báo ký mới nhấn khẳng chia yêu đề lưu trả nêu bày gửi "
    "cho biết khi chỉ đạo tham ghi động đánh nhấn thông tiếp hướng đi lên ra vào khen "
    "khảo trực phụ giữ nhiệm khóa".split()
)


def _second_syllable(prev: str, word: str) -> bool:
    """A lowercase syllable ending a capitalized word of a body's name: "Sở Giáo dục",
    "Bộ Công an", "Trung tâm". An acronym or a province's last syllable ends the name."""
    return bool(
        prev
        and CAP_WORD.match(prev)
        and not prev.isupper()
        and word.isalpha()
        and word.islower()
        and word not in _NOT_SECOND
    )


def _ends_province(text: str, pos: int) -> bool:
    """A province's name ends at ``pos`` ("... tỉnh Quảng Nam lần thứ VI")."""
    return any(m.end() == pos for m in province_re().finditer(text, max(0, pos - 40), pos))


def _next_title(text: str, pos: int) -> bool:
    """A title begins after ``pos``: "và Chủ tịch Tập đoàn ..." is a second person's role."""
    w = _ROLE_TOKEN.match(text, pos)
    return bool(w and title_re().match(text, w.start(1)))


def _next_cap(text: str, pos: int) -> bool:
    w = _ROLE_TOKEN.match(text, pos)
    return bool(w and CAP_WORD.match(w.group(1)))


def _lower_run(text: str, pos: int) -> int:
    """The end of lowercase syllables a body's name runs on with into a capitalized word
    ("Quỹ văn hóa Phan Châu Trinh", "Trung tâm bồi dưỡng chính trị TP Bảo Lộc",
    "Chi bộ khoa Sản"); ``pos`` when the syllables run into the sentence instead."""
    end = pos
    for n in range(5):
        w = _ROLE_TOKEN.match(text, end)
        if not w:
            return pos
        word = w.group(1)
        if CAP_WORD.match(word):
            return end
        if n == 4 or not (word.isalpha() and word.islower()) or word in _NOT_SECOND:
            return pos
        end = w.end(1)
    return pos


def _names_next(text: str, pos: int) -> bool:
    """Another person's name begins after ``pos``: a family name, then a capitalized word."""
    w = _ROLE_TOKEN.match(text, pos)
    return bool(
        w
        and w.group(1) in surname_set()
        and _next_cap(text, w.end(1))
        and not province_re().match(text, w.start(1))
    )


def _names_body(words: list[str]) -> bool:
    """A title that ends in a body's name ("Giám đốc Sở", "Bí thư Chi bộ"), not in a title."""
    if CAP_WORD.match(words[-1]):
        return True
    return (
        len(words) > 2
        and _second_syllable(words[-2], words[-1])
        and not title_re().fullmatch(" ".join(words[-2:]))
    )


def _role_at(text: str, pos: int) -> tuple[str, int] | None:
    """The title at ``pos`` and the body it names, and where they end; None when the
    title leads to another person's name ("..., Thủ tướng Nguyễn Xuân Phúc")."""
    t = title_re().match(text, pos)
    if not t or _honorific(t.group(0)) and t.group(0).lower() != "nguyên":
        return None
    stop, prev = t.end(), ""
    place = t.group(0).split()[-1] in _LOCALITY_WORDS  # "Chủ tịch UBND xã" ends in one
    body = _names_body(t.group(0).split())
    while w := _ROLE_TOKEN.match(text, stop):
        word = w.group(1)
        if (
            not place
            and (stop == t.end() or _ends_province(text, stop))
            and _names_next(text, stop)
        ):
            return None  # "... Thành ủy TP.HCM Nguyễn Thiện Nhân": the title is the next person's
        # After "xã", "huyện"... comes a place's name: capitalized syllables only.
        second = not place and _second_syllable(prev, word) and not _ends_province(text, stop)
        if not (
            CAP_WORD.match(word)
            or word in _ROLE_WORDS
            or second
            or (word == "và" and _next_cap(text, w.end(1)) and not _next_title(text, w.end(1)))
        ):
            run = _lower_run(text, stop) if (prev or body) and not place else stop
            if run == stop or _ends_province(text, stop):
                break
            stop, prev = run, text[:run].split()[-1]
            continue
        place = word in _LOCALITY_WORDS or (place and bool(CAP_WORD.match(word)))
        stop, prev = w.end(1), word
    return text[t.start() : stop].strip(), stop


def _role_after(text: str, end: int) -> str | None:
    """Titles that follow a name: "Hoàng Văn Nghiệm, Phó Bí thư ..., Chủ tịch HĐND tỉnh"."""
    m = _ROLE_OPEN.match(text, end)
    if not m:
        return None
    pos, roles = m.end(), []
    while found := _role_at(text, pos):
        role, stop = found
        roles.append(role)
        nxt = re.match(r"\s*,\s*", text[stop:])
        if not nxt:
            break
        pos = stop + nxt.end()
    return ", ".join(roles) if roles else None


# "ông X thôi giữ chức ..., nhận nhiệm vụ Bí thư Quận ủy ...": posts the sentence gives
# the person it is about, after a verb of taking or leaving them.
_TAKES_POST = re.compile(
    r"(?<!\w)(?:giữ chức(?: vụ)?|nhận nhiệm vụ(?: mới)?(?: là)?|được bầu(?: làm| giữ chức)?|"
    r"bổ nhiệm(?: làm| giữ chức)?|làm)\s+",
    re.IGNORECASE,
)


# "trong thời gian làm Bộ trưởng", "từng giữ chức": a post held before, not now.
_PAST = re.compile(
    r"(?<!\w)(?:thời gian|khi|lúc|từng|trước đây|thời kỳ|giai đoạn|năm \d{4})\s*(?:còn\s*)?$",
    re.IGNORECASE,
)


def _posts_taken(text: str, end: int) -> list[str]:
    """Posts the rest of the sentence after a name says the person takes or leaves,
    up to the sentence's end or another person's name."""
    stop = re.compile(r"\.\s|[;:!?]").search(text, end)
    limit = stop.start() if stop else len(text)
    nxt = _NAME_RUN.search(text, end, limit)
    while nxt and not _names_next(text, nxt.start() - 1):
        nxt = _NAME_RUN.search(text, nxt.start() + 1, limit)
    limit = nxt.start() if nxt else limit
    roles = []
    for m in _TAKES_POST.finditer(text, end, limit):
        found = _role_at(text, m.end())
        if found and found[1] <= limit:
            past = _PAST.search(text, max(end, m.start() - 30), m.start())
            roles.append(("nguyên " if past else "") + found[0])
    return roles


def canonical_name(name: str) -> str:
    """Each syllable capitalized; ``name`` is normalized already."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())


def find_persons(text: str) -> tuple[list[str], dict[str, str], list[tuple[int, int]]]:
    """Persons named in normalized ``text``: (canonical names, role of each where stated, spans).

    >>> names, roles, _ = find_persons("Dự có đồng chí Lâm Thị Phương Thanh, Bí thư Tỉnh ủy Lạng Sơn "
    ...                                "và Thiếu tướng Trần Quốc Tỏ; đường Trần Hưng Đạo.")
    >>> names, roles["Lâm Thị Phương Thanh"]
    (['Lâm Thị Phương Thanh', 'Trần Quốc Tỏ'], 'Bí thư Tỉnh ủy Lạng Sơn')
    """
    surnames, provinces, titles = surname_set(), province_re(), title_re()
    found: dict[str, list[str]] = {}
    spans: list[tuple[int, int]] = []
    pos = 0
    while m := _NAME_RUN.search(text, pos):
        start, words = m.start(), m.group(1).split()
        pos = m.start() + len(words[0])
        p = provinces.match(text, start) or country_re().match(text, start)
        if p:  # "Hà Tĩnh Lê Đình Sơn", "Nhật Bản Shinzo Abe": the place is no family name
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
        canon = canonical_name(" ".join(words))
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
            capitalized_before = prev and prev[-1][-1:].isalpha() and CAP_WORD.match(prev[-1])
            if len(words) < 3 or capitalized_before:
                continue  # "Kiếp Bạc Tòa Cửu Phẩm": inside a longer proper name
        pos = end
        found.setdefault(canon, [])
        found[canon].extend(r for r in (after_role or role, *_posts_taken(text, end)) if r)
        spans.append((start, end))
    names = list(found)
    return names, {n: _all_roles(r) for n, r in found.items() if r}, spans


def _all_roles(roles: list[str]) -> str:
    """Every role phrase an article gives a person, "; "-joined, the longest first;
    a phrase another one holds ("Bí thư Tỉnh ủy" in "..., Bí thư Tỉnh ủy Lạng Sơn") is left out.
    """
    kept: list[str] = []
    for role in sorted(dict.fromkeys(roles), key=len, reverse=True):
        if not any(role in k for k in kept):
            kept.append(role)
    return "; ".join(kept)


# --- provinces ----------------------------------------------------------------------------
