"""`vnsearch reindex`: incremental and full runs, the swap, the lock, crashes and bad input.

Everything runs the real path (corpus reading, pyvi, worker processes,
Whoosh commits) on copies in tmp_path; crashes are real SIGKILLs of real
runs, at moments found by watching the run's progress, never by timing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from polling import wait_for

from search.errors import IndexUnavailable, ReindexBusy
from search.models import SearchRequest
from search.read.engine import Engine
from search.write.generations import CURRENT, LOCK, STATS_FILE, live_generation, reindex_lock
from search.write.reindex import reindex

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus"
FIXTURES = Path(__file__).parent / "fixtures" / "corpus"
UPDATED_SEED = "000_b9ca21308674c971.txt"
DELETED_SEED = "004_5efaea7a2d732030.txt"


# --- helpers ----------------------------------------------------------------------


def small_corpus(base: Path) -> Path:
    """The seeds and the fixture articles, copied so a test may change them."""
    corpus = base / "corpus"
    shutil.copytree(SEEDS, corpus / "seeds")
    shutil.copytree(FIXTURES, corpus / "fixtures")
    return corpus


def hit_ids(engine: Engine, q: str, **kw) -> list[str]:
    return [h.id for h in engine.search(SearchRequest(q=q, per_page=100, **kw)).hits]


def all_ids(engine: Engine) -> set[str]:
    return set(engine.snapshot().id_to_doc)


def scores(engine: Engine, q: str) -> dict[str, float]:
    return {h.id: h.score for h in engine.search(SearchRequest(q=q, per_page=100)).hits}


def files_state(path: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    """Every file and directory under ``path`` with its size and mtime."""
    out = {}
    for p in sorted(path.rglob("*")):
        if p.name not in skip:
            st = p.stat()
            out[p.relative_to(path).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


def edit_json_list(path: Path, doc_id: str, **changes) -> None:
    items = json.loads(path.read_text(encoding="utf-8"))
    for item in items:
        if item["id"] == doc_id:
            item.update(changes)
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")


# --- incremental ----------------------------------------------------------------------


def test_incremental_adds_updates_and_deletes(tmp_path):
    corpus = small_corpus(tmp_path)
    root = tmp_path / "index"
    first = reindex([corpus], root, jobs=2)
    assert (first.mode, first.read, first.added, first.skipped) == ("full", 18, 18, [])
    engine = Engine(root)
    before = all_ids(engine)
    assert "fx-hoc-sinh" in hit_ids(engine, "tuyên dương")

    seed = corpus / "seeds" / UPDATED_SEED
    seed.write_text(
        seed.read_text(encoding="utf-8") + "\nĐàn hươu sao về rừng quốc gia.\n", encoding="utf-8"
    )
    (corpus / "seeds" / DELETED_SEED).unlink()
    edit_json_list(
        corpus / "fixtures" / "articles.json",
        "fx-hoc-sinh",
        title="Bảo tàng tỉnh",
        body="Khủng long bạo chúa được trưng bày ở bảo tàng tỉnh.",
    )
    (corpus / "fixtures" / "new.json").write_text(
        json.dumps({"id": "new-1", "title": "Tê giác", "body": "Đàn tê giác trắng châu Phi."}),
        encoding="utf-8",
    )
    seen = []
    report = reindex(
        [corpus], root, jobs=2, progress=lambda done, total: seen.append((done, total))
    )

    assert report.mode == "incremental"
    assert (report.read, report.added, report.updated, report.deleted) == (18, 1, 2, 1)
    assert (report.unchanged, report.skipped, report.cleaned) == (15, [], [])
    assert seen[-1] == (3, 3)  # only the new and changed articles were analysed
    assert "added 1, updated 2, deleted 1" in report.summary()
    assert "articles/s" in report.summary()
    # The engine opened before the run follows the commit without reopening.
    assert all_ids(engine) == before - {f"seeds/{DELETED_SEED}"} | {"new-1"}
    assert hit_ids(engine, "hươu sao") == [f"seeds/{UPDATED_SEED}"]
    assert hit_ids(engine, "tê giác") == ["new-1"]
    assert hit_ids(engine, "khủng long") == ["fx-hoc-sinh"]
    assert "fx-hoc-sinh" not in hit_ids(engine, "tuyên dương")
    assert engine.article(f"seeds/{DELETED_SEED}") is None
    assert engine.stats().articles == 18
    assert json.loads((root / STATS_FILE).read_text())["updated"] == 2

    # A full rebuild of the same corpus answers exactly as the updated index does.
    full_root = tmp_path / "full"
    reindex([corpus], full_root, full=True, jobs=2)
    full = Engine(full_root)
    assert all_ids(full) == all_ids(engine)
    for q in ("hươu sao", "tê giác", "Lạng Sơn", "tỉnh ủy", "học sinh"):
        assert scores(full, q) == pytest.approx(scores(engine, q), rel=1e-4), q


def test_an_unchanged_rerun_touches_nothing(tmp_path):
    corpus = small_corpus(tmp_path)
    root = tmp_path / "index"
    reindex([corpus], root, jobs=2)
    engine = Engine(root)
    snap = engine.snapshot()
    before = files_state(root, skip=(LOCK,))

    report = reindex([corpus], root, jobs=2)

    assert not report.changed
    assert (report.read, report.unchanged) == (18, 18)
    assert "nothing changed, index untouched" in report.summary()
    assert files_state(root, skip=(LOCK,)) == before  # generation, CURRENT, last_reindex.json
    assert engine.snapshot() is snap  # nothing for searchers to reopen


def test_many_segments_turn_an_incremental_run_into_a_full_one(tmp_path, monkeypatch):
    import search.write.reindex

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "zero.json").write_text(json.dumps({"id": "x0", "body": "Tin không."}))
    root = tmp_path / "index"
    reindex([corpus], root, jobs=1)
    monkeypatch.setattr(search.write.reindex, "MAX_SEGMENTS", 1)
    (corpus / "one.json").write_text(json.dumps({"id": "x1", "body": "Tin một."}))
    assert reindex([corpus], root, jobs=1).mode == "incremental"  # now two segments
    (corpus / "two.json").write_text(json.dumps({"id": "x2", "body": "Tin hai."}))
    report = reindex([corpus], root, jobs=1)
    assert (report.mode, report.added, report.generation) == ("full", 3, "g000002")
    assert Engine(root).stats().segments == 1


# --- full: the swap ------------------------------------------------------------------


def test_a_full_reindex_swaps_under_an_open_engine(tmp_path):
    corpus = small_corpus(tmp_path)
    root = tmp_path / "index"
    reindex([corpus], root, full=True, jobs=2)
    engine = Engine(root)
    old = engine.snapshot()
    old_ids = all_ids(engine)
    (corpus / "seeds" / DELETED_SEED).unlink()
    (corpus / "new.json").write_text(
        json.dumps({"id": "new-1", "body": "Đàn tê giác trắng châu Phi."}), encoding="utf-8"
    )

    report = reindex([corpus], root, full=True, jobs=2)

    assert (report.mode, report.generation, report.added) == ("full", "g000002", 18)
    assert (root / CURRENT).read_text().strip() == "g000002"
    assert hit_ids(engine, "tê giác") == ["new-1"]  # the same Engine, the new generation
    assert engine.snapshot().gen_dir.name == "g000002"
    assert all_ids(engine) == old_ids - {f"seeds/{DELETED_SEED}"} | {"new-1"}
    # A snapshot taken before the swap stays whole and readable.
    assert old.gen_dir.name == "g000001" and old.gen_dir.is_dir()
    assert set(old.id_to_doc) == old_ids
    assert [old.stored(d)["id"] for d in old.id_to_doc.values()] == list(old.id_to_doc)
    assert len(old.postings("b_fsyl", "tinh")[0]) > 0

    reindex([corpus], root, full=True, jobs=2)
    assert {p.name for p in root.glob("g*")} == {"g000002", "g000003"}  # one old one kept


def test_an_engine_answering_from_two_stat_calls_still_sees_every_change(tmp_path, monkeypatch):
    """Once the index is quiet the engine checks it with two stat calls, and misses nothing."""
    corpus = small_corpus(tmp_path)
    root = tmp_path / "index"
    reindex([corpus], root, full=True, jobs=2)
    engine = Engine(root)
    full_reads = []
    read = engine._read_live_key
    monkeypatch.setattr(engine, "_read_live_key", lambda: full_reads.append(1) or read())

    def checked_by_stat_alone() -> bool:
        engine.snapshot()
        full_reads.clear()
        engine.snapshot()
        return not full_reads

    wait_for(checked_by_stat_alone, 10, "the index to be quiet")
    assert hit_ids(engine, "tê giác") == []
    assert not full_reads  # searches on a quiet index read neither CURRENT nor the directory

    (corpus / "new.json").write_text(
        json.dumps({"id": "new-1", "body": "Đàn tê giác trắng châu Phi."}), encoding="utf-8"
    )
    assert reindex([corpus], root, jobs=2).mode == "incremental"  # a commit, same generation
    assert hit_ids(engine, "tê giác") == ["new-1"]
    reindex([corpus], root, full=True, jobs=2)  # a swap
    assert engine.snapshot().gen_dir.name == "g000002"
    engine.snapshot().vocabulary_ready.wait(30)  # its builder reads the files
    shutil.rmtree(root / "g000002")
    with pytest.raises(IndexUnavailable):
        engine.search(SearchRequest(q="tê giác"))


def test_requests_during_the_opening_of_a_new_generation_wait_for_it(tmp_path):
    """After the swap no answer comes from the old generation, even while it is opening."""
    corpus = small_corpus(tmp_path)
    root = tmp_path / "index"
    reindex([corpus], root, full=True, jobs=2)
    engine = Engine(root)
    assert hit_ids(engine, "tê giác") == []
    (corpus / "new.json").write_text(
        json.dumps({"id": "new-1", "body": "Đàn tê giác trắng châu Phi."}), encoding="utf-8"
    )
    reindex([corpus], root, full=True, jobs=2)

    found: list = []
    with engine._lock:  # as if another request were opening g000002 right now
        waiting = threading.Thread(target=lambda: found.append(hit_ids(engine, "tê giác")))
        waiting.start()
        waiting.join(0.3)
        assert found == []  # not answered from the old generation meanwhile
    waiting.join(60)
    assert found == [["new-1"]]
    assert engine.snapshot().gen_dir.name == "g000002"


OBSERVER = """
import sys
from search.read.engine import Engine
from search.models import SearchRequest

