"""Every route of web/, HTML and JSON alike, against the real fixture index."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from flask.testing import FlaskClient

from web import create_app
from web.resources import get_engine

ATOM = "{http://www.w3.org/2005/Atom}"
INTERFACE_KEYS = {"query", "total", "page", "per_page", "took_ms", "suggestion", "hits", "facets"}
HIT_KEYS = {"id", "title", "url", "date", "source", "author", "provinces", "persons", "score"}


class Client(FlaskClient):
    """A test client that reads and closes every response (no unclosed static files)."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        response.get_data()
        response.close()
        return response


def make_app(index, **config):
    """An app on ``index`` with no VNSEARCH_* setting leaking in from the environment."""
    with pytest.MonkeyPatch.context() as mp:
        for key in [k for k in os.environ if k.startswith("VNSEARCH_")]:
            mp.delenv(key)
        app = create_app({"INDEX": str(index), "TESTING": True, **config})
    app.test_client_class = Client
    return app


@pytest.fixture(scope="module")
def app(fixture_index):
    app = make_app(fixture_index, ALLOWED_ORIGINS="https://intranet.example")
    with app.app_context():  # suggestions wait for the vocabulary the engine builds
        get_engine().snapshot().vocabulary_ready.wait(30)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_home_page_is_a_search_form(client):
    r = client.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert '<html lang="vi">' in html and '<main id="main"' in html
    assert 'role="search"' in html and '<label for="q"' in html
    assert re.search(r'<input id="q" name="q" type="search" value="" autofocus', html)
    assert 'class="hits"' not in html


def test_search_page_and_api_show_the_same_results(client):
    data = client.get("/api/search?q=tinh+uy+lang+son").get_json()
    html = client.get("/search?q=tinh+uy+lang+son").get_data(as_text=True)
    assert INTERFACE_KEYS <= data.keys()
    assert data["query"] == "tinh uy lang son" and data["total"] >= 3
    assert HIT_KEYS | {"snippet"} <= data["hits"][0].keys()
    assert 'value="tinh uy lang son"' in html  # the box keeps the query
    assert f"<strong>{data['total']}</strong> kết quả" in html
    for hit in data["hits"]:
        assert f'href="/articles/{quote(hit["id"])}?q=tinh+uy+lang+son"' in html
    # Typed without diacritics, found and highlighted with them.
    marked = re.findall(r"<mark>([^<]+)</mark>", html)
    assert any(m.lower() in ("tỉnh ủy", "tỉnh", "ủy", "lạng sơn", "lạng", "sơn") for m in marked)


def test_result_shows_date_source_provinces_persons(client):
    data = client.get("/api/search?q=ban+to+chuc+trung+uong").get_json()
    html = client.get("/search?q=ban+to+chuc+trung+uong").get_data(as_text=True)
    hit = next(h for h in data["hits"] if h["date"] and h["provinces"] and h["persons"])
    y, m, d = hit["date"].split("-")
    assert f'<time datetime="{hit["date"]}">{d}/{m}/{y}</time>' in html
    assert hit["provinces"][0] in html and hit["persons"][0] in html


def test_facets_link_adds_a_filter_with_its_count(client):
    data = client.get("/api/search?q=tinh+uy").get_json()
    html = client.get("/search?q=tinh+uy").get_data(as_text=True)
    assert {"province", "person", "year"} <= data["facets"].keys()
    for name in ("province", "person", "year"):
        facet = data["facets"][name][0]
        link = next(h for h in hrefs(html) if query_of(h).get(name) == [str(facet["value"])])
        assert query_of(link)["q"] == ["tinh uy"]
        narrowed = client.get(link.replace("/search", "/api/search", 1)).get_json()
        assert narrowed["total"] == facet["count"]


def test_active_filters_are_removable_chips(client):
    html = client.get("/search?q=tinh+uy&province=L%E1%BA%A1ng+S%C6%A1n&year=2020").get_data(
        as_text=True
    )
    chips = re.findall(r'<a class="chip" href="([^"]*)"', html)
    assert len(chips) == 2
    assert query_of(unescape(chips[0])) == {"q": ["tinh uy"], "year": ["2020"]}
    assert query_of(unescape(chips[1])) == {"q": ["tinh uy"], "province": ["Lạng Sơn"]}
    assert 'aria-current="true"' in html  # the active facet value is marked


