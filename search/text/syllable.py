"""Is a written word a Vietnamese syllable? Onset, medial, nucleus, coda and tone.

Built from the structure of the language, not from a word list; the rules
are spelled out in :mod:`.telex`'s docstring.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# --- the syllable -----------------------------------------------------------------

SAC, HUYEN, HOI, NGA, NANG = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_TONES = frozenset(SAC + HUYEN + HOI + NGA + NANG)
_STOPS = frozenset({"c", "ch", "p", "t", "k"})
VOWELS = frozenset("aăâeêioôơuưy")
MODIFIED = frozenset("ăâêôơư")
_FRONT = ("i", "e", "ê", "y")

# nucleus -> the codas it takes ("-" = open syllable)
_NUCLEI = {
    "a": "- c ch m n ng nh p t i y o u k",
    "ă": "c m n ng p t k",
    "â": "c m n ng p t u y",
    "e": "- c m n ng o p t",
    "ê": "- ch m n nh p t u",
    "i": "- ch m n nh p t u",
    "y": "-",
    "o": "- c i m n ng p t",
    "oo": "c ng",  # loans: xoong, boong, soóc
    "ô": "- c i m n ng p t k",
    "ơ": "- i m n p t",
    "u": "- c i m n ng p t k",
    "ư": "- c i m n ng t u",
    "iê": "c m n ng p t u",
    "yê": "c m n ng p t u",
    "ia": "-",
    "uô": "c i m n ng t",
    "ua": "-",
    "ươ": "c i m n ng p t u",
    "ưa": "-",
}
# After medial u the nucleus y takes more codas (huýt, huỳnh, huých, khuỷu).
_U_Y_CODAS = "- t ch nh n p u"
_O_NUCLEI = ("a", "ă", "e")
_U_NUCLEI = ("â", "ê", "y", "ơ", "yê", "ya")
_QU_EXTRA = {"a": _NUCLEI["a"], "ă": _NUCLEI["ă"], "e": _NUCLEI["e"], "i": _NUCLEI["i"], "ô": "c"}


def _rimes(nucleus: str, codas: str, medial: str = "") -> dict[str, str]:
    """{rime: coda} of one nucleus with each of its codas."""
    out = {}
    for c in codas.split():
        coda = "" if c == "-" else c
        out[medial + nucleus + coda] = coda
    return out


def _build_rimes() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """({plain rime: coda}, {rime with medial o or u: coda}, {rime after qu: coda})."""
    plain: dict[str, str] = {}
    for nucleus, codas in _NUCLEI.items():
        plain |= _rimes(nucleus, codas)
    medial: dict[str, str] = {}
    for nucleus in _O_NUCLEI:  # no hoau, hoak
        medial |= _rimes(nucleus, _NUCLEI[nucleus].replace(" u", "").replace(" k", ""), "o")
    for nucleus in _U_NUCLEI:
        medial |= _rimes(nucleus, _U_Y_CODAS if nucleus == "y" else _NUCLEI.get(nucleus, "-"), "u")
    after_qu = {r[1:]: c for r, c in medial.items() if r.startswith("u")}
    for nucleus, codas in _QU_EXTRA.items():
        after_qu |= _rimes(nucleus, codas)
    return plain, medial, after_qu


_PLAIN_RIMES, _MEDIAL_RIMES, _QU_RIMES = _build_rimes()
_ONSETS = sorted(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split(),
    key=len,
    reverse=True,
) + [""]


def _rime_coda(onset: str, rime: str) -> str | None:
    """The coda of ``rime`` if it may follow ``onset``, else None.

    Checks the spelling rules of c/k, g/gh, ng/ngh, and of yê/ya and iê.
    """
    if onset == "qu":
        return _QU_RIMES.get(rime)
    if rime in _PLAIN_RIMES:
        front = rime.startswith(_FRONT)
        if onset in ("gh", "ngh") and not front:
            return None
        if onset in ("c", "g", "ng") and front:
            return None
        if rime.startswith(("yê", "ya")) and onset:
            return None
        if rime.startswith("iê") and not onset:
            return None
        return _PLAIN_RIMES[rime]
    if rime in _MEDIAL_RIMES and onset not in ("c", "k", "gh", "ngh"):
        return _MEDIAL_RIMES[rime]
    return None


@lru_cache(maxsize=65536)
def _split_tone(word: str) -> tuple[str, str] | None:
    """(lowercase letters without the tone mark, the mark) or None if two marks."""
    letters, tone = [], ""
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            if tone:
                return None
            tone = ch
        else:
            letters.append(ch)
    return unicodedata.normalize("NFC", "".join(letters)), tone


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` is one well-formed Vietnamese syllable (any case, any tone placement).

    >>> [is_vietnamese_syllable(w) for w in ("Nguyễn", "hoà", "quốc", "giếng", "khuỷu")]
    [True, True, True, True, True]
    >>> [is_vietnamese_syllable(w) for w in ("tax", "ci", "ngi", "kă", "đac", "bus", "")]
    [False, False, False, False, False, False, False]
    """
    split = _split_tone(word)
    if split is None:
        return False
    s, tone = split
    if not s or not s.isalpha():
        return False
    for onset in _ONSETS:
        if not s.startswith(onset):
            continue
        rest = s[len(onset) :]
        rimes = (rest, "i" + rest) if onset == "gi" else (rest,)
        for rime in rimes:
            coda = _rime_coda(onset, rime) if rime else None
            if coda is not None and (coda not in _STOPS or tone in (SAC, NANG)):
                return True
    return False
