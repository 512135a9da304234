"""Known-item queries drawn from the corpus, and the Telex encoder they use.

A known-item query is a run of words a reader remembers from one article;
the answers are the articles holding that run (folded, on word boundaries) in
the same part, title or body. A run held by more than ``MAX_ANSWERS``
articles ("có phương án" is in nine of the first 10,000 titles) names no one
article and is drawn again. Nine forms:

* ``accented``: 3-6 consecutive title words as written;
* ``folded``: the same run without diacritics, lowercased (``lanh dao tinh``);
* ``telex``: the same run typed in Telex with the input method off
  (``lãnh đạo`` -> ``lanhx ddaoj``);
* ``dropped``: 4-6 consecutive title words, one middle word left out;
* ``body``: 5-8 consecutive words of one body sentence, folded, not a run of
  the title;
* ``misspelt``: the accented run with one word misspelt (a wrong tone, a
  letter dropped or doubled, one word left in raw Telex: see keyboard.py);
* ``untitled``: 3-6 consecutive words of the first sentence of an article
  indexed without its title (one in :data:`UNTITLED_SHARE`, chosen by id, see
  :func:`drop_titles`); answers hold the run in their title or body;
* ``generic``: 3-6 consecutive title words that are all common, lowercase
  words (each in at least :data:`GENERIC_SHARE` of the titles, as written: "tăng cường
  công tác phòng chống"), no name and no number among them;
* ``names``: two names the article holds (a person and a province where it
  names both), as written; answers hold both names, in the title or the body.

The first five come from the same target articles, the sixth too; the last
three are drawn on their own targets (not every article names two people).
Words are whitespace-separated with punctuation stripped from their ends.
Everything is drawn from one ``random.Random(seed)``: the same articles and
seed give the same queries.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import string
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from keyboard import misspell, telex  # noqa: E402

from search.text.normalize import fold, normalize  # noqa: E402

FORMS = (
    "accented",
    "folded",
    "telex",
    "dropped",
    "body",
    "misspelt",
    "untitled",
    "generic",
    "names",
)
UNTITLED_SHARE = 10  # one article in ten is indexed without its title
GENERIC_SHARE = 0.01  # a word in 1 % of the titles (100 of 10,000) is common

MIN_TITLE_WORDS = 5  # shorter titles leave no room for a dropped-word run
MAX_ANSWERS = 3  # a title or body run shared by more articles is not a known item
_PUNCT = string.punctuation + "“”‘’«»…–—·•"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")

# --- words and runs ---------------------------------------------------------------


def words(text: str) -> list[str]:
    """Whitespace-separated words with punctuation stripped from their ends.

    >>> words('"Kết quả" xổ số - ngày 6/2/2017.')
    ['Kết', 'quả', 'xổ', 'số', 'ngày', '6/2/2017']
    """
    out = []
    for w in text.split():
        w = w.strip(_PUNCT)
        if w:
            out.append(w)
    return out


def folded(text: str) -> str:
    """Folded and lowercased: what a reader without a Vietnamese keyboard types."""
    return fold(text).lower()


def title_key(title: str) -> str:
    """Two titles are the same article when these keys are equal."""
    return " ".join(unicodedata.normalize("NFC", title).lower().split())


@dataclass(frozen=True)
class KnownItem:
    """One query, the article it was drawn from and every article that answers it."""

    form: str
    query: str
    target: str
    answers: tuple[str, ...]
    source_run: str  # the accented words the query was made from

    def to_dict(self) -> dict:
        return asdict(self)


def _word_key(word: str) -> str:
    return normalize(word).lower()


def untitled(record_id: str) -> bool:
    """Whether the article ``record_id`` is indexed without its title (one in ten, by id).

    Chosen by a hash of the id, not by the seed: every seed and every system
    sees the same index.
    """
    digest = hashlib.sha1(record_id.encode()).digest()
    return int.from_bytes(digest[:4], "big") % UNTITLED_SHARE == 0


def drop_titles(records: Sequence[dict]) -> list[dict]:
    """``records`` with the title of every :func:`untitled` article emptied (copies)."""
    return [{**r, "title": ""} if untitled(r["id"]) else r for r in records]


def first_sentence(body: str) -> str:
    """The first sentence of ``body``: what stands for the title of an untitled article.

    >>> first_sentence("Sáng 6/2, Tỉnh ủy họp. Các đại biểu thống nhất.")
    'Sáng 6/2, Tỉnh ủy họp.'
    """
    return _SENTENCE_END.split(body.strip(), maxsplit=1)[0]


class _Corpus:
    """Lookups over the records the queries are checked against."""

    def __init__(self, records: Sequence[dict]):
        self.by_title: dict[str, list[str]] = defaultdict(list)
        for r in records:
            self.by_title[title_key(r["title"])].append(r["id"])
        self._ids = [r["id"] for r in records]
        # Folded words, space-padded, so a run is found only on word boundaries.
        self._texts = {
            part: [" " + " ".join(words(folded(r[part]))) + " " for r in records]
            for part in ("title", "body")
        }
        self._texts["any"] = [
            t + b for t, b in zip(self._texts["title"], self._texts["body"], strict=True)
        ]
        # Common words are counted as written (trói and trời fold alike; only trời is common).
        titled = [{_word_key(w) for w in words(r["title"])} for r in records if r["title"]]
        df: dict[str, int] = defaultdict(int)
        for ws in titled:
            for w in ws:
                df[w] += 1
        floor = max(2, math.ceil(GENERIC_SHARE * len(titled)))
        self.common = frozenset(w for w, n in df.items() if n >= floor)

    def containing(self, part: str, runs: Sequence[str], limit: int) -> list[str]:
        """Ids of the articles whose ``part`` holds every folded run, at most ``limit + 1``.

        ``part`` is title, body or any (either).
        """
        needles = [f" {run} " for run in runs]
        found = []
        for doc_id, text in zip(self._ids, self._texts[part], strict=True):
            if all(n in text for n in needles):
                found.append(doc_id)
                if len(found) > limit:
                    break
        return found

    def answers(self, part: str, run: str | Sequence[str], target: str) -> tuple[str, ...] | None:
        """Every article whose ``part`` holds ``run`` (folded; every run of a list), or None
        when it is not a known item: more than :data:`MAX_ANSWERS` of them share it."""
        runs = [run] if isinstance(run, str) else list(run)
        found = self.containing(part, [folded(r) for r in runs], MAX_ANSWERS)
        if target in found and len(found) <= MAX_ANSWERS:
            return tuple(found)
        return None

    def generic(self, word: str, first: bool) -> bool:
        """A common word, lowercase as written (the first of a title may be capitalized)."""
        plain = word[:1].lower() + word[1:] if first else word
        return plain.isalpha() and plain == plain.lower() and _word_key(word) in self.common


def _body_run(rng: random.Random, record: dict, title_folded: str, corpus: _Corpus):
    """A folded 5-8 word run of one body sentence, with its answers, or None."""
    sentences = [ws for s in _SENTENCE_END.split(record["body"]) if len(ws := words(s)) >= 5]
    for _ in range(5):
        if not sentences:
            return None
        ws = rng.choice(sentences)
        n = rng.randint(5, min(8, len(ws)))
        start = rng.randint(0, len(ws) - n)
        accented = " ".join(ws[start : start + n])
        run = folded(accented)
        if f" {run} " in f" {title_folded} ":
            continue
        answers = corpus.answers("body", run, record["id"])
        if answers is not None:
            return accented, run, answers
    return None


def _title_run(rng: random.Random, record: dict, tw: list[str], low: int, corpus: _Corpus):
    """A run of ``low``-6 consecutive title words, with its answers, or None."""
    for _ in range(5):
        n = rng.randint(low, min(6, len(tw)))
        start = rng.randint(0, len(tw) - n)
        run = tw[start : start + n]
        answers = corpus.answers("title", " ".join(run), record["id"])
        if answers is not None:
            return run, answers
    return None


def _untitled_item(rng: random.Random, record: dict, corpus: _Corpus) -> KnownItem | None:
    """3-6 words of the first sentence of an untitled article, answered by title or body."""
    if record["title"]:
        return None
    ws = words(first_sentence(record["body"]))
    if len(ws) < MIN_TITLE_WORDS:
        return None
    for _ in range(5):
        n = rng.randint(3, min(6, len(ws)))
        start = rng.randint(0, len(ws) - n)
        run = " ".join(ws[start : start + n])
        answers = corpus.answers("any", run, record["id"])
        if answers is not None:
            return KnownItem("untitled", run, record["id"], answers, run)
    return None


def _generic_item(rng: random.Random, record: dict, corpus: _Corpus) -> KnownItem | None:
    """A run of 3-6 common title words held by at most three titles."""
    tw = words(record["title"])
    ok = [corpus.generic(w, i == 0) for i, w in enumerate(tw)]
    runs = [
        (start, n)
        for n in range(3, 7)
        for start in range(len(tw) - n + 1)
        if all(ok[start : start + n])
    ]
    rng.shuffle(runs)
    runs.sort(key=lambda r: -r[1])  # the longest first: a reader's phrase, not a fragment
    for start, n in runs[:5]:
        run = " ".join(tw[start : start + n])
        answers = corpus.answers("title", run, record["id"])
        if answers is not None:
            return KnownItem("generic", run, record["id"], answers, run)
    return None


def names_in(text: str) -> tuple[list[str], list[str]]:
    """(persons, provinces) named in ``text``, as written there (normalized), each once.

    >>> names_in("Ông Nguyễn Văn Nên, Bí thư Thành ủy, làm việc tại Hà Nội và Hà Nội.")
    (['Nguyễn Văn Nên'], ['Hà Nội'])
    """
    from search.ingest.lexicon import province_re
    from search.ingest.persons import find_persons

    text = normalize(text)
    _, _, spans = find_persons(text)
    persons = list(dict.fromkeys(text[s:e] for s, e in spans))
    places = [m.group(0) for m in province_re().finditer(text)]
    taken = {folded(p) for p in persons}
    provinces = list(dict.fromkeys(p for p in places if folded(p) not in taken))
    return persons, provinces


def _names_item(rng: random.Random, record: dict, corpus: _Corpus) -> KnownItem | None:
    """Two names of the article (a person and a province when it has both)."""
    persons, provinces = names_in(record["title"] + "\n" + record["body"])
    pairs = [(p, q) for p in persons for q in provinces]
    if not pairs:
        found = persons + provinces
        pairs = [(a, b) for i, a in enumerate(found) for b in found[i + 1 :]]
    rng.shuffle(pairs)
    for pair in pairs[:5]:
        answers = corpus.answers("any", pair, record["id"])
        if answers is not None:
            query = " ".join(pair)
            return KnownItem("names", query, record["id"], answers, query)
    return None


_OWN_TARGETS = {"untitled": _untitled_item, "generic": _generic_item, "names": _names_item}


def _title_items(rng: random.Random, record: dict, corpus: _Corpus) -> list[KnownItem]:
    """The six forms drawn from one titled target, or [] when it gives no known item."""
    tw = words(record["title"])
    same_title = tuple(corpus.by_title[title_key(record["title"])])
    if len(tw) < MIN_TITLE_WORDS or len(same_title) > MAX_ANSWERS:
        return []
    body = _body_run(rng, record, " ".join(folded(w) for w in tw), corpus)
    short = body and _title_run(rng, record, tw, 3, corpus)
    long = short and _title_run(rng, record, tw, 4, corpus)
    typo = long and misspell(short[0], rng)
    if not typo:
        return []
    (run_words, title_answers), (long_run, long_answers) = short, long
    run = " ".join(run_words)
    drop = rng.randint(1, len(long_run) - 2)
    target = record["id"]
    return [
        KnownItem("accented", run, target, title_answers, run),
        KnownItem("folded", folded(run), target, title_answers, run),
        KnownItem("telex", telex(run.lower()), target, title_answers, run),
        KnownItem(
            "dropped",
            " ".join(long_run[:drop] + long_run[drop + 1 :]),
            target,
            long_answers,
            " ".join(long_run),
        ),
        KnownItem("body", body[1], target, body[2], body[0]),
        KnownItem("misspelt", " ".join(typo[0]), target, title_answers, run),
    ]


def generate(
    records: Sequence[dict], per_form: int, seed: int, exclude: frozenset[str] = frozenset()
) -> list[KnownItem]:
    """``per_form`` known-item queries of each form in :data:`FORMS`.

    Target articles are drawn at random (seeded) among ``records``, never one
    of ``exclude`` (the targets of another seed). Every titled target gives
    one query of each of the six title and body forms, so those forms are
    compared on the same articles; untitled, generic and names queries are
    drawn on targets of their own. A target is skipped when its title has
    fewer than :data:`MIN_TITLE_WORDS` words or is shared by more than
    :data:`MAX_ANSWERS` articles, or when no run of it is specific enough
    (five draws each). Answers: every article holding the run in the same
    part, the target among them; identical titles are common in news.
    """
    rng = random.Random(seed)
    corpus = _Corpus(records)
    order = [i for i in range(len(records)) if records[i]["id"] not in exclude]
    rng.shuffle(order)
    items: list[KnownItem] = []
    counts = dict.fromkeys(("title", *_OWN_TARGETS), 0)
    used: set[str] = set()
    # One pass per kind of target, in the same order: no article is the target of two.
    for kind, draw in [("title", _title_items), *_OWN_TARGETS.items()]:
        for i in order:
            if counts[kind] >= per_form:
                break
            record = records[i]
            if record["id"] in used:
                continue
            found = draw(rng, record, corpus)
            if found:
                items += found if isinstance(found, list) else [found]
                used.add(record["id"])
                counts[kind] += 1
    for kind, n in counts.items():
        if n < per_form:
            print(f"note: only {n} targets for {kind} (asked for {per_form})", file=sys.stderr)
    return items


def targets(items: Sequence[KnownItem]) -> frozenset[str]:
    """The target articles of ``items``: what another seed's draw must exclude."""
    return frozenset(it.target for it in items)
