"""Pure text functions: NFC, canonical tone placement, look-alikes, folding.

Every function here is ``str -> str`` (or returns offsets beside the text) and
knows nothing of Whoosh, so indexing, querying, metadata extraction and any
other backend all normalize Vietnamese the same way.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

__all__ = [
    "canonical_tones",
    "fold",
    "is_folded",
    "normalize",
    "normalize_with_offsets",
    "positions_stable",
    "unify_lookalikes",
]

# --- tone marks -------------------------------------------------------------

_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền sắc hỏi ngã nặng


def _with_tone(base: str, mark: str) -> str:
    return unicodedata.normalize("NFC", base + mark)


def _build_tone_moves() -> dict[str, str]:
    """Map the "new style" spelling of open oa/oe/uy/ua/ia/ưa to the canonical one.

    Canonical is the placement most Vietnamese news uses: the mark sits on the
    first vowel of an open two-vowel nucleus (hòa, khỏe, thủy, của, mía).
    """
    pairs = ["oa", "oe", "uy", "ua", "ia", "ưa"]
    moves = {}
    for first, second in pairs:
        for mark in _TONE_MARKS:
            for f, s in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                moves[f + _with_tone(s, mark)] = _with_tone(f, mark) + s
    return moves


_TONE_MOVES = _build_tone_moves()


# One pass with character classes (an alternation of the 90 pairs is several
# times slower, and every text goes through here): a first vowel, a toned
# second one, end of syllable. In qu- and gi- the u/i belongs to the consonant
# (quý, quá, giá), so the mark is on the following vowel in both styles and
# nothing moves.
_SECONDS = "".join(sorted({k[1] for k in _TONE_MOVES}))
_TONE_RE = re.compile(f"[oOuUiIưƯ][{_SECONDS}](?!\\w)")
_KEEPS = {"u": "qQ", "i": "gG"}


def _move_tone(m: re.Match) -> str:
    pair = m.group(0)
    moved = _TONE_MOVES.get(pair)
    if moved is None:
        return pair
    at = m.start()
    if at and m.string[at - 1] in _KEEPS.get(pair[0].lower(), ""):
        return pair
    return moved


def canonical_tones(text: str) -> str:
    """Move tone marks of open oa/oe/uy (and ua/ia/ưa) syllables to the canonical vowel.

    >>> canonical_tones("hoà bình, thuỷ lợi, Uỷ ban, khoẻ, quý, hoàn")
    'hòa bình, thủy lợi, Ủy ban, khỏe, quý, hoàn'
    """
    return _TONE_RE.sub(_move_tone, text)


# --- look-alikes --------------------------------------------------------------

_LOOKALIKES = {
    "\u00d0": "Đ",  # Icelandic eth, often typed for Đ
    "\u00f0": "đ",
    "\u0189": "Đ",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u3000": " ",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2212": "-",
}
for _cp in range(0x2000, 0x200B):  # en quad .. hair space
    _LOOKALIKES[chr(_cp)] = " "
for _cp in range(0x2010, 0x2016):  # hyphen .. horizontal bar
    _LOOKALIKES[chr(_cp)] = "-"
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKES)

# Characters dropped altogether: zero-width marks, BOM, soft hyphen.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")


def unify_lookalikes(text: str) -> str:
    """Replace look-alike characters by the plain one; drop invisible ones.

    >>> unify_lookalikes("\u00d0ảng\u00a0bộ \u2013 “Nhân dân”\u200b")
    'Đảng bộ - "Nhân dân"'
    """
    text = text.translate(_LOOKALIKE_TABLE)
    if _INVISIBLE_RE.search(text):
        text = _INVISIBLE_RE.sub("", text)
    return text


# --- the whole normalization ----------------------------------------------------


def normalize(text: str) -> str:
    """NFC, look-alikes unified, canonical tone placement.

    >>> normalize("Nguye\u0302\u0303n Văn Hoà") == "Nguyễn Văn Hòa"
    True
    """
    return canonical_tones(unify_lookalikes(unicodedata.normalize("NFC", text)))


def positions_stable(text: str) -> bool:
    """True when :func:`normalize` keeps every character where it is (NFC, nothing invisible).

    >>> positions_stable("Việt"), positions_stable("Vie\u0323\u0302t"), positions_stable("a\u200bb")
    (True, False, False)
    """
    # One substring search per invisible character: several times a regex class's speed.
    return unicodedata.is_normalized("NFC", text) and not any(c in text for c in _INVISIBLE)


def normalize_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Normalize ``text`` and map every position of the result back to ``text``.

    Returns ``(normalized, offsets)``; ``offsets[i]`` is the index in ``text``
    where normalized character ``i`` came from, and ``offsets[len(normalized)]``
    is ``len(text)``. ``offsets`` is None when positions are unchanged (the
    common case: NFC input without invisible characters), so callers pay
    nothing for well-formed text.

    >>> normalize_with_offsets("hoà")
    ('hòa', None)
    >>> normalize_with_offsets("Vie\u0323\u0302t")
    ('Việt', [0, 1, 2, 5, 6])
    """
    if positions_stable(text):
        return normalize(text), None
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        if cluster not in _INVISIBLE:
            for ch in unicodedata.normalize("NFC", cluster):
                out.append(ch)
                offsets.append(i)
        i = j
    offsets.append(n)
    joined = "".join(out)
    # Tone moves and look-alikes replace characters one for one: offsets hold.
    return canonical_tones(joined.translate(_LOOKALIKE_TABLE)), offsets


