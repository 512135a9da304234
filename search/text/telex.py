"""Vietnamese syllables, and Telex/VNI typed with the input method off.

Two pure functions, no Whoosh:

* :func:`is_vietnamese_syllable` checks one written syllable against the
  structure of the language (onset, medial, nucleus, coda, tone), built from
  the tables below rather than from a word list.
* :func:`decode_telex` turns "ddaij hooij" into "đại hội" and "d9ang3" into
  "đảng", word by word, where the evidence says the user meant it.

The syllable
------------
A written syllable is ``onset + rime`` with a tone mark on one vowel, and
the rime is ``[medial] nucleus [coda]``:

* onsets: b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x,
  or none. Before i, e, ê, y (and iê, ia) the /k/, /ɣ/, /ŋ/ sounds are spelled
  k, gh, ngh; c, g, ng only elsewhere, gh and ngh only there. /kw/ is spelled
  qu: c and k take no medial. ``gi`` before a consonant or nothing lends its i
  to the rime (gì, gìn, giếng).
* medials: o before a, ă, e (hoa, hoặc, khoe); u before â, ê, y, ơ, yê, ya
  (tuân, huế, thủy, thuở, khuyên, khuya); after qu also a, ă, e, i, ô (qua,
  quăng, que, quít, quốc).
* nuclei and the codas each takes are in ``_NUCLEI``: ă and â need a coda; the
  diphthongs iê/yê, uô, ươ need one and their open forms ia/ya, ua, ưa take
  none; yê and ya are spelled so only without an onset or after medial u.
* tone: the stop codas c, ch, p, t take only sắc or nặng.
* place names of the Central Highlands and the north keep their own spelling,
  which the rules allow: k before any vowel (Kon Tum, Bắc Kạn) and a stop coda
  k after a, ă, ô, u (Đắk Lắk, Krông Búk); loans keep oo (xoong, soóc).

Telex and VNI
-------------
Telex: dd → đ; aa, ee, oo → â, ê, ô; aw, ow, uw → ă, ơ, ư and uow → ươ (a w
after the coda applies to the rime: truongw → trương; a w with no vowel before
it is ư: w, nhw); tone keys s f r x j (sắc huyền hỏi ngã nặng), z removes the
tone. VNI: digits 1–5 for the tones, 6 circumflex, 7 horn, 8 breve, 9 đ. The
tone key may end the word or come earlier (vieejt, nguowfi) when the word has
other Telex evidence; a word whose only evidence is a tone key inside it is
left alone (hofa, but also post, visa, taxi, Hari). A word with two tone keys,
or a digit that finds no letter to change, is not Telex/VNI (Paris, covid19,
U23).

When a word is decoded
----------------------
A word is decoded only when the result is a valid syllable and the word as
typed is not a plain syllable already (so, an, thanh, xoong, boong stay; an
oo word is otherwise Telex: coong is công). The evidence decides how sure we
are:

* strong: dd, a doubled vowel, w, VNI digits, or a tone key at the end of a
  word that is not a known foreign word (lamf, tinhr, uyr, booj).
* weak: a foreign word from ``FOREIGN_WORDS`` (tax, bus, is, of, how, teen),
  an all-capital word whose only evidence is a tone key, a digit or a lone w
  (IS, IMF, TW, A1: acronyms), or a VNI word of one letter (i3).

Strong words are always decoded; weak ones only when another word of the same
query is strongly decoded ("thuees tax" → "thuế tã", "tax" stays "tax").
An all-capital word among other words is an acronym unless its evidence is
sure, and weak evidence does not decode it ("ddaij hooij IS" keeps IS); in a
query typed all in capitals (caps lock) it does ("DDAIJ HOOIJ IS").
"OR" and field names before ``:`` are never decoded. A query that already
carries Vietnamese diacritics was typed with the input method on, so nothing in
it is decoded ("Tổng thống Moon" keeps Moon).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..models import QUERY_FIELDS
from .normalize import normalize
from .syllable import HOI, HUYEN, MODIFIED, NANG, NGA, SAC, VOWELS, is_vietnamese_syllable

__all__ = [
    "FOREIGN_WORDS",
    "decode_telex",
    "decode_word",
    "is_vietnamese_syllable",
    "slip_readings",
]

# --- typing one word ---------------------------------------------------------------

_TELEX_TONES = {"s": SAC, "f": HUYEN, "r": HOI, "x": NGA, "j": NANG, "z": ""}
_VNI_TONES = {"1": SAC, "2": HUYEN, "3": HOI, "4": NGA, "5": NANG}
_CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"o": "ơ", "u": "ư"}

# Words of other languages that type like Telex/VNI and decode to a valid syllable:
# the ASCII words of the baomoi corpus that decode, most frequent first (Korean
# names, English words, codes), plus the usual short English words. They are weak
# evidence: decoded only beside a surely Telex word ("Lee Vawn" → "Lê Văn").
FOREIGN_WORDS = frozenset(
    """
    moon lee of los luis air rex maps bar sir car gas max teen trax hee las sex bus
    noo soon dawn soo queen homs war is tow dex low der town mar us tor sur mos how
    gar ter boj dow pax sar les sachs boas room choo wa wi wu des lens per ree lys
    roar now er too as see box down cox boer par this goo hair res doo hwa ir was
    dias ar gooi es nits khoo boots dos noir beer boon songs sons hoon tree six hans
    moocs tee or saur vins moo sims mats tax has if its yes web co2 so2 no2 mix
    saif cor tanf thor bets nox liar vox pais bee bir bois wow ddos door chips gor
    hoo lais trips moor mans bays pawn guns meets queens ex tar days chef taj hits
    """.split()
)


_OO_LOANS = frozenset({"xoong", "boong", "goong"})


class _Typed:
    """The letters a word types, and the evidence that it was Telex or VNI."""

    def __init__(self) -> None:
        self.chars: list[str] = []  # one output letter each, case kept
        self.tone: str | None = None  # None: no tone key; "": z / no tone
        self.tone_at = -1
        self.evidence: set[str] = set()

    def low(self, i: int) -> str:
        return self.chars[i].lower()

    def set(self, i: int, letter: str) -> None:
        self.chars[i] = letter.upper() if self.chars[i].isupper() else letter

    def vowels(self) -> list[int]:
        return [i for i, c in enumerate(self.chars) if c.lower() in VOWELS]

    def cluster(self) -> list[int]:
        """Indexes of the rime's vowels (the u of qu and the i of gi left out)."""
        vs = self.vowels()
        low = "".join(self.chars).lower()
        if low.startswith(("qu", "gi")) and len(vs) > 1 and vs[0] == 1:
            vs = vs[1:]
        return vs

    def horn(self) -> bool:
        """Apply w or 7 to the rime: uo → ươ, else the last o → ơ or u → ư."""
        vs = self.cluster()
        low = [self.low(i) for i in vs]
        for j in range(len(vs) - 1):
            if low[j] in "uư" and low[j + 1] == "o":
                self.set(vs[j], "ư")
                self.set(vs[j + 1], "ơ")
                return True
        for i in reversed(vs):
            if self.low(i) in _HORN:
                self.set(i, _HORN[self.low(i)])
                return True
        return False

    def mark(self, key: str) -> bool:
        if self.tone is not None and key != "z":
            return False  # a second tone key: not typed as Telex (Paris, Lexus)
        self.tone = _TELEX_TONES.get(key, _VNI_TONES.get(key, ""))
        self.tone_at = len(self.chars)
        return True


