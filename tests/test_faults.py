"""The index directory fails under a running app: deleted, emptied, unreadable, read-only, corrupt.

Whatever happens to it, the app answers 503 with ``{"error": ...}`` (API) or
a friendly page (HTML; an Atom document for the feed), with Retry-After, never a 500, a traceback or a path;
the home page still works; and the app recovers by itself, without a
restart, once an index is back (a reindex, or the directory restored).
A read-only index is no fault at all for serving: searching never writes.
"""

from __future__ import annotations

import builtins
import errno
import gc
import io
import os
import shutil
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_web import make_app

from search import cli
from search.write.generations import CURRENT, live_generation
from search.write.reindex import reindex
from web import resources

API = ["/api/search?q=tinh+uy", "/api/articles/fx-tphcm", "/api/suggest?q=lang"]
PAGES = ["/search?q=tinh+uy", "/articles/fx-tphcm", "/embed?q=tinh+uy", "/feed.atom?q=tinh+uy"]
AS_ROOT = os.geteuid() == 0  # root reads and writes through any permission bits

# Whoosh's open_dir leaves a corrupt table of contents open when it fails on
# it; the garbage collector closes it with a ResourceWarning.
# Every test here breaks the index on purpose: 503 is the answer they expect.
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.server_errors(503),
]


@pytest.fixture
def root(tmp_path, fixture_index) -> Path:
    """A private copy of the fixture index, free to break."""
    path = tmp_path / "index"
    shutil.copytree(fixture_index, path)
    return path


@pytest.fixture(autouse=True)
def _close_engines(tmp_path):
    """Drop this test's Engines and collect them now, not in some later test.

    Replaced snapshots close when the last user lets go, and Whoosh's files
    of a generation that failed to open only when collected, with a warning.
    """
    yield
    prefix = str(tmp_path.resolve())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        for key in [k for k in resources._engines if k.startswith(prefix)]:
            snap = getattr(resources._engines.pop(key), "_snap", None)
            if snap is not None:
                snap.vocabulary_ready.wait(10)
        gc.collect()


def serving(root: Path):
    """A test client of an app on ``root`` that has answered once (its Engine open)."""
    client = make_app(root).test_client()
    assert client.get(API[0]).get_json()["total"] >= 3
    return client


def assert_serving(client, at_least: int = 3) -> None:
    for url in API + PAGES:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
    assert client.get(API[0]).get_json()["total"] >= at_least


def assert_unavailable(client, root: Path) -> None:
    """Every route that needs the index: 503, Retry-After, JSON or a page, nothing leaked."""
    for url in API + PAGES:
        r = client.get(url)
        text = r.get_data(as_text=True)
        assert r.status_code == 503, (url, r.status_code, text[:200])
        assert r.headers["Retry-After"]
        assert "Traceback" not in text and str(root) not in text
        if url.startswith("/api/"):
            assert r.mimetype == "application/json" and r.get_json()["error"], url
        elif url.startswith("/feed.atom"):
            assert r.mimetype == "application/atom+xml" and "thử lại" in text, url
        else:
            assert r.mimetype == "text/html" and "thử lại" in text, url
    assert client.get("/").status_code == 200  # the home page asks nothing of the index
    assert client.get("/static/style.css").status_code == 200


def rebuild(fixture_corpus, root: Path):
    return reindex(fixture_corpus, root, full=True, jobs=1)


# --- gone ---------------------------------------------------------------------------


def test_index_deleted_while_serving_then_reindexed(root, fixture_corpus):
    client = serving(root)
    shutil.rmtree(root)
    assert_unavailable(client, root)
    rebuild(fixture_corpus, root)
    assert_serving(client)


def test_index_replaced_by_a_smaller_one_is_followed(root, fixture_corpus):
    """Same directory, same generation name after the rebuild: never the old answers."""
    client = serving(root)
    shutil.rmtree(root)
    reindex([fixture_corpus[0]], root, full=True, jobs=1)  # the seeds only
    assert live_generation(root).name == "g000001"
    assert client.get("/api/articles/fx-tphcm").status_code == 404
    assert client.get("/api/search?q=*").get_json()["total"] == 5


def test_live_generation_deleted_under_current(root, fixture_index):
    client = serving(root)
    gen = live_generation(root)
    shutil.rmtree(gen)
    assert (root / CURRENT).exists()
    assert_unavailable(client, root)
    shutil.copytree(fixture_index / gen.name, gen)  # restored from a backup
    assert_serving(client)


def test_generation_emptied_keeps_the_open_snapshot(root, fixture_index, monkeypatch):
    """Files unlinked under a serving app: it keeps answering from what it has open."""
    client = serving(root)
    gen = live_generation(root)
    for f in gen.iterdir():
        f.unlink()
    assert_serving(client)
    monkeypatch.setattr(resources, "_engines", {})  # a restarted server has nothing open
    fresh = make_app(root).test_client()
    assert_unavailable(fresh, root)
    shutil.copytree(fixture_index / gen.name, gen, dirs_exist_ok=True)  # from a backup
    assert_serving(client)
    assert_serving(fresh)