# --- folding --------------------------------------------------------------------


def _build_fold_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in range(0x00C0, 0x2000):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            table[cp] = base
    return table


_FOLD_TABLE = _build_fold_table()


def accent_classes() -> dict[str, str]:
    """Every character that folds to each ASCII letter, both cases: {"d": "dDđĐÐð...", ...}.

    >>> sorted(accent_classes()["d"])
    ['D', 'd', 'Ð', 'ð', 'Ď', 'ď', 'Đ', 'đ', 'Ɖ', 'Ḋ', 'ḋ', 'Ḍ', 'ḍ', 'Ḏ', 'ḏ', 'Ḑ', 'ḑ', 'Ḓ', 'ḓ']
    """
    # Every letter, with or without accented forms: q has none, and Quốc is a Q.
    classes = {c: {c, c.upper()} for c in "abcdefghijklmnopqrstuvwxyz"}
    for cp, base in _FOLD_TABLE.items():
        classes[base.lower()].add(chr(cp))
    for ch, plain in _LOOKALIKES.items():
        base = plain.translate(_FOLD_TABLE).lower()
        if base in classes:  # Ð (U+00D0), typed for Đ
            classes[base].add(ch)
    return {k: "".join(sorted(v)) for k, v in classes.items()}


def fold(text: str) -> str:
    """Remove every diacritic; đ becomes d; other scripts go through unidecode.

    Case is kept; callers lowercase where they need to.

    >>> fold("Đại hội Đảng bộ tỉnh Thừa Thiên Huế")
    'Dai hoi Dang bo tinh Thua Thien Hue'
    """
    folded = text.translate(_FOLD_TABLE)
    if folded.isascii():
        return folded
    # NFD input still carries combining marks: drop them, then transliterate
    # what is left outside Vietnamese (unidecode knows nothing of our tables).
    folded = "".join(
        c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c)
    )
    folded = folded.translate(_FOLD_TABLE)
    return folded if folded.isascii() else unidecode(folded)


def is_folded(text: str) -> bool:
    """True when ``text`` carries no Vietnamese diacritic (it equals its folding).

    >>> is_folded("lanh dao"), is_folded("lãnh đạo")
    (True, False)
    """
    return fold(text) == text


_SLUG_WORD = re.compile(r"[^\W_]+")


def slug(text: str) -> str:
    """Folded, lowercase, hyphenated: the identity (and URL) of a person or a post.

    >>> slug("Bí thư Tỉnh uỷ Lạng Sơn"), slug("lam-thi-phuong-thanh"), slug("LÂM Thị Phương Thanh")
    ('bi-thu-tinh-uy-lang-son', 'lam-thi-phuong-thanh', 'lam-thi-phuong-thanh')
    """
    return hyphenated(fold(normalize(text)).lower())


def hyphenated(folded: str) -> str:
    """:func:`slug` of text already normalized, folded and lowercased (facet values are)."""
    return "-".join(_SLUG_WORD.findall(folded))