def _type_key(t: _Typed, key: str, prev_plain: bool) -> bool:
    """Apply one key; False when the word cannot be Telex/VNI."""
    k = key.lower()
    has_vowel = bool(t.vowels())
    if k.isdigit():
        t.evidence.add("vni")
        if k in _VNI_TONES:
            return has_vowel and t.mark(k)
        if k == "6":
            targets = [i for i in t.vowels() if t.low(i) in _CIRCUMFLEX]
            if targets:
                t.set(targets[-1], _CIRCUMFLEX[t.low(targets[-1])])
            return bool(targets)
        if k == "7":
            return t.horn()
        if k == "8":
            targets = [i for i in t.vowels() if t.low(i) == "a"]
            if targets:
                t.set(targets[-1], "ă")
            return bool(targets)
        if k == "9" and t.chars and t.low(0) == "d":
            t.set(0, "đ")
            return True
        return False
    if k == "d" and len(t.chars) == 1 and t.low(0) == "d" and prev_plain:
        t.set(0, "đ")
        t.evidence.add("dd")
    elif k in _CIRCUMFLEX and t.chars and t.low(-1) == k and prev_plain:
        t.set(-1, _CIRCUMFLEX[k])
        t.evidence.add("circ")
    elif k == "w":
        if not has_vowel:
            t.chars.append("Ư" if key.isupper() else "ư")
            t.evidence.add("w_alone")
            return True
        t.evidence.add("w")
        last = t.low(-1)
        if last == "a":  # aw: ă (hoawcj)
            t.set(-1, "ă")
            return True
        if last == "o" and len(t.chars) > 1 and t.low(-2) in "uư":  # uow: ươ
            t.set(-2, "ư")
            t.set(-1, "ơ")
            return True
        if last in _HORN:  # ow, uw
            t.set(-1, _HORN[last])
            return True
        if t.horn():  # after the coda: truongw, nguoiw
            return True
        targets = [i for i in t.cluster() if t.low(i) == "a"]
        if targets:
            t.set(targets[-1], "ă")
        return bool(targets)
    elif k in _TELEX_TONES and has_vowel and (k != "z" or t.tone):
        t.evidence.add("tone")
        return t.mark(k)
    else:
        t.chars.append(key)
    return True


