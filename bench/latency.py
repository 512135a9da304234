"""Query latency of an existing vnsearch index against plain Whoosh (issue 5).

A realistic mixed query set is drawn (seeded) from the first ``--articles``
articles of the corpus: the known-item queries of queries.py (accented,
folded, Telex, dropped-word title runs, folded body runs), single common
words typed both ways (``dang``, ``tỉnh``), person names from titles, and a
share of them with a facet filter (a province or a year the index offers) or
asking for page 2 or 3. After one untimed warm-up pass, every
``Engine.search`` call (ranking, filters, facets, snippets: the whole page)
is timed ``--rounds`` times; p50, p95 and max pool all calls.

The baseline is plain Whoosh over the same articles (built in this run, or
``--baseline-index`` made by an earlier one with the same ``--articles``),
asked the same query strings for the same page, top 10, ids only: it computes
no facets, snippets or filters, so the ratio flatters the baseline.

    .venv/bin/python bench/latency.py --index index/ --queries 400
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from baselines import Unavailable, WhooshBaseline, build_whoosh, vnsearch_api
from common import (
    REPO,
    add_common_args,
    corpus_or_exit,
    latency_summary,
    load_records,
    markdown_table,
    ratio,
    timed,
    write_json,
)
from queries import folded, generate, words

COMMON = [
    "dang",
    "tinh",
    "đảng",
    "tỉnh",
    "chu tich",
    "kinh tế",
    "ha noi",
    "quốc hội",
    "covid",
    "dan",
]
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
]
TARGET_P95_MS = 50


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument(
        "--index", type=Path, default=REPO / "index", help="vnsearch index (default index/)"
    )
    parser.add_argument(
        "--articles", type=int, default=None, help="first N articles (default: all)"
    )
    parser.add_argument(
        "--queries", type=int, default=400, help="size of the query set (default 400)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="timed passes over the set (default 1)"
    )
    parser.add_argument("--seed", type=int, default=5, help="seed of the query draw (default 5)")
    parser.add_argument("--baseline-index", type=Path, help="existing plain Whoosh index to reuse")
    return parser.parse_args(argv)


def person_names(records: Sequence[dict], rng: random.Random, n: int) -> list[str]:
    """Up to ``n`` three-word names from titles: a common surname and two capitalised words.

    Three words, because titles run on into a capitalised next phrase
    ("Nguyễn Đức Chung Không ...") and most names have three syllables.
    """
    found: set[str] = set()
    for r in records:
        tw = words(r["title"])
        for i, w in enumerate(tw[:-2]):
            if w in SURNAMES and tw[i + 1][:1].isupper() and tw[i + 2][:1].isupper():
                found.add(" ".join(tw[i : i + 3]))
    names = sorted(found)
    rng.shuffle(names)
    return names[:n]


def query_mix(records: Sequence[dict], size: int, seed: int) -> list[dict]:
    """``size`` queries as SearchRequest keyword dicts (q, page; filters added later)."""
    rng = random.Random(seed)
    known = [it.query for it in generate(records, max(1, size * 6 // 10 // 5), seed)]
    names = person_names(records, rng, size // 5)
    names = [n if i % 2 else folded(n) for i, n in enumerate(names)]
    qs = known + names
    qs += [rng.choice(COMMON) for _ in range(max(0, size - len(qs)))]
    rng.shuffle(qs)
    mix = []
    for q in qs[:size]:
        kind = rng.random()
        page = rng.choice((2, 3)) if kind < 0.1 else 1
        mix.append(
            {
                "q": q,
                "page": page,
                "filter": "province" if 0.1 <= kind < 0.25 else "year" if kind < 0.3 else None,
            }
        )
    return mix


def vnsearch_requests(engine, mix: list[dict], rng: random.Random) -> list:
    """SearchRequests of the mix; filters take values the index actually offers."""
    from search.models import SearchRequest

    facets = engine.search(SearchRequest(q="tinh", per_page=10, facet_limit=30)).facets
    provinces = [v.value for v in facets.get("province", [])]
    years = [int(v.value) for v in facets.get("year", []) if str(v.value).isdigit()]
    out = []
    for m in mix:
        req = SearchRequest(q=m["q"], page=m["page"], per_page=10)
        if m["filter"] == "province" and provinces:
            req = replace(req, provinces=[rng.choice(provinces)])
        elif m["filter"] == "year" and years:
            req = replace(req, years=[rng.choice(years)])
        out.append(req)
    return out


def time_calls(call, items: list, rounds: int) -> list[float]:
    """One untimed warm-up pass, then ``rounds`` timed passes: every call's seconds."""
    for it in items:
        call(it)
    seconds = []
    for _ in range(rounds):
        for it in items:
            s, _ = timed(lambda it=it: call(it))
            seconds.append(s)
    return seconds


