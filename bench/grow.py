"""Grow the development corpus to any size: the real articles, then synthetic ones (issue 17).

A synthetic article is made of real paragraphs: its body is a run of one to
three paragraphs from each of three to five articles drawn at random, and its
title is the opening 7-16 words of its first paragraph (a lead repeats its
title's words, as news leads do). No synthetic title repeats a real one or
another synthetic one (compared folded), so a known-item query on a title
still names one article. The corpus's bodies are a lead line and one long
line; a "paragraph" here is the lead, or a run of up to four sentences of the
rest.

Everything comes from one ``random.Random(seed)``: the same corpus, size and
seed give the same file, and a smaller size gives a prefix of a larger one's
articles (the real ones first, then synthetic ones in draw order).

    .venv/bin/python bench/grow.py --size 106317 --out /tmp/grown/106k.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from common import add_common_args, corpus_or_exit, iter_records

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search.text.normalize import fold  # noqa: E402

SENTENCES_PER_PARAGRAPH = 4
MIN_TITLE_WORDS, MAX_TITLE_WORDS = 7, 16
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_TRAILING = re.compile(r"[\s,;:–—-]+$")


def paragraphs(body: str) -> list[str]:
    """The body's lines, the long ones cut into runs of ``SENTENCES_PER_PARAGRAPH`` sentences.

    >>> paragraphs("Lead.\\nA b. C d. E f. G h. I k.")
    ['Lead.', 'A b. C d. E f. G h.', 'I k.']
    """
    out = []
    for line in body.split("\n"):
        sentences = [s for s in _SENTENCE_END.split(line.strip()) if s]
        for i in range(0, len(sentences), SENTENCES_PER_PARAGRAPH):
            out.append(" ".join(sentences[i : i + SENTENCES_PER_PARAGRAPH]))
    return [p for p in out if p]


def title_key(title: str) -> str:
    """What makes two titles the same: folded, lowercased, spaces collapsed."""
    return " ".join(fold(title).lower().split())


def _title(paragraph: str, rng: random.Random) -> str | None:
    words = paragraph.split()
    if len(words) < MIN_TITLE_WORDS + 2:
        return None
    n = rng.randint(MIN_TITLE_WORDS, min(MAX_TITLE_WORDS, len(words) - 2))
    return _TRAILING.sub("", " ".join(words[:n])) or None


def synthetic(records: Sequence[dict], seed: int, prefix: str = "grown") -> Iterator[dict]:
    """Endless synthetic articles from ``records``' paragraphs (see the module docstring)."""
    rng = random.Random(seed)
    pools = [paragraphs(r["body"]) for r in records]
    donors = [i for i, pool in enumerate(pools) if pool]
    seen = {title_key(r["title"]) for r in records}
    n = 0
    while True:
        chosen = rng.sample(donors, min(len(donors), rng.randint(3, 5)))
        body = []
        for i in chosen:
            pool = pools[i]
            start = rng.randrange(len(pool))
            body.extend(pool[start : start + rng.randint(1, 3)])
        title = _title(body[0], rng)
        if title is None or title_key(title) in seen:
            continue
        seen.add(title_key(title))
        first = records[chosen[0]]
        yield {
            "id": f"{prefix}-{seed}-{n}",
            "title": title,
            "body": "\n".join(body),
            "source": first.get("source") or "grown",
        }
        n += 1


def grow(records: Sequence[dict], size: int, seed: int) -> Iterator[dict]:
    """``records`` (cut to ``size``), then synthetic articles up to ``size`` in all."""
    yield from records[:size]
    if size > len(records):
        made = synthetic(records, seed)
        for _ in range(size - len(records)):
            yield next(made)


def write(path: Path, articles: Iterable[dict]) -> int:
    """Write JSON lines (gzipped when the name ends in .gz); the number written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = (
        (lambda p: gzip.open(p, "wt", encoding="utf-8", compresslevel=1))
        if path.suffix == ".gz"
        else (lambda p: open(p, "w", encoding="utf-8"))
    )
    n = 0
    with opener(path) as f:
        for obj in articles:
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--size", type=int, required=True, help="articles in all")
    parser.add_argument("--seed", type=int, default=17, help="the draw's seed (default 17)")
    parser.add_argument("--out", type=Path, required=True, help="the grown corpus, .jsonl(.gz)")
    args = parser.parse_args(argv)
    records = list(iter_records(corpus_or_exit(args.corpus)))
    n = write(args.out, grow(records, args.size, args.seed))
    print(f"wrote {n:,} articles ({max(0, n - len(records)):,} synthetic) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
