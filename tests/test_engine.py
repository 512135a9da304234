"""search/engine.py: filters, sorting, pagination, facets, validation and the result object.

Against the shared fixture index (conftest.py: the five seeds and
tests/fixtures/corpus). Expected ids are written out from the articles'
metadata, so a filter that lets one article too many through fails.
"""

from __future__ import annotations

import datetime as dt

import pytest

from search.errors import BadRequest
from search.models import SearchRequest

LS_2019 = "000_b9ca21308674c971.txt"  # 2019-06-05, Lạng Sơn, Lâm Thị Phương Thanh
LS_2018 = "001_ad5a731278720d44.txt"  # 2018-10-16, Lạng Sơn, Lâm Thị Phương Thanh
TN_2020 = "002_92b15d1c161f2510.txt"  # 2020-05-23, Thái Nguyên
BTC_2021 = "003_7d2fc00ee8fcd6c5.txt"  # 2021-06-28, Lạng Sơn, Trương Thị Mai
LS_2017 = "004_5efaea7a2d732030.txt"  # 2017-10-20, Lạng Sơn, Trần Sỹ Thanh
LANG_SON = {LS_2019, LS_2018, BTC_2021, LS_2017, "fx-hoc-sinh", "fx-nghi-quyet-62"}
HOA_BINH = {"fx-nfd-nguyen-van-hoa", "fx-hoa-binh-old-tone"}  # merged into Phú Thọ in 2025
YEAR_2019 = {"fx-hoa-binh-old-tone", "fx-sinh-hoc", LS_2019, "fx-hoc-sinh", "fx-ma-so-thue"}
YEAR_2021 = {BTC_2021, "fx-tphcm", "fx-hostile"}
ALL = 18


@pytest.fixture(scope="module")
def search(engine):
    def run(q: str = "", **kw):
        kw.setdefault("per_page", 100)
        return engine.search(SearchRequest(q=q, **kw))

    return run


def ids_of(page) -> set[str]:
    return {h.id for h in page.hits}


# --- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"provinces": ["Lạng Sơn"]}, LANG_SON),
        ({"provinces": ["lang son"]}, LANG_SON),  # folded, lowercase
        ({"provinces": ["Hòa Bình"]}, HOA_BINH),  # as named at the time
        ({"provinces": ["Hoà Bình"]}, HOA_BINH),  # old tone placement
        ({"provinces": ["Phú Thọ"]}, HOA_BINH),  # its 2025 unit
        ({"provinces": ["Hà Nội"]}, set()),
        # several values of one facet: OR
        ({"provinces": ["Hòa Bình", "Quảng Ninh"]}, HOA_BINH | {"fx-telex-nguyen"}),
        ({"persons": ["Lâm Thị Phương Thanh"]}, {LS_2019, LS_2018}),
        ({"persons": ["lam thi phuong thanh"]}, {LS_2019, LS_2018}),
        (
            {"persons": ["Lâm Thị Phương Thanh", "Nguyễn Xuân Phúc"]},
            {LS_2019, LS_2018, "fx-telex-nguyen"},
        ),
        ({"persons": ["Lâm Thị"]}, set()),  # a filter is a whole value, not a prefix
        ({"sources": ["Báo Hòa Bình"]}, HOA_BINH),
        ({"sources": ["Báo Hòa Bình", "Báo Quảng Ninh"]}, HOA_BINH | {"fx-telex-nguyen"}),
        ({"years": [2021]}, YEAR_2021),
        ({"years": [2019, 2021]}, YEAR_2019 | YEAR_2021),
        # different facets: AND
        ({"provinces": ["Lạng Sơn"], "persons": ["Trần Sỹ Thanh"]}, {LS_2017}),
        ({"provinces": ["Quảng Ninh"], "persons": ["Lâm Thị Phương Thanh"]}, set()),
        (
            {"provinces": ["Lạng Sơn", "Thái Nguyên"], "persons": ["Nguyễn Thanh Hải"]},
            {TN_2020, "fx-dai-hoi-thai-nguyen"},
        ),
        ({"provinces": ["Lạng Sơn"], "years": [2019]}, {LS_2019, "fx-hoc-sinh"}),
        ({"sources": ["Báo Lạng Sơn"], "provinces": ["Hòa Bình"]}, set()),
    ],
)
def test_filters(search, filters, expected):
    page = search(**filters)
    assert ids_of(page) == expected and page.total == len(expected)


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        (dt.date(2019, 1, 1), dt.date(2019, 12, 31), YEAR_2019),
        (dt.date(2019, 12, 20), dt.date(2019, 12, 20), {"fx-hoa-binh-old-tone"}),  # inclusive
        (dt.date(2021, 3, 2), None, YEAR_2021 - {"fx-hostile"} | {"web/hostile <x>&\"'?#1"}),
        (None, dt.date(2018, 3, 12), {LS_2017, "fx-nfd-nguyen-van-hoa"}),
        (dt.date(2030, 1, 1), None, set()),
    ],
)
def test_date_range(search, date_from, date_to, expected):
    assert ids_of(search(date_from=date_from, date_to=date_to)) == expected