engine, req = Engine(sys.argv[1]), SearchRequest(q="", sort="newest", per_page=100)
while True:
    page = engine.search(req)
    ids = ",".join(sorted(h.id for h in page.hits))
    print(engine.snapshot().gen_dir.name, page.total, ids, sep="\t", flush=True)
"""


def test_a_searching_process_sees_each_index_whole_and_in_order(tmp_path):
    """A server process searching all along: old index, then the full one, then the incremental."""
    corpus = small_corpus(tmp_path)
    root = tmp_path / "index"
    reindex([corpus], root, jobs=2)
    out = tmp_path / "observed"
    with out.open("w") as f:
        observer = subprocess.Popen(
            [sys.executable, "-c", OBSERVER, str(root)], cwd=ROOT, stdout=f, stderr=f
        )
    try:

        def observed():
            lines = out.read_text(encoding="utf-8").splitlines()
            return [tuple(x.split("\t")) for x in lines[:-1]]  # the last may be partial

        states = [",".join(sorted(all_ids(Engine(root))))]
        wait_for(lambda: observed(), what="the observer's first search")
        (corpus / "seeds" / DELETED_SEED).unlink()
        for k in range(40):
            (corpus / f"n{k}.json").write_text(json.dumps({"id": f"n{k}", "body": f"Tin {k}."}))
        assert reindex([corpus], root, full=True, jobs=2).generation == "g000002"
        states.append(",".join(sorted(all_ids(Engine(root)))))
        wait_for(lambda: observed()[-1][2] == states[-1], what="the observer to see the swap")
        for k in range(20):
            (corpus / f"n{k}.json").unlink()
        assert reindex([corpus], root, jobs=2).deleted == 20
        states.append(",".join(sorted(all_ids(Engine(root)))))
        wait_for(lambda: observed()[-1][2] == states[-1], what="the observer to see the commit")
    finally:
        observer.kill()
        observer.wait(60)
    seen = observed()
    assert "Traceback" not in out.read_text(encoding="utf-8")
    assert {ids for _, _, ids in seen} == set(states), "a search saw a partial index"
    order = [states.index(ids) for _, _, ids in seen]
    assert order == sorted(order), "a search went back to an older index"
    assert all(int(total) == len(ids.split(",")) for _, total, ids in seen)
    assert {gen for gen, _, ids in seen if ids != states[0]} == {"g000002"}


# --- the lock ---------------------------------------------------------------------


def test_a_second_reindex_is_refused_while_one_runs(tmp_path):
    corpus = small_corpus(tmp_path)
    root = tmp_path / "index"
    reindex([corpus], root, jobs=2)
    before = files_state(root, skip=(LOCK,))
    with reindex_lock(root):
        with pytest.raises(ReindexBusy, match=rf"another reindex is running .*pid {os.getpid()}"):
            reindex([corpus], root, full=True, jobs=2)
    assert files_state(root, skip=(LOCK,)) == before


# --- bad input ----------------------------------------------------------------------


def test_bad_files_and_lines_are_reported_and_the_rest_indexed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.json").write_text(json.dumps({"id": "good", "body": "Tin tốt về lúa gạo."}))
    (corpus / "garbled.txt").write_bytes(b"Tin \x81\x8d\x8e\x8f\x90 h\xe1ng")
    (corpus / "empty.json").write_text("   \n")
    (corpus / "news.jsonl").write_bytes(
        b'{"id": "l1", "body": "D\xc3\xb2ng m\xe1\xbb\x99t v\xe1\xbb\x81 c\xc3\xa0 ph\xc3\xaa."}\n'
        b'{"id": "l2", "body": \n'  # malformed
        b'{"id": "l3", "body": "\x81\x8d\x8e"}\n'  # undecodable
        b'{"id": "l4", "title": "no body"}\n'
        b'{"id": "l5", "body": "D\xc3\xb2ng n\xc4\x83m v\xe1\xbb\x81 h\xe1\xbb\x93 ti\xc3\xaau."}\n'
    )
    (corpus / "notes.md").write_text("not a corpus file")

    report = reindex([corpus], tmp_path / "index", jobs=2)

    assert (report.read, report.added) == (3, 3)
    assert sorted(report.skipped) == sorted(
        [
            "empty.json: skipped, empty file",
            "garbled.txt: skipped, undecodable: cannot decode as UTF-8, UTF-16 or a Vietnamese legacy encoding",
            "news.jsonl:2: skipped, malformed JSON: Expecting value",
            "news.jsonl:3: skipped, undecodable: cannot decode as UTF-8, UTF-16 or a Vietnamese legacy encoding",
            "news.jsonl:4: skipped, article without text (no body, content or text)",
            "notes.md: skipped, not a corpus file: .md",
        ]
    )
    assert "skipped 6" in report.summary()
    engine = Engine(tmp_path / "index")
    assert all_ids(engine) == {"good", "l1", "l5"}
    assert hit_ids(engine, "hồ tiêu") == ["l5"]


def test_an_empty_corpus_gives_an_empty_index_that_answers(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    root = tmp_path / "index"
    report = reindex([corpus], root, jobs=1)
    assert (report.mode, report.read, report.added) == ("full", 0, 0)
    engine = Engine(root)
    assert engine.stats().articles == 0
    assert engine.search(SearchRequest(q="tỉnh ủy")).total == 0
    (corpus / "one.json").write_text(json.dumps({"id": "one", "body": "Tin về tỉnh ủy."}))
    assert reindex([corpus], root, jobs=1).added == 1
    assert hit_ids(engine, "tỉnh ủy") == ["one"]


@pytest.mark.parametrize("full", [True, False], ids=["full", "incremental"])
def test_a_duplicate_id_is_indexed_once_and_reported(tmp_path, full):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.json").write_text(json.dumps({"id": "same", "body": "Bản đầu về cà phê."}))
    (corpus / "b.json").write_text(json.dumps({"id": "other", "body": "Tin khác về lúa."}))
    root = tmp_path / "index"
    if not full:  # the duplicate appears in an incremental run
        reindex([corpus], root, jobs=1)
    (corpus / "c.json").write_text(json.dumps({"id": "same", "body": "Bản sau về hồ tiêu."}))

    report = reindex([corpus], root, full=full, jobs=1)

    assert report.skipped == ["c.json: skipped, duplicate id 'same' (the one in a.json is indexed)"]
    engine = Engine(root)
    assert engine.stats().articles == 2
    assert hit_ids(engine, "cà phê") == ["same"]
    assert hit_ids(engine, "hồ tiêu") == []
    assert not reindex([corpus], root, jobs=1).changed  # and it stays that way


# --- SIGKILL at any moment -------------------------------------------------------------

FRUITS = ["sầu riêng", "măng cụt", "chôm chôm", "thanh long", "vải thiều", "nhãn lồng"]
QUERIES = ["măng cụt", "chôm chôm", "giá sầu riêng", "vải thiều"]
A_SIZE, DROPPED, CHANGED, ADDED = 100, 10, 10, 60


def _paragraphs() -> list[str]:
    lines = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [x.strip() for x in path.read_text(encoding="utf-8").splitlines()]
    return [x for x in lines if len(x) > 120]


def _article(k: int, paragraphs: list[str], extra: str = "") -> dict:
    body = "\n".join(paragraphs[(k * 7 + i * 3) % len(paragraphs)] for i in range(3))
    return {
        "id": f"gen-{k:04d}",
        "title": f"Bản tin số {k}",
        "body": f"{body}\nVùng trồng {FRUITS[k % len(FRUITS)]} mở rộng.{extra}",
        "date": f"{2010 + k % 12}-{1 + k % 12:02d}-{1 + k % 28:02d}",
    }


def _write(corpus: Path, articles: list[dict]) -> Path:
    corpus.mkdir(parents=True)
    with (corpus / "news.jsonl").open("w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    return corpus


def _answers(root: Path) -> tuple[set[str], dict[str, dict[str, float]]]:
    """What an index answers: its ids, and the scored hits of QUERIES."""
    engine = Engine(root)
    engine.snapshot().vocabulary_ready.wait(60)  # its thread reads the generation too
    return all_ids(engine), {q: scores(engine, q) for q in QUERIES}


def same_answers(got, want) -> bool:
    (got_ids, got_hits), (want_ids, want_hits) = got, want
    return got_ids == want_ids and all(
        got_hits[q] == pytest.approx(want_hits[q], rel=1e-4) for q in QUERIES
    )


class Built:
    """Corpus A indexed, corpus B (A with some dropped, changed and added) and its answers."""

    def __init__(self, base: Path):
        paragraphs = _paragraphs()
        self.corpus_a = _write(base / "a", [_article(k, paragraphs) for k in range(A_SIZE)])
        changed = range(DROPPED, DROPPED + CHANGED)
        self.corpus_b = _write(
            base / "b",
            [_article(k, paragraphs, " Giá sầu riêng tăng.") for k in changed]
            + [_article(k, paragraphs) for k in range(DROPPED + CHANGED, A_SIZE + ADDED)],
        )
        self.index_a = base / "index-a"
        assert reindex([self.corpus_a], self.index_a, full=True, jobs=2).added == A_SIZE
        reference = base / "index-b"
        assert (
            reindex([self.corpus_b], reference, full=True, jobs=2).added == A_SIZE + ADDED - DROPPED
        )
        self.a = _answers(self.index_a)
        self.b = _answers(reference)
        assert self.a[0] != self.b[0] and self.a[1] != self.b[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    return Built(tmp_path_factory.mktemp("killed"))


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")  # a zombie holds no file and no lock


def _kill_survivors(workers: list[int]) -> None:
    """Don't leave a failed test's orphans running (they are the run's own workers)."""
    for pid in workers:
        if not _gone(pid):
            os.kill(pid, signal.SIGKILL)


def _progress(stderr: Path) -> list[tuple[int, int]]:
    lines = stderr.read_text(encoding="utf-8", errors="replace").splitlines()
    out = []
    for line in lines:
        if line.startswith("analysed ") and line.endswith(" articles"):
            done, total = line.split()[1].split("/")
            out.append((int(done), int(total)))
    return out


def _leftovers(root: Path) -> set[str]:
    """What a run left behind: unfinished generations, files no TOC of the live one names."""
    from whoosh import index as whoosh_index

    live = live_generation(root)
    left = {p.name for p in root.glob(f".{CURRENT}.*")}
    for p in root.glob("g*"):
        if p.name.endswith(".tmp") or live is None or p.name > live.name:
            left.add(p.name)
    if live is not None:
        ix = whoosh_index.open_dir(str(live))
        segments = {s.segment_id() for s in ix._segments()}
        toc = f"_MAIN_{ix.latest_generation()}.toc"
        for p in live.iterdir():
            name = p.name.split(".")[0]
            if p.name == "MAIN.tmp" or (p.name.startswith("_MAIN_") and p.name != toc):
                left.add(f"{live.name}/{p.name}")
            elif p.name.startswith("MAIN_") and p.name != "MAIN_WRITELOCK" and name not in segments:
                left.add(f"{live.name}/{name}")
    return left


def _kill_when(run: subprocess.Popen, ready, what: str) -> list[int]:
    """SIGKILL ``run`` once ``ready()``; return the pids its workers had."""
    try:
        wait_for(lambda: ready() or run.poll() is not None, what=what)
        workers = _children(run.pid)
        run.send_signal(signal.SIGKILL)
        run.wait(60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait(60)
    return workers


def test_a_killed_run_leaves_no_worker_holding_its_files_or_lock(tmp_path):
    """More work queued than the job queue holds: orphaned workers would wait forever."""
    paragraphs = _paragraphs()
    corpus = _write(
        tmp_path / "corpus",
        [{"id": f"t{k}", "body": paragraphs[k % len(paragraphs)]} for k in range(20 * 32)],
    )
    root = tmp_path / "index"
    stderr = tmp_path / "stderr"
    with stderr.open("w") as err:
        run = subprocess.Popen(
            _cli("reindex", str(corpus), "--index", str(root), "--jobs", "2"),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    workers = _kill_when(run, lambda: _progress(stderr), "the first articles analysed")
    assert run.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert len(workers) == 2
    try:
        wait_for(lambda: all(_gone(w) for w in workers), timeout=30, what="the workers to die")
    finally:
        _kill_survivors(workers)
    with reindex_lock(root):  # nothing of the dead run holds the lock
        pass
    (corpus / "news.jsonl").write_text(json.dumps({"id": "t0", "body": "Tin ngắn."}) + "\n")
    report = reindex([corpus], root, jobs=1)
    assert (report.cleaned, report.added) == (["g000001.tmp"], 1)


# (mode of the killed run, when to kill it, mode of the next run)
KILLS = [
    ("full", "locked", "incremental"),
    ("full", "analysing", "full"),
    ("full", "analysed", "incremental"),
    ("incremental", "analysing", "incremental"),
    ("incremental", "analysed", "full"),
]
TODO = {"full": A_SIZE + ADDED - DROPPED, "incremental": CHANGED + ADDED}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "search.cli", *args]


@pytest.mark.parametrize("mode, moment, then", KILLS, ids=["-".join(k) for k in KILLS])
def test_a_reindex_killed_at_any_moment_leaves_the_old_index_whole(
    built, tmp_path, mode, moment, then
):
    root = tmp_path / "index"
    shutil.copytree(built.index_a, root)
    stderr = tmp_path / "stderr"
    args = ["reindex", str(built.corpus_b), "--index", str(root), "--jobs", "2"]
    with stderr.open("w") as err:
        run = subprocess.Popen(
            _cli(*args, *(["--full"] if mode == "full" else [])),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    if moment == "locked":

        def ready():
            if (root / LOCK).read_text().strip() != str(run.pid) or run.poll() is not None:
                return False
            # A second run at the same time is refused, naming the first.
            with pytest.raises(ReindexBusy, match=f"pid {run.pid}"):
                reindex([built.corpus_b], root, jobs=1)
            return True

        what = "the run to take the lock"
    else:
        wanted = TODO[mode] if moment == "analysed" else TODO[mode] * 3 // 10

        def ready():
            return any(done >= wanted for done, _ in _progress(stderr))

        what = f"{wanted} articles analysed"
    workers = _kill_when(run, ready, what)
    assert run.returncode in (-signal.SIGKILL, 0)
    try:
        wait_for(lambda: all(_gone(w) for w in workers), timeout=30, what="the workers to die")
    finally:
        _kill_survivors(workers)

    # The index is whole: exactly the old one or (killed after its commit) the new one.
    answers = _answers(root)
    if run.returncode == 0 or answers[0] == built.b[0]:
        assert moment == "analysed", "only a run past its analysis can have committed"
        assert same_answers(answers, built.b)
    else:
        assert same_answers(answers, built.a)
    left = _leftovers(root)

    # The next run is not refused by anything the killed one held, cleans up and completes.
    report = reindex([built.corpus_b], root, full=then == "full", jobs=2)
    assert {line.split(":")[0] for line in report.cleaned} == left
    assert same_answers(_answers(root), built.b)
    assert _leftovers(root) == set()
