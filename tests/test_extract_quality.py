"""The labelled set's figures (bench/extract_quality.py): the tuned split stays at or above the
targets (a regression floor); the held-out split is scored on its own, and the script judges the
targets on it alone (its misses are reported in the README, not asserted away here)."""

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
    tuned = [r for r in quality.load() if not r.get("split")]
    return quality.evaluate(tuned).figures()


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


def test_held_out_split_is_scored_apart(quality):
    records = quality.load()
    parts = quality.splits(records)
    names = list(parts)
    assert [n.rsplit(" ", 1)[0] for n in names] == ["all", "tuned on", "held-out", "held-out-2"]
    assert names[0] == f"all {len(records)}"
    tuned, held, held2 = parts[names[1]], parts[names[2]], parts[names[3]]
    assert len(tuned) + len(held) + len(held2) == len(records)
    assert {r["id"] for r in held}.isdisjoint(r["id"] for r in tuned)
    assert quality.evaluate(held).figures()["articles"] == 10  # fully labelled
    assert quality.evaluate(held2).figures()["articles"] == 0  # labelled for posts only


@pytest.mark.parametrize(
    ("date_accuracy", "persons_f1", "below"),
    [
        (0.8, 0.909, ["date_accuracy 0.800 < 0.95"]),
        (0.95, 0.85, ["persons_f1 0.850 < 0.90"]),
        (1.0, 0.95, []),
    ],
)
def test_targets_are_judged_on_the_held_out_figures(quality, date_accuracy, persons_f1, below):
    heldout = {"date_accuracy": date_accuracy, "persons_f1": persons_f1, "provinces_f1": 1.0}
    assert quality.below_target(heldout) == below


def test_table_puts_the_splits_side_by_side(quality):
    records = quality.load()
    figures = {n: quality.evaluate(p).figures() for n, p in quality.splits(records).items()}
    lines = quality.table(figures).splitlines()
    assert lines[0] == "| | " + " | ".join(figures) + " | target |"
    assert lines[4].startswith("| dates, accuracy | ")
    assert lines[4].endswith("| ≥ 0.95 (held-out) |")
    held, held2 = list(figures)[2], list(figures)[3]
    assert f"{figures[held]['date_accuracy']:.3f}" in lines[4]
    assert lines[4].split(" | ")[-2] == "–"  # held-out-2 is labelled for posts only
    assert lines[6].startswith("| (person, post) P / R / F1 | ")
    assert f"{figures[held2]['posts_f1']:.3f}" in lines[6] and "(held-out 2)" in lines[6]
