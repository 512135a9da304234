"""Known-item relevance: vnsearch against plain Whoosh, SQLite FTS5 and tantivy (issue 5).

Takes the first ``--articles`` articles of the corpus (file order, so anyone
can rebuild the same set), draws ``--queries-per-form`` target articles among
them (seeded) and makes one query of each form per target (see queries.py):
accented, folded and Telex-typed title runs, a title run with a word dropped,
a folded body run. Every system indexes the same articles in this run and
answers every query; a query scores 1/rank of the first right answer in the
top 10 (MRR@10) and whether that answer is first (success@1).

    .venv/bin/python bench/relevance.py --articles 10000 --queries-per-form 100

The queries go to bench/out/queries.jsonl for inspection.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from baselines import SYSTEMS, Unavailable
from common import (
    OUT_DIR,
    add_common_args,
    corpus_or_exit,
    fmt,
    load_records,
    markdown_table,
    timed,
    write_json,
)
from queries import FORMS, KnownItem, generate

TARGETS = {"accented": 0.95, "folded": 0.95, "telex": 0.90, "body": 0.80}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument(
        "--articles", type=int, default=10_000, help="index the first N articles (default 10000)"
    )
    parser.add_argument(
        "--queries-per-form",
        type=int,
        default=100,
        help="target articles, hence queries of each of the 5 forms (default 100)",
    )
    parser.add_argument("--seed", type=int, default=5, help="seed of the query draw (default 5)")
    parser.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help=f"comma-separated subset of {','.join(SYSTEMS)} (default: all)",
    )
    parser.add_argument("--jobs", type=int, default=None, help="vnsearch indexing processes")
    parser.add_argument(
        "--queries-out",
        type=Path,
        default=OUT_DIR / "queries.jsonl",
        help="where to write the query set (default bench/out/queries.jsonl)",
    )
    args = parser.parse_args(argv)
    args.systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(args.systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")
    return args


def reciprocal_rank(hits: list[str], answers: tuple[str, ...]) -> float:
    """1/rank of the first hit that is an answer, 0 when none is.

    >>> reciprocal_rank(["a", "b", "c"], ("c", "x"))
    0.3333333333333333
    """
    for rank, doc_id in enumerate(hits, 1):
        if doc_id in answers:
            return 1 / rank
    return 0.0


def evaluate(system, items: list[KnownItem]) -> dict[str, dict]:
    """MRR@10, success@1 and query count per form, plus per-query ranks for the JSON.

    A query the system rejects with an exception scores 0 and is counted in
    ``_errors`` (the first few messages are kept): a bad answer, not a crash.
    """
    per_form: dict[str, dict] = {}
    errors: list[str] = []
    started = time.perf_counter()
    for form in FORMS:
        rrs = []
        for it in (it for it in items if it.form == form):
            try:
                hits = system.search(it.query, 10)
            except Exception as e:  # any failure of any system is reported the same way
                errors.append(f"{form} {it.query!r}: {type(e).__name__}: {e}")
                hits = []
            rrs.append(reciprocal_rank(hits, it.answers))
        per_form[form] = {
            "n": len(rrs),
            "mrr10": sum(rrs) / len(rrs) if rrs else float("nan"),
            "success1": sum(rr == 1 for rr in rrs) / len(rrs) if rrs else float("nan"),
            "rr": rrs,
        }
    per_form["_search_seconds"] = time.perf_counter() - started
    per_form["_errors"] = {"count": len(errors), "first": errors[:5]}
    if errors:
        print(f"  {system.name}: {len(errors)} queries failed, e.g. {errors[0]}", file=sys.stderr)
    return per_form


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = corpus_or_exit(args.corpus)
    records = load_records(corpus, args.articles)
    print(
        f"{len(records):,} articles (the first of {corpus.name}); seed {args.seed}", file=sys.stderr
    )

    items = generate(records, args.queries_per_form, args.seed)
    args.queries_out.parent.mkdir(parents=True, exist_ok=True)
    with args.queries_out.open("w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it.to_dict(), ensure_ascii=False) + "\n")
    print(f"{len(items)} queries -> {args.queries_out}", file=sys.stderr)

    results: dict[str, dict] = {}
    builds: dict[str, float] = {}
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="vnsearch-relevance-") as tmp:
        for name in args.systems:
            system = SYSTEMS[name](jobs=args.jobs) if name == "vnsearch" else SYSTEMS[name]()
            print(f"building {name} ...", file=sys.stderr)
            try:
                builds[name], _ = timed(lambda s=system, n=name: s.build(records, Path(tmp) / n))
            except Unavailable as e:
                skipped[name] = str(e)
                print(f"SKIPPED {name}: {e}", file=sys.stderr)
                continue
            print(f"  built in {builds[name]:.1f} s; searching ...", file=sys.stderr)
            results[name] = evaluate(system, items)
            results[name]["_notes"] = list(system.notes)
            for note in system.notes:
                print(f"  NOTE {name}: {note}", file=sys.stderr)
            system.close()

    report(args, records, items, results, builds, skipped)
    return 0


def margin(results: dict[str, dict], form: str) -> str:
    """vnsearch's MRR@10 lead over the strongest other system on ``form``, and its name."""
    others = [s for s in results if s != "vnsearch"]
    if "vnsearch" not in results or not others:
        return "–"
    best = max(others, key=lambda s: results[s][form]["mrr10"])
    lead = results["vnsearch"][form]["mrr10"] - results[best][form]["mrr10"]
    return f"{lead:+.3f} ({best})"


