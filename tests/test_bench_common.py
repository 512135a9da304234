"""The benchmark helpers in bench/: statistics, tables, the query draw, the absent corpus.

Only behaviour is tested here; no timing is ever asserted.
"""

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from common import markdown_table, percentile  # noqa: E402
from queries import FORMS, folded, generate, telex  # noqa: E402

TITLES = [
    "Lãnh đạo Tỉnh ủy Thừa Thiên Huế làm việc với Ban Tuyên giáo",
    "Hà Nội đẩy mạnh cải cách hành chính trong năm mới",
    "Thủ tướng chỉ đạo khắc phục hậu quả mưa lũ miền Trung",
    "Quốc hội thảo luận dự án luật đất đai sửa đổi",
]
BODIES = [
    "Sáng nay, đoàn công tác đã có buổi làm việc tại trụ sở cơ quan tỉnh.",
    "Các đại biểu thống nhất cần tiếp tục đẩy mạnh công tác tuyên truyền sâu rộng.",
    "Ông đề nghị các sở ngành phối hợp chặt chẽ để hoàn thành nhiệm vụ được giao.",
    "Mưa lớn kéo dài nhiều ngày khiến hàng nghìn ngôi nhà bị ngập sâu trong nước.",
    "Nhiều ý kiến cho rằng cần làm rõ quyền sử dụng đất của người dân ở nông thôn.",
]


def records():
    out = [{"id": f"a{i}", "title": t, "body": BODIES[i]} for i, t in enumerate(TITLES)]
    out.append({"id": "dup", "title": TITLES[0].upper(), "body": BODIES[0]})
    out.append({"id": "short", "title": "Tin ngắn", "body": BODIES[4]})
    return out


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10),
        ([3, 1, 2], 50, 2),
        ([7], 95, 7),
        (list(range(1, 101)), 95, 95),
    ],
)
def test_percentile_is_nearest_rank(values, p, expected):
    assert percentile(values, p) == expected


def test_markdown_table():
    table = markdown_table(["a", "b", "c"], [["x", 1234, 0.5], ["y", None, float("nan")]])
    assert table.splitlines() == [
        "| a | b | c |",
        "|:--|--:|--:|",
        "| x | 1,234 | 0.50 |",
        "| y | – | – |",
    ]


def test_generate_is_deterministic_and_fair():
    items = generate(records(), per_form=3, seed=1)
    assert items == generate(records(), per_form=3, seed=1)
    # every target here has a title and a body run; none is untitled, none names two people
    assert {it.form for it in items} == set(FORMS[:6])
    for it in items:
        assert it.target in it.answers
        assert it.target != "short"  # titles under five words are skipped
        if it.form == "accented":
            assert it.query == it.source_run and 3 <= len(it.query.split()) <= 6
        elif it.form == "folded":
            assert it.query == folded(it.source_run)
        elif it.form == "telex":
            assert it.query == telex(it.source_run.lower())
        elif it.form == "dropped":
            assert len(it.query.split()) == len(it.source_run.split()) - 1
            run, query = it.source_run.split(), it.query.split()
            assert run[0] == query[0] and run[-1] == query[-1]
        elif it.form == "misspelt":  # the accented run, one word of it misspelt
            run, query = it.source_run.split(), it.query.split()
            assert (
                len(run) == len(query) and sum(a != b for a, b in zip(run, query, strict=True)) == 1
            )
        else:  # body: a folded run of the body, not of the title
            assert it.query == folded(it.source_run) and 5 <= len(it.query.split()) <= 8
            assert it.query not in folded(" ".join(TITLES))


def test_identical_titles_are_answers_too():
    items = [it for it in generate(records(), per_form=5, seed=2) if it.target in ("a0", "dup")]
    assert items
    for it in items:  # the duplicate's body holds the body run too
        assert set(it.answers) == {"a0", "dup"}


SHARED = [  # "ngày vía Thần Tài" is in four titles: a known item of none of them
    "Vàng ngày vía Thần Tài",
    "Bạc ngày vía Thần Tài",
    "Sốt ngày vía Thần Tài",
    "Lo ngày vía Thần Tài",
    "Gom tiền lì xì mua vàng ngày Thần tài",  # "mua vàng ngày Thần tài": two titles
    "Xếp hàng mua vàng ngày Thần tài sớm",
]


@pytest.mark.parametrize("seed", range(5))
def test_a_title_run_answers_every_title_holding_it_and_no_more_than_three(seed):
    recs = [{"id": f"s{i}", "title": t, "body": BODIES[i % 5]} for i, t in enumerate(SHARED)]
    items = generate(recs, per_form=len(recs), seed=seed)
    assert items
    for it in items:
        if it.form == "body":
            continue
        run = f" {folded(it.source_run)} "
        holding = {r["id"] for r in recs if run in f" {folded(r['title'])} "}
        assert set(it.answers) == holding and it.target in holding
        assert len(holding) <= 3


@pytest.mark.parametrize(
    "script", ["analysis_throughput.py", "relevance.py", "latency.py", "reindex.py"]
)
def test_scripts_exit_0_without_the_corpus(script, tmp_path):
    out = subprocess.run(
        [sys.executable, str(BENCH / script), "--corpus", str(tmp_path / "absent.jsonl.gz")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "corpus not found" in out.stdout


def test_the_load_client_reads_answers_on_one_keep_alive_connection(fixture_index):
    """bench/load.py's own HTTP client (bench/loadclient.py), against the real waitress server."""
    from loadclient import Connection
    from threaded import running

    from web import create_app
    from web.serve import create_server

    server = create_server(create_app({"INDEX": str(fixture_index)}), port=0)
    with running(server):
        conn = Connection(server.effective_port, timeout=30)
        try:
            urls = ("/api/search?q=tinh", "/search?q=tinh", "/nowhere")
            answers = [conn.get(url) for url in urls]
            assert [status for status, _, _ in answers] == [200, 200, 404]
            status, headers, body = answers[0]
            assert int(headers["content-length"]) == len(body) and b'"hits"' in body
            assert "server" not in headers and headers["x-content-type-options"] == "nosniff"
            assert answers[1][2].rstrip().endswith(b"</html>")
        finally:
            conn.close()
