"""Query understanding: the syntax users know from web search, after Telex/VNI decoding.

Pure functions, no Whoosh. :func:`parse_query` turns what a user typed into
:class:`ParsedQuery`, a few frozen dataclasses the searcher reads.

Syntax
------
=====================  ==================================================
``lãnh đạo tỉnh``      plain words; consecutive ones form one :class:`Run`
``"đại hội đảng"``     a phrase: its words adjacent (curly quotes too)
``-tax``, ``-"a b"``   leave out articles with the word, phrase or field
``a OR b``             either (OR in capitals, between two items; it binds
                       only the item on each side: ``a b OR c d`` wants a,
                       b or c, and d)
``title:hội``          in the title; also ``person:``, ``province:``,
                       ``source:`` (and ``tinh:``, ``nguoi:``); a value of
                       several words needs quotes: ``province:"Lạng Sơn"``
``nguyễ*``             prefix: the last word of a run may end with ``*``
                       (two letters at least, else the ``*`` is dropped)
=====================  ==================================================

Anything else is text: an unknown ``name:`` (10:30, http:) is part of the word,
an unbalanced quote, a lone ``-``, ``*`` or ``OR``, parentheses are ignored.
Nothing raises. Work is bounded: the query is cut to :data:`MAX_CHARS`
characters and :data:`MAX_WORDS` words (word = run of letters and digits, so
62-NQ/TU counts three), an OR group keeps :data:`MAX_ALTERNATIVES` items.

Telex/VNI
---------
The normalized query goes through :func:`search.text.telex.decode_telex` before it
is parsed, quoted phrases included (the input method was off for the whole
query); field names and ``OR`` are never decoded. ``ParsedQuery.decoded`` is
the decoded query when decoding changed something, for the page to say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import QUERY_FIELDS
from ..text.normalize import fold, normalize
from ..text.telex import decode_telex

__all__ = [
    "FIELDS",
    "MAX_ALTERNATIVES",
    "MAX_CHARS",
    "MAX_WORDS",
    "ParsedQuery",
    "Run",
    "parse_query",
    "query_words",
]

MAX_CHARS = 300
MAX_WORDS = 32
MAX_ALTERNATIVES = 8

FIELDS = QUERY_FIELDS  # field names users type (folded, lowercase) -> the field of a Run
# Fields whose runs filter by a facet value: they match no words and mark none.
FILTER_FIELDS = ("person", "province", "source")


@dataclass(frozen=True)
class Run:
    """Words to find together: one or more words, maybe a phrase, maybe in one field."""

    text: str  # normalized, case kept; words separated by single spaces
    field: str | None  # None (title+body), "title", "person", "province", "source"
    phrase: bool = False  # from "quoted phrase": words must be adjacent
    prefix: bool = False  # the last word ended with * (the * removed)


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: every group is wanted; the Runs of one group are alternatives."""

    groups: tuple[tuple[Run, ...], ...]
    excluded: tuple[Run, ...]  # -word, -"phrase", -field:value
    text: str  # the positive parts, cleaned and normalized (display, suggestions)
    decoded: str | None  # the query after Telex/VNI decoding if that changed it


# --- lexing -------------------------------------------------------------------------

# A quoted phrase (maybe -negated, maybe field:"..."), a chunk of non-space, or a
# quote without its pair (skipped).
_TOKEN = re.compile(r'(-?)(?:([^\W\d_]+):)?"([^"]*)"|([^\s"]+)|"')
_WORD = re.compile(r"[^\W_]+")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_FIELD = re.compile(r"([^\W\d_]+):(.*)", re.S)
_OR = object()  # the OR marker among items


@dataclass(frozen=True)
class _Item:
    run: Run
    negated: bool


def _clean(text: str) -> tuple[str, bool]:
    """(words of ``text`` without edge punctuation and stars, whether it ended with ``*``).

    The ``*`` counts only when the last word has two letters or digits.
    """
    star = text.rstrip().endswith("*")
    words = [_EDGES.sub("", w) for w in text.replace("*", " ").split()]
    out = " ".join(w for w in words if w)
    if star and out:
        last = _WORD.findall(fold(out))
        star = bool(last) and len(last[-1]) >= 2
    return out, star and bool(out)


def _field_name(name: str) -> str | None:
    return FIELDS.get(fold(name).lower())


def _items(text: str) -> list[_Item | object]:
    """The items and OR markers of the query, left to right."""
    out: list[_Item | object] = []
    for m in _TOKEN.finditer(text):
        neg, name, quoted, chunk = m.groups()
        if quoted is not None:
            field = _field_name(name) if name else None
            words, star = _clean(quoted)
            if name and field is None:  # foo:"bar": the name is a word of the phrase
                words = f"{_clean(name)[0]} {words}".strip()
            if words:
                out.append(_Item(Run(words, field, phrase=True, prefix=star), bool(neg)))
        elif chunk is not None:
            item = _chunk(chunk)
            if item is not None:
                out.append(item)
    return out


