"""Highlight quality (issue 20): marks on the query's words, not on every syllable alike.

A fixed set of multi-word queries (posts, organisations, names, common
topics), each typed accented, folded and in Telex: for every query the first
``--per-query`` hits of an existing index whose body holds the query as a
phrase (as meant: the accented phrase, any case), marked two ways in the same
run:

* ``syllables``: the earlier rule, every syllable folding like a query
  syllable (the finding step of search.read.highlight alone);
* ``words``: the query's words as vnsearch marks them now (Engine.query_terms,
  the same Terms its snippets, titles and article page use).

Figures, pooled over the articles: precision (marked syllables inside an
occurrence of the phrase / all marked syllables), recall (occurrences with
every syllable marked / all occurrences), and the share of syllables marked
alone that belong to a different word of the text by pyvi's segmentation
("hội" of "xã hội"). Bases at even positions were used for tuning, the odd
ones are reported apart (``report``).

    .venv/bin/python bench/highlight_quality.py --index /tmp/hl-idx

With ``--old-highlight FILE`` (an earlier search/read/highlight.py, e.g. from
``git show REV:search/read/highlight.py``) it also times the highlighting of
a search page (the snippets and titles of its ten hits, the Terms built from
the query) with that module and with the current one, interleaved query by
query on the latency bench's query mix, in one process: the cost this change
adds to every search, apart from the noise of whole-search timings.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from common import REPO, markdown_table, write_json
from queries import folded, telex

BASES = [
    "Bí thư Tỉnh ủy",
    "Chủ tịch UBND tỉnh",
    "đại hội",
    "Lâm Thị Phương Thanh",
    "Ban Thường vụ",
    "nghị quyết",
    "tổ chức",
    "Thủ tướng Chính phủ",
    "Phó Chủ tịch",
    "Bộ trưởng",
    "Chủ tịch nước",
    "Tổng Bí thư",
    "Phó Thủ tướng",
    "Chủ tịch Quốc hội",
    "Giám đốc Sở",
    "Bí thư Thành ủy",
    "đại biểu Quốc hội",
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "Mặt trận Tổ quốc",
    "Bộ Công an",
    "Bộ Y tế",
    "Bộ Tài chính",
    "Ngân hàng Nhà nước",
    "Hội Nông dân",
    "Công an tỉnh",
    "Bộ Quốc phòng",
    "Ban Chấp hành",
    "Nguyễn Xuân Phúc",
    "Nguyễn Phú Trọng",
    "Nguyễn Thị Kim Ngân",
    "Trần Đại Quang",
    "Donald Trump",
    "Nguyễn Đức Chung",
    "Hồ Chí Minh",
    "Đà Nẵng",
    "Thanh Hóa",
    "an toàn giao thông",
    "phát triển kinh tế",
    "xây dựng Đảng",
    "cải cách hành chính",
    "an ninh trật tự",
    "Tết Nguyên đán",
    "tham nhũng",
    "hội nghị",
    "thị trường",
    "nông thôn mới",
    "doanh nghiệp",
]
_TOKEN = re.compile(r"\w+")


def queries() -> list[tuple[str, str, str, bool]]:
    """(query, form, phrase as meant, used for tuning) for every base and form."""
    out = []
    for i, base in enumerate(BASES):
        for form, q in (("accented", base), ("folded", folded(base)), ("telex", telex(base))):
            out.append((q, form, base, i % 2 == 0))
    return out


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of ``phrase``'s words side by side (spaces only)."""
    from search.text.normalize import normalize_with_offsets

    norm, offsets = normalize_with_offsets(text)
    toks = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(norm)]
    want = [w.lower() for w in _TOKEN.findall(normalize_with_offsets(phrase)[0])]
    found = []
    for i in range(len(toks) - len(want) + 1):
        if all(toks[i + k][0] == want[k] for k in range(len(want))):
            gaps = [norm[toks[i + k][2] : toks[i + k + 1][1]] for k in range(len(want) - 1)]
            if all(g.isspace() and "\n" not in g for g in gaps):
                s, e = toks[i][1], toks[i + len(want) - 1][2]
                found.append((offsets[s], offsets[e]) if offsets else (s, e))
    return found


