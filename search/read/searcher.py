"""The read side: matching, ranking, filters, facets and sorting over a Snapshot.

A query is a list of runs of words (see :mod:`search.read.query`). Every word of a
run must be present, folded, in the title or the body (AND, as users of web
search expect; relaxed to most words when nothing has them all). Ranking is
BM25F computed in numpy over all documents at once, summed over streams:

* folded syllables, title and body (every query finds every accented form);
* accented syllables, for the words the user typed with diacritics (exact
  forms rank first; folded ones still match);
* folded syllable bigrams: adjacent words (phrase and proximity) for the
  price of one rare term each;
* compound words (pyvi's lãnh_đạo; for a folded query, the run's 2-4 word
  n-grams that exist as compounds): "học sinh" is not "sinh học".

Two match-quality tiers come before that sum, as in Sphinx's proximity_bm25
ranker: first how many of the words typed with diacritics a document holds
in that exact form ("mà" finds má and ma too, after every "mà"), then how
many of the query's adjacent word pairs it holds (an article naming "Lâm Thị
Phương Thanh" before one scattering lâm, thị, phương and thanh), a title
holding every word of the query side by side but at one place (a word the
reader left out of a headline: "nghị quyết 62" for "Nghị quyết số 62")
counting as two more pairs. They are folded into the score, so hits stay in
descending score order.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..text.analysis import SEP, accented_syllables, accented_words, analyze
from ..text.normalize import fold
from ..text.telex import slip_readings
from ..write import schema as S
from .query import FILTER_FIELDS, MAX_WORDS, ParsedQuery, Run
from .snapshot import Snapshot

K1, B = 1.2, 0.75
TITLE, BODY = 2.5, 1.0  # field weights of BM25F
STREAM_WEIGHT = {"fsyl": 1.0, "syl": 0.7, "fbi": 1.3, "fword": 0.6, "word": 0.5}
# A title holding every word of the query and all its adjacent pairs but one
# (a headline the reader remembers with a word left out) is worth two pairs
# found anywhere: "du đi lễ" finds "du khách đi lễ" in a title before a long
# body that happens to say "du di" and "đi lễ".
TITLE_ALL_WORDS = 4
ONE_OF_THREE = True  # relaxing, a three-word query may miss one (bench/ablation.py's switch)
REPAIR_UNKNOWN = True  # a word found nowhere is read as a slip (see Plan._repaired)
MAX_PREFIX_TERMS = 30
DENSE_FROM = 3  # a term in over a third of the documents is kept as whole arrays
FIELD_INDEX = {f: i for i, f in enumerate(S.TEXT_FIELDS)}
FIELD_WEIGHT = {  # BM25F: a stream's weight in the title or the body
    S.text_field(part, stream): (TITLE if part == "t" else BODY) * w
    for part in ("t", "b")
    for stream, w in STREAM_WEIGHT.items()
}
# near counts a pair twice, plus TITLE_ALL_WORDS
NEAR_LEVELS = 2 * MAX_WORDS + TITLE_ALL_WORDS + 1
_FACET_WORD = re.compile(r"[^\W_]+")


@dataclass
class Words:
    """One run analysed: accented and folded syllables, bigrams, compounds."""

    accented: list[str]
    folded: list[str]
    compounds: list[str] = field(default_factory=list)  # accented compound words typed
    prefix: bool = False


def analyse_run(run: Run) -> Words:
    a = analyze(run.text)
    accented = [t.lower() for t, _, _ in accented_syllables(a)]
    compounds = [t.lower() for t, _, _ in accented_words(a) if SEP in t]
    return Words(accented, [fold(s) for s in accented], compounds, run.prefix)


class Plan:
    """Scores and the matching set of one parsed query over one snapshot."""

    def __init__(self, snap: Snapshot, parsed: ParsedQuery, min_words: int | None = None):
        """Match every word (default) or, with ``min_words``, any document having that many."""
        self.snap = snap
        n = snap.n
        self.scores = np.zeros(n, dtype=np.float64)
        self.exact = np.zeros(n, dtype=np.int16)  # accented words present as typed
        self.near = np.zeros(n, dtype=np.int16)  # adjacent query pairs present
        self.words_in_title = np.zeros(n, dtype=np.int16)  # of the query's words
        self.pairs_in_title = np.zeros(n, dtype=np.int16)  # of its adjacent pairs
        self.n_words = 0  # query words counted in words_in_title (prefixes are not)
        self.n_pairs = 0
        self.match = snap.alive.copy()
        self.filters_only = True
        relaxed_counts = np.zeros(n, dtype=np.int16)
        needed = 0
        # What relaxing may not drop: fields, quoted phrases, OR groups.
        strict = snap.alive.copy()
        for group in parsed.groups:
            group_match = np.zeros(n, dtype=bool)
            relaxable = len(group) == 1
            for run in group:
                m, counts, k = self._run(run)
                group_match |= m
                if relaxable and counts is not None and not run.phrase:
                    relaxed_counts += counts
                    needed += k
                else:
                    relaxable = False
            self.match &= group_match
            if not relaxable:
                strict &= group_match
        for run in parsed.excluded:
            m, _, _ = self._run(run, score=False)
            self.match &= ~m
            strict &= ~m
        if min_words is not None:
            self.match = snap.alive & (relaxed_counts >= min(min_words, needed))
        elif not self.match.any() and needed >= 3:
            # Nothing has every word: accept documents missing one plain word
            # in four, or one of three (a typo in a three-word query), ranked
            # as usual (users still see near misses).
            least = needed - max(1, needed // 4) if ONE_OF_THREE else math.ceil(needed * 0.75)
            self.match = strict & (relaxed_counts >= least)
        if self.n_words:
            title_holds_query = (self.words_in_title >= self.n_words) & (
                self.pairs_in_title >= max(1, self.n_pairs - 1)
            )
            self.near[title_holds_query] += TITLE_ALL_WORDS
        tier = self.exact.astype(np.float64) * NEAR_LEVELS + self.near
        if min_words is None and tier.any():  # not for "more like this": nothing was typed
            self.scores += tier * (float(self.scores.max()) + 1.0)

    # --- one run -------------------------------------------------------------

    def _run(self, run: Run, score: bool = True):
        """(match mask, per-doc count of words present, word count) of one run."""
        n = self.snap.n
        if run.field in FILTER_FIELDS:
            return self._facet_match(run), None, 0
        self.filters_only = False
        w = analyse_run(run)
        if not w.folded:
            return np.ones(n, dtype=bool), None, 0
        parts = ("t",) if run.field == "title" else ("t", "b")
        if REPAIR_UNKNOWN:
            self._repaired(w)
        match = np.ones(n, dtype=bool)
        counts = np.zeros(n, dtype=np.int16)
        last = len(w.folded) - 1
        for i, (acc, fol) in enumerate(zip(w.accented, w.folded, strict=True)):
            if w.prefix and i == last:
                present = self._prefix(fol, parts, score)
            else:
                in_title = self.words_in_title if score else None
                present = self._term("fsyl", fol, parts, score, title_hits=in_title)
                if score:
                    self.n_words += 1
                if score and acc != fol:
                    self.exact += self._term("syl", acc, parts, score)
            match &= present
            counts += present
        pairs = list(zip(w.folded, w.folded[1:], strict=False))
        bigrams = [f"{a}{SEP}{b}" for a, b in pairs]
        if w.prefix and bigrams:
            bigrams.pop()
        if bigrams:
            in_title = np.zeros(n, dtype=np.int16)
            for bg in bigrams:
                present = self._term("fbi", bg, parts, score, title_hits=in_title)
                if score:
                    self.near += present  # twice, in place: 2 * present is a new int64 array
                    self.near += present
                if run.phrase:
                    match &= present
            if score:
                # Pairs in the title count once, as in the body: counting them half again
                # cost body and names queries, a bonus for a title holding the whole
                # run changed no rank (bench/relevance.py --ablate, README).
                self.pairs_in_title += in_title
                self.n_pairs += len(bigrams)
        if score:
            for comp in self._compounds(w):
                stream = "word" if comp in w.compounds else "fword"
                self._term(stream, comp, parts, score)
        return match, counts, len(w.folded)

    def _repaired(self, w: Words) -> None:
        """A word found nowhere becomes the first slip reading the index knows (in place):
        a letter typed twice (côông), a syllable left in raw Telex (hopj for họp)."""
        known = lambda f: any(  # noqa: E731
            _occurs(bm25_column(self.snap, S.text_field(p, "fsyl"), f)) for p in "tb"
        )
        for i, fol in enumerate(w.folded[: -1 if w.prefix else None]):
            readings = () if known(fol) else slip_readings(w.accented[i])
            reading = next((r for r in readings if known(fold(r))), None)
            if reading is not None:
                w.accented[i], w.folded[i] = reading, fold(reading)

    def _compounds(self, w: Words) -> list[str]:
        """Compound words the run names: typed accented ones, and folded n-grams in the index."""
        found = list(w.compounds)
        have = {fold(c) for c in found}
        syl = w.folded[:-1] if w.prefix else w.folded
        for size in (4, 3, 2):
            for i in range(len(syl) - size + 1):
                cand = SEP.join(syl[i : i + size])
                if cand not in have and _occurs(bm25_column(self.snap, "b_fword", cand)):
                    found.append(cand)
                    have.add(cand)
        return found

    def _term(self, stream, term, parts, score, title_hits=None) -> np.ndarray:
        """Add one term's BM25 to the scores; return where it occurs."""
        snap = self.snap
        present = np.zeros(snap.n, dtype=bool)
        for part in parts:
            fieldname = S.text_field(part, stream)
            ids, weighted, where = bm25_column(snap, fieldname, term)
            if where is not None:  # a common term: whole arrays, no scatter per posting
                present |= where
                if title_hits is not None and part == "t":
                    title_hits += where
                if score:
                    self.scores += weighted
                continue
            if not len(ids):
                continue
            present[ids] = True
            if title_hits is not None and part == "t":
                title_hits[ids] += 1
            if score:
                self.scores[ids] += weighted
        return present

    def _prefix(self, folded: str, parts, score) -> np.ndarray:
        present = np.zeros(self.snap.n, dtype=bool)
        if len(folded) < 2:
            return present | True
        for term in self.snap.expand_prefix("b_fsyl", folded, MAX_PREFIX_TERMS):
            present |= self._term("fsyl", term, parts, score)
        for term in self.snap.expand_prefix("t_fsyl", folded, MAX_PREFIX_TERMS):
            present |= self._term("fsyl", term, ("t",), score)
        return present

    def _facet_match(self, run: Run) -> np.ndarray:
        """person:/province:/source: — values holding the folded words, whole and in order.

        Whole words: person:Hòa is Nguyễn Văn Hòa, not Tô Hùng Khoa.
        """
        names = {"person": (S.PERSON,), "province": (S.PROVINCE, S.PROVINCE_2025)}
        fields = names.get(run.field, (S.SOURCE,))
        want = _facet_words(run.text)
        out = np.zeros(self.snap.n, dtype=bool)
        if want == " ":
            return out
        for fieldname in fields:
            facet = self.snap.facets[fieldname]
            ids = [i for i, v in enumerate(facet.folded) if want in _facet_words(v)]
            out |= facet.docs_with(ids, self.snap.n)
        return out


