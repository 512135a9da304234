"""The `vnsearch` command: output, exit status and one-line errors (INTERFACE.md).

Most cases call ``search.cli.main(argv)`` in-process (fast); a few run the
installed ``vnsearch`` entry point in a subprocess, as users and scripts do.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from search.cli import main
from search.write.generations import reindex_lock

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus"
ENTRY_POINT = Path(sys.executable).with_name("vnsearch")

RESULT_KEYS = {"query", "total", "page", "per_page", "took_ms", "suggestion", "hits", "facets"}
HIT_KEYS = {"id", "title", "url", "date", "source", "author", "provinces", "persons"} | {
    "score",
    "snippet",
}
SUMMARY = re.compile(
    r"^(full|incremental): read \d+, added \d+, updated \d+, deleted \d+, unchanged \d+, "
    r"skipped \d+ in \d+\.\d s \(\d+ articles/s\)$"
)


@pytest.fixture(autouse=True)
def no_environment(monkeypatch):
    """No VNSEARCH_* setting of the machine leaks into a test."""
    import os

    for key in [k for k in os.environ if k.startswith("VNSEARCH_")]:
        monkeypatch.delenv(key)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def vnsearch(*argv: str, timeout: float = 300) -> subprocess.CompletedProcess:
    command = [str(ENTRY_POINT)] if ENTRY_POINT.exists() else [sys.executable, "-m", "search.cli"]
    done = subprocess.run(
        command + list(argv), cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert "Traceback" not in done.stderr
    return done


# --- reindex ------------------------------------------------------------------------


def test_reindex_prints_a_summary_line_then_says_when_nothing_changed(capsys, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    root = tmp_path / "index"

    code, out, err = run(capsys, "reindex", str(corpus), "--index", str(root), "--jobs", "2")
    assert code == 0
    assert SUMMARY.match(one_line(out)), out
    assert out.startswith("full: read 5, added 5, updated 0, deleted 0, unchanged 0, skipped 0")
    assert all(line.startswith("analysed ") for line in err.splitlines()), err

    code, out, _ = run(capsys, "reindex", str(corpus), "--index", str(root))
    assert code == 0
    assert re.fullmatch(
        r"incremental: read 5, added 0, updated 0, deleted 0, unchanged 5, skipped 0: "
        r"nothing changed, index untouched \(\d+\.\d s\)\n",
        out,
    )


def test_reindex_names_skipped_input_and_what_it_cleaned(capsys, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "garbled.txt").write_bytes(b"\x81\x8d\x8e\x8f")
    (corpus / "lines.jsonl").write_text('{"body": "Tin một."}\n{"body": \n', encoding="utf-8")
    root = tmp_path / "index"
    assert run(capsys, "reindex", str(corpus), "--index", str(root))[0] == 0
    (root / "g000007.tmp").mkdir()  # what a killed --full run leaves

    (corpus / "new.json").write_text(json.dumps({"id": "n", "body": "Tin mới."}))
    code, out, err = run(capsys, "reindex", str(corpus), "--index", str(root), "--jobs", "1")

    assert code == 0
    assert out.startswith("incremental: read 7, added 1, updated 0, deleted 0, unchanged 6")
    assert "skipped 2" in out
    lines = err.splitlines()
    assert "cleaned up after an interrupted run: g000007.tmp" in lines
    assert any(re.match(r"vnsearch: garbled\.txt: skipped, .*undecodable", x) for x in lines), err
    assert any(
        re.match(r"vnsearch: lines\.jsonl:2: skipped, .*malformed JSON", x) for x in lines
    ), err


def test_reindex_defaults_come_from_the_environment(capsys, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    monkeypatch.setenv("VNSEARCH_CORPUS", str(corpus))
    monkeypatch.setenv("VNSEARCH_INDEX", str(tmp_path / "index"))
    assert run(capsys, "reindex", "--jobs", "1")[0] == 0
    code, out, _ = run(capsys, "stats", "--json")
    assert code == 0 and json.loads(out)["articles"] == 5


def test_a_second_reindex_is_refused_with_one_line(capsys, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    root = tmp_path / "index"
    with reindex_lock(root):
        code, out, err = run(capsys, "reindex", str(corpus), "--index", str(root))
    assert (code, out) == (1, "")
    assert re.fullmatch(
        r"vnsearch: another reindex is running on .* \(pid \d+\); try again when it ends",
        one_line(err),
    )


# --- search and stats ------------------------------------------------------------


def test_search_json_prints_the_interface_result_object(capsys, fixture_index):
    code, out, _ = run(capsys, "search", "Lạng Sơn", "--index", str(fixture_index), "--json")
    assert code == 0
    page = json.loads(out)
    assert RESULT_KEYS <= set(page)
    assert (page["query"], page["page"], page["per_page"]) == ("Lạng Sơn", 1, 10)
    assert isinstance(page["total"], int) and page["total"] >= len(page["hits"]) > 0
    assert isinstance(page["took_ms"], (int, float))
    for hit in page["hits"]:
        assert HIT_KEYS <= set(hit)
        assert hit["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", hit["date"])
        assert isinstance(hit["provinces"], list) and isinstance(hit["persons"], list)
    assert "<mark>" in page["hits"][0]["snippet"]
    assert {"province", "person", "year"} <= set(page["facets"])
    for values in page["facets"].values():
        assert all(set(v) == {"value", "count"} for v in values)


@pytest.mark.parametrize(
    "argv, check",
    [
        (["--province", "Lạng Sơn", "--per-page", "3"], lambda p: p["per_page"] == 3),
        (["--from", "2020-01-01", "--to", "2020-12-31"], lambda p: p["total"] >= 1),
        (["--sort", "newest", "--page", "2", "--per-page", "1"], lambda p: p["page"] == 2),
    ],
)
def test_search_options(capsys, fixture_index, argv, check):
    code, out, _ = run(capsys, "search", "tỉnh", "--index", str(fixture_index), "--json", *argv)
    assert code == 0 and check(json.loads(out))


def test_search_prints_a_readable_list(capsys, fixture_index):
    code, out, _ = run(capsys, "search", "hoa binh", "--index", str(fixture_index))
    assert code == 0
    lines = out.splitlines()
    assert re.fullmatch(r"\d+ kết quả \(\d+\.\d ms\)", lines[0])
    assert re.match(r"\s+1\. .+  \[.+\]$", next(x for x in lines if "1. " in x))


def test_stats(capsys, fixture_index):
    code, out, _ = run(capsys, "stats", "--index", str(fixture_index), "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["articles"] == 18 and stats["size_bytes"] > 0
    assert stats["last_reindex"]["mode"] == "full" and stats["last_reindex"]["added"] == 18
    assert stats["provinces"]["Lạng Sơn"] >= 1
    assert sum(stats["years"].values()) <= stats["articles"]
    assert list(stats["years"]) == sorted(stats["years"])

    code, out, _ = run(capsys, "stats", "--index", str(fixture_index))
    assert code == 0
    assert out.splitlines()[0] == "articles: 18"
    assert re.search(r"^size on disk: \d+\.\d MiB", out, re.M)
    assert re.search(r"^last reindex: \S+ \(full\)$", out, re.M)


# --- exit status -----------------------------------------------------------------

USAGE_ERRORS = [
    ([], "the following arguments are required: command"),
    (["frobnicate"], "invalid choice"),
    (["search"], "the following arguments are required: query"),
    (["search", "x", "--bogus"], "unrecognized arguments: --bogus"),
    (["search", "x", "--from", "2020-13-01"], "not a date YYYY-MM-DD: '2020-13-01'"),
    (["search", "x", "--to", "yesterday"], "not a date YYYY-MM-DD"),
    (["search", "x", "--per-page", "0"], "Tham số per_page phải là số nguyên từ 1 đến 100"),
    (["search", "x", "--per-page", "101"], "Tham số per_page phải là số nguyên từ 1 đến 100"),
    (["search", "x", "--per-page", "many"], "invalid int value"),
    (["search", "x", "--page", "0"], "Tham số page phải là số nguyên từ 1 đến 10000"),
    (["search", "x", "--sort", "best"], "invalid choice: 'best'"),
    (
        ["search", "x", "--from", "2020-05-02", "--to", "2020-05-01"],
        "Tham số from (ngày bắt đầu) phải trước hoặc bằng to",
    ),
    (["reindex", "--jobs", "0"], "argument --jobs: must be a whole number of at least 1"),
    (["reindex", "--jobs", "two"], "argument --jobs: must be a whole number of at least 1"),
    (["serve", "--workers", "0"], "argument --workers: must be a whole number of at least 1"),
    (["reindex", "/nonexistent/corpus"], "corpus not found: /nonexistent/corpus"),
    (["stats", "--format", "xml"], "unrecognized arguments"),
]


@pytest.mark.parametrize("argv, message", USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_bad_usage_exits_2_with_one_line(capsys, fixture_index, tmp_path, argv, message):
    index = ["--index", str(fixture_index if argv[:1] != ["reindex"] else tmp_path / "i")]
    code, out, err = run(capsys, *argv, *(index if len(argv) > 1 else []))
    assert (code, out) == (2, "")
    assert message in one_line(err)


def test_help_exits_0(capsys):
    with pytest.raises(SystemExit) as done:
        main(["search", "--help"])
    assert done.value.code == 0
    assert "--per-page" in capsys.readouterr().out


FAILURES = [
    (["search", "x"], r"vnsearch: no index at .*missing: run `vnsearch reindex` first"),
    (["stats"], r"vnsearch: no index at .*missing: run `vnsearch reindex` first"),
    (["stats", "--json"], r"vnsearch: no index at .*missing: .*"),
]


@pytest.mark.parametrize("argv, message", FAILURES, ids=[" ".join(a) for a, _ in FAILURES])
def test_a_missing_index_exits_1_with_one_line(capsys, tmp_path, argv, message):
    code, out, err = run(capsys, *argv, "--index", str(tmp_path / "missing"))
    assert (code, out) == (1, "")
    assert re.fullmatch(message, one_line(err))


def test_an_index_path_that_is_a_file_exits_1(capsys, tmp_path):
    (tmp_path / "file").write_text("not a directory")
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for argv in (["reindex", str(corpus)], ["search", "x"], ["stats"]):
        code, out, err = run(capsys, *argv, "--index", str(tmp_path / "file"))
        assert (code, out) == (1, ""), argv
        assert one_line(err).startswith("vnsearch: "), argv


# --- the installed command, as scripts run it -------------------------------------


def test_the_entry_point_searches_as_json(fixture_index):
    done = vnsearch("search", "lanh dao tinh uy", "--index", str(fixture_index), "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert RESULT_KEYS <= set(json.loads(done.stdout))


@pytest.mark.parametrize(
    "argv, code",
    [
        (["search", "x", "--per-page", "0"], 2),
        (["search", "x", "--from", "2020-02-30"], 2),
        (["--bogus"], 2),
        (["search", "x", "--index", "/nonexistent/index"], 1),
        (["stats", "--index", "/nonexistent/index"], 1),
    ],
)
def test_the_entry_point_exit_status(fixture_index, argv, code):
    if "--index" not in argv and argv[0] != "--bogus":
        argv = [*argv, "--index", str(fixture_index)]
    done = vnsearch(*argv)
    assert (done.returncode, done.stdout) == (code, "")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_closed_pipe_ends_quietly(fixture_index):
    """`vnsearch search ... | head -1`: exit 0 and nothing on stderr once the reader is gone."""
    command = [str(ENTRY_POINT)] if ENTRY_POINT.exists() else [sys.executable, "-m", "search.cli"]
    proc = subprocess.Popen(
        [*command, "search", "tinh uy", "--index", str(fixture_index), "--per-page", "20"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()  # what head does after its first line
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0
    assert err == ""


def test_plain_progress_goes_on_while_the_total_grows(monkeypatch, capsys):
    """A full run learns its total as it reads: lines keep coming, not just tenths of it."""
    import search.cli as cli

    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: False)
    update = cli._progress()
    for done in range(32, 10_001, 32):
        update(done, done + 352)  # the reader stays a few chunks ahead
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) >= 10_000 // cli.PROGRESS_EVERY
    assert all(re.fullmatch(r"analysed \d+/\d+ articles", x) for x in lines)
