"""search/highlight.py: <mark> on the original text, everything else escaped; snippets.

First the functions on their own (NFD text, both tone placements, words
differing by tone, prefixes, hostile HTML), then the snippets and titles
that Engine.search gives for folded, accented and Telex queries.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest

from search.models import SearchRequest
from search.read.highlight import highlight, match_spans, snippet
from search.read.marks import Terms, query_terms
from search.read.query import parse_query
from search.text.normalize import fold

LS_2019 = (
    "000_b9ca21308674c971.txt"  # names Lâm Thị Phương Thanh after "Nguyễn Thanh Bình ... làm việc"
)
HOSTILE = "web/hostile <x>&\"'?#1"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def terms(*words: str, prefixes: tuple[str, ...] = (), phrase: bool = False) -> Terms:
    """Every syllable folding like one of ``words``; with ``phrase``, the words as one query."""
    if phrase:
        return query_terms(parse_query(" ".join(words)))
    return Terms(frozenset(words), prefixes)


def text_of(fragment: str) -> str:
    """The visible text of a snippet: marks removed, entities decoded."""
    return html.unescape(fragment.replace("<mark>", "").replace("</mark>", ""))


def only_marks(fragment: str) -> bool:
    """No markup in ``fragment`` but <mark> and </mark>, balanced and not nested."""
    tags = re.findall(r"<[^>]*>", fragment)
    if any(t not in ("<mark>", "</mark>") for t in tags):
        return False
    return "".join(tags) == "<mark></mark>" * (len(tags) // 2)


# --- highlight ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("Lãnh đạo tỉnh", ("lanh", "dao"), "<mark>Lãnh đạo</mark> tỉnh"),  # adjacent marks merge
        ("lãnh đạo, chỉ đạo", ("lanh", "dao"), "<mark>lãnh đạo</mark>, chỉ <mark>đạo</mark>"),
        # five words differing only by tone: a folded term marks each
        (
            "ma, má, mà, mã, mạ",
            ("ma",),
            "<mark>ma</mark>, <mark>má</mark>, <mark>mà</mark>, <mark>mã</mark>, <mark>mạ</mark>",
        ),
        # whole syllables only: hoa is not inside Khoa
        ("Tô Hùng Khoa, hoa", ("hoa",), "Tô Hùng Khoa, <mark>hoa</mark>"),
        # the original tone placement and đ are kept inside the mark
        ("Hoà Bình, thuỷ lợi", ("hoa", "thuy"), "<mark>Hoà</mark> Bình, <mark>thuỷ</mark> lợi"),
        ("Uỷ ban, Ủy ban", ("uy",), "<mark>Uỷ</mark> ban, <mark>Ủy</mark> ban"),
        ("Đại hội Đảng", ("dai", "hoi"), "<mark>Đại hội</mark> Đảng"),
        ("TP.HCM", ("hcm",), "TP.<mark>HCM</mark>"),
        # q has no accented forms, and still both cases: Quốc hội opens titles
        ("Quốc hội, QUỐC HỘI", ("quoc", "hoi"), "<mark>Quốc hội</mark>, <mark>QUỐC HỘI</mark>"),
        # a character outside the BMP (the normalizing path) changes nothing
        ("Hà Nội 😀 hà nội", ("ha", "noi"), "<mark>Hà Nội</mark> 😀 <mark>hà nội</mark>"),
        # _ and digits are word characters: no match inside quốc_hội or 2quốc
        ("quốc_hội 2quốc quốc2 quốc", ("quoc",), "quốc_hội 2quốc quốc2 <mark>quốc</mark>"),
        ("Nghị quyết 62, 620", ("62",), "Nghị quyết <mark>62</mark>, 620"),
        # a number is one word, as the index holds it (issue 20: 6,5 marks 6,5, not 6 and 5)
        ("giá 1.100 đồng, 1.1000", ("1.100", "dong"), "giá <mark>1.100 đồng</mark>, 1.1000"),
        ("ngày 6,5 và 6.5, 16,5", ("6,5",), "ngày <mark>6,5</mark> và 6.5, 16,5"),
        ("ngày 6,5 và 6", ("6",), "ngày 6,5 và <mark>6</mark>"),
        ("Lãnh đạo", (), "Lãnh đạo"),
    ],
)
def test_highlight_marks_matches_as_written(text, words, expected):
    assert highlight(text, terms(*words)) == expected


def test_highlight_marks_decomposed_text_whole():
    """NFD: the mark wraps the base letters and their combining marks, untouched."""
    text = nfd("Tỉnh Hòa Bình")
    assert highlight(text, terms("hoa", "binh")) == f"{nfd('Tỉnh')} <mark>{nfd('Hòa Bình')}</mark>"
    assert highlight(text, terms("tinh")) == f"<mark>{nfd('Tỉnh')}</mark> {nfd('Hòa Bình')}"


def test_match_spans_are_offsets_into_the_original():
    text = nfd("Ông Nguyễn Văn Hòa")
    spans = match_spans(text, terms("nguyen", "hoa"))
    assert [(text[s:e], w) for s, e, w in spans] == [(nfd("Nguyễn"), "nguyen"), (nfd("Hòa"), "hoa")]


SEEDS = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize(
    "words, prefixes",
    [
        (("tinh", "uy", "lang", "son"), ()),
        (("dang", "bo", "dai", "hoi"), ("nguy",)),
        (("thanh", "thi", "lam", "2020"), ("ph",)),
        (("quoc", "phong", "viet", "nam"), ("qu",)),
    ],
)
def test_nfc_fast_path_finds_what_normalizing_finds(seed, words, prefixes):
    """NFC text is scanned as it is; NFD text is normalized first: the same words match."""
    text = unicodedata.normalize("NFC", seed.read_text(encoding="utf-8"))
    t = terms(*words, prefixes=prefixes)
    fast = match_spans(text, t)
    slow = match_spans(nfd(text), t)  # NFD takes the normalizing path
    assert fast, "the seed should mention some of these words"
    assert [f for _, _, f in fast] == [f for _, _, f in slow]
    for (s, e, folded), (ns, ne, _) in zip(fast, slow, strict=True):
        assert fold(text[s:e]).lower() == folded == fold(nfd(text)[ns:ne]).lower()


def test_highlight_marks_prefixes():
    assert (
        highlight("Nguyễn, Nguyên, nguy", terms(prefixes=("nguye",)))
        == "<mark>Nguyễn</mark>, <mark>Nguyên</mark>, nguy"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '<script>alert("lãnh đạo")</script>',
            "&lt;script&gt;alert(&quot;<mark>lãnh đạo</mark>&quot;)&lt;/script&gt;",
        ),
        ("lãnh đạo & <b>x</b>", "<mark>lãnh đạo</mark> &amp; &lt;b&gt;x&lt;/b&gt;"),
        ("</mark>lãnh đạo<mark>", "&lt;/mark&gt;<mark>lãnh đạo</mark>&lt;mark&gt;"),
        ("it's 'lãnh đạo'", "it&#x27;s &#x27;<mark>lãnh đạo</mark>&#x27;"),
    ],
)
def test_highlight_escapes_everything_else(text, expected):
    assert highlight(text, terms("lanh", "dao")) == expected


def test_highlight_escapes_markup_that_looks_like_a_word():
    out = highlight("<script>alert(1)</script>", terms("script"))
    assert out == "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"


# --- snippet -------------------------------------------------------------------------------------

FILLER = "Câu chuyện không liên quan gì đến nội dung. " * 12


def test_snippet_is_a_short_passage_around_the_match():
    text = FILLER + "Đồng chí Nguyễn Văn Nên chủ trì hội nghị. " + FILLER
    out = snippet(text, terms("nguyen", "van", "nen"))
    assert "<mark>Nguyễn Văn Nên</mark>" in out
    assert out.startswith("… ") and out.endswith(" …")
    assert 150 <= len(text_of(out)) <= 210
    assert text_of(out).strip("… ") in text


def test_snippet_starts_at_the_sentence_of_the_match():
    text = FILLER + "Đồng chí Nguyễn Văn Nên chủ trì hội nghị."
    assert snippet(text, terms("nen")).startswith("… Đồng chí Nguyễn Văn <mark>Nên</mark>")


def test_snippet_without_a_match_is_the_opening_escaped():
    text = "Tin <b>nóng</b>: " + FILLER
    out = snippet(text, terms("xyz"))
    assert out.startswith("Tin &lt;b&gt;nóng&lt;/b&gt;: Câu chuyện") and "<mark>" not in out
    assert out.endswith(" …") and len(text_of(out)) <= 210


def test_snippet_of_a_short_text_is_all_of_it():
    assert snippet("Lãnh đạo tỉnh.", terms("tinh")) == "Lãnh đạo <mark>tỉnh</mark>."


def test_snippet_prefers_the_passage_with_the_query_words_side_by_side():
    text = "thuế thuế thuế. " + FILLER + "Mã số thuế của hộ kinh doanh. " + FILLER
    out = snippet(text, terms("ma", "so", "thue", phrase=True))
    assert "<mark>Mã số thuế</mark>" in out


def test_snippet_shows_the_phrase_whole():
    """Scattered words just before the name must not push the name past the cut."""
    words = ("lam", "thi", "phuong", "thanh")
    text = (
        FILLER
        + "Trong nhiều năm liền, ông Thanh làm việc ở huyện vùng cao, phụ trách công tác dân "
        + "vận, xây dựng đường giao thông nông thôn và trồng rừng phòng hộ đầu nguồn cho các xã "
        + "biên giới. Đoàn có đồng chí Lâm Thị Phương Thanh, Bí thư Tỉnh ủy. "
        + FILLER
    )
    out = snippet(text, terms(*words, phrase=True))
    assert "<mark>Lâm Thị Phương Thanh</mark>" in out


def test_snippet_of_decomposed_text_keeps_it_decomposed():
    text = nfd(FILLER + "Tỉnh Hòa Bình tổng kết công tác thủy lợi. " + FILLER)
    out = snippet(text, terms("thuy", "loi"))
    assert f"<mark>{nfd('thủy lợi')}</mark>" in out and text_of(out).strip("… ") in text


# --- through Engine.search ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hits(engine):
    def run(q: str) -> dict:
        page = engine.search(SearchRequest(q=q, per_page=100))
        return {h.id: h for h in page.hits}

    return run


@pytest.mark.parametrize(
    ("query", "doc", "marked"),
    [
        ("lanh dao", "fx-nfd-nguyen-van-hoa", "<mark>lãnh đạo</mark>"),  # folded query
        ("lãnh đạo", "fx-nfd-nguyen-van-hoa", "<mark>lãnh đạo</mark>"),
        ("ddaij hooij", "fx-dai-hoi-thai-nguyen", "<mark>Đại hội"),  # Telex
        ("d9a5i ho65i", "fx-dai-hoi-thai-nguyen", "<mark>Đại hội"),  # VNI
        ("hoa binh", "fx-hoa-binh-old-tone", "<mark>Hoà Bình</mark>"),  # as the article wrote it
        ("Hòa Bình", "fx-hoa-binh-old-tone", "<mark>Hoà Bình</mark>"),
        ("thuy loi", "fx-hoa-binh-old-tone", "<mark>thuỷ lợi</mark>"),
        ("uy ban", "fx-hoa-binh-old-tone", "<mark>Uỷ ban</mark>"),
        ("ma", "fx-ma-ma", "Bà <mark>má</mark>"),
        ("nguye*", "fx-telex-nguyen", "<mark>Nguyễn</mark>"),  # prefix
        ("lam thi phuong thanh", LS_2019, "<mark>Lâm Thị Phương Thanh</mark>"),
        ('"hội nghị" cán bộ', "fx-hostile", "<mark>Hội nghị cán bộ</mark>"),
    ],
)
def test_search_snippets_mark_the_accented_original(hits, query, doc, marked):
    hit = hits(query)[doc]
    assert marked in hit.snippet


def test_search_snippets_leave_filter_values_unmarked(hits):
    hit = hits('province:"Lạng Sơn" tỉnh ủy')["fx-nghi-quyet-62"]
    assert "<mark>Tỉnh ủy</mark> Lạng Sơn" in hit.snippet


@pytest.mark.parametrize(
    "query", ["lanh dao", "hoi nghi can bo", "script alert", "mark", "kiem thu"]
)
def test_search_snippets_are_escaped_passages_of_the_body(engine, query):
    page = engine.search(SearchRequest(q=query, per_page=100))
    assert page.hits
    for hit in page.hits:
        body = " ".join(engine.article(hit.id).body.split())
        assert only_marks(hit.snippet), hit.snippet
        assert only_marks(hit.title_html), hit.title_html
        visible = " ".join(text_of(hit.snippet).split()).strip("… ")
        assert visible in body
        assert len(visible) <= 210
        assert text_of(hit.title_html) == hit.title


def test_hostile_body_and_title_come_out_escaped(hits):
    found = hits("hội nghị cán bộ")
    hit = found["fx-hostile"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in hit.snippet and "<img" not in hit.snippet
    assert hit.title_html.startswith("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; ")
    hit = hits("kiem thu bao mat")[HOSTILE]
    assert "&lt;/mark&gt;&lt;script&gt;alert(&#x27;body&#x27;)&lt;/script&gt;" in hit.snippet
    assert "&lt;mark&gt;giả&lt;/mark&gt;" in hit.snippet  # the body's own <mark>, escaped
    assert "<script" not in hit.snippet and "<script" not in hit.title_html


def test_marked_words_inside_hostile_markup_stay_escaped(hits):
    hit = hits("script")["fx-hostile"]
    assert hit.title_html.startswith("&lt;<mark>script</mark>&gt;alert(")


def test_title_html_marks_the_query(hits):
    hit = hits("hoa binh")["fx-hoa-binh-peace"]
    assert hit.title_html == "Giữ vững <mark>hòa bình</mark>, ổn định ở khu vực biên giới"


@pytest.mark.parametrize(
    "query",
    ["6,15", "lanh dao", "ddaij hooij", "hoa binh", '"hội nghị" cán bộ', "nguye*", "tinh uy"],
)
def test_snippets_titles_and_the_article_page_mark_alike(engine, query):
    """One source for the words a query marks: the search page and the article page agree."""
    terms = engine.query_terms(query)
    page = engine.search(SearchRequest(q=query, per_page=100))
    assert page.hits
    for hit in page.hits:
        article = engine.article(hit.id)
        body = engine.highlight_body(article, query)
        assert body == highlight(article.body, terms)
        assert hit.snippet == snippet(article.body, terms)
        assert hit.title_html == highlight(article.title, terms)
        body_marks = re.findall(r"<mark>(.*?)</mark>", body)
        for fragment in re.findall(r"<mark>(.*?)</mark>", hit.snippet):
            assert any(fragment in m for m in body_marks), (fragment, body_marks)


def test_a_number_is_marked_whole_on_every_page(engine, hits):
    """6,15 was marked as 6 and 15 on the article page and not at all in snippets."""
    hit = hits("6,15")[LS_2019]
    assert "<mark>6,15</mark>" in hit.snippet
    body = engine.highlight_body(engine.article(LS_2019), "6,15")
    assert "<mark>6,15</mark>" in body and "<mark>6</mark>" not in body
