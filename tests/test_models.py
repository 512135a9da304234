"""search/models.py: the JSON of INTERFACE.md, field by field, equals the dataclasses."""

from __future__ import annotations

from dataclasses import asdict

from search.models import FacetValue, Hit, SearchPage

HIT = Hit(
    id="baomoi-1",
    title="Đại hội Đảng bộ tỉnh Hòa Bình",
    url="https://baomoi.com/a.epi",
    date="2025-06-01",
    source="Báo Hòa Bình",
    author="Minh Anh",
    provinces=["Hòa Bình"],
    persons=["Lâm Thị Phương Thanh"],
    score=12.5,
    snippet="… <mark>Đại hội</mark> …",
    provinces_2025=["Phú Thọ"],
    title_html="<mark>Đại hội</mark> Đảng bộ tỉnh Hòa Bình",
)


def test_hit_to_dict_has_every_field():
    assert HIT.to_dict() == asdict(HIT)


def test_hit_to_dict_lists_are_copies():
    d = HIT.to_dict()
    d["persons"].append("x")
    assert HIT.persons == ["Lâm Thị Phương Thanh"]


def test_page_to_dict():
    page = SearchPage(
        query="dai hoi",
        total=1,
        page=1,
        per_page=10,
        took_ms=1.234,
        hits=[HIT],
        facets={"province": [FacetValue("Hòa Bình", 1)]},
        suggestion="đại hội",
    )
    d = page.to_dict()
    assert d["hits"] == [asdict(HIT)]
    assert d["facets"] == {"province": [{"value": "Hòa Bình", "count": 1}]}
    assert d["took_ms"] == 1.23 and d["suggestion"] == "đại hội" and d["decoded"] is None