def test_filters_and_words_combine(search):
    page = search("tỉnh ủy", provinces=["Lạng Sơn"])
    assert ids_of(page) == {LS_2019, LS_2018, BTC_2021, LS_2017, "fx-nghi-quyet-62"}
    page = search("hoa binh", provinces=["Phú Thọ"], date_from=dt.date(2019, 1, 1))
    assert ids_of(page) == {"fx-hoa-binh-old-tone"}


def test_filters_without_words_list_everything_newest_first(search):
    page = search()
    assert page.total == ALL
    dates = [h.date for h in page.hits]
    assert dates == sorted(dates, reverse=True)
    assert all(h.score == 0 for h in page.hits)


# --- sorting and paging ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("newest", "web/hostile <x>&\"'?#1", LS_2017),  # 2022-02-02 ... 2017-10-20
        ("oldest", LS_2017, "web/hostile <x>&\"'?#1"),
    ],
)
def test_sort_by_date(search, sort, first, last):
    hits = search(sort=sort).hits
    dates = [h.date for h in hits]
    assert dates == sorted(dates, reverse=sort == "newest")
    assert (hits[0].id, hits[-1].id) == (first, last)


def test_relevance_and_date_sorts_differ(search):
    relevance = [h.id for h in search("đại hội").hits]
    newest = [h.id for h in search("đại hội", sort="newest").hits]
    assert set(relevance) == set(newest) and relevance != newest
    assert relevance[0] == "fx-dai-hoi-thai-nguyen"  # its title is the query
    assert newest[0] == BTC_2021  # the newest article saying đại hội