def _place_tone(chars: list[str], tone: str) -> str:
    """Put ``tone`` on the vowel canonical spelling marks (hòa, thủy, người, quý, gì)."""
    low = "".join(chars).lower()
    start = 2 if low.startswith(("qu", "gi")) and len(low) > 2 and low[2] in VOWELS else 0
    cluster: list[int] = []
    for i in range(start, len(low)):
        if low[i] in VOWELS:
            cluster.append(i)
        elif cluster:
            break
    if not cluster:
        return "".join(chars)
    modified = [i for i in cluster if low[i] in MODIFIED]
    if modified:
        at = modified[-1]
    elif len(cluster) == 1:
        at = cluster[0]
    elif cluster[-1] + 1 < len(low):  # a coda follows: hoàn, huỳnh, soóc
        at = cluster[-1]
    else:  # open: hòa, thủy, mía, ngoài, khuỷu
        at = cluster[0] if len(cluster) == 2 else cluster[1]
    out = list(chars)
    out[at] = unicodedata.normalize("NFC", out[at] + tone)
    return "".join(out)


# A word of consonants only, with a Telex đ (dd) in it: an abbreviation.
_CONSONANTS = "[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ]*"
_ABBREVIATION_DD = re.compile(f"{_CONSONANTS}(?:dd|DD|Dd){_CONSONANTS}")


@lru_cache(maxsize=8192)
def decode_word(word: str) -> tuple[str, bool] | None:
    """Decode one Telex/VNI word: (syllable, strong evidence), or None if it is not one.

    >>> decode_word("ddaij"), decode_word("Nguyeenx"), decode_word("d9ang3")
    (('đại', True), ('Nguyễn', True), ('đảng', True))
    >>> decode_word("tax"), decode_word("hofa"), decode_word("thanh"), decode_word("xoong")
    (('tã', False), None, None, None)
    >>> decode_word("ddh"), decode_word("HDDND"), decode_word("ddd")
    (('đh', True), ('HĐND', True), None)
    """
    if not (word.isascii() and word.isalnum() and word[0].isalpha()):
        return None
    if _ABBREVIATION_DD.fullmatch(word) and word.lower().strip("d"):
        # An abbreviation has no vowel to decode, but its đ is typed dd: ĐH, HĐND, ĐBQH.
        return re.sub("dd", "đ", re.sub("DD|Dd", "Đ", word)), True
    t = _Typed()
    prev_plain = False
    for key in word:
        before = len(t.chars)
        if not _type_key(t, key, prev_plain):
            return None
        prev_plain = len(t.chars) == before + 1 and key.isalpha() and t.chars[-1] == key
    if t.tone == "":  # z took the tone back: the tone key proves nothing
        t.evidence.discard("tone")
    if t.evidence == {"tone"} and t.tone_at < len(t.chars):
        return None  # hofa, but also post, visa, taxi, Hari: too often not Telex
    if not t.evidence or _plain(word):
        return None
    for chars in (t.chars, _open_uo(t.chars)):
        out = _place_tone(chars, t.tone or "")
        if is_vietnamese_syllable(out):
            return normalize(out), _strong(word, t)
    return None