def test_a_broken_commit_keeps_the_open_snapshot(root):
    """A newer table of contents that cannot be read: the app goes on with what it has."""
    client = serving(root)
    gen = live_generation(root)
    (gen / "_MAIN_99.toc").write_bytes(b"\x00garbage" * 7)
    assert_serving(client)


@pytest.mark.parametrize("kind", ["missing", "file", "empty CURRENT", "bad CURRENT"])
def test_no_usable_index_at_start_then_one_lands(tmp_path, fixture_index, kind):
    root = tmp_path / "index"
    if kind == "file":
        root.write_text("not a directory")
    elif kind != "missing":
        root.mkdir()
        (root / CURRENT).write_text("" if kind == "empty CURRENT" else "../../etc\n")
    client = make_app(root).test_client()
    assert_unavailable(client, root)
    if root.is_file():
        root.unlink()
    shutil.copytree(fixture_index, root, dirs_exist_ok=True)
    assert_serving(client)


def break_generation(root: Path, how: str) -> Path:
    gen = live_generation(root)
    for f in gen.iterdir():
        if how == "emptied":
            f.unlink()
        else:
            f.write_bytes(b"\x00garbage" * 7)
    return gen


def test_corrupt_index_is_503_until_restored(root, fixture_index):
    gen = break_generation(root, "corrupt")
    client = make_app(root).test_client()
    assert_unavailable(client, root)
    shutil.copytree(fixture_index / gen.name, gen, dirs_exist_ok=True)  # from a backup
    assert_serving(client)


@pytest.mark.parametrize("how", ["emptied", "corrupt"])
def test_full_reindex_repairs_a_broken_live_generation(root, fixture_corpus, how):
    """A full rebuild needs nothing of the live generation, so it is the way out."""
    break_generation(root, how)
    client = make_app(root).test_client()
    assert_unavailable(client, root)
    rebuild(fixture_corpus, root)
    assert_serving(client)


# --- permissions ------------------------------------------------------------------------


@contextmanager
def refused(root: Path, err: int, writes_only: bool) -> Iterator[None]:
    """Opening files under ``root`` fails with ``err`` (for writing only, or at all).

    Permission bits are set too; the patch makes the fault real for root,
    whom permission bits do not stop.
    """
    real_open, real_os_open = builtins.open, os.open
    prefix = str(root.resolve()) + os.sep

    def under(path) -> bool:
        if isinstance(path, int):
            return False
        return os.path.abspath(os.fsdecode(os.fspath(path))).startswith(prefix)

    def writing(mode: str | int) -> bool:
        if isinstance(mode, int):
            return bool(mode & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND))
        return any(c in mode for c in "wax+")

    def fake_open(file, mode="r", *args, **kwargs):
        if under(file) and (not writes_only or writing(mode)):
            raise OSError(err, os.strerror(err), os.fsdecode(os.fspath(file)))
        return real_open(file, mode, *args, **kwargs)

    def fake_os_open(path, flags, *args, **kwargs):
        if under(path) and (not writes_only or writing(flags)):
            raise OSError(err, os.strerror(err), os.fsdecode(os.fspath(path)))
        return real_os_open(path, flags, *args, **kwargs)

    modes = {p: p.stat().st_mode for p in [root, *root.rglob("*")]}
    for p, mode in sorted(modes.items(), reverse=True):  # children before their directory
        p.chmod(mode & ~0o222 if writes_only else 0)
    with pytest.MonkeyPatch.context() as mp:
        if AS_ROOT:
            mp.setattr(builtins, "open", fake_open)
            mp.setattr(io, "open", fake_open)
            mp.setattr(os, "open", fake_os_open)
        try:
            yield
        finally:
            for p, mode in sorted(modes.items()):  # directories before their children
                p.chmod(stat.S_IMODE(mode))


def test_read_only_index_serves_and_reindex_fails_in_one_line(root, fixture_corpus, capsys):
    with refused(root, errno.EROFS if AS_ROOT else errno.EACCES, writes_only=True):
        client = make_app(root).test_client()  # opened while read-only: it only reads
        assert_serving(client)
        capsys.readouterr()
        status = cli.main(["reindex", *map(str, fixture_corpus), "--index", str(root), "--full"])
        err = capsys.readouterr().err
        assert status == 1 and err.startswith("vnsearch: ") and err.count("\n") == 1, err
        assert "Traceback" not in err
        assert_serving(client)
    rebuild(fixture_corpus, root)  # writable again
    assert_serving(client)


def test_unreadable_index_is_503_then_recovers(root):
    with refused(root, errno.EACCES, writes_only=False):
        client = make_app(root).test_client()
        assert_unavailable(client, root)
    assert_serving(client)


def test_unreadable_after_opening_keeps_serving(root):
    """Permissions taken away from an open index: what is open stays readable."""
    client = serving(root)
    with refused(root, errno.EACCES, writes_only=False):
        assert_serving(client)
    assert_serving(client)
