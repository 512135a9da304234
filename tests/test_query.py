"""search/query.py: query syntax, bounds, Telex/VNI decoding before parsing, query_words."""

from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.read.query import (
    MAX_ALTERNATIVES,
    MAX_CHARS,
    MAX_WORDS,
    ParsedQuery,
    Run,
    parse_query,
    query_words,
)
from search.text.normalize import normalize


def R(text, field=None, phrase=False, prefix=False):  # noqa: N802 - reads like the class
    return Run(text, field, phrase, prefix)


def groups(q: str):
    return parse_query(q).groups


# --- runs, phrases, OR ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lam thi phuong thanh", ((R("lam thi phuong thanh"),),)),
        ("  Lâm   Thị\tPhương\nThanh ", ((R("Lâm Thị Phương Thanh"),),)),
        ('"đại hội đảng bộ"', ((R("đại hội đảng bộ", phrase=True),),)),
        ("“đại hội” Lạng Sơn", ((R("đại hội", phrase=True),), (R("Lạng Sơn"),))),
        (
            'lãnh đạo "tỉnh ủy" Lạng Sơn',
            ((R("lãnh đạo"),), (R("tỉnh ủy", phrase=True),), (R("Lạng Sơn"),)),
        ),
        # OR binds the single item on each side: a b OR c d
        ("kinh tế OR xã hội", ((R("kinh"),), (R("tế"), R("xã")), (R("hội"),))),
        ('"Hà Nội" OR "Đà Nẵng"', ((R("Hà Nội", phrase=True), R("Đà Nẵng", phrase=True)),)),
        (
            '"Hà Nội" OR "Hải Phòng" OR "Đà Nẵng" kinh tế',
            (
                (R("Hà Nội", phrase=True), R("Hải Phòng", phrase=True), R("Đà Nẵng", phrase=True)),
                (R("kinh tế"),),
            ),
        ),
        ("tỉnh OR province:Huế", ((R("tỉnh"), R("Huế", "province")),)),
        ("Huế or Đà Nẵng", ((R("Huế or Đà Nẵng"),),)),  # lowercase or is a word
        ("OR Huế", ((R("Huế"),),)),  # OR at the ends is dropped
        ("Huế OR", ((R("Huế"),),)),
        ("Huế OR OR Vinh", ((R("Huế"), R("Vinh")),)),
        ("OR", ()),
        ("Huế OR -Vinh", ((R("Huế"),),)),  # OR next to an exclusion is dropped
        ("-Vinh OR Huế", ((R("Huế"),),)),
    ],
)
def test_groups(query, expected):
    assert groups(query) == expected


def test_or_keeps_at_most_eight_alternatives():
    q = " OR ".join(f"tỉnh{i}" for i in range(12)) + " kinh tế"
    (alternatives, rest) = groups(q)
    assert [r.text for r in alternatives] == [f"tỉnh{i}" for i in range(MAX_ALTERNATIVES)]
    assert rest == (R("kinh tế"),)


# --- exclusions and fields -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected_groups", "excluded"),
    [
        ("đại hội -Hà", ((R("đại hội"),),), (R("Hà"),)),
        ('đại hội -"Hà Nội"', ((R("đại hội"),),), (R("Hà Nội", phrase=True),)),
        ("đại hội -province:Huế", ((R("đại hội"),),), (R("Huế", "province"),)),
        ('-title:"ban chấp hành" đảng', ((R("đảng"),),), (R("ban chấp hành", "title", True),)),
        ("đại -hội đảng", ((R("đại"),), (R("đảng"),)), (R("hội"),)),  # the exclusion splits the run
        ("-a -b", (), (R("a"), R("b"))),
        ("đại hội - đảng", ((R("đại hội đảng"),),), ()),  # a lone - is dropped
        ("--đảng", (), (R("đảng"),)),
        ("-nghị*", (), (R("nghị", prefix=True),)),
        ("2015-2020", ((R("2015-2020"),),), ()),  # a hyphen inside is text
    ],
)
def test_exclusions(query, expected_groups, excluded):
    p = parse_query(query)
    assert p.groups == expected_groups
    assert p.excluded == excluded


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("title:hội", R("hội", "title")),
        ("person:Chính", R("Chính", "person")),
        ("province:Huế", R("Huế", "province")),
        ("source:vnexpress", R("vnexpress", "source")),
        ('province:"Lạng Sơn"', R("Lạng Sơn", "province", phrase=True)),
        ('person:"Lâm Thị Phương Thanh"', R("Lâm Thị Phương Thanh", "person", phrase=True)),
        ("TITLE:hội", R("hội", "title")),  # any case
        ("Province:Huế", R("Huế", "province")),
        ("tỉnh:Huế", R("Huế", "province")),  # Vietnamese names
        ("tinh:Huế", R("Huế", "province")),
        ("người:Chính", R("Chính", "person")),
        ("nguoi:Chính", R("Chính", "person")),
        ("title:nghị*", R("nghị", "title", prefix=True)),
        ("title:(hội)", R("hội", "title")),
    ],
)
def test_fields(query, expected):
    assert groups(query) == ((expected,),)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("10:30 sáng", R("10:30 sáng")),  # not a field: part of the word
        ("http://baomoi.com", R("http://baomoi.com")),
        ("author:Hà", R("author:Hà")),
        ("title: hội", R("title hội")),  # an empty value: the name is a word
        ("title:", R("title")),
        ('foo:"bar baz"', R("foo bar baz", phrase=True)),
    ],
)
def test_not_fields(query, expected):
    assert groups(query) == ((expected,),)