def test_pagination_pages_through_results(client):
    first = client.get("/api/search?q=tinh+uy&per_page=2").get_json()
    assert first["total"] > 2
    html = client.get("/search?q=tinh+uy&per_page=2").get_data(as_text=True)
    assert 'aria-label="Phân trang"' in html
    next_link = unescape(re.search(r'<a rel="next" href="([^"]*)"', html).group(1))
    assert query_of(next_link) == {"q": ["tinh uy"], "page": ["2"], "per_page": ["2"]}
    second = client.get(next_link.replace("/search", "/api/search", 1)).get_json()
    assert second["page"] == 2
    assert {h["id"] for h in second["hits"]}.isdisjoint(h["id"] for h in first["hits"])
    html2 = client.get(next_link).get_data(as_text=True)
    assert 'rel="prev"' in html2 and 'aria-current="page"' in html2


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort_by_date(client, sort):
    hits = client.get(f"/api/search?q=tinh+uy&sort={sort}&per_page=50").get_json()["hits"]
    dates = [h["date"] for h in hits if h["date"]]
    assert dates == sorted(dates, reverse=sort == "newest") and len(dates) >= 3
    html = client.get(f"/search?q=tinh+uy&sort={sort}").get_data(as_text=True)
    assert f'<option value="{sort}" selected>' in html


def test_date_range_and_year_filters(client):
    data = client.get("/api/search?q=tinh+uy&from=2020-01-01&to=2020-12-31&per_page=50").get_json()
    assert data["hits"] and all("2020-01-01" <= h["date"] <= "2020-12-31" for h in data["hits"])
    by_year = client.get("/api/search?q=tinh+uy&year=2020&per_page=50").get_json()
    assert {h["id"] for h in by_year["hits"]} == {h["id"] for h in data["hits"]}
    html = client.get("/search?q=tinh+uy&from=2020-01-01&to=2020-12-31").get_data(as_text=True)
    assert 'name="from" value="2020-01-01"' in html and "Từ ngày:</span> 01/01/2020" in html


def test_filter_only_search_without_words(client):
    data = client.get("/api/search?province=L%E1%BA%A1ng+S%C6%A1n").get_json()
    assert data["total"] >= 3 and all("Lạng Sơn" in h["provinces"] for h in data["hits"])
    assert "Tìm thấy" in client.get("/search?province=L%E1%BA%A1ng+S%C6%A1n").get_data(as_text=True)


def test_did_you_mean_is_a_link(client):
    data = client.get("/api/search?q=tinh+uyy+lang+son").get_json()
    if not data["suggestion"]:
        pytest.skip("the engine has no suggestion for this query")
    html = client.get("/search?q=tinh+uyy+lang+son").get_data(as_text=True)
    link = re.search(r'Có phải bạn muốn tìm: <a href="([^"]*)">([^<]*)</a>', html)
    assert unescape(link.group(2)) == data["suggestion"]
    assert query_of(unescape(link.group(1)))["q"] == [data["suggestion"]]


def test_telex_query_shows_how_it_was_read(client):
    data = client.get("/api/search?q=tinhr+uyr").get_json()
    assert data["decoded"] and data["total"] >= 1
    html = client.get("/search?q=tinhr+uyr").get_data(as_text=True)
    assert f"Đã hiểu từ khóa là: <strong>{data['decoded']}</strong>" in html


def test_empty_state_helps(client):
    data = client.get("/api/search?q=qwzxv+plokm").get_json()
    html = client.get("/search?q=qwzxv+plokm&province=H%C3%A0+N%E1%BB%99i").get_data(as_text=True)
    assert data["total"] == 0 and data["hits"] == []
    assert "Không tìm thấy kết quả nào cho “qwzxv plokm”" in html
    assert "tìm lại không có bộ lọc" in html and 'href="/search?q=qwzxv+plokm"' in html


def test_article_page_and_api(client):
    hit = client.get("/api/search?q=lam+thi+phuong+thanh").get_json()["hits"][0]
    path = "/articles/" + quote(hit["id"])
    data = client.get("/api" + path + "?q=lam+thi+phuong+thanh").get_json()
    html = client.get(path + "?q=lam+thi+phuong+thanh").get_data(as_text=True)
    assert {k: data[k] for k in HIT_KEYS - {"score"}} == {k: hit[k] for k in HIT_KEYS - {"score"}}
    assert "score" not in data and "snippet" not in data and len(data["body"]) > 200
    assert "<mark>" in data["body_html"] and "<mark>" in html
    assert '<h1 id="article-title">' in html and 'class="article-body"' in html
    assert "Bài liên quan" in html
    for related in data["related"]:
        assert f'href="/articles/{quote(related["id"])}"' in html
    assert data["related"] and hit["id"] not in {r["id"] for r in data["related"]}


