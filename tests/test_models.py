"""search/models.py: the JSON of INTERFACE.md, field by field, equals the dataclasses."""

from __future__ import annotations

import json
from dataclasses import asdict, fields

import pytest

from search.models import FacetValue, Hit, IndexStats, SearchPage, SearchRequest, Suggestion

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


def test_suggestion_to_dict_is_the_api_shape():
    d = Suggestion("Lâm Thị Phương Thanh", "person", 2).to_dict()
    assert json.dumps(d, ensure_ascii=False) == (
        '{"value": "Lâm Thị Phương Thanh", "kind": "person", "count": 2}'
    )


def test_index_stats_to_dict_keeps_every_field_in_order():
    stats = IndexStats(
        articles=3,
        generation="g000002",
        segments=1,
        size_bytes=4096,
        last_reindex={"mode": "full", "added": 3},
        provinces={"Lạng Sơn": 2, "Hà Nội": 1},
        provinces_2025={"Lạng Sơn": 2},
        years={"2019": 1, "2020": 2},
    )
    d = stats.to_dict()
    assert list(d) == [f.name for f in fields(IndexStats)]
    assert d == asdict(stats)
    d["provinces"]["x"] = 1
    assert "x" not in stats.provinces


def test_stats_of_the_engine_match_the_cli_json(engine, capsys):
    from search import cli

    assert cli.main(["stats", "--index", str(engine.root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == engine.stats().to_dict()


@pytest.mark.parametrize(
    ("request_", "named"),
    [
        (SearchRequest(per_page=101), "per_page"),
        (SearchRequest(per_page=150, max_per_page=120), "per_page"),
        (SearchRequest(page=1001, max_page=1000), "page"),
        (SearchRequest(sort="random"), "sort"),
    ],
)
def test_request_limits_are_the_callers(request_, named):
    from search.errors import BadRequest

    with pytest.raises(BadRequest, match=f"^Tham số {named} "):
        request_.validate()


def test_raised_limits_pass():
    SearchRequest(per_page=150, max_per_page=200, page=5000, max_page=5000).validate()
