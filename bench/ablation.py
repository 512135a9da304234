"""Ranking rules measured by turning each off, on the same index and queries.

Some rules of ``search.read.searcher`` were written for the shape of one
query form of this bench; each must earn its place on the seed that was never
used for tuning. A rule is a module constant of the searcher and the value
that turns it off; :func:`without` sets it for the duration of a block (the
Plan reads the constants at every query, and no query result is cached).
"""

from __future__ import annotations

from contextlib import contextmanager

RULES = {
    # A title holding every query word and all its pairs but one counts two
    # more pairs (written for the dropped-word form, 56add2a).
    "title all words, pairs but one": ("TITLE_ALL_WORDS", 0),
    # Relaxing when nothing has every word, a three-word query may miss one
    # (before: one word in four, so never one of three; a typo found nothing).
    "3-word query may miss a word": ("ONE_OF_THREE", False),
    # A word found nowhere is read as a doubled letter or a raw Telex syllable.
    "unknown word read as a slip": ("REPAIR_UNKNOWN", False),
}
# Measured and removed (README, Relevance): an adjacent pair found in the title
# counting half again in the proximity tier (5322ad3), TITLE_PAIR_HALF_AGAIN;
# a BM25 bonus for a title holding every pair of a run, TITLE_PHRASE_BONUS.


@contextmanager
def without(rule: str):
    """The searcher with ``rule`` turned off inside the block; KeyError for an unknown rule,
    AttributeError when the searcher no longer has its switch."""
    from search.read import searcher

    name, off = RULES[rule]
    before = getattr(searcher, name)
    setattr(searcher, name, off)
    try:
        yield
    finally:
        setattr(searcher, name, before)
