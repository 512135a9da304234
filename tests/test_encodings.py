"""Legacy Vietnamese encodings: the tables round-trip, detection picks the right one, fonts decide.

Every table is checked letter by letter against the 134 precomposed letters of
Vietnamese, and texts are written the way old editors saved them.
"""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from search.ingest.corpus import ReadReport, read_corpus
from search.ingest.encodings import (
    DecodeError,
    _byte_table,
    decode_bytes,
    decode_legacy,
    encode_legacy,
    font_encoding,
    redecode,
)

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
LETTERS = sorted(
    {
        unicodedata.normalize("NFC", v + t)
        for v in VOWELS + VOWELS.upper()
        for t in TONES
        if not (v in "aeiouyAEIOUY" and not t)
    }
    | {"đ", "Đ"}
)
TEXT = (
    "Sáng nay, Hội nghị Ban Chấp hành Đảng bộ tỉnh Lạng Sơn lần thứ 12 đã bàn về phát triển "
    "kinh tế - xã hội năm 2017. Đồng chí Nguyễn Thị Hương, Ủy viên Trung ương Đảng, Bí thư "
    "Tỉnh ủy phát biểu chỉ đạo. Ở huyện Lộc Bình, người dân được hưởng lợi từ dự án nước sạch; "
    "khuỷu tay, nguyễn, quốc, giếng, Ưu tiên, Ỷ lại, Ỵ, Ữ."
)


def test_the_alphabet_has_134_letters():
    assert len(LETTERS) == 134


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii", "cp1258"])
def test_every_letter_round_trips(encoding):
    for letter in LETTERS:
        back = decode_legacy(encode_legacy(letter, encoding), encoding)
        if encoding == "tcvn3" and letter.isupper() and letter not in "ĂÂÊÔƠƯĐ":
            assert back == letter.lower(), letter  # TCVN3 has no toned capitals
        else:
            assert back == letter, (encoding, letter, back)


@pytest.mark.parametrize("table", ["tcvn3.tsv", "viscii.tsv"])
def test_every_byte_of_a_table_round_trips(table):
    encoding = table.split(".")[0]
    bytes_to_letter, letter_to_byte = _byte_table(table)
    assert len(bytes_to_letter) == len(letter_to_byte)  # one byte a letter, no duplicates
    for b, letter in bytes_to_letter.items():
        assert decode_legacy(bytes([b]), encoding) == letter
        assert encode_legacy(letter, encoding) == bytes([b])
    assert set(bytes_to_letter.values()) <= set(LETTERS)


@pytest.mark.parametrize(
    "encoding,data,text",
    [
        ("tcvn3", b"Vi\xd6t Nam", "Việt Nam"),  # the layout of TCVN 5712:1993 (VN3)
        ("tcvn3", b"H\xb5 N\xe9i", "Hà Nội"),
        ("tcvn3", b"\xa7\xb6ng", "Đảng"),
        ("vni", "Vieät Nam".encode("cp1252"), "Việt Nam"),  # the VNI-Windows font layout
        ("vni", "Tröôøng".encode("cp1252"), "Trường"),
        ("vni", "ÑAÛNG".encode("cp1252"), "ĐẢNG"),
        ("vni", "Tænh uûy".encode("cp1252"), "Tỉnh ủy"),
        ("viscii", b"Vi\xaet Nam", "Việt Nam"),  # RFC 1456
        ("viscii", b"\xd0\xe0 N\xc7ng", "Đà Nẵng"),
        ("cp1258", b"Vi\xea\xf2t Nam", "Việt Nam"),  # ê, then a combining dot below
    ],
)
def test_known_spellings(encoding, data, text):
    assert decode_legacy(data, encoding) == text


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii", "cp1258"])
def test_detection_finds_the_encoding(encoding):
    text, found = decode_bytes(encode_legacy(TEXT, encoding))
    assert found == encoding
    if encoding == "tcvn3":  # toned capitals come out lowercase: "ủy viên", "ở huyện"
        assert text.lower() == TEXT.lower() and "Đảng" in text and "ủy viên" in text
    else:
        assert text == TEXT


@pytest.mark.parametrize(
    "data,encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),
        (unicodedata.normalize("NFD", TEXT).encode("utf-8"), "utf-8"),
    ],
)
def test_unicode_forms(data, encoding):
    assert decode_bytes(data) == (TEXT, encoding)


def test_a_declared_charset_wins():
    data = encode_legacy(TEXT, "cp1258")
    assert decode_bytes(data, "windows-1258") == (TEXT, "cp1258")


@pytest.mark.parametrize(
    "data",
    [b"Tin \x81\x8d\x8e\x8f\x90 h\xe1ng", bytes(range(256)) * 4, b"\x00\x01\x02\x03" * 50],
)
def test_bytes_that_are_no_text(data):
    with pytest.raises(DecodeError):
        decode_bytes(data)


@pytest.mark.parametrize(
    "font,expected",
    [
        (".VnTime", ("tcvn3", False)),
        (".VnArial", ("tcvn3", False)),
        (".VnTimeH", ("tcvn3", True)),
        ("'.VnCentury Schoolbook'", ("tcvn3", False)),
        ("VNI-Times", ("vni", False)),
        ("VNI-Helve", ("vni", False)),
        ("Times New Roman", None),
        ("Arial", None),
        (None, None),
    ],
)
def test_font_names(font, expected):
    assert font_encoding(font) == expected


def test_a_vntimeh_run_comes_out_in_capitals():
    drawn = encode_legacy("hội nghị", "tcvn3").decode("cp1252")
    assert redecode(drawn, "tcvn3", capitals=True) == "HỘI NGHỊ"
    assert redecode(drawn, "tcvn3") == "hội nghị"


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii", "cp1258", "utf-16", "utf-8-sig"])
def test_a_txt_page_in_any_encoding_reads_the_same(tmp_path, encoding):
    page = "Hội nghị Ban Chấp hành Đảng bộ tỉnh\n\nLSO-" + TEXT.lower() + "\n\nTHU HIỀN"
    data = page.encode(encoding) if "utf" in encoding else encode_legacy(page, encoding)
    (tmp_path / "a.txt").write_bytes(data)
    report = ReadReport()
    [article] = list(read_corpus([tmp_path], report))
    assert not report.skips
    assert article.title == "Hội nghị Ban Chấp hành Đảng bộ tỉnh"
    assert "phát triển kinh tế - xã hội năm 2017" in article.body