def report(args, records, items, results, builds, skipped) -> None:
    names = list(results)
    print(
        f"\nKnown-item search, first {len(records):,} articles of baomoi.jsonl.gz, "
        f"{args.queries_per_form} targets x {len(FORMS)} forms, seed {args.seed}. "
        "Cells: MRR@10 / success@1.\n"
    )
    rows = []
    for form in FORMS:
        n = sum(it.form == form for it in items)
        cells = [
            f"{fmt(results[s][form]['mrr10'], 3)} / {fmt(results[s][form]['success1'], 3)}"
            for s in names
        ]
        target = TARGETS.get(form)
        rows.append([form, n, *cells, margin(results, form), f"≥ {target:.2f}" if target else "–"])
    headers = ["form", "queries", *names, "vnsearch − best other (MRR@10)", "vnsearch target"]
    print(markdown_table(headers, rows))
    print()
    print(
        markdown_table(
            ["system", "index build (s)", "articles/s", "search, all queries (s)"],
            [
                [s, builds[s], len(records) / builds[s], results[s]["_search_seconds"]]
                for s in names
            ],
        )
    )
    for name in names:
        for note in results[name]["_notes"]:
            print(f"\n{name}: {note}")
        if results[name]["_errors"]["count"]:
            errors = results[name]["_errors"]
            print(
                f"\n{name}: {errors['count']} queries raised (scored 0), e.g. {errors['first'][0]}"
            )
    for name, reason in skipped.items():
        print(f"\n{name}: skipped, {reason}")
    if "vnsearch" in results:
        others = [s for s in names if s != "vnsearch"]
        misses = [
            form
            for form in FORMS
            if any(results[s][form]["mrr10"] >= results["vnsearch"][form]["mrr10"] for s in others)
            or results["vnsearch"][form]["mrr10"] < TARGETS.get(form, 0)
        ]
        print(
            "\nvnsearch meets every target."
            if not misses
            else f"\nvnsearch misses on: {', '.join(misses)}"
        )
    write_json(
        args.json_out,
        {
            "benchmark": "relevance",
            "articles": len(records),
            "queries_per_form": args.queries_per_form,
            "seed": args.seed,
            "build_seconds": builds,
            "skipped": skipped,
            "results": results,
            "queries": [it.to_dict() for it in items],
        },
    )


if __name__ == "__main__":
    sys.exit(main())
