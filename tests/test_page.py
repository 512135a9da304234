"""Page parsing of copied news pages: the five seeds and table cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from search.ingest.page import byline_name, parse_date, parse_page

SEEDS = Path(__file__).resolve().parents[1] / "corpus"

SEED_PAGES = [
    # file, title, author, source, banner, timestamp, lead opening
    (
        "000_b9ca21308674c971.txt",
        "Ban Tổ chức Trung ương làm việc tại Lạng Sơn: Cần tập trung làm tốt công tác "
        "chuẩn bị đại hội Đảng bộ các cấp",
        "Công Quân",
        "Báo Lạng Sơn",
        dt.date(2020, 1, 20),
        None,
        "Sáng nay (5/6), Đoàn công tác",
    ),
    (
        "001_ad5a731278720d44.txt",
        "Tỉnh ủy Lạng Sơn sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVI",
        "Phùng Khiêm",
        "Báo Lạng Sơn",
        dt.date(2019, 8, 17),
        None,
        "Chiều nay (16/10), Tỉnh ủy Lạng Sơn",
    ),
    (
        "002_92b15d1c161f2510.txt",
        "Lãnh đạo Trung ương làm việc với Ban Thường vụ Tỉnh ủy Thái Nguyên",
        "Thu Hiền",
        None,
        dt.date(2020, 5, 26),
        dt.date(2020, 5, 23),
        "Ngày 23/5, đồng chí Phạm Minh Chính",
    ),
    (
        "003_7d2fc00ee8fcd6c5.txt",
        "Phấn đấu xây dựng ngành tổ chức xây dựng Đảng trong sạch, vững mạnh, toàn diện",
        "Phương Dung",
        None,
        dt.date(2022, 7, 4),
        None,
        "Chiều nay (28/6), Ban Tổ chức Trung ương",
    ),
    (
        "004_5efaea7a2d732030.txt",
        "Thường trực Tỉnh ủy làm việc với Ban Thường vụ Thành ủy Lạng Sơn",
        "Phùng Khiêm",
        "Báo Lạng Sơn",
        dt.date(2022, 8, 8),
        None,
        "Sáng nay (20/10), đoàn công tác",
    ),
]


@pytest.mark.parametrize("name,title,author,source,banner,timestamp,lead", SEED_PAGES)
def test_seed_pages(name, title, author, source, banner, timestamp, lead):
    page = parse_page((SEEDS / name).read_text(encoding="utf-8"))
    assert page.title == title
    assert page.author == author
    assert page.source == source
    assert page.banner == banner
    assert page.timestamp == timestamp
    assert page.lead.startswith(lead)
    assert page.body.startswith(lead)
    assert author.upper() not in page.body.upper()  # the byline is no body text
    assert not page.body.startswith(title[:30])  # the title is not repeated as body


def test_chrome_is_dropped_and_captions_kept():
    page = parse_page((SEEDS / "002_92b15d1c161f2510.txt").read_text(encoding="utf-8"))
    assert "RSS Youtube Facebook" in page.dropped
    assert "lanh dao trung uong lam viec voi ban thuong vu tinh uy da ps" in page.dropped
    assert "Hotline" not in page.body and "0913.068.624" not in page.body
    assert "lanh dao trung uong" not in page.body
    # The caption after the alt text is searchable body text, never the title.
    assert page.captions[0].startswith("Lãnh đạo Trung ương làm việc với Ban Thường vụ Tỉnh ủy")
    assert page.captions[0] in page.body


def test_caption_broken_over_two_lines_is_joined():
    page = parse_page((SEEDS / "000_b9ca21308674c971.txt").read_text(encoding="utf-8"))
    assert "Phó Trưởng Ban Thường trực Ban Tổ chức Trung ương phát biểu" in page.captions[0]
    assert "Ban Tổ chức Trung ương phát biểu" in page.body


def test_caption_after_lead_on_next_line():
    page = parse_page((SEEDS / "004_5efaea7a2d732030.txt").read_text(encoding="utf-8"))
    assert page.captions == [
        "Đồng chí Bí thư Tỉnh ủy Trần Sỹ Thanh phát biểu kết luận tại buổi làm việc "
        "với Ban Thường vụ Thành ủy Lạng Sơn"
    ]
    assert page.lead.endswith("lãnh đạo một số sở, ban, ngành của tỉnh.")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("CÔNG QUÂN", "Công Quân"),
        ("Thu Hiền", "Thu Hiền"),
        ("PHÙNG KHIÊM", "Phùng Khiêm"),
        ("H.LONG", "H.Long"),
        ("Quốc Hoàn - Thúy Nga", "Quốc Hoàn - Thúy Nga"),
        ("Quốc Hoàn - Thuý Nga", "Quốc Hoàn - Thúy Nga"),
        ("TTXVN", None),
        ("P.V", None),
        ("PV", None),
        ("Hải", None),
        ("Tỉnh ủy Lạng Sơn tổ chức hội nghị sơ kết.", None),
    ],
)
def test_byline_name(text, expected):
    assert byline_name(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("23/05/2020", dt.date(2020, 5, 23)),
        ("ngày 5/6/2019", dt.date(2019, 6, 5)),
        ("23-5-2020", dt.date(2020, 5, 23)),
        ("6.2.2017", dt.date(2017, 2, 6)),
        ("31/2/2020", None),
        ("5/6", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_nfd_page_is_normalized():
    import unicodedata

    text = "Thứ hai, 20/01/2020\n\nTiêu đề\n\nLSO-Sáng nay (5/6), Tỉnh uỷ họp.\n\nTHU HIỀN"
    page = parse_page(unicodedata.normalize("NFD", text))
    assert page.title == "Tiêu đề"
    assert page.lead == "Sáng nay (5/6), Tỉnh ủy họp."
    assert page.author == "Thu Hiền"


def test_unknown_dateline_is_kept_as_source():
    page = parse_page("Tiêu đề bài\n\nXYZ - Ngày 3/4, hội nghị diễn ra.\n\nVăn Bình")
    assert page.source == "XYZ"
    assert page.lead == "Ngày 3/4, hội nghị diễn ra."