def in_other_words(text: str) -> set[int]:
    """Start offsets of the syllables inside pyvi's multi-syllable words, with each word's span."""
    from search.text.analysis import analyze

    a = analyze(text)
    out: dict[int, tuple[int, int]] = {}
    i, n = 0, len(a.units)
    while i < n:
        j = i + 1
        while j < n and a.joins[j]:
            j += 1
        if j - i > 1:
            for u in a.units[i:j]:
                out[u[1]] = (a.units[i][1], a.units[j - 1][2])
        i = j
    return out


def score(text: str, spans: list, occs: list, words: dict) -> dict:
    inside = sum(any(s >= a and e <= b for a, b in occs) for s, e, _ in spans)
    marked = {s for s, _, _ in spans}
    starts = [s for s, _, _ in spans]
    full = 0
    for a, b in occs:
        syl = [m.start() + a for m in _TOKEN.finditer(text[a:b])]
        full += all(s in marked for s in syl)
    lone = foreign = 0
    for k, (s, e, _) in enumerate(spans):
        prev_joined = k and text[spans[k - 1][1] : s].isspace()
        next_joined = k + 1 < len(spans) and text[e : starts[k + 1]].isspace()
        if prev_joined or next_joined:
            continue
        lone += 1
        if s in words:  # a syllable of a longer word, and that word not marked whole
            ws, we = words[s]
            syl = [m.start() + ws for m in _TOKEN.finditer(text[ws:we])]
            foreign += not all(x in marked for x in syl)
    return {
        "marks": len(spans),
        "inside": inside,
        "occ": len(occs),
        "full": full,
        "lone": lone,
        "foreign": foreign,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, default=REPO / "index")
    parser.add_argument("--per-query", type=int, default=10, help="hits looked at per query")
    parser.add_argument("--json-out", type=Path, help="also write the figures as JSON")
    parser.add_argument("--old-highlight", type=Path, help="earlier highlight.py to time against")
    parser.add_argument("--corpus", type=Path, help="corpus of the index (for the query mix)")
    parser.add_argument("--rounds", type=int, default=5, help="timed passes (--old-highlight)")
    args = parser.parse_args(argv)
    from search.models import SearchRequest
    from search.read.engine import Engine
    from search.read.highlight import find_spans, match_spans
    from search.read.marks import Terms

    engine = Engine(args.index)
    engine.snapshot().vocabulary_ready.wait(120)
    totals: dict[tuple[str, str], dict] = {}
    used = {True: 0, False: 0}
    for q, form, phrase, tune in queries():
        page = engine.search(SearchRequest(q=q, per_page=args.per_query))
        terms = engine.query_terms(q)
        plain = Terms(terms.words, terms.prefixes)
        any_held = False
        for hit in page.hits:
            body = engine.article(hit.id).body
            occs = occurrences(body, phrase)
            if not occs:
                continue
            any_held = True
            words = in_other_words(body)
            split = "tuning" if tune else "report"
            for rule, spans in (
                ("syllables", find_spans(body, plain)),
                ("words", match_spans(body, terms)),
            ):
                for key in ((rule, split), (rule, "all"), (rule, f"{split} {form}")):
                    t = totals.setdefault(
                        key,
                        dict.fromkeys(
                            ("marks", "inside", "occ", "full", "lone", "foreign", "articles"), 0
                        ),
                    )
                    for k, v in score(body, spans, occs, words).items():
                        t[k] += v
                    t["articles"] += 1
        used[tune] += any_held
    rows, out = [], {}
    for (rule, split), t in sorted(totals.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        p = t["inside"] / t["marks"] if t["marks"] else 0.0
        r = t["full"] / t["occ"] if t["occ"] else 0.0
        f = t["foreign"] / t["lone"] if t["lone"] else 0.0
        rows.append([split, rule, t["articles"], t["occ"], f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"])
        out[f"{split}/{rule}"] = {**t, "precision": p, "recall": r, "foreign": f}
    n = len(queries())
    print(
        f"\n{n} queries ({len(BASES)} phrases x accented, folded, Telex); queries with an "
        f"article holding the phrase: {used[True]} tuning, {used[False]} report.\n"
    )
    print(
        markdown_table(
            ["split", "rule", "articles", "occurrences", "precision", "recall", "foreign lone"],
            rows,
        )
    )
    if args.old_highlight:
        out["timing"] = time_pages(engine, args)
    if args.json_out:
        write_json(args.json_out, out)
    return 0


def old_module(path: Path):
    """The earlier highlight module, loaded inside search.read (its relative imports hold)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("search.read.old_highlight", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def time_pages(engine, args) -> dict:
    """Median and p95 ms of highlighting one search page, earlier module and current."""
    import random
    import statistics
    import time

    from common import DEFAULT_CORPUS, load_records
    from latency import query_mix

    from search.models import SearchRequest
    from search.read import engine as engine_module
    from search.read.highlight import highlight, snippet
    from search.read.query import parse_query
    from search.read.searcher import analyse_run

    old = old_module(args.old_highlight)
    records = load_records(args.corpus or DEFAULT_CORPUS, engine.snapshot().count)
    mix = query_mix(records, 400, 5)
    snap = engine.snapshot()
    pages = []
    for m in mix:
        page = engine.search(SearchRequest(q=m["q"], per_page=10))
        docs = [(snap.stored(snap.id_to_doc[h.id])) for h in page.hits]
        pages.append((m["q"], docs))

    def new_page(q, docs):
        parsed = parse_query(q)
        terms = engine_module._terms(snap, parsed, engine_module._suggestion(snap, q, parsed))
        return [(snippet(d["body"], terms), highlight(d["title"], terms)) for d in docs]

    def old_page(q, docs):
        parsed = parse_query(q)
        engine_module._suggestion(snap, q, parsed)  # computed on every page before as after
        words, prefixes, pairs = set(), [], set()
        for group in parsed.groups:  # as the earlier Plan.highlight_terms gave them
            for run in group:
                if run.field in ("person", "province", "source"):
                    continue
                w = analyse_run(run)
                folded = w.folded[:-1] if w.prefix else w.folded
                prefixes += w.folded[-1:] if w.prefix else []
                words.update(folded)
                pairs.update(zip(w.folded, w.folded[1:], strict=False))
        terms = old.Terms(frozenset(words), tuple(prefixes), frozenset(pairs))
        return [(old.snippet(d["body"], terms), old.highlight(d["title"], terms)) for d in docs]

    times: dict[str, list[float]] = {"earlier": [], "current": []}
    order = [("earlier", old_page), ("current", new_page)]
    for p in pages:  # warm-up: caches of both
        for _, fn in order:
            fn(*p)
    rng = random.Random(5)
    for _ in range(args.rounds):
        for p in pages:
            rng.shuffle(order)
            for name, fn in order:
                started = time.perf_counter()
                fn(*p)
                times[name].append((time.perf_counter() - started) * 1000)
    out = {}
    for name, ts in times.items():
        ts.sort()
        out[name] = {"p50_ms": statistics.median(ts), "p95_ms": ts[int(len(ts) * 0.95)]}
    e, c = out["earlier"], out["current"]
    print(
        f"\nHighlighting one page ({len(pages)} queries x {args.rounds}, interleaved): earlier "
        f"p50 {e['p50_ms']:.2f} ms, p95 {e['p95_ms']:.2f} ms; current p50 {c['p50_ms']:.2f} ms, "
        f"p95 {c['p95_ms']:.2f} ms ({c['p50_ms'] / e['p50_ms']:.2f}x at p50)."
    )
    return out


if __name__ == "__main__":
    sys.exit(main())
