"""Serving figures of one index, over HTTP to ``vnsearch serve``: the ``serve`` step of growth.py.

What is measured, in this order, on one server started for it:

* time to first answer: from starting ``vnsearch serve`` to the first
  answered search (the index opened by a worker);
* memory: PSS of the server and each of its workers (``/proc/PID/smaps_rollup``)
  after the start and again after the latency passes;
* latency: latency.py's mix (known-item runs, names, common words; filters,
  page 2 and 3; facets and snippets come with every answer), one request at a
  time, the server's ``took_ms``: a first (cold) and a second (warm) pass;
  the warm pass's top-10 ids are kept, to compare rankings before and after;
* known-item MRR@10 on the title forms of queries.py (the same queries at
  every size, drawn from the real articles; answers are every article of the
  index whose title holds the run, grown ones included);
* optionally a swap: an incremental reindex adding a few articles under the
  server, and the time from its end to the first answer holding one of them.

Load at 16 clients is bench/load.py, run by growth.py against the same index.
"""

from __future__ import annotations

import bisect
import json
import random
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

from common import percentile
from latency import query_mix
from load import free_port, get, index_offers, start_server, stop_server, warm
from queries import KnownItem, folded, words
from reindex import MB, _tree_memory

TITLE_FORMS = ("accented", "folded", "telex", "dropped")
PROBE_EVERY = 0.1


def pss_of(pid: int) -> float:
    """PSS of one process in MB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def memory(server: subprocess.Popen) -> dict:
    """PSS of the whole server, of its supervisor and of each worker, MB."""
    _, total = _tree_memory(server.pid)
    workers = [pss_of(p) for p in children(server.pid)]
    return {
        "total_pss_mb": total / MB,
        "supervisor_pss_mb": pss_of(server.pid),
        "workers_pss_mb": workers,
    }


class Titles:
    """Folded titles of a whole corpus, searched for a run on word boundaries in one string."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.ids, self.starts, parts, at = [], [], [], 0
        for doc_id, title in pairs:
            text = " " + " ".join(words(folded(title))) + " \n"
            self.ids.append(doc_id)
            self.starts.append(at)
            parts.append(text)
            at += len(text)
        self.text = "".join(parts)

    def holding(self, run: str) -> tuple[str, ...]:
        needle, found, at = f" {folded(run)} ", [], 0
        while (at := self.text.find(needle, at)) >= 0:
            found.append(self.ids[bisect.bisect_right(self.starts, at) - 1])
            at += 1
        return tuple(dict.fromkeys(found))


def search(port: int, params: dict, timeout: float = 120) -> dict:
    status, body = get(port, "/api/search?" + urlencode(params), timeout)
    if status != 200:
        raise RuntimeError(f"status {status} for {params}")
    return json.loads(body)


def latency_passes(port: int, records: list[dict], size: int, seed: int) -> dict:
    """Cold and warm pass of latency.py's mix: took_ms percentiles and the warm top-10 ids."""
    offers = index_offers(port, 120)
    rng = random.Random(seed)
    urls = []
    for m in query_mix(records, size, seed):
        params: dict = {"q": m["q"], "page": m["page"], "per_page": 10}
        if m["filter"] == "province" and offers["province"]:
            params["province"] = rng.choice(offers["province"])
        elif m["filter"] == "year" and offers["year"]:
            params["year"] = rng.choice(offers["year"])
        urls.append(params)
    out: dict = {"queries": len(urls)}
    for name in ("cold", "warm"):
        took, tops = [], []
        for params in urls:
            page = search(port, params)
            took.append(page["took_ms"])
            tops.append([h["id"] for h in page["hits"]])
        out[name] = {
            "p50_ms": percentile(took, 50),
            "p95_ms": percentile(took, 95),
            "p99_ms": percentile(took, 99),
            "max_ms": max(took),
        }
    out["top10"] = tops
    out["requests"] = urls
    return out


def mrr(port: int, items: list[KnownItem], titles: Titles) -> dict:
    """MRR@10 and success@1 by title form; answers re-found among this index's titles."""
    by_form: dict[str, list[float]] = {f: [] for f in TITLE_FORMS}
    firsts: dict[str, list[float]] = {f: [] for f in TITLE_FORMS}
    grown_answers = 0
    for it in items:
        if it.form not in by_form:
            continue
        answers = set(it.answers) | set(titles.holding(it.source_run))
        grown_answers += len(answers) > len(it.answers)
        hits = [h["id"] for h in search(port, {"q": it.query, "per_page": 10})["hits"]]
        rank = next((i for i, h in enumerate(hits, 1) if h in answers), None)
        by_form[it.form].append(1 / rank if rank else 0.0)
        firsts[it.form].append(1.0 if rank == 1 else 0.0)
    out = {f: sum(v) / len(v) for f, v in by_form.items() if v}
    out["all_title_forms"] = sum(sum(v) for v in by_form.values()) / max(
        1, sum(len(v) for v in by_form.values())
    )
    out["success_at_1"] = {f: sum(v) / len(v) for f, v in firsts.items() if v}
    out["queries_with_grown_answers"] = grown_answers
    return out


def swap(port: int, cmd: list[str], corpus: Path, index: Path, marker: dict) -> dict:
    """Reindex (incremental) with ``marker`` added under the server; when it is first found."""
    start = time.perf_counter()
    done = subprocess.run(
        [*cmd, "reindex", str(corpus), "--index", str(index), "--jobs", "2"],
        capture_output=True,
        text=True,
    )
    ended = time.perf_counter()
    deadline = ended + 120
    while time.perf_counter() < deadline:
        asked = time.perf_counter()
        hits = search(port, {"q": marker["title"], "per_page": 10})["hits"]
        if any(h["id"] == marker["id"] for h in hits):
            now = time.perf_counter()
            return {
                "reindex_s": ended - start,
                "returncode": done.returncode,
                "first_new_answer_after_end_s": now - ended,
                "that_request_s": now - asked,
            }
        time.sleep(PROBE_EVERY)
    return {"reindex_s": ended - start, "returncode": done.returncode, "never_seen": True}


def measure(cmd, index: Path, records, items, titles: Titles, log: Path, seed: int, swap_with=None):
    """Every serving figure of one index (see the module docstring)."""
    port = free_port()
    out: dict = {}
    with log.open("w") as f:
        started = time.perf_counter()
        server = start_server(cmd, index, port, f)
        try:
            while True:
                try:
                    search(port, {"q": "tỉnh ủy", "per_page": 10}, 300)
                    break
                except (OSError, RuntimeError):
                    time.sleep(0.1)
            out["first_answer_s"] = time.perf_counter() - started
            warm(port, 120)
            out["memory_after_start"] = memory(server)
            out["latency"] = latency_passes(port, records, 400, seed)
            out["memory_after_passes"] = memory(server)
            out["mrr"] = mrr(port, items, titles)
            out["memory_after_mrr"] = memory(server)
            if swap_with is not None:
                out["swap"] = swap(port, cmd, *swap_with)
        finally:
            stop_server(server)
    return out