def bm25_column(
    snap: Snapshot, fieldname: str, term: str
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray | None]:
    """(docnums, weighted BM25 of the term in each, None), cached on the snapshot for its
    generation. The weight is the field's (title or body) times its stream's.

    A term in over 1/DENSE_FROM of the documents comes as (None, weighted BM25
    of every document, 0 where absent; mask of the documents having it):
    adding zeros changes no score, and whole-array operations beat scattering
    tens of thousands of postings.
    """

    def compute():
        ids, weights = snap.postings(fieldname, term)
        tf = weights.astype(np.float64)
        if not len(ids):
            return ids, tf, None
        col = FIELD_INDEX[fieldname]
        df = len(ids)
        idf = math.log(1.0 + (snap.count - df + 0.5) / (df + 0.5))
        norm = K1 * (1.0 - B + B * snap.lengths[ids, col] / snap.avg_lengths[col])
        bm25 = idf * tf * (K1 + 1.0) / (tf + norm)
        bm25 *= FIELD_WEIGHT[fieldname]
        if df * DENSE_FROM <= snap.n:
            return ids, bm25, None
        dense = np.zeros(snap.n, dtype=np.float64)
        dense[ids] = bm25
        where = np.zeros(snap.n, dtype=bool)
        where[ids] = True
        return None, dense, where

    return snap.cached(("bm25", fieldname, term), compute)


