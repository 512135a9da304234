"""The corpus grower (bench/grow.py): real paragraphs under fresh titles, seeded, any size."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from common import iter_records  # noqa: E402
from grow import grow, paragraphs, title_key, write  # noqa: E402

RECORDS = [
    {
        "id": "a0",
        "title": "Lãnh đạo Tỉnh ủy Thừa Thiên Huế làm việc với Ban Tuyên giáo",
        "body": "Sáng nay, đoàn công tác của Ban Tuyên giáo Trung ương đã có buổi làm việc tại"
        " trụ sở Tỉnh ủy.\nCác đại biểu thống nhất cần đẩy mạnh công tác tuyên truyền. Ông đề"
        " nghị các sở ngành phối hợp chặt chẽ để hoàn thành nhiệm vụ. Tỉnh cam kết thực hiện"
        " nghiêm túc. Buổi làm việc kết thúc lúc 11 giờ. Đoàn sẽ tiếp tục đi thực tế ở huyện.",
        "source": "Báo Thừa Thiên Huế",
    },
    {
        "id": "a1",
        "title": "Mưa lũ miền Trung: hàng nghìn ngôi nhà bị ngập sâu",
        "body": "Mưa lớn kéo dài nhiều ngày khiến hàng nghìn ngôi nhà ở các tỉnh miền Trung bị"
        " ngập sâu trong nước.\nLực lượng cứu hộ đã sơ tán người dân đến nơi an toàn. Nhiều"
        " tuyến đường bị chia cắt. Chính quyền địa phương cấp phát lương thực cho các hộ dân.",
        "source": "Báo Quảng Nam",
    },
    {
        "id": "a2",
        "title": "Quốc hội thảo luận dự án luật đất đai sửa đổi",
        "body": "Chiều 5-2, Quốc hội thảo luận ở tổ về dự án Luật Đất đai sửa đổi với nhiều ý"
        " kiến tâm huyết.\nNhiều đại biểu cho rằng cần làm rõ quyền sử dụng đất của người dân"
        " ở nông thôn. Ban soạn thảo sẽ tiếp thu các ý kiến.",
        "source": "Báo Đại biểu Nhân dân",
    },
    {
        "id": "a3",
        "title": "Hà Nội đẩy mạnh cải cách hành chính trong năm mới",
        "body": "Thành phố Hà Nội đặt mục tiêu cải thiện chỉ số hài lòng của người dân trong năm"
        " nay.\nCác quận huyện phải công khai thủ tục hành chính. Cán bộ vi phạm sẽ bị xử lý"
        " nghiêm theo quy định của pháp luật.",
        "source": "Báo Hà Nội Mới",
    },
]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Lead.\nA b. C d. E f. G h. I k.", ["Lead.", "A b. C d. E f. G h.", "I k."]),
        ("Một câu thôi", ["Một câu thôi"]),
        ("Dòng một.\n\nDòng hai!", ["Dòng một.", "Dòng hai!"]),
    ],
)
def test_paragraphs_are_lines_cut_into_runs_of_sentences(body, expected):
    assert paragraphs(body) == expected


def test_the_real_articles_come_first_then_synthetic_ones_up_to_the_size():
    grown = list(grow(RECORDS, 40, seed=3))
    assert len(grown) == 40
    assert grown[:4] == RECORDS
    assert len({a["id"] for a in grown}) == 40
    assert list(grow(RECORDS, 2, seed=3)) == RECORDS[:2]


def test_the_same_seed_gives_the_same_corpus_and_a_smaller_size_a_prefix():
    big = list(grow(RECORDS, 30, seed=5))
    assert big == list(grow(RECORDS, 30, seed=5))
    assert list(grow(RECORDS, 12, seed=5)) == big[:12]
    assert list(grow(RECORDS, 30, seed=6)) != big


def test_synthetic_bodies_are_real_paragraphs_under_the_opening_words_of_one():
    real = {p: r["id"] for r in RECORDS for p in paragraphs(r["body"])}
    real_titles = {title_key(r["title"]) for r in RECORDS}
    seen = set()
    for article in list(grow(RECORDS, 60, seed=7))[4:]:
        parts = article["body"].split("\n")
        assert all(p in real for p in parts)
        assert len({real[p] for p in parts}) >= 3  # drawn from several articles
        title_words = article["title"].split()
        assert 7 <= len(title_words) <= 16
        assert parts[0].startswith(article["title"])
        key = title_key(article["title"])
        assert key not in real_titles and key not in seen  # no title repeats a real or grown one
        seen.add(key)


def test_write_and_read_back_gzipped(tmp_path):
    path = tmp_path / "grown.jsonl.gz"
    assert write(path, grow(RECORDS, 9, seed=1)) == 9
    assert list(iter_records(path)) == list(grow(RECORDS, 9, seed=1))