def open_engine(index: Path):
    """An Engine on ``index``, or Unavailable with the reason."""
    _, engine_class = vnsearch_api()
    try:
        return engine_class(index)
    except NotImplementedError as e:
        raise Unavailable("search.read.engine.Engine is not implemented yet") from e
    except Exception as e:  # IndexUnavailable and kin: say which and go on with the baseline
        raise Unavailable(f"cannot open {index}: {e}") from e


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = corpus_or_exit(args.corpus)
    records = load_records(corpus, args.articles)
    mix = query_mix(records, args.queries, args.seed)
    print(f"{len(records):,} articles, {len(mix)} queries", file=sys.stderr)
    summaries: dict[str, dict] = {}
    notes: list[str] = []

    try:
        engine = open_engine(args.index)
        requests = vnsearch_requests(engine, mix, random.Random(args.seed))
        stats = engine.stats()
        if stats.articles != len(records):
            notes.append(
                f"the vnsearch index holds {stats.articles:,} articles, the baseline "
                f"{len(records):,}: rebuild one of them for a fair ratio"
            )
        print("timing vnsearch ...", file=sys.stderr)
        summaries["vnsearch"] = latency_summary(time_calls(engine.search, requests, args.rounds))
    except Unavailable as e:
        notes.append(f"vnsearch: skipped, {e}")
        print(f"SKIPPED vnsearch: {e}", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="vnsearch-latency-") as tmp:
        baseline = WhooshBaseline()
        if args.baseline_index:
            baseline.open(args.baseline_index)
        else:
            print("building plain Whoosh ...", file=sys.stderr)
            started = time.perf_counter()
            build_whoosh(records, Path(tmp) / "whoosh")
            baseline.open(Path(tmp) / "whoosh")
            print(f"  built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        print("timing plain Whoosh ...", file=sys.stderr)
        summaries["plain Whoosh"] = latency_summary(
            time_calls(lambda m: baseline_page(baseline, m), mix, args.rounds)
        )
        baseline.close()

    report(args, records, mix, summaries, notes)
    return 0


def baseline_page(baseline: WhooshBaseline, m: dict) -> list[str]:
    """The ids of the asked page of plain Whoosh's ranking."""
    from baselines import query_words

    ws = query_words(m["q"])
    if not ws:
        return []
    q = baseline.parser.parse(" ".join(ws))
    return [hit["id"] for hit in baseline.searcher.search_page(q, m["page"], pagelen=10)]


def report(args, records, mix, summaries, notes) -> None:
    filtered = sum(m["filter"] is not None for m in mix)
    paged = sum(m["page"] > 1 for m in mix)
    print(
        f"\nQuery latency, {len(records):,} articles, {len(mix)} mixed queries "
        f"({filtered} filtered, {paged} past page 1), {args.rounds} timed pass(es) after a warm-up.\n"
    )
    base = summaries.get("plain Whoosh", {})
    rows = []
    for name, s in summaries.items():
        rows.append(
            [
                name,
                s["n"],
                s["p50_ms"],
                s["p95_ms"],
                s["max_ms"],
                ratio(s["p95_ms"], base.get("p95_ms", 0)),
            ]
        )
    print(
        markdown_table(
            ["system", "calls", "p50 (ms)", "p95 (ms)", "max (ms)", "p95 vs plain Whoosh"], rows
        )
    )
    if "vnsearch" in summaries:
        p95 = summaries["vnsearch"]["p95_ms"]
        verdict = "meets" if p95 < TARGET_P95_MS else "misses"
        print(f"\nvnsearch p95 {p95:.1f} ms {verdict} the target of < {TARGET_P95_MS} ms.")
    for note in notes:
        print(f"\n{note}")
    write_json(
        args.json_out,
        {
            "benchmark": "latency",
            "articles": len(records),
            "index": str(args.index),
            "rounds": args.rounds,
            "queries": mix,
            "summaries": summaries,
            "notes": notes,
        },
    )


if __name__ == "__main__":
    sys.exit(main())