@pytest.mark.parametrize(("q", "sort"), [("", "newest"), ("tỉnh", "relevance"), ("tỉnh", "oldest")])
def test_pages_partition_the_results(search, q, sort):
    whole = [h.id for h in search(q, sort=sort).hits]
    pages = [search(q, sort=sort, page=n, per_page=4) for n in range(1, 7)]
    assert all(p.total == len(whole) for p in pages)
    assert [h.id for p in pages for h in p.hits] == whole
    assert [len(p.hits) for p in pages if p.hits][:-1] == [4] * ((len(whole) - 1) // 4)
    assert [(p.page, p.per_page) for p in pages[:2]] == [(1, 4), (2, 4)]


def test_page_past_the_end_is_empty_with_total(search):
    page = search("tỉnh ủy", provinces=["Lạng Sơn"], per_page=3, page=3)
    assert page.hits == [] and page.total == 5


# --- facets --------------------------------------------------------------------------------------


def values(page, key):
    return [(f.value, f.count) for f in page.facets[key]]


def test_facets_count_the_whole_result_set_not_the_page(search):
    page = search("tỉnh ủy", provinces=["Lạng Sơn"], per_page=1)
    assert len(page.hits) == 1 and page.total == 5
    assert values(page, "province") == [("Lạng Sơn", 5)]
    assert values(page, "year") == [
        ("2021", 1),
        ("2020", 1),
        ("2019", 1),
        ("2018", 1),
        ("2017", 1),
    ]
    people = dict(values(page, "person"))
    assert people["Lâm Thị Phương Thanh"] == 2 and people["Phạm Ngọc Thưởng"] == 2
    assert people["Trương Thị Mai"] == 1 and "Nguyễn Thanh Hải" not in people


def test_facets_put_top_values_first(search):
    page = search(per_page=1)
    provinces = values(page, "province")
    assert provinces[:3] == [("Lạng Sơn", 6), ("Hòa Bình", 2), ("Thái Nguyên", 2)]
    for key in ("province", "person"):
        counts = [c for _, c in values(page, key)]
        assert counts == sorted(counts, reverse=True)
    people = values(page, "person")
    assert {p for p, c in people if c == 2} == {
        "Lâm Thị Phương Thanh",
        "Nguyễn Thanh Hải",
        "Phạm Ngọc Thưởng",
    }
    assert sum(c for _, c in values(page, "year")) == ALL


def test_facet_limit_keeps_the_most_frequent(search):
    page = search(facet_limit=2)
    assert values(page, "province") == [("Lạng Sơn", 6), ("Hòa Bình", 2)]
    assert [c for _, c in values(page, "person")] == [2, 2]
    assert values(page, "year") == [("2020", 5), ("2019", 5)]  # the two biggest years


def test_facets_follow_the_filters(search):
    page = search(provinces=["Phú Thọ"])
    assert values(page, "province") == [("Hòa Bình", 2)]
    assert values(page, "person") == [("Nguyễn Văn Hòa", 1)]
    assert values(page, "year") == [("2019", 1), ("2018", 1)]
    assert values(page, "province_2025") == [("Phú Thọ", 2)]


def test_facets_of_no_results_are_empty(search):
    page = search("qwzxv")
    assert page.total == 0 and all(v == [] for v in page.facets.values())


# --- the result object -------------------------------------------------------------------------------


def test_result_object_has_the_interface_shape(search):
    page = search("lanh dao tinh uy", per_page=2)
    d = page.to_dict()
    assert {"query", "total", "page", "per_page", "took_ms", "suggestion", "hits", "facets"} <= set(
        d
    )
    assert d["query"] == "lanh dao tinh uy" and d["page"] == 1 and d["per_page"] == 2
    assert d["total"] >= 2 and len(d["hits"]) == 2 and d["took_ms"] > 0
    hit = d["hits"][0]
    keys = {"id", "title", "url", "date", "source", "author", "provinces", "persons"}
    assert keys | {"score", "snippet"} <= set(hit)
    assert isinstance(hit["provinces"], list) and isinstance(hit["persons"], list)
    assert isinstance(hit["score"], float) and hit["score"] > 0
    assert {"province", "person", "year"} <= set(d["facets"])
    assert all({"value", "count"} == set(v) for vs in d["facets"].values() for v in vs)


def test_hit_fields_come_from_the_article(search):
    (hit,) = search('title:"Thái Nguyên lần thứ XX"').hits
    assert hit.id == "fx-dai-hoi-thai-nguyen"
    assert hit.date == "2020-10-14" and hit.source == "Báo Thái Nguyên"
    assert hit.url == "https://baothainguyen.vn/dai-hoi-xx.html"
    assert hit.provinces == ["Thái Nguyên"] and "Nguyễn Thanh Hải" in hit.persons


def test_unsafe_urls_are_dropped(search):
    (hit,) = search('title:"chủ chốt"').hits
    assert hit.id == "fx-hostile" and hit.url is None  # was javascript:alert(3)


@pytest.mark.parametrize(
    "bad",
    [
        {"sort": "random"},
        {"sort": ""},
        {"per_page": 0},
        {"per_page": 101},
        {"page": 0},
        {"page": -1},
        {"page": 10_001},
        {"date_from": dt.date(2020, 1, 2), "date_to": dt.date(2020, 1, 1)},
    ],
)
def test_bad_requests_raise(engine, bad):
    with pytest.raises(BadRequest):
        engine.search(SearchRequest(q="tỉnh", **bad))


def test_article_by_id(engine):
    article = engine.article("fx-tphcm")
    assert article.title.startswith("TP.HCM triển khai")
    assert "Nguyễn Văn Nên" in article.body and article.date == dt.date(2021, 3, 2)
    assert engine.article("no-such-article") is None


def test_highlight_body_marks_a_folded_query(engine):
    html = engine.highlight_body(engine.article("fx-tphcm"), "nguyen van nen")
    assert "<mark>Nguyễn Văn Nên</mark>" in html


def test_related_articles_leave_the_article_out(engine):
    related = [h.id for h in engine.related("fx-hoa-binh-old-tone")]
    assert related and "fx-hoa-binh-old-tone" not in related
    assert related[0] == "fx-nfd-nguyen-van-hoa"  # "tỉnh Hòa Bình" in both titles


def test_the_whoosh_engine_is_the_search_engine_interface(engine):
    from search.api import SearchEngine, open_engine
    from search.read.engine import Engine

    assert isinstance(engine, SearchEngine)
    opened = open_engine(engine.root)
    assert type(opened) is Engine
    assert (
        opened.search(SearchRequest(q="lang son")).total
        == engine.search(SearchRequest(q="lang son")).total
    )


def test_an_unknown_backend_is_one_clear_error(tmp_path):
    from search.api import open_engine
    from search.errors import VnsearchError

    with pytest.raises(VnsearchError, match="no search backend named 'opensearch'"):
        open_engine(tmp_path, backend="opensearch")
