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
    tuned = [r for r in quality.load() if r.get("split") != "heldout"]
    return quality.evaluate(tuned).figures()


def test_labelled_set_is_large_enough(quality):
    records = quality.load()
    assert len(records) >= 40
    assert sum(r["format"] == "txt" for r in records) == 5
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        assert set(r["labels"]) >= {"date", "author", "provinces", "persons"}


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
    parts = quality.splits(quality.load())
    assert list(parts) == ["all 53", "tuned on 43", "held-out 10"]
    held, tuned = parts["held-out 10"], parts["tuned on 43"]
    assert {r["id"] for r in held}.isdisjoint(r["id"] for r in tuned)
    assert quality.evaluate(held).figures()["articles"] == 10


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
    assert lines[0] == "| | all 53 | tuned on 43 | held-out 10 | target (held-out) |"
    assert lines[4].startswith("| dates, accuracy | ") and lines[4].endswith("| ≥ 0.95 |")
    assert f"{figures['held-out 10']['date_accuracy']:.3f}" in lines[4]
