"""What a query marks: its words as the segmenter reads the restored query, built once.

Snippets, titles, the article page, the embed and the feed all highlight with
the :class:`Terms` that :func:`query_terms` builds from one parsed query, so
they cannot disagree (``6,5`` is one number everywhere, as the index has it).

A query run becomes a sequence of :class:`Slot` s, one per syllable, grouped
into words: pyvi's compounds on the query with diacritics restored ("dai hoi"
is read as "đại hội" when the index's vocabulary restores it so), a quoted
phrase one word of its own. Each slot keeps the accented form that is the
query's meaning (typed, else restored), which :mod:`.highlight` prefers over
other forms of the same folded syllable ("lam" in "lam thi phuong thanh"
means "Lâm", not "làm").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ..text.analysis import accented_syllables, analyze
from ..text.normalize import fold, is_folded
from .query import ParsedQuery, Run

_WORD = re.compile(r"[^\W_]+")
_FILTERS = ("person", "province", "source")


class Slot(NamedTuple):
    """One syllable of a query run: folded, its meant accented form, its place in a word."""

    folded: str
    form: str | None  # lowercase accented form the query means; None: any form
    word: int  # the query word it belongs to, numbered across the whole query
    start: bool  # first syllable of its word
    end: bool  # last syllable of its word
    prefix: bool = False  # prefix*: any syllable starting with ``folded``


@dataclass(frozen=True)
class Terms:
    """What to mark: the folded syllables to look for and the query's runs of words.

    ``compound`` tells whether two adjacent accented syllables of a text
    form one word (the index's vocabulary); without it every syllable
    stands alone. It takes no part in equality: Terms key caches.
    """

    words: frozenset[str]
    prefixes: tuple[str, ...] = ()
    runs: tuple[tuple[Slot, ...], ...] = ()
    compound: Callable[[str, str], bool] | None = field(default=None, compare=False, hash=False)

    def __bool__(self) -> bool:
        return bool(self.words or self.prefixes)


NO_TERMS = Terms(frozenset())


def query_terms(
    parsed: ParsedQuery,
    restored: str | None = None,
    compound: Callable[[str, str], bool] | None = None,
) -> Terms:
    """The Terms of a parsed query; ``restored`` is its "Có phải bạn muốn tìm" form,
    ``compound`` the index's test of two syllables making one word (:func:`compound_test`).

    Filter values (person:, province:, source:) and exclusions mark nothing.

    >>> t = query_terms(ParsedQuery(((Run("dai hoi dang", None),),), (), "", None), "đại hội Đảng")
    >>> [(s.folded, s.form, s.word, s.start, s.end) for s in t.runs[0]]
    [('dai', 'đại', 0, True, False), ('hoi', 'hội', 0, False, True), ('dang', 'đảng', 1, True, True)]
    """
    restored_words = [(fold(w).lower(), w) for w in _WORD.findall(restored or "")]
    runs: list[tuple[Slot, ...]] = []
    first_word = 0
    for group in parsed.groups:
        for run in group:
            if run.field in _FILTERS:
                continue
            text, meant = _restore(run, restored_words)
            slots = _slots(text, meant, run.phrase, run.prefix, first_word)
            if slots:
                runs.append(slots)
                first_word = slots[-1].word + 1
    words = frozenset(s.folded for r in runs for s in r if not s.prefix)
    prefixes = tuple(s.folded for r in runs for s in r if s.prefix)
    return Terms(words, prefixes, tuple(runs), compound)


def _restore(run: Run, restored_words: list[tuple[str, str]]) -> tuple[str, bool]:
    """(``run.text`` with its folded words replaced by their restored forms, whether it was):
    restored where the restored query holds the run's words in order (a typo
    corrected is not the word the ranking looked for: the run stays as typed)."""
    found = list(_WORD.finditer(run.text))
    want = [fold(m.group(0)).lower() for m in found]
    n = len(want)
    for i in range(len(restored_words) - n + 1):
        if all(restored_words[i + k][0] == want[k] for k in range(n)):
            out, pos = [], 0
            for k, m in enumerate(found):
                out.append(run.text[pos : m.start()])
                typed = m.group(0)
                out.append(restored_words[i + k][1] if is_folded(typed) else typed)
                pos = m.end()
            out.append(run.text[pos:])
            return "".join(out), True
    return run.text, False


@lru_cache(maxsize=4096)
def _slots(text: str, meant: bool, phrase: bool, prefix: bool, first_word: int) -> tuple[Slot, ...]:
    """The slots of one run: its syllables as the index splits them, pyvi's words.

    ``meant``: the text is the restored query, so a syllable without
    diacritics ("ban") means exactly that form, not any that folds like it.
    """
    a = analyze(text)
    syllables = [(t.lower(), s, e) for t, s, e in accented_syllables(a)]
    if not syllables:
        return ()
    # Word boundaries from pyvi's joins: the unit a syllable came from is joined or not.
    starts_word = []
    unit_of = {u[1]: i for i, u in enumerate(a.units)}  # start offset -> unit
    for _, s, _ in syllables:
        i = unit_of.get(s)
        starts_word.append(i is None or not a.joins[i])  # a syllable inside a unit (TP.) joins
    if phrase:  # a quoted phrase is one word: only all of it is a whole match
        starts_word = [True] + [False] * (len(syllables) - 1)
    last = len(syllables) - 1
    if prefix:  # the prefix is a word of its own
        starts_word[last] = True
    out, word = [], first_word - 1
    for k, (syl, _, _) in enumerate(syllables):
        if starts_word[k]:
            word += 1
        end = k == last or starts_word[k + 1]
        folded = fold(syl)
        is_prefix = prefix and k == last
        form = syl if (meant or not is_folded(syl)) and not is_prefix else None
        out.append(Slot(folded, form, word, starts_word[k], end, is_prefix))
    return tuple(out)


def compound_test(vocabulary: dict[str, tuple[str, int]]) -> Callable[[str, str], bool]:
    """Whether accented lowercase syllables ``a b`` are one word in the index's vocabulary:
    its most frequent form of the folded pair is exactly this one ("xã hội", not "xà hội").

    Answers are remembered (a page asks about the same neighbours again and
    again): keep one test per vocabulary, not one per query.
    """
    seen: dict[tuple[str, str], bool] = {}

    def compound(a: str, b: str) -> bool:
        known = seen.get((a, b))
        if known is None:
            hit = vocabulary.get(f"{fold(a)}_{fold(b)}")
            known = hit is not None and hit[0].lower() == f"{a}_{b}"
            if len(seen) < 200_000:
                seen[(a, b)] = known
        return known

    return compound