def test_article_links_to_its_source_only_when_http(client):
    html = client.get("/articles/fx-tphcm").get_data(as_text=True)
    assert 'href="https://www.sggp.org.vn/tphcm-trien-khai-nghi-quyet.html"' in html
    assert "Xem bài gốc" in html
    hostile = client.get("/articles/fx-hostile").get_data(as_text=True)
    assert "Xem bài gốc" not in hostile and "javascript:" not in hostile


def test_unknown_article_is_404(client):
    r = client.get("/api/articles/no-such-article")
    assert r.status_code == 404 and r.get_json()["error"]
    r = client.get("/articles/no-such-article")
    assert r.status_code == 404 and "Không tìm thấy bài viết" in r.get_data(as_text=True)


def test_suggest_without_diacritics(client):
    data = client.get("/api/suggest?q=lang+s").get_json()
    assert data["query"] == "lang s"
    assert {"value": "Lạng Sơn", "kind": "province"}.items() <= data["suggestions"][0].items()
    people = client.get("/api/suggest?q=lam+thi").get_json()["suggestions"]
    assert any(s["kind"] == "person" and s["value"] == "Lâm Thị Phương Thanh" for s in people)
    assert client.get("/api/suggest?q=").get_json() == {"query": "", "suggestions": []}
    r = client.get("/api/suggest?q=lang&format=opensearch")
    assert r.mimetype == "application/x-suggestions+json"
    assert r.get_json()[0] == "lang" and "Lạng Sơn" in r.get_json()[1]


def test_embed_is_chromeless_and_keeps_its_links(client):
    r = client.get("/embed?q=tinh+uy&per_page=2")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'class="embed"' in html
    assert "site-header" not in html and "site-footer" not in html
    assert 'action="/embed"' in html
    assert re.search(r'href="/articles/[^"]*" target="_blank" rel="noopener"', html)
    assert 'rel="next" href="/embed?' in html


def test_feed_is_atom_newest_first(client):
    r = client.get("/feed.atom?q=tinh+uy")
    assert r.status_code == 200 and r.mimetype == "application/atom+xml"
    feed = ET.fromstring(r.data)
    entries = feed.findall(ATOM + "entry")
    updated = [e.find(ATOM + "updated").text for e in entries]
    assert len(entries) >= 3 and updated == sorted(updated, reverse=True)
    assert feed.find(ATOM + "updated").text == updated[0]
    link = entries[0].find(ATOM + "link").get("href")
    assert link.startswith("http://localhost/articles/")
    assert client.get(urlsplit(link).path).status_code == 200
    html = client.get("/search?q=tinh+uy&sort=oldest").get_data(as_text=True)
    assert 'type="application/atom+xml"' in html and 'href="/feed.atom?q=tinh+uy"' in html


def test_opensearch_description(client):
    r = client.get("/opensearch.xml")
    assert r.mimetype == "application/opensearchdescription+xml"
    doc = ET.fromstring(r.data)
    templates = [u.get("template") for u in doc.iter("{http://a9.com/-/spec/opensearch/1.1/}Url")]
    assert "http://localhost/search?q={searchTerms}" in templates
    assert 'rel="search"' in client.get("/").get_data(as_text=True)


def test_widget_script_is_served(client):
    r = client.get("/widget.js")
    js = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/javascript"
    assert "data-vnsearch" in js and "api/search" in js
    assert not re.search(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|eval\(", js)
    assert client.get("/static/widget.css").status_code == 200


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/api/search?q=x&page=0", "page"),
        ("/api/search?q=x&per_page=500", "per_page"),
        ("/api/search?q=x&from=2020-02-31", "from"),
        ("/api/search?q=x&to=yesterday", "to"),
        ("/api/search?q=x&sort=random", "sort"),
        ("/api/search?q=x&year=twenty", "year"),
        ("/api/suggest?q=x&limit=99", "limit"),
        ("/api/suggest?q=x&format=xml", "format"),
        ("/feed.atom?q=x&page=-2", "page"),
    ],
)
def test_bad_parameters_answer_400_naming_them(client, url, named):
    r = client.get(url)
    assert r.status_code == 400
    message = r.get_json()["error"] if url.startswith("/api/") else r.get_data(as_text=True)
    assert named in message


@pytest.mark.parametrize("path", ["/search", "/embed"])
def test_bad_parameters_on_pages_are_friendly(client, path):
    r = client.get(path + "?q=x&from=23-05-2020")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and r.mimetype == "text/html"
    assert "Yêu cầu không hợp lệ" in html and "from" in html and "Traceback" not in html


