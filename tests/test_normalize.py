"""Normalization: NFC from anything, canonical tones, look-alikes, folding, offsets."""

import unicodedata

import pytest

from search.text.normalize import (
    canonical_tones,
    fold,
    is_folded,
    normalize,
    normalize_with_offsets,
    unify_lookalikes,
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Uỷ viên Trung ương Đảng", "Ủy viên Trung ương Đảng"),  # seed 004
        ("tỉnh Hoà Bình", "tỉnh Hòa Bình"),
        ("công tác thuỷ lợi", "công tác thủy lợi"),
        ("sức khoẻ nhân dân", "sức khỏe nhân dân"),
        ("UỶ BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
        ("goá phụ", "góa phụ"),
        ("muà xuân, cuả dân", "mùa xuân, của dân"),
        # Both styles agree: nothing moves.
        ("hoàn thành, quý IV, giá cả, Việt Nam", "hoàn thành, quý IV, giá cả, Việt Nam"),
        ("quỳnh, khuỷu tay, thuở ấy, hoài niệm", "quỳnh, khuỷu tay, thuở ấy, hoài niệm"),
        ("hòa bình, thủy lợi", "hòa bình, thủy lợi"),  # already canonical
        ("mià, lưạ chọn, Hoà", "mìa, lựa chọn, Hòa"),  # ia, ưa, capital first vowel
        ("quà, QUÀ, già, GIÀ", "quà, QUÀ, già, GIÀ"),  # qu-, gi-: the u/i is the consonant's
        ("Hoà\u00a0Bình, hoàng", "Hòa\u00a0Bình, hoàng"),  # end of syllable, not of word run
    ],
)
def test_canonical_tones(text, expected):
    assert canonical_tones(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (nfd("Nguyễn Thanh Bình"), "Nguyễn Thanh Bình"),
        (nfd("Đại hội Đảng bộ tỉnh lần thứ XVI"), "Đại hội Đảng bộ tỉnh lần thứ XVI"),
        (nfd("Uỷ viên"), "Ủy viên"),  # NFD and the other tone style at once
        ("\u00d0ảng bộ", "Đảng bộ"),  # Icelandic eth typed for Đ
        ("kinh tế \u2013 xã hội", "kinh tế - xã hội"),
        ("\u201cđổi mới\u201d", '"đổi mới"'),
        ("Lạng\u00a0Sơn", "Lạng Sơn"),
        ("Tỉnh\u200b ủy", "Tỉnh ủy"),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected
    assert unicodedata.is_normalized("NFC", normalize(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Đại hội Đảng bộ", "Dai hoi Dang bo"),
        ("Lâm Thị Phương Thanh", "Lam Thi Phuong Thanh"),
        ("Thừa Thiên Huế", "Thua Thien Hue"),
        (nfd("Nguyễn Văn Hòa"), "Nguyen Van Hoa"),
        ("mã, má, mà, mả, mạ, ma", "ma, ma, ma, ma, ma, ma"),
        ("Ñandú Москва", "Nandu Moskva"),  # unidecode only outside Vietnamese
        ("62-NQ/TU", "62-NQ/TU"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_is_folded():
    assert is_folded("lanh dao tinh uy")
    assert not is_folded("lãnh đạo")
    assert not is_folded("dang bo đ")


@pytest.mark.parametrize(
    "text",
    [
        "Uỷ viên Trung ương",
        nfd("Nguyễn Thanh Bình, Phó Trưởng Ban"),
        nfd("Hoà Bình") + " và " + "Thuỷ",
        "Tỉnh\u200bủy\ufeff Lạng Sơn",
        "plain ascii",
    ],
)
def test_offsets_map_back_to_the_original(text):
    norm, offsets = normalize_with_offsets(text)
    assert norm == normalize(text)
    if offsets is None:
        assert len(norm) == len(text)
        return
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    # Every normalized character comes from the original cluster at its offset.
    for i, ch in enumerate(norm):
        start, end = offsets[i], offsets[i + 1]
        original = unicodedata.normalize("NFC", text[start:end]) if end > start else ""
        assert fold(ch).lower() in fold(unify_lookalikes(original)).lower() or ch == " "
