"""search/read/marks.py with highlight: the query's words are marked, not every syllable alike.

Table tests on real sentences (issue 20): a query, the restored query the
engine would pass ("Có phải bạn muốn tìm"), a text, and the exact passages
to mark, left to right. The index's vocabulary is a few real compounds with
their most frequent form, as Snapshot.vocabulary holds them.
"""

from __future__ import annotations

import re

import pytest

from search.read.highlight import highlight, match_spans
from search.read.marks import compound_test, query_terms
from search.read.query import parse_query

VOCABULARY = {
    "xa_hoi": ("xã_hội", 812),
    "hoi_nghi": ("hội_nghị", 640),
    "dang_vien": ("đảng_viên", 301),
    "dang_bo": ("đảng_bộ", 455),
    "lam_viec": ("làm_việc", 390),
    "thanh_uy": ("thành_ủy", 205),
    "hoi_thao": ("hội_thảo", 120),
}


def marked(query: str, restored: str | None, text: str) -> list[tuple[int, int]]:
    """(start, end) of every <mark> of ``text`` (adjacent marked syllables merge)."""
    terms = query_terms(parse_query(query), restored, compound_test(VOCABULARY))
    out, pos = [], 0
    for m in re.finditer(r"<mark>(.*?)</mark>|[^<]+", highlight(text, terms)):
        if m.group(1) is not None:
            out.append((pos, pos + len(m.group(1))))
        pos += len(m.group(1) if m.group(1) is not None else m.group(0))
    return out


def spans_of(text: str, parts: list[str]) -> list[tuple[int, int]]:
    """The spans of ``parts`` found in ``text`` one after the other."""
    out, pos = [], 0
    for part in parts:
        start = text.index(part, pos)
        out.append((start, start + len(part)))
        pos = start + len(part)
    return out


@pytest.mark.parametrize(
    ("query", "restored", "text", "expected"),
    [
        # a compound: "hội" of "xã hội" and "hội nghị" is another word
        (
            "dai hoi",
            "đại hội",
            "Đại hội Đảng bộ tỉnh bàn các vấn đề xã hội tại hội nghị.",
            ["Đại hội"],
        ),
        # a name: "làm" of "làm việc" and "Thành" of "Thành ủy" are not it, nor "Thanh" alone
        (
            "lam thi phuong thanh",
            "Lâm Thị Phương Thanh",
            "Ông Thanh làm việc ở huyện. Đoàn có đồng chí Lâm Thị Phương Thanh và lãnh đạo "
            "Thành ủy.",
            ["Lâm Thị Phương Thanh"],
        ),
        # the post as a phrase beats its words elsewhere ("Ban Bí thư", "tỉnh")
        (
            "bi thu tinh uy",
            "bí thư tỉnh ủy",
            "Phó Bí thư Tỉnh ủy Yên Bái làm việc với Ban Bí thư và lãnh đạo tỉnh.",
            ["Bí thư Tỉnh ủy"],
        ),
        # Telex: decoded, then the same words
        (
            "bis thuw tinhr uyr",
            None,
            "Phó Bí thư Tỉnh ủy Yên Bái làm việc với Ban Bí thư và lãnh đạo tỉnh.",
            ["Bí thư Tỉnh ủy"],
        ),
        # a one-syllable query word is no better alone when the run is in the text
        (
            "ban thuong vu",
            "Ban Thường vụ",
            "Ban Thường vụ Tỉnh ủy họp; Ban Tuyên giáo và các ủy viên thường vụ dự.",
            ["Ban Thường vụ"],
        ),
        # a quoted phrase is one word; "hội thảo" and "nghị quyết" are not "hội nghị"
        (
            '"hội nghị" cán bộ',
            None,
            "Hội nghị cán bộ chủ chốt; cán bộ dự hội thảo về nghị quyết.",
            ["Hội nghị cán bộ", "cán bộ"],
        ),
        # words of the query in the text, the query not as a phrase: each word whole
        (
            "dai hoi the thao",
            "đại hội thể thao",
            "Đại hội Đảng bộ khép lại; phong trào thể thao quần chúng phát triển.",
            ["Đại hội", "thể thao"],
        ),
        # a query word absent as a word: its syllables are the best the text holds
        ("nghi quyet", "nghị quyết", "Hội nghị đã quyết định.", ["nghị", "quyết"]),
        # ... in the forms the query means: "thứ" of "lần thứ" and "bị" of "chuẩn bị"
        # are no pieces of "bí thư" (titles of the five sample articles)
        (
            "bi thu tinh uy",
            "bí thư tỉnh ủy",
            "Tỉnh ủy Lạng Sơn sơ kết Nghị quyết Đại hội lần thứ XVI",
            ["Tỉnh ủy"],
        ),
        (
            "bi thu tinh uy",
            "bí thư tỉnh ủy",
            "Cần tập trung làm tốt công tác chuẩn bị đại hội; Ban Bí thư, Tỉnh ủy",
            ["Bí thư", "Tỉnh ủy"],
        ),
        # a one-syllable word marked where it stands alone, not in đảng viên, Đảng bộ
        ("Đảng", None, "Đảng ta lãnh đạo; các đảng viên và Đảng bộ tỉnh.", ["Đảng"]),
        # typed diacritics: exactly those forms when the text has them
        ("má", None, "Bà má ngồi đó, mà ma thì không.", ["má"]),
        # ... and the other forms when it has not
        ("mà", None, "Bà má ngồi đó, ma thì không.", ["má", "ma"]),
        # a folded query with no restoration marks every form
        ("ma", None, "Bà má ngồi đó, mà ma thì không.", ["má", "mà ma"]),
        # a number is one word, as the index has it
        ("6,5", None, "Tăng 6,5% so với 6 tháng, 5 năm.", ["6,5"]),
        # a prefix
        ("lãnh đạo tỉn*", None, "Lãnh đạo tỉnh Lạng Sơn và lãnh đạo huyện.", ["Lãnh đạo tỉnh"]),
        # a filter value is no word to mark
        (
            'tỉnh ủy province:"Lạng Sơn"',
            None,
            "Tỉnh ủy Lạng Sơn triển khai nghị quyết.",
            ["Tỉnh ủy"],
        ),
    ],
)
def test_marks_the_words_the_query_means(query, restored, text, expected):
    assert marked(query, restored, text) == spans_of(text, expected)


def test_without_the_vocabulary_a_lone_syllable_stands_alone():
    """Before the snapshot's vocabulary is built nothing says đảng viên is one word."""
    terms = query_terms(parse_query("Đảng"))
    text = "Đảng ta lãnh đạo; các đảng viên."
    assert [text[s:e] for s, e, _ in match_spans(text, terms)] == ["Đảng", "đảng"]


def test_a_restoration_that_corrected_a_typo_keeps_the_typed_word():
    """The ranking looked for what was typed: "dso" is not "đạo" to mark."""
    terms = query_terms(parse_query("lanh dso"), "lãnh đạo", compound_test(VOCABULARY))
    assert [(s.folded, s.form) for s in terms.runs[0]] == [("lanh", None), ("dso", None)]