def _plain(word: str) -> bool:
    """A syllable as typed, without Telex: so, an, thanh; of oo words only the loans."""
    low = word.lower()
    return is_vietnamese_syllable(low) and ("oo" not in low or low in _OO_LOANS)


def _open_uo(chars: list[str]) -> list[str]:
    """ươ → uơ, as Telex IMEs type "thuowr" (thuở): uow before no coda."""
    low = "".join(chars).lower()
    at = low.find("ươ")
    if at < 0:
        return chars
    return [*chars[:at], "U" if chars[at].isupper() else "u", *chars[at + 1 :]]


def _strong(word: str, t: _Typed) -> bool:
    if word.lower() in FOREIGN_WORDS:
        return False
    sure = t.evidence & {"dd", "circ", "w"}
    if word.isupper():  # acronyms and codes: IS, IMF, TW, W, A1, CO2
        return bool(sure)
    at_end = "tone" in t.evidence and t.tone_at == len(t.chars)
    vni = "vni" in t.evidence and sum(c.isalpha() for c in word) > 1  # not i3, a1
    return bool(sure or vni or "w_alone" in t.evidence or at_end)


# --- the whole query ----------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_ACCENTED = re.compile("[\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323đĐ]")


def decode_telex(query: str) -> tuple[str, bool]:
    """Decode the Telex/VNI words of ``query``; (decoded query, whether anything changed).

    Other words, spacing and punctuation are kept as typed.

    >>> decode_telex("ddaij hooij ddangr booj")
    ('đại hội đảng bộ', True)
    >>> decode_telex('title:"Nguyeenx Vawn" -tax')
    ('title:"Nguyễn Văn" -tã', True)
    >>> decode_telex("tax dan so")
    ('tax dan so', False)
    """
    if _ACCENTED.search(unicodedata.normalize("NFD", query)):
        return query, False  # the input method was on: what looks like Telex is meant
    words = [m for m in _WORD.finditer(query) if m.group(0) != "OR"]
    caps_lock = all(m.group(0).isupper() for m in words if not m.group(0).isdigit())
    found: list[tuple[int, int, str, bool]] = []
    for m in words:
        word = m.group(0)
        if query.startswith(":", m.end()) and word.lower() in QUERY_FIELDS:
            continue
        decoded = decode_word(word)
        if decoded is not None and (caps_lock or decoded[1] or not word.isupper()):
            found.append((m.start(), m.end(), *decoded))  # not an acronym: IS, TW, CO2
    if not any(strong for *_, strong in found):
        return query, False
    out, pos = [], 0
    for start, end, text, _ in found:
        out.append(query[pos:start])
        out.append(text)
        pos = end
    out.append(query[pos:])
    return "".join(out), True


def slip_readings(word: str) -> list[str]:
    """What a mistyped ``word`` may have meant, most likely first: its Telex decoding
    (one syllable the input method missed) when the keys prove it, then each doubled
    letter typed once.

    >>> slip_readings("hopj"), slip_readings("côông"), slip_readings("ban"), slip_readings("or")
    (['họp'], ['công'], [], [])
    """
    decoded = decode_word(word)
    out = [decoded[0].lower()] if decoded and decoded[1] else []
    out += [word[:i] + word[i + 1 :] for i in range(len(word) - 1) if word[i] == word[i + 1]]
    return out