def test_fielded_words_do_not_merge():
    assert groups("lãnh đạo title:tỉnh ủy") == ((R("lãnh đạo"),), (R("tỉnh", "title"),), (R("ủy"),))


# --- prefixes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyễ*", ((R("nguyễ", prefix=True),),)),
        ("ng*", ((R("ng", prefix=True),),)),
        ("lãnh đạo tỉn*", ((R("lãnh đạo tỉn", prefix=True),),)),  # ends its run
        ("lãnh đạo tỉn* ủy", ((R("lãnh đạo tỉn", prefix=True),), (R("ủy"),))),
        ("nguyễ**", ((R("nguyễ", prefix=True),),)),
        ('"đại hội đả*"', ((R("đại hội đả", phrase=True, prefix=True),),)),
        ("a*", ((R("a"),),)),  # one letter: the * is dropped
        ("đ*", ((R("đ"),),)),  # folded, đ is one letter
        ('"đại hội đ*"', ((R("đại hội đ", phrase=True),),)),
        ("*", ()),
        ("* * *", ()),
        ("*ủy", ((R("ủy"),),)),
        ("ủ*y", ((R("ủ y"),),)),  # a * inside separates
    ],
)
def test_prefix(query, expected):
    assert groups(query) == expected


# --- malformed input degrades to words ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"đại hội', ((R("đại hội"),),)),  # unbalanced: the quote is ignored
        ('đại "hội', ((R("đại hội"),),)),
        ('"đại" "hội', ((R("đại", phrase=True),), (R("hội"),))),
        ('""', ()),
        ('" "', ()),
        ("()", ()),
        ("(đại hội)", ((R("đại hội"),),)),
        ("(đại OR hội)", ((R("đại"), R("hội")),)),
        ("đại hội, đảng bộ.", ((R("đại hội đảng bộ"),),)),
        ("62-NQ/TU", ((R("62-NQ/TU"),),)),
        ("- * OR : \" ' ( ) ...", ()),
        ("", ()),
        ("   ", ()),
    ],
)
def test_malformed(query, expected):
    assert groups(query) == expected


# --- normalization -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "text"),
    [
        (unicodedata.normalize("NFD", "Nguyễn Việt"), "Nguyễn Việt"),
        ("hoà bình thuỷ lợi Uỷ ban", "hòa bình thủy lợi Ủy ban"),
        ("\u00d0ảng\u00a0bộ", "Đảng bộ"),
        ("đại\u200bhội", "đạihội"),
    ],
)
def test_normalized(query, text):
    assert parse_query(query).text == text


def test_text_is_the_positive_parts():
    p = parse_query('“đại hội” OR "hội nghị" -tax lãnh đạo* province:Huế')
    assert p.text == "đại hội hội nghị lãnh đạo Huế"
    assert p.decoded is None


