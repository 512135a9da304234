"""Known-item queries drawn from the corpus, and the Telex encoder they use.

A known-item query is a run of words a reader remembers from one article;
the answers are the articles holding that run (folded, on word boundaries) in
the same part, title or body. A run held by more than ``MAX_ANSWERS``
articles ("có phương án" is in nine of the first 10,000 titles) names no one
article and is drawn again. Five forms:

* ``accented``: 3-6 consecutive title words as written;
* ``folded``: the same run without diacritics, lowercased (``lanh dao tinh``);
* ``telex``: the same run typed in Telex with the input method off
  (``lãnh đạo`` -> ``lanhx ddaoj``);
* ``dropped``: 4-6 consecutive title words, one middle word left out;
* ``body``: 5-8 consecutive words of one body sentence, folded, not a run of
  the title.

Words are whitespace-separated with punctuation stripped from their ends.
Everything is drawn from one ``random.Random(seed)``: the same articles and
seed give the same queries.
"""

from __future__ import annotations

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

from search.text.normalize import fold  # noqa: E402

FORMS = ("accented", "folded", "telex", "dropped", "body")

MIN_TITLE_WORDS = 5  # shorter titles leave no room for a dropped-word run
MAX_ANSWERS = 3  # a title or body run shared by more articles is not a known item
_PUNCT = string.punctuation + "“”‘’«»…–—·•"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")

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

    def containing(self, part: str, run: str, limit: int) -> list[str]:
        """Ids of the articles whose ``part`` holds the folded ``run``, at most ``limit + 1``."""
        needle = f" {run} "
        found = []
        for doc_id, text in zip(self._ids, self._texts[part], strict=True):
            if needle in text:
                found.append(doc_id)
                if len(found) > limit:
                    break
        return found

    def answers(self, part: str, run: str, target: str) -> tuple[str, ...] | None:
        """Every article whose ``part`` holds ``run`` (folded), or None when it is not a
        known item: more than :data:`MAX_ANSWERS` of them share it."""
        found = self.containing(part, folded(run), MAX_ANSWERS)
        if target in found and len(found) <= MAX_ANSWERS:
            return tuple(found)
        return None


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


def generate(records: Sequence[dict], per_form: int, seed: int) -> list[KnownItem]:
    """``per_form`` known-item queries of each form in :data:`FORMS`.

    Target articles are drawn at random (seeded) among ``records``; every
    target gives one query of each form, so forms are compared on the same
    articles. A target is skipped when its title has fewer than
    :data:`MIN_TITLE_WORDS` words or is shared by more than :data:`MAX_ANSWERS`
    articles, or when no title or body run of it is specific enough (five
    draws each). Answers: every article whose title (for the title forms) or
    body (for body queries) holds the run, the target among them; identical
    titles are common in news.
    """
    rng = random.Random(seed)
    corpus = _Corpus(records)
    order = list(range(len(records)))
    rng.shuffle(order)
    items: list[KnownItem] = []
    targets = 0
    for i in order:
        if targets == per_form:
            break
        record = records[i]
        tw = words(record["title"])
        same_title = tuple(corpus.by_title[title_key(record["title"])])
        if len(tw) < MIN_TITLE_WORDS or len(same_title) > MAX_ANSWERS:
            continue
        body = _body_run(rng, record, " ".join(folded(w) for w in tw), corpus)
        short = body and _title_run(rng, record, tw, 3, corpus)
        long = short and _title_run(rng, record, tw, 4, corpus)
        if not long:
            continue
        (run_words, title_answers), (long_run, long_answers) = short, long
        run = " ".join(run_words)
        drop = rng.randint(1, len(long_run) - 2)
        target = record["id"]
        items += [
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
        ]
        targets += 1
    if targets < per_form:
        print(
            f"note: only {targets} usable target articles (asked for {per_form})", file=sys.stderr
        )
    return items
