"""The labelled set's figures must stay at or above their targets (bench/extract_quality.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "extract_quality.py"


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("extract_quality", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures(quality):
    return quality.evaluate().figures()


def test_labelled_set_is_large_enough(quality):
    records = quality.load()
    assert len(records) >= 40
    assert sum(r["format"] == "txt" for r in records) == 5
    assert len({r["id"] for r in records}) == len(records)
    for r in records:  # fully labelled, or for posts only
        assert "posts" in r["labels"]
        if set(r["labels"]) != {"posts"}:
            assert set(r["labels"]) >= {"date", "author", "provinces", "persons"}
    assert len(records) >= 60  # labelled for (person, post) pairs
    # held-out batches are named, so the bench reports each apart from the tuning part
    assert {r.get("split") for r in records} <= {None, *quality.SPLITS}
    assert sum(r.get("split") == "heldout2" for r in records) >= 15


def test_scores_count_post_errors(quality):
    records = quality.load()[:5]
    records[0]["labels"]["posts"] = [["Lâm Thị Phương Thanh", "Phó Bí thư Tỉnh ủy Lạng Sơn"]]
    f = quality.evaluate(records).figures()
    assert f["posts_precision"] < 1.0 and f["posts_recall"] < 1.0
    # spellings of one post are one post: tone placement and case do not count
    records = quality.load()[:1]
    records[0]["labels"]["posts"] = [
        [p, post.replace("ủy", "uỷ").upper()] for p, post in records[0]["labels"]["posts"]
    ]
    assert quality.evaluate(records).figures()["posts_precision"] == 1.0


@pytest.mark.parametrize("figure", ["provinces_f1", "persons_f1", "date_accuracy"])
def test_target(quality, figures, figure):
    assert figures[figure] >= quality.TARGETS[figure], figures


def test_authors_are_mostly_right(figures):
    assert figures["author_accuracy"] >= 0.90, figures


def test_scores_count_errors(quality):
    """The scorer is not blind: a wrong label lowers the figures."""
    records = quality.load()[:5]
    records[0]["labels"]["persons"] = ["Người Không Có"]
    records[1]["labels"]["date"] = "1999-01-01"
    report = quality.evaluate(records)
    f = report.figures()
    assert f["persons_precision"] < 1.0 and f["persons_recall"] < 1.0
    assert f["date_accuracy"] == pytest.approx(0.8)
