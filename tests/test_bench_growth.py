"""The growth bench's table (bench/growth.py): each size's figure and its ratio to the first."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from growth import Results, table  # noqa: E402


def results(tmp_path: Path) -> Results:
    r = Results(tmp_path / "results.json")
    r.put(35439, "build", {"wall_s": 354.0, "peak_tree_pss_mb": 1206.0, "index_mb": 500.0})
    r.put(106317, "build", {"wall_s": 1100.0, "peak_tree_pss_mb": 1500.0, "index_mb": 1400.0})
    r.put(
        35439,
        "serve",
        {"latency": {"warm": {"p50_ms": 5.0, "p95_ms": 20.0, "p99_ms": 30.0}}},
    )
    r.put(
        106317,
        "serve",
        {"latency": {"warm": {"p50_ms": 9.0, "p95_ms": 50.0, "p99_ms": 80.0}}},
    )
    return r


def row(text: str, label: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(f"| {label} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


@pytest.mark.parametrize(
    "label, expected",
    [
        ("full reindex, 2 jobs (s)", ["354", "1,100", "3.11x"]),
        ("warm p50 / p95 / p99 (ms)", ["5.0 / 20.0 / 30.0", "9.0 / 50.0 / 80.0", "2.50x"]),
        ("cold p50 / p95 / p99 (ms)", ["–", "–", "–"]),  # not measured: no figure, no ratio
        ("add 1,000 articles, incremental (s)", ["–", "–", "–"]),
    ],
)
def test_each_size_and_its_ratio_to_the_first(tmp_path, label, expected):
    text = table(results(tmp_path), [35439, 106317])
    assert row(text, label) == [label, *expected]


def test_every_step_keeps_the_load_average_it_ended_under(tmp_path):
    r = results(tmp_path)
    again = Results(tmp_path / "results.json")  # read back from the file
    load = again.get(106317, "serve")["load_avg_1m_at_end"]
    assert load is not None and load >= 0
    cells = row(table(r, [35439, 106317]), "load average, 1 min, after serving")
    assert cells[1] == f"{r.get(35439, 'serve')['load_avg_1m_at_end']:,.1f}"