def _chunk(chunk: str) -> _Item | object | None:
    """One space-separated chunk: OR, -x, field:value, word*, or plain text."""
    if chunk == "OR":
        return _OR
    negated = chunk.startswith("-")
    body = chunk.lstrip("-") if negated else chunk
    field = None
    m = _FIELD.fullmatch(body)
    if m and _field_name(m.group(1)) and _WORD.search(m.group(2)):
        field, body = _field_name(m.group(1)), m.group(2)
    words, star = _clean(body)
    if not words:
        return None
    return _Item(Run(words, field, prefix=star), negated)


# --- bounds -------------------------------------------------------------------------


def _cut_words(run: Run, budget: int) -> Run | None:
    """``run`` cut to ``budget`` words (runs of letters/digits), or None if none fit."""
    found = list(_WORD.finditer(run.text))
    if len(found) <= budget:
        return run
    if budget <= 0:
        return None
    text, _ = _clean(run.text[: found[budget - 1].end()])
    return Run(text, run.field, run.phrase, prefix=False)


def _bounded(items: list[_Item | object]) -> list[_Item | object]:
    out: list[_Item | object] = []
    budget = MAX_WORDS
    for item in items:
        if isinstance(item, _Item):
            run = _cut_words(item.run, budget)
            if run is None:
                break
            budget -= len(_WORD.findall(run.text))
            item = _Item(run, item.negated)
        out.append(item)
    return out


# --- grouping -----------------------------------------------------------------------


def _alternatives(items: list[_Item | object]) -> list[list[_Item]]:
    """Bind OR to the single item on each side: a list of alternatives per entry."""
    entries: list[list[_Item]] = []
    pending_or = False
    for item in items:
        if item is _OR:
            pending_or = bool(entries) and not entries[-1][0].negated
            continue
        assert isinstance(item, _Item)
        if pending_or and not item.negated:
            if len(entries[-1]) < MAX_ALTERNATIVES:
                entries[-1].append(item)
        else:
            entries.append([item])
        pending_or = False
    return entries


def _mergeable(run: Run) -> bool:
    return run.field is None and not run.phrase


def parse_query(q: str) -> ParsedQuery:
    """Parse what a user typed: phrases, exclusions, OR, fields, prefixes, Telex/VNI.

    >>> p = parse_query('“đại hội” lanh dao tinh* -"ban chấp hành" province:"Lạng Sơn"')
    >>> [[(r.text, r.field, r.phrase, r.prefix) for r in g] for g in p.groups]
    [[('đại hội', None, True, False)], [('lanh dao tinh', None, False, True)], [('Lạng Sơn', 'province', True, False)]]
    >>> p.excluded
    (Run(text='ban chấp hành', field=None, phrase=True, prefix=False),)
    >>> p.text
    'đại hội lanh dao tinh Lạng Sơn'
    >>> parse_query("ddaij hooij OR ddangr").decoded
    'đại hội OR đảng'
    """
    text = normalize(q[: MAX_CHARS * 4])[:MAX_CHARS]
    decoded, changed = decode_telex(text)
    entries = _alternatives(_bounded(_items(decoded)))
    groups: list[tuple[Run, ...]] = []
    excluded: list[Run] = []
    words: list[str] = []  # plain words waiting to form one run

    def end_run(prefix: bool = False) -> None:
        if words:
            groups.append((Run(" ".join(words), None, prefix=prefix),))
            words.clear()

    for entry in entries:
        first = entry[0]
        if first.negated:  # an exclusion ends the run before it: đại -hội đảng
            end_run()
            excluded.append(first.run)
        elif len(entry) == 1 and _mergeable(first.run):
            words.append(first.run.text)
            if first.run.prefix:  # a prefix ends its run: lãnh đạo tỉn*
                end_run(prefix=True)
        else:
            end_run()
            groups.append(tuple(item.run for item in entry))
    end_run()
    return ParsedQuery(
        groups=tuple(groups),
        excluded=tuple(excluded),
        text=" ".join(run.text for group in groups for run in group),
        decoded=decoded if changed else None,
    )


def query_words(run: Run) -> list[str]:
    """The run's lowercase syllables, split as the index splits text (numbers and codes kept).

    >>> query_words(Run("Tỉnh ủy 62-NQ/TU ngày 6,5", None))
    ['tỉnh', 'ủy', '62', 'nq', 'tu', 'ngày', '6,5']
    """
    from ..text.analysis import accented_syllables, analyze  # Whoosh only when asked

    return [t.lower() for t, _, _ in accented_syllables(analyze(run.text))]