# --- Telex / VNI --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected_groups", "decoded"),
    [
        ("ddaij hooij", ((R("đại hội"),),), "đại hội"),
        ("ddaij hooij ddangr booj", ((R("đại hội đảng bộ"),),), "đại hội đảng bộ"),
        ("lamf vieecj", ((R("làm việc"),),), "làm việc"),
        ("tinhr uyr Langj Sown", ((R("tỉnh ủy Lạng Sơn"),),), "tỉnh ủy Lạng Sơn"),
        # quotes are decoded too: the input method was off for the whole query
        (
            '"ddaij hooij" Nguyeenx Vawn',
            ((R("đại hội", phrase=True),), (R("Nguyễn Văn"),)),
            '"đại hội" Nguyễn Văn',
        ),
        ("person:Nguyeenx", ((R("Nguyễn", "person"),),), "person:Nguyễn"),
        ("d9ang3 bo65", ((R("đảng bộ"),),), "đảng bộ"),
        ("ddaij OR hooij", ((R("đại"), R("hội")),), "đại OR hội"),
        ("ddangr* uyr", ((R("đảng", prefix=True),), (R("ủy"),)), "đảng* ủy"),
        ("-tax thuees", ((R("thuế"),),), "-tã thuế"),
        ("dan so tax an", ((R("dan so tax an"),),), None),
        ("hofa binh", ((R("hofa binh"),),), None),
    ],
)
def test_telex(query, expected_groups, decoded):
    p = parse_query(query)
    assert p.groups == expected_groups
    assert p.decoded == decoded


def test_field_names_are_not_decoded():
    # "person" would type "pẻson" if its r were a tone key; it is a field name.
    p = parse_query("person:ddaij source:tuoitre")
    assert p.groups == ((R("đại", "person"),), (R("tuoitre", "source"),))


def test_no_decoding_in_an_accented_query():
    p = parse_query("Tổng thống Moon tax")
    assert p.decoded is None
    assert p.groups == ((R("Tổng thống Moon tax"),),)


# --- bounds -----------------------------------------------------------------------------------


def _word_count(p: ParsedQuery) -> int:
    runs = [r for g in p.groups for r in g] + list(p.excluded)
    return sum(len(r.text.split()) for r in runs)


def test_at_most_32_words():
    p = parse_query(" ".join(f"từ{i}" for i in range(100)))
    assert p.groups == ((R(" ".join(f"từ{i}" for i in range(MAX_WORDS))),),)


def test_a_long_phrase_is_cut_to_the_budget():
    p = parse_query("a b c " + '"' + " ".join(["đại"] * 60) + '"')
    assert _word_count(p) == MAX_WORDS
    assert p.groups[1] == (R(" ".join(["đại"] * (MAX_WORDS - 3)), phrase=True),)


def test_codes_count_their_parts():
    p = parse_query(" ".join(["62-NQ/TU"] * 20))
    assert p.groups[0][0].text == " ".join(["62-NQ/TU"] * (MAX_WORDS // 3) + ["62-NQ"])


def test_at_most_300_characters():
    p = parse_query("x" * 1000 + " đảng")
    assert p.groups == ((R("x" * MAX_CHARS),),)


def test_wildcard_bombs():
    assert groups("*") == ()
    assert groups("a* b* c*") == ((R("a b c"),),)
    p = parse_query("ab* " * 200)
    assert _word_count(p) <= MAX_WORDS
    assert all(len(r.text) >= 2 for g in p.groups for r in g)


def test_huge_input_is_quick():
    for q in ['"' * 100_000, "a" * 1_000_000, "-" * 100_000 + "*", " OR " * 50_000, "ệ" * 300_000]:
        start = time.perf_counter()
        parse_query(q)
        assert time.perf_counter() - start < 0.5


# --- query_words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("run", "words"),
    [
        (R("Lâm Thị Phương Thanh"), ["lâm", "thị", "phương", "thanh"]),
        (R("Tỉnh ủy 62-NQ/TU"), ["tỉnh", "ủy", "62", "nq", "tu"]),
        (R("tăng 6,5% năm 2020"), ["tăng", "6,5", "năm", "2020"]),
        (R("TP.HCM"), ["tp", "hcm"]),
        (R("10:30"), ["10", "30"]),
        (R("Huế", "province"), ["huế"]),
    ],
)
def test_query_words(run, words):
    assert query_words(run) == words


# --- any input ------------------------------------------------------------------------------


def _check(p: ParsedQuery) -> None:
    assert _word_count(p) <= MAX_WORDS
    for group in p.groups:
        assert 1 <= len(group) <= MAX_ALTERNATIVES
    for run in [r for g in p.groups for r in g] + list(p.excluded):
        assert run.text and run.text == " ".join(run.text.split())
        assert normalize(run.text) == run.text
        assert run.field in (None, "title", "person", "province", "source")
    assert p.text == " ".join(r.text for g in p.groups for r in g)


@given(st.text())
def test_any_text_parses(q):
    _check(parse_query(q))


@settings(max_examples=300)
@given(st.text(alphabet='dđaeoiuwnhgtsfrjx19 -*:"“”()OR', max_size=80))
def test_syntax_soup_parses(q):
    _check(parse_query(q))
