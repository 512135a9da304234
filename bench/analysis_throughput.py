"""Analysis throughput: pyvi alone against the whole vnsearch analysis (issue 2).

Over the first ``--articles`` articles (title and body, each analysed on its
own, as the indexer does), in one process:

* ``pyvi``: ``pyvi.ViTokenizer.ViTokenizer.tokenize(text)``;
* ``vnsearch``: ``search.text.analysis.analyze(text)`` then ``index_terms(...)``:
  normalization, pyvi's CRF segmentation, and the terms of every stream.

Each is run ``--repeats`` times, alternating, after a short warm-up; the
throughput is UTF-8 kilobytes (1 KB = 1,000 bytes) of input per second, the
figure reported its median. vnsearch caches per-token CRF scores and syllables in
module dicts; they are emptied before each vnsearch run so every run measures
what a fresh indexing process does (``--warm-cache`` keeps it).

    .venv/bin/python bench/analysis_throughput.py --articles 2000 --repeats 3
"""

from __future__ import annotations

import argparse
import sys

from common import (
    add_common_args,
    corpus_or_exit,
    load_records,
    markdown_table,
    median,
    ratio,
    text_bytes,
    timed,
    write_json,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument(
        "--articles", type=int, default=2000, help="first N articles (default 2000)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument(
        "--warm-cache",
        action="store_true",
        help="keep vnsearch's feature cache between runs (default: empty it before each)",
    )
    return parser.parse_args(argv)


def run_pyvi(texts: list[str]) -> None:
    from pyvi.ViTokenizer import ViTokenizer

    for text in texts:
        ViTokenizer.tokenize(text)


def run_vnsearch(texts: list[str]) -> None:
    from search.text.analysis import analyze, index_terms

    for text in texts:
        index_terms(analyze(text))


def _empty_feature_cache() -> None:
    from search.text import analysis

    analysis.clear_caches()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = corpus_or_exit(args.corpus)
    records = load_records(corpus, args.articles)
    texts = [t for r in records for t in (r["title"], r["body"]) if t]
    kb = text_bytes(records) / 1000
    print(f"{len(records):,} articles, {kb:,.0f} KB of text", file=sys.stderr)

    # Load models and code paths; the warm-up's cache entries are dropped below.
    run_pyvi(texts[:20])
    run_vnsearch(texts[:20])

    runs: dict[str, list[float]] = {"pyvi": [], "vnsearch": []}
    for i in range(args.repeats):
        seconds, _ = timed(lambda: run_pyvi(texts))
        runs["pyvi"].append(seconds)
        if not args.warm_cache:
            _empty_feature_cache()
        seconds, _ = timed(lambda: run_vnsearch(texts))
        runs["vnsearch"].append(seconds)
        print(
            f"run {i + 1}: pyvi {kb / runs['pyvi'][-1]:,.0f} KB/s, "
            f"vnsearch {kb / runs['vnsearch'][-1]:,.0f} KB/s",
            file=sys.stderr,
        )

    speed = {name: [kb / s for s in seconds] for name, seconds in runs.items()}
    med = {name: median(v) for name, v in speed.items()}
    print(
        f"\nAnalysis throughput, first {len(records):,} articles of baomoi.jsonl.gz "
        f"({kb:,.0f} KB, title and body), median of {args.repeats} runs.\n"
    )
    print(
        markdown_table(
            ["analysis", "KB/s (median)", "min", "max", "vs pyvi alone"],
            [
                [
                    "pyvi `ViTokenizer.tokenize`",
                    round(med["pyvi"]),
                    round(min(speed["pyvi"])),
                    round(max(speed["pyvi"])),
                    1.0,
                ],
                [
                    "vnsearch `analyze` + `index_terms`",
                    round(med["vnsearch"]),
                    round(min(speed["vnsearch"])),
                    round(max(speed["vnsearch"])),
                    ratio(med["vnsearch"], med["pyvi"]),
                ],
            ],
        )
    )
    write_json(
        args.json_out,
        {
            "benchmark": "analysis_throughput",
            "articles": len(records),
            "kilobytes": kb,
            "repeats": args.repeats,
            "warm_cache": args.warm_cache,
            "seconds": runs,
            "kb_per_s": speed,
            "median_kb_per_s": med,
            "ratio_vnsearch_to_pyvi": ratio(med["vnsearch"], med["pyvi"]),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
