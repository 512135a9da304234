"""What a điểm báo costs (issue 19): a 200-article report against the search under it.

For each query, interleaved in every round: the baseline is the searching the
report needs (two engine pages of 100, hits and snippets, what /api/search
does for those articles), then ``collect`` (the same searching, plus each
article's lead and the grouping), ``write_docx`` and ``write_csv`` of that
report. Medians over ``--rounds``; the ratio is report over baseline.

    .venv/bin/python bench/export.py --index index/ --rounds 5
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from common import markdown_table, median, ratio, timed, write_json

from search.api import open_engine
from search.models import SearchRequest
from search.report import collect, write
from search.report.word import write_docx

QUERIES = ["chủ tịch ubnd tỉnh", "dang", "tinh uy", "hội nghị", "ddaij hooij"]
LIMIT = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="an index built by vnsearch reindex")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json-out", help="also write the figures to this JSON file")
    args = parser.parse_args()
    engine = open_engine(args.index)
    times: dict[str, dict[str, list[float]]] = {q: {} for q in QUERIES}
    sizes: dict[str, tuple[int, int]] = {}
    for q in QUERIES:  # warm-up: caches of the generation, pyvi
        collect(engine, SearchRequest(q=q), limit=LIMIT)
    for _ in range(args.rounds):
        for q in QUERIES:
            ask = SearchRequest(q=q, per_page=100)
            seconds, _pages = timed(
                lambda ask=ask: [engine.search(replace(ask, page=p)) for p in (1, 2)]
            )
            times[q].setdefault("search", []).append(seconds)
            seconds, report = timed(lambda q=q: collect(engine, SearchRequest(q=q), limit=LIMIT))
            times[q].setdefault("collect", []).append(seconds)
            seconds, _ = timed(lambda report=report: write_docx(report))
            times[q].setdefault("docx", []).append(seconds)
            seconds, _ = timed(lambda report=report: write(report, "csv"))
            times[q].setdefault("csv", []).append(seconds)
            sizes[q] = (len(report.hits), report.total)
    rows = []
    for q in QUERIES:
        ms = {name: median(values) * 1000 for name, values in times[q].items()}
        total = ms["collect"] + ms["docx"]
        rows.append(
            [
                q,
                *sizes[q],
                ms["search"],
                ms["collect"],
                ms["docx"],
                ms["csv"],
                ratio(total, ms["search"]),
            ]
        )
    headers = [
        "query",
        "articles",
        "found",
        "search ms",
        "collect ms",
        "docx ms",
        "csv ms",
        "report/search",
    ]
    print(markdown_table(headers, rows))
    write_json(args.json_out, {"headers": headers, "rows": rows, "rounds": args.rounds})


if __name__ == "__main__":
    main()