def test_unknown_routes_and_methods(client):
    assert client.get("/api/nothing").get_json() == {"error": "Không tìm thấy trang bạn yêu cầu."}
    assert "Không tìm thấy" in client.get("/nothing").get_data(as_text=True)
    r = client.post("/api/search?q=x")
    assert r.status_code == 405 and "error" in r.get_json() and "GET" in r.headers["Allow"]


SEARCH_URL_CASES = [
    ({"q": "lanh dao"}, {}),
    ({"q": "Đại hội Đảng bộ", "province": ["Hòa Bình", "Sơn La"]}, {"page": 3}),
    ({"q": "a&b=c?d/e:f", "person": ["Lâm Thị Phương Thanh"]}, {"add": ("year", "2024")}),
    ({"q": "", "from": "2024-01-01", "to": "2024-12-31", "sort": "newest"}, {}),
    ({"q": "x", "source": ["Báo Hòa Bình"]}, {"remove": ("source", "Báo Hòa Bình")}),
    ({"q": "'!$()*,;@ +%"}, {"fmt": "atom"}),
    ({"q": "x"}, {"fmt": "embed", "_external": True}),
]


@pytest.mark.parametrize("subpath", ["", "/tim-kiem"])
@pytest.mark.parametrize(("state", "changes"), SEARCH_URL_CASES)
def test_search_url_is_what_url_for_builds(fixture_index, subpath, state, changes):
    """web.render.search_url builds the route once per request: the same URL url_for gives."""
    from flask import url_for

    from web.params import link_args
    from web.render import search_url

    app = make_app(fixture_index, SUBPATH=subpath)
    params = {
        "q": "",
        "province": [],
        "person": [],
        "source": [],
        "year": [],
        "from": "",
        "to": "",
        "sort": "relevance",
        "page": 1,
        "per_page": 10,
    }
    params.update(state)
    with app.test_request_context(f"{subpath}/search", base_url="http://intranet.example"):
        context = {"params": params, "fmt": "html"}
        fmt = changes.get("fmt", "html")
        per_page = app.config["FEED_SIZE"] if fmt == "atom" else app.config["PER_PAGE"]
        plain = {k: v for k, v in changes.items() if k not in ("fmt", "_external")}
        want = url_for(
            "search.search",
            fmt=fmt,
            _external=changes.get("_external", False),
            **link_args(params, per_page, **plain),
        )
        assert search_url(context, **changes) == want
        assert search_url(context, **changes) == want  # from the per-request base


# --- request limits come from the configuration -------------------------------------------


@pytest.fixture(scope="module")
def many_index(tmp_path_factory, fixture_corpus):
    """160 articles: the fixture articles' real text, each under several ids (copies of
    one another, so one story each: the tests ask for ``collapse=0`` to count articles)."""
    import json

    from search.write.reindex import reindex

    articles = json.loads((fixture_corpus[1] / "articles.json").read_text(encoding="utf-8"))
    corpus = tmp_path_factory.mktemp("many")
    with open(corpus / "many.jsonl", "w", encoding="utf-8") as out:
        for i in range(160):
            a = dict(articles[i % len(articles)], id=f"many-{i:03}")
            out.write(json.dumps(a, ensure_ascii=False) + "\n")
    root = tmp_path_factory.mktemp("many-index")
    reindex([corpus], root, full=True, jobs=1)
    return root


@pytest.mark.parametrize(
    ("env", "per_page", "status", "hits"),
    [
        ("200", "150", 200, 150),  # the operator raised the limit: the library follows
        ("200", "200", 200, 160),
        ("200", "201", 400, None),
        (None, "150", 400, None),  # the default limit, 100
        (None, "100", 200, 100),
        ("20", "50", 400, None),  # lowered
    ],
)
def test_max_per_page_comes_from_the_configuration(
    many_index, monkeypatch, env, per_page, status, hits
):
    for key in [k for k in os.environ if k.startswith("VNSEARCH_")]:
        monkeypatch.delenv(key)
    if env is not None:
        monkeypatch.setenv("VNSEARCH_MAX_PER_PAGE", env)
    client = create_app({"INDEX": str(many_index), "TESTING": True}).test_client()
    r = client.get(f"/api/search?per_page={per_page}&collapse=0")
    assert r.status_code == status, r.get_json()
    if hits is None:
        limit = env or "100"
        assert r.get_json() == {"error": f"Tham số per_page phải là số nguyên từ 1 đến {limit}."}
    else:
        page = r.get_json()
        assert (page["total"], page["per_page"], len(page["hits"])) == (160, int(per_page), hits)
