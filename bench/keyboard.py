"""What readers type: Telex with the input method off, and one realistic typo in a run.

:func:`telex` makes the ``telex`` known-item form; :func:`misspell` the
``misspelt`` one, with four slips readers make, each one edit of one word:

* ``tone``: another tone mark on the same vowel (``quyết`` -> ``quyệt``;
  hỏi and ngã are the classic confusion, sắc and nặng in the south);
* ``drop``: one letter left out (``nghị`` -> ``ngị``);
* ``double``: one letter typed twice (``hội`` -> ``hộii``);
* ``telex``: the input method missed one word, left in its raw Telex keys
  (``thảo`` -> ``thaor``).

The other words of the run are kept as written.
"""

from __future__ import annotations

import random
import re
import unicodedata

# --- Telex ------------------------------------------------------------------------

_MODIFIED = {"â": "aa", "ê": "ee", "ô": "oo", "ă": "aw", "ơ": "ow", "ư": "uw", "đ": "dd"}
_TONE_KEYS = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_SYLLABLE = re.compile(r"\w+")


def _telex_syllable(syllable: str) -> str:
    tone = ""
    kept = []
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in _TONE_KEYS:
            tone = _TONE_KEYS[ch]
        else:
            kept.append(ch)
    out = []
    for ch in unicodedata.normalize("NFC", "".join(kept)):
        keys = _MODIFIED.get(ch.lower())
        if keys is None:
            out.append(ch)
        else:
            # Shift is held for the first key only: "Dd" gives Đ, "Aa" gives Â.
            out.append(keys[0].upper() + keys[1:] if ch.isupper() else keys)
    typed = "".join(out)
    # ươ takes one w: "uow" (typing "uwow" also works, but nobody does).
    typed = typed.replace("uwow", "uow").replace("Uwow", "Uow").replace("UWOW", "UOW")
    return typed + tone


def telex(text: str) -> str:
    """Type ``text`` in Telex with the input method off; the tone key ends each syllable.

    >>> telex("Nguyễn Phú Trọng thăm Đảng bộ người Việt")
    'Nguyeenx Phus Trongj thawm Ddangr booj nguowif Vieetj'
    """
    nfc = unicodedata.normalize("NFC", text)  # \w does not match combining marks
    return _SYLLABLE.sub(lambda m: _telex_syllable(m.group(0)), nfc)


# --- one slip ------------------------------------------------------------------------

KINDS = ("tone", "drop", "double", "telex")
_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc huyền hỏi ngã nặng
# Syllables closed by p, t, c, ch take only sắc or nặng: another tone would be no word.
_STOPS = ("p", "t", "c", "ch")


def _letters(word: str) -> bool:
    return word.isalpha() and len(word) >= 2


def wrong_tone(word: str, rng: random.Random) -> str | None:
    """``word`` with its tone mark replaced by another, or None when it has none.

    >>> wrong_tone("quyết", random.Random(0))
    'quyệt'
    """
    nfd = unicodedata.normalize("NFD", word)
    marks = [i for i, ch in enumerate(nfd) if ch in _TONES]
    if len(marks) != 1:
        return None
    i = marks[0]
    if word.lower().endswith(_STOPS):
        choices = [t for t in ("\u0301", "\u0323") if t != nfd[i]]
    else:
        choices = [t for t in _TONES if t != nfd[i]]
    rest = nfd[:i] + nfd[i + 1 :]
    # The new mark goes after every mark of its vowel (ậ is a, dot, circumflex in NFD):
    # NFC then orders and composes them into one letter.
    end = i
    while end < len(rest) and unicodedata.combining(rest[end]):
        end += 1
    return unicodedata.normalize("NFC", rest[:end] + rng.choice(choices) + rest[end:])


def drop_letter(word: str, rng: random.Random) -> str | None:
    """``word`` of four letters or more with one letter left out ("thô" -> "th" is no word).

    >>> drop_letter("nghị", random.Random(5))
    'ngị'
    """
    if len(word) < 4:
        return None
    i = rng.randrange(len(word))
    return word[:i] + word[i + 1 :]


def double_letter(word: str, rng: random.Random) -> str:
    """``word`` with one letter typed twice.

    >>> double_letter("hội", random.Random(5))
    'hộii'
    """
    i = rng.randrange(len(word))
    return word[: i + 1] + word[i:]


def telex_slip(word: str, rng: random.Random) -> str | None:
    """``word`` in raw Telex keys, or None when it has no diacritic to type.

    >>> telex_slip("thảo", random.Random(0))
    'thaor'
    """
    typed = telex(word)
    return typed if typed != word else None


_MAKERS = {"tone": wrong_tone, "drop": drop_letter, "double": double_letter, "telex": telex_slip}


def misspell(run: list[str], rng: random.Random) -> tuple[list[str], int, str] | None:
    """(the run with one word misspelt, that word's index, the kind of slip), or None.

    The word is drawn among those of two letters or more; the kind among those
    that apply to it (a word without a tone has no wrong tone).
    """
    candidates = [i for i, w in enumerate(run) if _letters(w)]
    rng.shuffle(candidates)
    for i in candidates:
        # Each kind that applies to the word is as likely (doubling always applies:
        # trying kinds in turn would make most slips doubled letters).
        slips = [(kind, _MAKERS[kind](run[i], rng)) for kind in KINDS]
        slips = [(k, t) for k, t in slips if t is not None and t.lower() != run[i].lower()]
        if slips:
            kind, typo = rng.choice(slips)
            return run[:i] + [typo] + run[i + 1 :], i, kind
    return None
