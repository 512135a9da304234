"""What a query marks: its words as the segmenter reads the restored query, built once.

Snippets, titles, the article page, the embed and the feed all highlight with
the :class:`Terms` that :func:`query_terms` builds from one parsed query, so
they cannot disagree (``6,5`` is one number everywhere, as the index has it).

A query run becomes a sequence of :class:`Slot` s, one per syllable, grouped
into words: pyvi's compounds on the query with diacritics restored ("dai hoi"
is read as "đại hội" when the index's vocabulary restores it so), a quoted
phrase one word of its own. Each slot keeps the accented form that is the
query's meaning (typed, else restored), preferred over other forms of the
same folded syllable ("lam" in "lam thi phuong thanh" means "Lâm", not "làm").

:func:`choose` then picks, of the syllables :mod:`.highlight` found in a
text, the query's words (the rule is in that module's docstring).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ..text.analysis import SEP, accented_syllables, analyze
from ..text.normalize import fold, is_folded, normalize
from .query import FILTER_FIELDS, ParsedQuery, Run

_WORD = re.compile(r"[^\W_]+")
_WORD_AT = re.compile(r"\w+")


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
            if run.field in FILTER_FIELDS:
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
            hit = vocabulary.get(f"{fold(a)}{SEP}{fold(b)}")
            known = hit is not None and hit[0].lower() == f"{a}{SEP}{b}"
            if len(seen) < 200_000:
                seen[(a, b)] = known
        return known

    return compound


# --- choosing the words the query means ---------------------------------------------


def choose(text: str, spans: list, terms: Terms) -> list[tuple[int, int, str]]:
    """The spans to mark: each query word's best occurrences (see :mod:`.highlight`).

    Left to right, the longest run of whole query words starting at a span
    that the text holds side by side (spaces only between) is one
    occurrence; a span starting none is part of a word, level 0. An
    occurrence is [rank, its query words, first span, span count]
    with rank = 2 * level + exact, plain ints: this loop runs for every
    match of every hit of every page.
    """
    runs = terms.runs
    starts, partial, singles, prefixed, piece_forms = _query_index(runs)
    n = len(spans)
    found = []
    best: dict[int, int] = {}  # query word -> its best rank so far
    lone = []  # indexes in found of one-syllable words standing alone, maybe
    i = 0
    while i < n:
        s0, e0, fi = spans[i]
        if i + 1 < n:
            gap = text[e0 : spans[i + 1][0]]
            alone = gap != " " and not (gap.isspace() and "\n" not in gap)
        else:
            alone = True
        if alone and fi in singles:  # most spans: a one-syllable query word
            form, words = singles[fi]
            rank = 3 if form is None or _form(text[s0:e0]) == form else 2
            lone.append(len(found))
            found.append([rank, words, i, 1])
            i += 1
        elif alone and not prefixed:  # a piece of a longer query word
            words = partial[fi]
            rank = _piece_rank(text[s0:e0], piece_forms.get(fi))
            found.append([rank, words, i, 1])
            i += 1
        else:
            occ = _longest(text, spans, i, runs, starts, partial, prefixed)
            if occ[0] == 1:  # a piece of a query word, not the word
                occ[0] = _piece_rank(text[s0:e0], piece_forms.get(fi))
            if occ[3] == 1 and occ[0] >= 2:
                lone.append(len(found))
            found.append(occ)
            rank, words = occ[0], occ[1]
            i += occ[3]
        for w in words:
            if best.get(w, -2) < rank:
                best[w] = rank
    if terms.compound is not None and lone:
        # A lone syllable that would be marked: a word of its own, or part of another?
        # Asked only of those, again when a demotion lets others be marked.
        demoted = True
        while demoted:
            demoted = False
            waiting = []
            for k in lone:
                occ = found[k]
                if best[occ[1][0]] != occ[0]:
                    waiting.append(k)  # not marked unless a better one is demoted
                    continue
                s, e, _ = spans[occ[2]]
                if not _stands_alone(text, s, e, terms.compound):
                    occ[0], demoted = occ[0] - 2, True
            lone = waiting
            if demoted:
                best = _best(found)
    out = []
    for rank, words, first, count in found:
        for w in words:
            if best[w] == rank >= 0:
                out.extend(spans[first : first + count])
                break
    return out


def _longest(text, spans, i, runs, starts, partial, prefixed) -> list:
    """The occurrence starting at span ``i``: the longest run of whole query words there."""
    n, fi = len(spans), spans[i][2]
    top = None
    cands = starts.get(fi, ())
    if prefixed:
        cands += tuple((r, j) for r, j in prefixed if fi.startswith(runs[r][j].folded))
    for r, j in cands:
        slots = runs[r]
        k, last = 0, -1
        while i + k < n and j + k < len(slots):
            slot, f = slots[j + k], spans[i + k][2]
            if not (f.startswith(slot.folded) if slot.prefix else f == slot.folded):
                break
            if k and not _joined(text, spans[i + k - 1][1], spans[i + k][0]):
                break
            if slot.end:
                last = k
            k += 1
        if last >= 0 and (top is None or last + 1 > top[0]):
            top = (last + 1, slots[j : j + last + 1])
    if top is None:  # a syllable of a query word, not the word
        words = partial.get(fi) or tuple(
            {runs[r][j].word for r, j in prefixed if fi.startswith(runs[r][j].folded)}
        )
        return [1, words, i, 1]
    length, covered = top
    exact = True
    for (s, e, _), slot in zip(spans[i : i + length], covered, strict=True):
        if slot.form is not None and _form(text[s:e]) != slot.form:
            exact = False
            break
    words = tuple(sorted({slot.word for slot in covered}))
    return [2 * len(words) + exact, words, i, length]


def _piece_rank(syllable: str, forms: frozenset | None) -> int:
    """A piece of a longer query word: 1, or -1 (never marked) where the query means
    other forms of it: "thứ" of "lần thứ" is no piece of "bí thư", "bị" of
    "chuẩn bị" none of it either."""
    return 1 if forms is None or _form(syllable) in forms else -1


def _best(found: list) -> dict[int, int]:
    """Query word -> the best rank of its occurrences."""
    best: dict[int, int] = {}
    get = best.get
    for occ in found:
        rank = occ[0]
        for w in occ[1]:
            if get(w, -2) < rank:
                best[w] = rank
    return best


@lru_cache(maxsize=4096)
def _query_index(runs: tuple[tuple[Slot, ...], ...]) -> tuple[dict, dict, dict, tuple, dict]:
    """What _chosen looks up a span by, built once per query:

    * folded -> ((run, slot), ...) where a query word starts with it;
    * folded -> the query words holding it (for a piece of a word);
    * folded -> (meant form, (word,)) of the one-syllable query word it is, if any;
    * (run, slot) of every prefix;
    * folded -> the forms a piece of a longer word may take (None: any).
    """
    starts: dict[str, list[tuple[int, int]]] = {}
    forms: dict[str, set | None] = {}
    partial: dict[str, set[int]] = {}
    singles: dict[str, tuple[str | None, tuple[int]]] = {}
    prefixed = []
    for r, slots in enumerate(runs):
        for j, slot in enumerate(slots):
            if slot.prefix:
                prefixed.append((r, j))
                continue
            partial.setdefault(slot.folded, set()).add(slot.word)
            if slot.form is None:
                forms[slot.folded] = None
            elif forms.get(slot.folded, set()) is not None:
                forms.setdefault(slot.folded, set()).add(slot.form)
            if slot.start:
                starts.setdefault(slot.folded, []).append((r, j))
                if slot.end:
                    singles.setdefault(slot.folded, (slot.form, (slot.word,)))
    return (
        {k: tuple(v) for k, v in starts.items()},
        {k: tuple(sorted(v)) for k, v in partial.items()},
        singles,
        tuple(prefixed),
        {k: None if v is None else frozenset(v) for k, v in forms.items()},
    )


def _joined(text: str, end: int, start: int) -> bool:
    """Two syllables side by side: only spaces between them, within one line."""
    gap = text[end:start]
    return gap == " " or (gap.isspace() and "\n" not in gap)


def _stands_alone(text: str, s: int, e: int, compound) -> bool:
    """Whether text[s:e] is a word of its own: no compound with the syllable before or after.

    The neighbours are read by hand: a regex searching back from ``s`` costs
    more than the rest of the choice.
    """
    here = None
    if s > 1 and text[s - 1] == " ":
        k = text.rfind(" ", max(0, s - 12), s - 1)
        before = text[k + 1 : s - 1] if k != -1 else ""
        if before.isalnum():
            here = _form(text[s:e])
            if compound(_form(before), here):
                return False
    if text[e : e + 1] == " ":
        after = _WORD_AT.match(text, e + 1)
        if after:
            return not compound(here or _form(text[s:e]), _form(after.group(0)))
    return True


@lru_cache(maxsize=1 << 16)
def _form(syllable: str) -> str:
    """The lowercase accented form of a syllable of the text, tones canonical."""
    return normalize(syllable).lower()
