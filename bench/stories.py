"""Stories (issue 16): how well syndicated copies are grouped, and what it costs.

Quality, on the development corpus:

* the labelled pairs of ``bench/data/story_pairs.tsv``: 114 candidate pairs
  drawn (seeded) across the estimated-Jaccard range 0.1-1.0 from an LSH at
  threshold 0.15 over every article, each labelled by reading the two leads
  and middle passages (1: one article republished with a new headline, lead,
  credit or cuts; 0: written separately, templates of different days
  included), helped by the share of words in common runs of 8+ words. For
  each threshold: precision and recall of "close" against the labels, the
  pair's signatures made by the indexer's own path (pyvi analysis);
* made copies: ``--copies`` articles of 150+ words, each republished with a
  dateline, a credit line, one paragraph (or, when too short, sentence)
  dropped, another moved and one sentence reworded; recall is the share of
  copies the real ``Stories`` puts in their original's story, and wrong
  joins count copies put anywhere else.

Scale (``--scale N``): the grouping's own time for N articles at once (a
full run) and for 100 added to them (an incremental run: load, link, regroup,
save), one process; the signatures come from a regex split of the lowercased
body instead of pyvi's (the same kind of sets, far quicker to make), dates
spread over five months in corpus order (the 100
added are the newest, as in a daily run). And the signature's cost per article
against the analysis it rides on, both on the indexer's path.

Cost, interleaved in one run (``--cost``): a full build of the first
``--articles`` articles with and without stories, then 100 more articles
added incrementally to each; and query latency (``--queries``, drawn as
bench/latency.py draws them) on both indexes, collapsed.

    .venv/bin/python bench/stories.py                        # quality only
    .venv/bin/python bench/stories.py --cost --articles 10000
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

from common import (
    add_common_args,
    corpus_or_exit,
    iter_records,
    latency_summary,
    markdown_table,
    to_article,
    work_dir,
    write_json,
)

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "data" / "story_pairs.tsv"
GRID = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--copies", type=int, default=200, help="made copies (default 200)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--cost", action="store_true", help="also measure reindex and queries")
    parser.add_argument("--articles", type=int, default=10000, help="articles for --cost")
    parser.add_argument("--rounds", type=int, default=2, help="build rounds for --cost")
    parser.add_argument("--queries", type=int, default=300, help="queries for --cost")
    parser.add_argument("--scale", type=int, default=0, help="time grouping of N articles")
    parser.add_argument("--skip-quality", action="store_true", help="only --scale / --cost")
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args(argv)


def signature_of(text: str):
    from search.text.analysis import analyze
    from search.write.stories import signature

    return signature(analyze(text))


# --- quality ---------------------------------------------------------------------------


def labelled(corpus: Path) -> tuple[list[tuple[str, str, int]], dict[str, str]]:
    rows = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("a\t"):
            continue
        a, b, label, _ = line.split("\t", 3)
        rows.append((a, b, int(label)))
    wanted = {i for a, b, _ in rows for i in (a, b)}
    bodies = {r["id"]: r["body"] for r in iter_records(corpus) if r["id"] in wanted}
    return rows, bodies


def pair_quality(rows, bodies) -> list[dict]:
    from search.write.stories import Stories

    sigs = {i: signature_of(body) for i, body in bodies.items()}
    jac = []
    for a, b, label in rows:
        sa, sb = sigs[a], sigs[b]
        j = float((sa == sb).mean()) if sa is not None and sb is not None else 0.0
        state = Stories()
        state.update([], [(a, 0, sa), (b, 0, sb)])  # the real test: LSH, threshold
        jac.append((j, label, bool(state.groups())))
    out = []
    for t in GRID:
        out.append(_scores(f"J >= {t}", [(j >= t, label) for j, label, _ in jac]))
    out.append(_scores("Stories (chosen)", [(close, label) for _, label, close in jac]))
    return out


def _scores(name: str, decided: list[tuple[bool, int]]) -> dict:
    tp = sum(1 for d, y in decided if d and y)
    fp = sum(1 for d, y in decided if d and not y)
    fn = sum(1 for d, y in decided if not d and y)
    return {
        "rule": name,
        "pairs": len(decided),
        "merged": tp + fp,
        "wrong merges": fp,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


_SENTENCE = re.compile(r"(?<=[.!?])\s+")
REWORDS = (("cho biết", "cho hay"), ("Theo đó", "Cụ thể"), ("đã", "vừa"), ("người", "người dân"))


def make_copy(body: str, rng: random.Random) -> str:
    """A republication: dateline, credit, a paragraph cut, another moved, a sentence reworded."""
    paras = [p for p in body.split("\n") if p.strip()]
    if len(paras) >= 3:
        paras.pop(rng.randrange(1, len(paras)))
        moved = paras.pop(rng.randrange(1, len(paras)))
        paras.insert(rng.randrange(1, len(paras) + 1), moved)
    else:
        sentences = _SENTENCE.split(" ".join(paras))
        if len(sentences) > 3:
            sentences.pop(rng.randrange(1, len(sentences)))
        paras = [" ".join(sentences)]
    i = rng.randrange(len(paras))
    for old, new in REWORDS:
        if old in paras[i]:
            paras[i] = paras[i].replace(old, new, 1)
            break
    else:
        paras[i] = "Được biết, " + paras[i]
    paras[0] = "HÀ NỘI (TTXVN) - " + paras[0]
    return "\n".join(paras) + "\nTheo TTXVN"


def copy_recall(corpus: Path, n: int, seed: int) -> dict:
    from search.write.stories import Stories

    rng = random.Random(seed)
    records = [r for r in iter_records(corpus) if len(r["body"].split()) >= 150]
    picked = rng.sample(records, n)
    added = []
    for r in picked:
        added.append((r["id"], 0, signature_of(r["body"])))
        added.append((r["id"] + "#copy", 0, signature_of(make_copy(r["body"], rng))))
    state = Stories()
    state.update([], added)
    rep = {state.ids[i]: state.ids[int(state.rep[i])] for i in range(len(state.ids))}
    found = sum(rep[r["id"] + "#copy"] == rep[r["id"]] for r in picked)
    wrong = sum(
        1 for i, r in rep.items() if i.endswith("#copy") and r not in (i, i[: -len("#copy")])
    )
    return {"copies": n, "grouped": found, "recall": found / n, "wrong joins": wrong}


# --- scale -----------------------------------------------------------------------------


def scale(corpus: Path, n: int, seed: int, tmp: Path) -> dict:
    from search.text.analysis import analyze
    from search.write.stories import Stories, load_for, signature, signature_of_syllables

    rng = random.Random(seed)
    records = list(iter_records(corpus, n + 100))
    word = re.compile(r"[^\W_]+")
    added = [
        (
            r["id"],
            736730 + rng.randrange(150),
            signature_of_syllables(word.findall(r["body"].lower())),
        )
        for r in records
    ]
    out: dict = {}
    started = time.perf_counter()
    state = Stories()
    state.update([], added[:n])
    out[f"full grouping of {n} (s)"] = time.perf_counter() - started
    state.save(tmp / "stories_1.npz")
    started = time.perf_counter()
    again = load_for(tmp, 1)
    again.update([], added[n:])
    again.save(tmp / "stories_2.npz")
    out["+100 incremental: load, link, regroup, save (s)"] = time.perf_counter() - started
    started = time.perf_counter()  # the same 100 without a date: one may copy any article
    again = load_for(tmp, 1)
    again.update([], [(i, 0, sig) for i, _, sig in added[n:]])
    again.save(tmp / "stories_3.npz")
    out["+100 undated incremental: load, link, regroup, save (s)"] = time.perf_counter() - started
    out["stories of 2+"] = len(again.groups())
    sample = rng.sample(records, min(300, len(records)))
    t_analysis = t_signature = 0.0
    for r in sample:
        started = time.perf_counter()
        body = analyze(r["body"])
        t_analysis += time.perf_counter() - started
        started = time.perf_counter()
        signature(body)
        t_signature += time.perf_counter() - started
    out["signature / body analysis, per article (ms)"] = (
        f"{t_signature / len(sample) * 1000:.2f} / {t_analysis / len(sample) * 1000:.2f}"
    )
    return out


# --- cost ------------------------------------------------------------------------------


def cost(args, corpus: Path, tmp: Path) -> dict:
    from search.ingest.corpus import ReadReport, read_corpus
    from search.write.generations import live_generation
    from search.write.indexer import build_index, content_hash, write_articles

    records = list(iter_records(corpus, args.articles + 100))
    base, extra = records[: args.articles], records[args.articles :]
    times: dict[str, list[float]] = {}
    roots = {}
    for rnd in range(args.rounds):
        for stories in (False, True):
            name = "with stories" if stories else "without"
            root = tmp / f"{'s' if stories else 'n'}{rnd}"
            started = time.perf_counter()
            build_index((to_article(r) for r in base), root, jobs=2, stories=stories)
            times.setdefault(f"full {name}", []).append(time.perf_counter() - started)
            gen = live_generation(root)
            pairs = [(a, content_hash(a)) for a in map(to_article, extra)]
            started = time.perf_counter()
            write_articles(gen, pairs, (), jobs=2, stories=stories)
            times.setdefault(f"+100 {name}", []).append(time.perf_counter() - started)
            roots[stories] = root
    del ReadReport, read_corpus
    out = {k: statistics.median(v) for k, v in times.items()}
    out["latency"] = latency(args, records, roots)
    return out


def latency(args, records, roots) -> dict:
    import latency as L

    from search.read.engine import Engine

    mix = L.query_mix(records, args.queries, args.seed)
    engines = {s: Engine(r) for s, r in roots.items()}
    reqs = {s: L.vnsearch_requests(e, mix, random.Random(args.seed)) for s, e in engines.items()}
    seconds: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(3):  # interleaved passes
        for s, e in engines.items():
            seconds[s] += L.time_calls(e.search, reqs[s], 1)
    return {("with stories" if s else "without"): latency_summary(v) for s, v in seconds.items()}


def main(argv=None) -> int:
    args = parse_args(argv)
    corpus = corpus_or_exit(args.corpus)
    figures: dict = {}
    if not args.skip_quality:
        rows, bodies = labelled(corpus)
        pairs = pair_quality(rows, bodies)
        print(f"## Labelled pairs ({len(rows)}, {sum(y for *_, y in rows)} labelled copies)\n")
        print(
            markdown_table(
                list(pairs[0]),
                [[f"{v:.3f}" if isinstance(v, float) else v for v in p.values()] for p in pairs],
            )
        )
        made = copy_recall(corpus, args.copies, args.seed)
        print(f"\n## Made copies\n\n{made}")
        figures = {"pairs": pairs, "made": made}
    if args.scale:
        with work_dir("vnsearch-stories-", args.keep) as tmp:
            figures["scale"] = scale(corpus, args.scale, args.seed, Path(tmp))
        print(f"\n## Scale\n\n{figures['scale']}")
    if args.cost:
        with work_dir("vnsearch-stories-", args.keep) as tmp:
            figures["cost"] = cost(args, corpus, Path(tmp))
        print(f"\n## Cost ({args.articles} articles, medians of {args.rounds} rounds)\n")
        for k, v in figures["cost"].items():
            print(f"{k}: {v}")
    write_json(args.json_out, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