def _occurs(column: tuple) -> bool:
    ids, _, where = column
    return where is not None or len(ids) > 0


@lru_cache(maxsize=1 << 16)
def _facet_words(text: str) -> str:
    """Folded lowercase words of ``text``, space-padded for whole-word containment."""
    return " " + " ".join(_FACET_WORD.findall(fold(text).lower())) + " "


# --- a whole request -----------------------------------------------------------

FACET_KEYS = {
    "province": S.PROVINCE,
    "province_2025": S.PROVINCE_2025,
    "person": S.PERSON,
    "year": S.YEAR,
}


def filter_mask(snap: Snapshot, req) -> np.ndarray:
    """Documents passing the request's filters: OR within a facet, AND across facets."""
    mask = snap.alive.copy()
    for values, fieldnames in (
        (req.provinces, (S.PROVINCE, S.PROVINCE_2025)),
        (req.persons, (S.PERSON,)),
        (req.sources, (S.SOURCE,)),
        ([str(y) for y in req.years], (S.YEAR,)),
    ):
        if not values:
            continue
        wanted = {fold(v).lower().strip() for v in values}
        facet_mask = np.zeros(snap.n, dtype=bool)
        for fieldname in fieldnames:
            facet = snap.facets[fieldname]
            ids = [i for i, v in enumerate(facet.folded) if v in wanted]
            facet_mask |= facet.docs_with(ids, snap.n)
        mask &= facet_mask
    if req.date_from or req.date_to:
        lo = req.date_from.toordinal() if req.date_from else 1
        hi = req.date_to.toordinal() if req.date_to else 10**7
        mask &= (snap.dates >= lo) & (snap.dates <= hi)
    return mask


