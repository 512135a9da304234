"""Latency of person and post pages on an existing index (issue 18).

Persons and posts are drawn (seeded) from the index itself: the most named
persons (their pages are the biggest) and a random sample of the rest, the
most held posts and a random sample. Each page is asked through the web app
(Flask's test client: the engine, the JSON or the HTML page with its SVG
timeline, as a user gets it) ``--rounds`` times after one untimed warm-up.

The baseline, timed interleaved in the same run on the same requests, is
what a reader had before person pages: the search filtered by that person
(``/api/search?person=...``), which computes one page of hits and the facets.

    .venv/bin/python bench/people.py --index /tmp/persons-idx --persons 200 --posts 200
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from urllib.parse import quote

from common import REPO, latency_summary, markdown_table, ratio, timed, write_json

sys.path.insert(0, str(REPO / "tests"))


def sample(values_counts: list[tuple[str, int]], top: int, n: int, rng: random.Random) -> list[str]:
    """The ``top`` values with most documents, then a random sample of the others."""
    ranked = [v for v, _ in sorted(values_counts, key=lambda vc: -vc[1])]
    rest = ranked[top:]
    return ranked[:top] + rng.sample(rest, min(max(0, n - top), len(rest)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="an index built by reindex")
    parser.add_argument("--persons", type=int, default=200)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)

    import numpy as np

    from search.write import schema as S
    from web import create_app
    from web.resources import get_engine

    app = create_app({"INDEX": str(args.index), "TESTING": True})
    client = app.test_client()
    with app.app_context():
        snap = get_engine().snapshot()
    rng = random.Random(args.seed)
    persons = snap.facets[S.PERSON]
    person_counts = list(zip(persons.values, np.bincount(persons.vals).tolist(), strict=False))
    roles = snap.load_facet(S.ROLE)
    post_counts: dict[str, int] = {}
    for value, n in zip(roles.values, np.bincount(roles.vals).tolist(), strict=False):
        post = value.split(S.ROLE_SEP, 1)[1]
        post_counts[post] = post_counts.get(post, 0) + n
    names = sample(person_counts, 20, args.persons, rng)
    posts = sample(list(post_counts.items()), 20, args.posts, rng)
    print(
        f"index {args.index}: {snap.count} articles, {len(persons.values)} persons, "
        f"{len(post_counts)} posts, {len(roles.values)} (person, post) pairs"
    )

    kinds = {
        "person page (HTML)": [f"/persons/{quote(n)}" for n in names],
        "person (JSON)": [f"/api/persons/{quote(n)}" for n in names],
        "post page (HTML)": [f"/posts/{quote(p)}" for p in posts],
        "post (JSON)": [f"/api/posts/{quote(p)}" for p in posts],
        "baseline: search person= (JSON)": [f"/api/search?person={quote(n)}" for n in names],
    }
    for urls in kinds.values():  # warm-up: the people tables, caches
        for url in urls:
            assert client.get(url).status_code == 200, url
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for _ in range(args.rounds):
        for i in range(max(len(u) for u in kinds.values())):
            for kind, urls in kinds.items():  # interleaved: one load for all
                if i < len(urls):
                    t, r = timed(lambda url=urls[i]: client.get(url))
                    assert r.status_code == 200
                    times[kind].append(t)
    summary = {k: latency_summary(v) for k, v in times.items()}
    base = summary["baseline: search person= (JSON)"]["p50_ms"]
    rows = [
        [k, s["n"], s["p50_ms"], s["p95_ms"], s["max_ms"], ratio(s["p50_ms"], base)]
        for k, s in summary.items()
    ]
    print(markdown_table(["request", "n", "p50 ms", "p95 ms", "max ms", "p50 / baseline"], rows))
    write_json(args.json_out, {"index": str(args.index), "latency": summary})
    return 0


if __name__ == "__main__":
    sys.exit(main())
