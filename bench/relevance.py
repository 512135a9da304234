"""Known-item relevance: vnsearch against plain Whoosh, SQLite FTS5 and tantivy (issue 5).

Takes the first ``--articles`` articles of the corpus (file order, so anyone
can rebuild the same set; one in ten is indexed without its title, the same
for every system), draws ``--queries-per-form`` target articles per form for
each of two seeds and makes the queries of the nine forms of queries.py:
accented, folded and Telex-typed title runs, a title run with a word dropped,
a folded body run, a misspelt title run, the opening of an untitled article,
a run of common words, two names. The first seed (``tune``) is the one
ranking rules may be tuned on; the second (``report``) draws other target
articles and is never used for tuning: its figures are the ones to quote.
Every system indexes the same articles in this run and answers every query; a
query scores 1/rank of the first right answer in the top 10 (MRR@10) and
whether that answer is first (success@1). With ``--ablate``, vnsearch also
answers every query with each ranking rule of bench/ablation.py turned off.

    .venv/bin/python bench/relevance.py --articles 10000 --queries-per-form 100 --ablate

The queries go to bench/out/queries.jsonl for inspection.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from ablation import RULES, without
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
from queries import FORMS, KnownItem, drop_titles, generate, targets

TARGETS = {"accented": 0.95, "folded": 0.95, "telex": 0.90, "body": 0.80}
SEEDS = ("tune", "report")


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
        help="target articles, hence queries, of each form and seed (default 100)",
    )
    parser.add_argument(
        "--seeds",
        default="5,7",
        help="the tune seed and the report seed of the query draw (default 5,7)",
    )
    parser.add_argument(
        "--ablate", action="store_true", help="also measure vnsearch with each rule turned off"
    )
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
    try:
        args.seeds = dict(zip(SEEDS, (int(x) for x in args.seeds.split(",")), strict=True))
    except ValueError:
        parser.error(f"--seeds: two integers, the tune seed and the report seed: {args.seeds!r}")
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
    records = drop_titles(load_records(corpus, args.articles))
    untitled = sum(not r["title"] for r in records)
    print(
        f"{len(records):,} articles (the first of {corpus.name}), {untitled:,} indexed "
        f"without title; seeds {args.seeds}",
        file=sys.stderr,
    )
    draws: dict[str, list[KnownItem]] = {}
    used: frozenset[str] = frozenset()
    for which, seed in args.seeds.items():  # the report draw takes none of the tune targets
        draws[which] = generate(records, args.queries_per_form, seed, exclude=used)
        used |= targets(draws[which])
    args.queries_out.parent.mkdir(parents=True, exist_ok=True)
    with args.queries_out.open("w", encoding="utf-8") as f:
        for which, items in draws.items():
            for it in items:
                f.write(json.dumps({"seed": which, **it.to_dict()}, ensure_ascii=False) + "\n")
    print(f"{sum(map(len, draws.values()))} queries -> {args.queries_out}", file=sys.stderr)

    results: dict[str, dict] = {}  # system -> seed -> form -> figures
    ablated: dict[str, dict] = {}  # rule -> seed -> form -> figures
    builds: dict[str, float] = {}
    skipped: dict[str, str] = {}
    notes: dict[str, list[str]] = {}
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
            results[name] = {w: evaluate(system, items) for w, items in draws.items()}
            if name == "vnsearch" and args.ablate:
                for rule in RULES:
                    print(f"  without {rule} ...", file=sys.stderr)
                    with without(rule):
                        ablated[rule] = {w: evaluate(system, items) for w, items in draws.items()}
            notes[name] = list(system.notes)
            for note in system.notes:
                print(f"  NOTE {name}: {note}", file=sys.stderr)
            system.close()

    report(args, records, draws, results, ablated, builds, skipped, notes)
    return 0


def margin(results: dict[str, dict], form: str) -> str:
    """vnsearch's MRR@10 lead over the strongest other system on ``form``, and its name.

    ``results`` maps each system to its figures of one seed.
    """
    others = [s for s in results if s != "vnsearch"]
    if "vnsearch" not in results or not others:
        return "–"
    best = max(others, key=lambda s: results[s][form]["mrr10"])
    lead = results["vnsearch"][form]["mrr10"] - results[best][form]["mrr10"]
    return f"{lead:+.3f} ({best})"


def report(args, records, draws, results, ablated, builds, skipped, notes) -> None:
    names = list(results)
    untitled = sum(not r["title"] for r in records)
    for which, seed in args.seeds.items():
        items = draws[which]
        figures = {s: results[s][which] for s in names}
        print(
            f"\n{which.upper()} seed {seed}: known-item search, first {len(records):,} articles "
            f"of {args.corpus.name} ({untitled:,} without title), {args.queries_per_form} "
            f"targets per form. Cells: MRR@10 / success@1.\n"
        )
        rows = []
        for form in FORMS:
            n = sum(it.form == form for it in items)
            cells = [
                f"{fmt(figures[s][form]['mrr10'], 3)} / {fmt(figures[s][form]['success1'], 3)}"
                for s in names
            ]
            target = TARGETS.get(form)
            rows.append(
                [form, n, *cells, margin(figures, form), f"≥ {target:.2f}" if target else "–"]
            )
        headers = ["form", "queries", *names, "vnsearch − best other (MRR@10)", "vnsearch target"]
        print(markdown_table(headers, rows))
        if "vnsearch" in figures:
            others = [s for s in names if s != "vnsearch"]
            v = figures["vnsearch"]
            misses = [
                form
                for form in FORMS
                if any(figures[s][form]["mrr10"] >= v[form]["mrr10"] for s in others)
                or v[form]["mrr10"] < TARGETS.get(form, 0)
            ]
            print(
                "\nvnsearch meets every target and leads on every form."
                if not misses
                else f"\nvnsearch misses (a target, or the lead) on: {', '.join(misses)}"
            )
    if ablated:
        print("\nvnsearch MRR@10 with each rule turned off, minus with it (both seeds):\n")
        rows = []
        for rule, per_seed in ablated.items():
            for which in args.seeds:
                base = results["vnsearch"][which]
                rows.append(
                    [f"{rule} ({which})"]
                    + [f"{per_seed[which][f]['mrr10'] - base[f]['mrr10']:+.3f}" for f in FORMS]
                )
        print(markdown_table(["without", *FORMS], rows))
    print()
    print(
        markdown_table(
            ["system", "index build (s)", "articles/s", "search, all queries (s)"],
            [
                [
                    s,
                    builds[s],
                    len(records) / builds[s],
                    sum(results[s][w]["_search_seconds"] for w in args.seeds),
                ]
                for s in names
            ],
        )
    )
    for name in names:
        for note in notes[name]:
            print(f"\n{name}: {note}")
        for which in args.seeds:
            errors = results[name][which]["_errors"]
            if errors["count"]:
                print(
                    f"\n{name} ({which}): {errors['count']} queries raised (scored 0), "
                    f"e.g. {errors['first'][0]}"
                )
    for name, reason in skipped.items():
        print(f"\n{name}: skipped, {reason}")
    write_json(
        args.json_out,
        {
            "benchmark": "relevance",
            "articles": len(records),
            "untitled": untitled,
            "queries_per_form": args.queries_per_form,
            "seeds": args.seeds,
            "build_seconds": builds,
            "skipped": skipped,
            "results": results,
            "ablated": ablated,
            "queries": {w: [it.to_dict() for it in items] for w, items in draws.items()},
        },
    )


if __name__ == "__main__":
    sys.exit(main())