def facet_counts(snap: Snapshot, mask: np.ndarray, limit: int) -> dict[str, list[tuple[str, int]]]:
    """The ``limit`` values of each facet with most documents in ``mask`` (ties: lexicon order)."""
    selected = np.flatnonzero(mask)
    out = {}
    for key, fieldname in FACET_KEYS.items():
        facet = snap.facets[fieldname]
        if not facet.values:
            out[key] = []
            continue
        counts = facet.counts(mask, selected)
        top = np.flatnonzero(counts)
        if len(top) > limit > 0:  # only values counted as often as the limit-th can be shown
            floor = np.partition(counts[top], len(top) - limit)[len(top) - limit]
            top = top[counts[top] >= floor]
        order = top[np.lexsort((top, -counts[top]))][:limit]
        if key == "year":
            order = sorted(order, key=lambda i: facet.values[i], reverse=True)
        out[key] = [(facet.values[i], int(counts[i])) for i in order]
    out["month"] = month_counts(snap, mask, selected)
    return out


def month_counts(snap: Snapshot, mask: np.ndarray, selected: np.ndarray | None = None) -> list:
    """(YYYY-MM, documents) of every month with documents in ``mask``, in time order."""
    months = snap.facets[S.MONTH]
    if not months.values:
        return []
    counts = months.counts(mask, selected)  # values in lexicon order: time order
    return [(months.values[i], int(counts[i])) for i in np.flatnonzero(counts)]


def ranked(snap: Snapshot, plan: Plan | None, mask: np.ndarray, sort: str, k: int) -> np.ndarray:
    """The first ``k`` matching docnums in the requested order."""
    docs = np.flatnonzero(mask)
    if not len(docs) or k <= 0:
        return docs[:0]
    dates = snap.dates[docs]
    if sort == "relevance" and plan is not None and not plan.filters_only:
        scores = plan.scores[docs]
        if len(docs) > 4 * k:
            keep = np.argpartition(-scores, k - 1)[:k]
            docs, scores, dates = docs[keep], scores[keep], dates[keep]
        order = np.lexsort((-dates, -scores))
    elif sort == "oldest":
        undated = dates == 0
        order = np.lexsort((docs, np.where(undated, np.iinfo(np.int32).max, dates)))
    else:  # newest, and relevance without words to rank by
        order = np.lexsort((docs, -dates))
    return docs[order[:k]]
