"""Quality and speed of the document readers on pages and files built from real articles.

    .venv/bin/python bench/ingest_quality.py [--articles 8] [--seed 15] [--details]

Draws articles of the development corpus (seeded), builds each as a saved page
in every layout of bench/ingest_docs.py, as Word files and PDFs, and as text in
every encoding; reads them back through the real path (search.ingest.corpus
and extract.enrich) and reports per format: title, date and author accuracy,
the share of body sentences kept and of chrome lines (menus, related articles,
comments, footers, official headers) leaked; per encoding: the share of
syllables decoded exactly (with the encoding detected, not given); and files/s
per reader, with reading a page set against analysing its text
(what the indexer does to its text: search.text.analysis.analyze, then
index_terms for the five token streams), interleaved in the same run.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import add_common_args, corpus_or_exit, iter_records  # noqa: E402
from ingest_docs import LAYOUTS, SITES, docx_file, html_page, pdf_file, truth_for  # noqa: E402

from search.ingest.corpus import article_from_document  # noqa: E402
from search.ingest.encodings import decode_bytes, encode_legacy  # noqa: E402
from search.ingest.extract import enrich  # noqa: E402
from search.text.analysis import analyze, index_terms  # noqa: E402
from search.text.normalize import normalize  # noqa: E402
from search.text.syllable import is_vietnamese_syllable  # noqa: E402

ENCODINGS = ("tcvn3", "vni", "viscii", "cp1258", "utf-16", "utf-8-sig", "utf-8")
TARGETS = {"title": 0.95, "date": 0.95, "body": 0.95, "chrome": 0.01, "syllables": 0.99}


def _flat(text: str) -> str:
    return " ".join(normalize(text).casefold().split())


def sentences(paragraphs: list[str]) -> list[str]:
    """The sentences of the body worth finding: four words or more."""
    out = []
    for p in paragraphs:
        out += [s for s in re.split(r"(?<=[.!?])\s+", p) if len(s.split()) >= 4]
    return out


def draw(corpus: Path, n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    pool = [
        r
        for r in iter_records(corpus, 4000)
        if 800 <= len(r.get("body", "")) <= 6000 and len(r.get("title", "")) >= 20
    ]
    return rng.sample(pool, n + 10)


class Tally:
    def __init__(self) -> None:
        self.n = self.title = self.dated = self.date = self.undated_given = 0
        self.author = self.sent = self.sent_kept = self.chrome = self.chrome_leaked = 0
        self.skips: list[str] = []

    def add(self, truth, article, chrome: list[str], details: list[str], name: str) -> None:
        self.n += 1
        if isinstance(article, str):
            self.skips.append(f"{name}: {article}")
            return
        a = enrich(article)
        body = _flat(a.body)
        self.title += _flat(a.title) == _flat(truth.title)
        if truth.date:
            self.dated += 1
            self.date += a.date == truth.date
        else:
            self.undated_given += a.date is not None
        self.author += _flat(a.author or "") == _flat(truth.author)
        sents = sentences(truth.paragraphs)
        kept = [s for s in sents if _flat(s) in body]
        text = _flat(" ".join(truth.paragraphs + [truth.title]))
        chrome = [c for c in chrome if _flat(c) not in text]  # "Kinh tế" may be a body word
        leaked = [c for c in chrome if _flat(c) in body]
        self.sent += len(sents)
        self.sent_kept += len(kept)
        self.chrome += len(chrome)
        self.chrome_leaked += len(leaked)
        if _flat(a.title) != _flat(truth.title):
            details.append(f"{name}: title {a.title[:60]!r} want {truth.title[:60]!r}")
        if truth.date and a.date != truth.date:
            details.append(f"{name}: date {a.date} want {truth.date}")
        if _flat(a.author or "") != _flat(truth.author):
            details.append(f"{name}: author {a.author!r} want {truth.author!r}")
        details += [f"{name}: leaked {c[:60]!r}" for c in leaked]
        details += [f"{name}: lost {s[:60]!r}" for s in sents if s not in kept][:2]

    def row(self, label: str) -> str:
        read = self.n - len(self.skips)
        return (
            f"| {label} | {self.n} | {self.title / max(read, 1):.3f} | "
            f"{self.date / max(self.dated, 1):.3f} ({self.dated}) | {self.undated_given} | "
            f"{self.author / max(read, 1):.3f} | {self.sent_kept / max(self.sent, 1):.3f} | "
            f"{self.chrome_leaked / max(self.chrome, 1):.4f} |"
        )


def syllable_share(originals: list[str], encoding: str) -> tuple[float, float, int]:
    """(share of syllables decoded exactly, the same ignoring case, files detected right)."""
    exact = folded = total = detected = 0
    for text in originals:
        data = encode_legacy(text, encoding) if "utf" not in encoding else text.encode(encoding)
        back, found = decode_bytes(data)
        detected += (
            found == encoding
            or (found == "utf-8" and "utf-8" in encoding)
            or (found == "utf-16" and encoding == "utf-16")
        )
        want, got = text.split(), back.split()
        if len(want) != len(got):
            total += sum(map(is_vietnamese_syllable, want))
            continue
        for w, g in zip(want, got, strict=True):
            w, g = w.strip(".,;:!?()\"'“”…"), g.strip(".,;:!?()\"'“”…")
            if is_vietnamese_syllable(w):
                total += 1
                exact += w == g
                folded += w.lower() == g.lower()
    return exact / max(total, 1), folded / max(total, 1), detected


def timed(fn, items) -> float:
    t0 = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common_args(parser)
    parser.add_argument("--articles", type=int, default=8, help="articles per layout")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--details", action="store_true")
    parser.add_argument(
        "--encoding-articles", type=int, default=300, help="articles written in each encoding"
    )
    args = parser.parse_args()
    records = draw(corpus_or_exit(args.corpus), args.articles, args.seed)
    chosen, others = records[: args.articles], records[args.articles :]
    rng = random.Random(args.seed)
    details: list[str] = []
    tallies: dict[str, Tally] = defaultdict(Tally)
    files: dict[str, list[tuple[bytes, str]]] = defaultdict(list)
    for i, rec in enumerate(chosen):
        for layout in LAYOUTS:
            t = truth_for(rec, others, rng, layout)
            data = html_page(t, layout, SITES[i % len(SITES)])
            name = f"{rec['id']}.{layout}.html"
            files["html"].append((data, name))
            tallies[f"html {layout}"].add(
                t, article_from_document(data, name, name), t.chrome, details, name
            )
        for variant in ("heading", "official", "vntime"):
            t = truth_for(rec, others, rng, "modern")
            t.date = t.date if variant != "heading" else None
            data = docx_file(t, variant)
            name = f"{rec['id']}.{variant}.docx"
            files["docx"].append((data, name))
            chrome = ["BAN TUYÊN GIÁO TỈNH ỦY", "Độc lập - Tự do - Hạnh phúc", "Admin"]
            tallies[f"docx {variant}"].add(
                t, article_from_document(data, name, name), chrome, details, name
            )
        for variant in ("plain", "official"):
            t = truth_for(rec, others, rng, "modern")
            t.date = t.date if variant == "official" else None
            data = pdf_file(t, variant)
            name = f"{rec['id']}.{variant}.pdf"
            files["pdf"].append((data, name))
            tallies[f"pdf {variant}"].add(
                t,
                article_from_document(data, name, name),
                ["BAN TUYÊN GIÁO TỈNH ỦY"],
                details,
                name,
            )
    print(
        "| format / layout | files | title | date (stated) | undated given a date | author |"
        " body sentences kept | chrome leaked |"
    )
    print("|---|---|---|---|---|---|---|---|")
    totals: dict[str, Tally] = defaultdict(Tally)
    for label, t in sorted(tallies.items()):
        print(t.row(label))
        total = totals[label.split()[0]]
        for k, v in vars(t).items():
            setattr(total, k, getattr(total, k) + v)
    for label, t in totals.items():
        print(t.row(f"**{label} (all)**"))
    originals = [
        r["title"] + "\n" + r["body"] for r in iter_records(args.corpus, args.encoding_articles)
    ]
    print("\n| encoding | syllables exact | ignoring case | files detected |")
    print("|---|---|---|---|")
    for enc in ENCODINGS:
        exact, folded, detected = syllable_share(originals, enc)
        print(f"| {enc} | {exact:.4f} | {folded:.4f} | {detected}/{len(originals)} |")
    print("\n| reader | files/s (median of 5) |")
    print("|---|---|")
    from search.ingest.corpus import read_document

    for kind, items in files.items():
        runs = [timed(lambda it: read_document(it[0], it[1]), items) for _ in range(5)]
        print(f"| {kind} | {len(items) / statistics.median(runs):.1f} |")
    pages = files["html"]
    bodies = [read_document(d, n).body for d, n in pages]
    read_t, analyze_t = [], []
    for _ in range(5):  # interleaved: the same load on both
        read_t.append(timed(lambda it: read_document(it[0], it[1]), pages))
        analyze_t.append(timed(lambda body: index_terms(analyze(body)), bodies))
    r, a = statistics.median(read_t), statistics.median(analyze_t)
    print(
        f"\nHTML page: read {1000 * r / len(pages):.1f} ms, analyse its text "
        f"{1000 * a / len(pages):.1f} ms (read/analyse = {r / a:.2f})"
    )
    skips = [s for t in tallies.values() for s in t.skips]
    if skips:
        print("\nskipped:", *skips, sep="\n  ")
    if args.details:
        print("\n".join(details))


if __name__ == "__main__":
    main()
