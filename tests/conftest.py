"""Shared fixtures: the fixture corpus, a real index built from it, an Engine on it.

The index is built once per session with the real reindex path (corpus
reading, extraction, pyvi analysis, worker processes) in a temp directory,
never in index/.

Every Flask test client answer of 500 (a bug) or 503 (index unavailable)
fails the test unless the test declares it expects that status with
``@pytest.mark.server_errors(503)``: a crash the app caught is still a crash.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus"  # the five sample articles that ship with the product
FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
BAOMOI = ROOT.parent / "shared" / "corpus" / "baomoi.jsonl.gz"


SERVER_ERRORS = (500, 503)


@pytest.fixture(autouse=True)
def _server_errors_fail(request, monkeypatch):
    """A 500 or 503 from any test client fails the test unless its marker allows it."""
    marker = request.node.get_closest_marker("server_errors")
    allowed = set(marker.args) if marker else set()
    open_ = FlaskClient.open

    def checked_open(self, *args, **kwargs):
        response = open_(self, *args, **kwargs)
        status = response.status_code
        if status in SERVER_ERRORS and status not in allowed:
            body = response.get_data(as_text=True)[:300]
            pytest.fail(f"unexpected {status} for {args[:1]!r}: {body}", pytrace=False)
        return response

    monkeypatch.setattr(FlaskClient, "open", checked_open)


@pytest.fixture(scope="session")
def fixture_corpus(tmp_path_factory) -> list[Path]:
    """The seeds and the fixture articles, copied so tests may not alter the originals."""
    base = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SEEDS, base / "seeds")
    shutil.copytree(FIXTURE_CORPUS, base / "fixtures")
    return [base / "seeds", base / "fixtures"]


@pytest.fixture(scope="session")
def fixture_index(tmp_path_factory, fixture_corpus) -> Path:
    """A real index of the fixture corpus (read-only for tests: copy it to change it)."""
    from search.write.reindex import reindex

    root = tmp_path_factory.mktemp("index")
    report = reindex(fixture_corpus, root, full=True, jobs=2)
    assert report.added >= 15, report.summary()
    return root


@pytest.fixture(scope="session")
def engine(fixture_index):
    from search.read.engine import Engine

    e = Engine(fixture_index)
    e.snapshot().vocabulary_ready.wait(30)
    return e


@pytest.fixture
def baomoi() -> Path:
    if not BAOMOI.exists():
        pytest.skip(f"development corpus absent: {BAOMOI}")
    return BAOMOI
