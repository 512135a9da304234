"""The Telex encoder of bench/queries.py, which makes the benchmark's Telex queries."""

import sys
import unicodedata
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from queries import telex, words  # noqa: E402


@pytest.mark.parametrize(
    ("accented", "typed"),
    [
        ("kết quả xổ số điện toán", "keets quar xoor soos ddieenj toans"),
        ("người", "nguowif"),
        ("trường", "truowngf"),
        ("thuở", "thuowr"),
        ("ưu tiên", "uwu tieen"),
        ("mưa", "muwa"),
        ("thăm", "thawm"),
        ("đặng", "ddawngj"),
        ("hòa bình", "hoaf binhf"),
        ("hoà", "hoaf"),  # the other tone placement types the same
        ("thủy", "thuyr"),
        ("lãnh đạo", "lanhx ddaoj"),
        ("Đảng Ủy", "Ddangr Uyr"),
        ("Âu Cơ", "Aau Cow"),
        ("covid-19 ngày 6/2/2017", "covid-19 ngayf 6/2/2017"),
        ("ma má mà mả mã mạ", "ma mas maf mar max maj"),
        ("", ""),
    ],
)
def test_telex(accented, typed):
    assert telex(accented) == typed


def test_telex_reads_nfd():
    assert telex(unicodedata.normalize("NFD", "Nguyễn Việt")) == "Nguyeenx Vieetj"


def test_telex_leaves_folded_text_alone():
    assert telex("lanh dao tinh uy") == "lanh dao tinh uy"


def test_words_strip_punctuation_at_the_ends():
    assert words("“Đà Nẵng”: (tăng) 6,5% - COVID-19…") == ["Đà", "Nẵng", "tăng", "6,5", "COVID-19"]
