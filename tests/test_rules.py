"""One source for each rule: where two layers use a rule, both use the same one and agree.

URL safety (the engine and the templates), the dateline (page parsing and
extraction), the query's field names (the parser and Telex decoding), the
file of the last reindex's report (reindex writes, stats reads), the names of
Hồ Chí Minh City (provinces.tsv only).
"""

from __future__ import annotations

import json
import shutil

import pytest

from search.ingest.extract import enrich
from search.ingest.lexicon import province_forms
from search.ingest.page import parse_page
from search.ingest.places import find_provinces
from search.models import QUERY_FIELDS, Article, safe_url
from search.read.query import parse_query
from search.text.normalize import normalize
from search.text.telex import decode_telex

# --- URL safety --------------------------------------------------------------------------

URLS = [
    ("https://baolangson.vn/a-123.html", "https://baolangson.vn/a-123.html"),
    ("  http://www.sggp.org.vn/x  ", "http://www.sggp.org.vn/x"),
    ("HTTPS://NHANDAN.VN/a", "HTTPS://NHANDAN.VN/a"),
    ("javascript:alert(3)", None),
    (" JavaScript:alert(1)", None),
    ("data:text/html,<script>", None),
    ("http://", None),  # no host: the engine let this through before
    ("//evil.example/x", None),
    ("ftp://a.vn/x", None),
    ("http://[::1", None),  # urlsplit raises on it
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("url", "expected"), URLS)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_the_templates_filter_urls_with_the_library_rule(fixture_index):
    from test_web import make_app

    app = make_app(fixture_index)
    assert app.jinja_env.filters["safe_url"] is safe_url


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        ("fx-hostile", None),  # javascript:alert(3) in the corpus
        ("fx-tphcm", "https://www.sggp.org.vn/tphcm-trien-khai-nghi-quyet.html"),
        ("fx-nfd-nguyen-van-hoa", None),
    ],
)
def test_the_engine_gives_only_safe_urls(engine, doc_id, expected):
    from search.models import SearchRequest

    assert engine.article(doc_id).url == expected
    hits = engine.search(SearchRequest(per_page=100)).hits
    assert [h.url for h in hits if h.id == doc_id] == [expected]


# --- the dateline -------------------------------------------------------------------------

LEADS = [
    (
        "LSO-Sáng nay (5/6), Đoàn công tác của Ban Tổ chức Trung ương làm việc tại Lạng Sơn.",
        "Báo Lạng Sơn",
    ),
    ("(BNA) - Chiều 16/10, Tỉnh ủy Nghệ An tổ chức hội nghị sơ kết giữa nhiệm kỳ.", "Báo Nghệ An"),
    ("TTXVN – Sáng 2/3, Thành ủy TP.HCM triển khai nghị quyết của Bộ Chính trị.", "TTXVN"),
    ("HNM - Ngày 12/3, HĐND thành phố Hà Nội họp kỳ họp bất thường.", "Hà Nội Mới"),
    ("Sáng nay - ngày 5/6, Tỉnh ủy Lạng Sơn họp.", None),  # no agency code
    ("LSO Sáng nay, Tỉnh ủy Lạng Sơn họp.", None),  # no dash: no dateline
]


@pytest.mark.parametrize(("lead", "source"), LEADS)
def test_page_parsing_and_extraction_read_the_same_dateline(lead, source):
    """A known agency's dateline gives one source whether the article came as a page or a body."""
    page = parse_page(f"Tiêu đề bài viết về công tác cán bộ\n\n{lead}\n\nĐoạn thứ hai của bài.")
    from_body = enrich(Article(id="x", body=lead, origin="x.jsonl")).source
    assert page.source == from_body == source
    if source is not None:
        assert not page.body.startswith(lead[:3])  # the page took the dateline off the lead


# --- the query's field names ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERY_FIELDS))
def test_field_names_are_the_same_for_the_parser_and_telex(name):
    """A field name is never decoded as Telex, and the parser reads it as that field."""
    decoded, changed = decode_telex(f"{name}:ddaij hooij")
    assert decoded == f"{name}:đại hội" and changed
    parsed = parse_query(f"{name}:ddaij")
    assert parsed.groups[0][0].field == QUERY_FIELDS[name]


def test_a_word_that_is_no_field_name_is_decoded():
    assert decode_telex("tinhr:x")[0] == "tỉnh:x"


# --- the last reindex's report ----------------------------------------------------------------


def test_stats_reads_the_report_reindex_writes(tmp_path, fixture_index):
    from search.read.engine import Engine
    from search.write.generations import STATS_FILE

    root = tmp_path / "index"
    shutil.copytree(fixture_index, root)
    written = json.loads((root / STATS_FILE).read_text(encoding="utf-8"))
    assert written["mode"] == "full" and written["added"] >= 15
    assert Engine(root).stats().last_reindex == written
    (root / STATS_FILE).unlink()
    assert Engine(root).stats().last_reindex is None


# --- Hồ Chí Minh City ---------------------------------------------------------------------------

HCM = "Thành phố Hồ Chí Minh"


def tsv_forms(name: str) -> set[str]:
    from importlib import resources

    text = resources.files("search").joinpath("data", "provinces.tsv").read_text("utf-8")
    for row in text.splitlines()[1:]:
        cols = row.split("\t")
        if cols[0] == name:
            return {normalize(name)} | {normalize(a.strip()) for a in cols[2].split(",") if a}
    raise AssertionError(name)


def test_every_name_of_hcm_city_comes_from_provinces_tsv():
    forms = province_forms()[0]
    named = {f for f, n in forms.items() if n == HCM}
    listed = tsv_forms(HCM)
    # The table adds only the upper-case copies of the listed forms.
    assert named == listed | {f.upper() for f in listed if len(f) > 4}


@pytest.mark.parametrize("form", sorted(tsv_forms(HCM)))
def test_each_name_of_hcm_city_is_found(form):
    text = normalize(f"Sáng 2/3, đoàn công tác làm việc tại {form} về chuyển đổi số.")
    assert find_provinces(text) == [HCM]
