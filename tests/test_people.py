"""Person and post pages from the engine (search.read.people) on the fixture index."""

from __future__ import annotations

import unicodedata

import pytest

from search.models import SearchRequest

THANH = "Lâm Thị Phương Thanh"


@pytest.mark.parametrize(
    "name",
    [
        THANH,
        "lam-thi-phuong-thanh",
        "LÂM THỊ PHƯƠNG THANH",
        "lam thi phuong thanh",
        unicodedata.normalize("NFD", THANH),
    ],
)
def test_person_by_any_spelling(engine, name):
    page = engine.person(name)
    assert page is not None
    assert page.name == THANH
    assert page.articles == 2
    assert (page.first_seen, page.last_seen) == ("2018-10-16", "2019-06-05")


def test_person_page_contents(engine):
    page = engine.person(THANH)
    d = page.to_dict()
    roles = {r["role"]: r for r in d["roles"]}
    # "Bí thư Tỉnh ủy" (2018-10, article about Lạng Sơn) and "Bí thư Tỉnh ủy Lạng Sơn"
    # (2019-06) are one post; the list "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy" two.
    assert roles["Bí thư Tỉnh ủy Lạng Sơn"] == {
        "role": "Bí thư Tỉnh ủy Lạng Sơn",
        "first": "2018-10-16",
        "last": "2019-06-05",
        "articles": 2,
    }
    assert roles["Ủy viên Trung ương Đảng"]["articles"] == 2
    assert len(d["roles"]) == 2
    firsts = [r["first"] for r in d["roles"]]
    assert firsts == sorted(firsts)
    assert d["provinces"] == [{"value": "Lạng Sơn", "count": 2}]
    related = {p["value"] for p in d["related_persons"]}
    assert {"Phạm Ngọc Thưởng", "Hoàng Văn Nghiệm", "Nguyễn Thanh Bình"} <= related
    assert THANH not in related
    assert d["timeline"] == [{"month": "2018-10", "count": 1}, {"month": "2019-06", "count": 1}]
    assert [h["date"] for h in d["hits"]] == ["2019-06-05", "2018-10-16"]  # latest first


def test_phó_bí_thư_is_not_bí_thư(engine):
    roles = {r.role for r in engine.person("Phạm Ngọc Thưởng").roles}
    assert "Phó Bí thư Tỉnh ủy Lạng Sơn" in roles
    assert "Bí thư Tỉnh ủy Lạng Sơn" not in roles
    holders = [h.name for h in engine.post("Bí thư Tỉnh ủy Lạng Sơn").holders]
    assert "Phạm Ngọc Thưởng" not in holders


@pytest.mark.parametrize(
    "post",
    [
        "Bí thư Tỉnh ủy Lạng Sơn",
        "bi-thu-tinh-uy-lang-son",
        "Bí thư Tỉnh uỷ Lạng Sơn",
        "BÍ THƯ TỈNH ỦY LẠNG SƠN",
    ],
)
def test_post_holders_in_time_order(engine, post):
    page = engine.post(post)
    assert page.to_dict() == {
        "post": "Bí thư Tỉnh ủy Lạng Sơn",
        "holders": [
            {"name": "Trần Sỹ Thanh", "first": "2017-10-20", "last": "2017-10-20", "articles": 1},
            {"name": THANH, "first": "2018-10-16", "last": "2019-06-05", "articles": 2},
        ],
    }


def test_provincial_posts_keep_their_province_apart(engine):
    # Two provinces' "Bí thư Tỉnh ủy": never one post.
    holders = [h.name for h in engine.post("Bí thư Tỉnh ủy Thái Nguyên").holders]
    assert holders == ["Nguyễn Thanh Hải"]


@pytest.mark.parametrize("name", ["Không Có Ai", "", "---", "Lạng Sơn", "x" * 500])
def test_unknown_is_none(engine, name):
    assert engine.person(name) is None
    assert engine.post(name) is None


@pytest.mark.parametrize(
    "req",
    [SearchRequest(q="tỉnh ủy"), SearchRequest(), SearchRequest(q="lang son", years=[2019])],
)
def test_month_facet_covers_the_whole_result_set(engine, req):
    page = engine.search(req)
    months = page.to_dict()["facets"]["month"]
    values = [m["value"] for m in months]
    assert values == sorted(values)
    assert all(len(v) == 7 and v[4] == "-" for v in values)
    # every dated article is counted once, whatever the page size
    dated = engine.search(SearchRequest(q=req.q, years=req.years, per_page=100))
    assert sum(m["count"] for m in months) == sum(1 for h in dated.hits if h.date)
    if req.years:
        assert all(v.startswith("2019") for v in values)
