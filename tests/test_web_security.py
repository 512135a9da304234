"""Hostile content in every output, headers, CORS, sub-paths, and no 500 for any request."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from test_web import make_app

from search.read.engine import Engine
from web.resources import get_engine

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_ID = "web/hostile <x>&\"'?#1"
# Every element our templates write; anything else in a page came from content.
OUR_TAGS = set(
    "html head meta title link body a header main footer p h1 h2 h3 form div label input "
    "button fieldset legend select option section ol ul li article time span mark aside nav "
    "dl dt dd script em strong details summary".split()
    # the month chart (server-drawn SVG) and its table equivalent
    + "figure figcaption svg desc rect line text table thead tbody tr th td".split()
)


class Elements(HTMLParser):
    """Collects (tag, attributes) of every start tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def assert_safe_html(text: str, where: str = "") -> None:
    """Only our own elements, no event handlers, no javascript: URLs, only our scripts."""
    parser = Elements()
    parser.feed(text)
    for tag, attrs in parser.found:
        assert tag in OUR_TAGS, (where, tag, attrs)
        assert not [a for a in attrs if a.startswith("on")], (where, tag, attrs)
        for name in ("href", "src", "action"):
            assert not attrs.get(name, "").strip().lower().startswith("javascript:"), where
        if tag == "script":
            assert attrs["src"].endswith("/static/suggest.js"), (where, attrs)


def assert_safe_feed(data: bytes, where: str = "") -> None:
    """Well-formed XML whose HTML summaries hold <mark> and text only."""
    feed = ET.fromstring(data)  # raises on a stray control character or raw markup
    for summary in feed.iter(ATOM + "summary"):
        assert summary.get("type") == "html"
        parser = Elements()
        parser.feed(summary.text or "")
        assert {tag for tag, _ in parser.found} <= {"mark"}, where


# The routes that ask the engine something.
ENGINE_ROUTES = [
    "/search?q=x",
    "/api/search?q=x",
    "/embed?q=x",
    "/feed.atom?q=x",
    "/articles/fx-tphcm",
    "/api/articles/fx-tphcm",
    "/api/suggest?q=lang",
]
ROUTES = [
    "/",
    *ENGINE_ROUTES,
    "/widget.js",
    "/opensearch.xml",
    "/static/style.css",
    "/nothing",
    "/api/search?page=0",
]


@pytest.fixture(scope="module")
def app(fixture_index):
    return make_app(fixture_index, ALLOWED_ORIGINS="https://intranet.example, http://127.0.0.1:9")


@pytest.fixture
def client(app):
    return app.test_client()


def pages_with_hostile_content(client) -> dict:
    """Every output that shows the hostile fixture articles, by URL."""
    urls = []
    for q in ("kiem thu bao mat", "hội nghị cán bộ chủ chốt", "<script>alert(1)</script>"):
        for fmt in ("/search", "/embed", "/feed.atom"):
            urls.append(f"{fmt}?q={quote(q)}")
    hostile_province = "</a><script>alert('province')</script>"
    urls += [
        "/search?province=" + quote(hostile_province),
        "/search?person=" + quote("<b onmouseover=alert('person')>Ông X</b>"),
        "/articles/fx-hostile?q=" + quote("<script>alert(1)</script> cán bộ"),
        "/articles/" + quote(HOSTILE_ID) + "?q=kiem+thu",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E&from=bad",  # 400 page echoing nothing raw
        "/embed?q=%3Cimg%20src=x%20onerror=alert(1)%3E&page=0",
    ]
    return {url: client.get(url) for url in urls}


def test_hostile_fixtures_are_indexed(client):
    assert client.get("/api/search?q=kiem+thu+bao+mat").get_json()["total"] >= 1
    assert client.get("/api/articles/" + quote(HOSTILE_ID)).status_code == 200


def test_no_output_carries_hostile_markup(client):
    for url, response in pages_with_hostile_content(client).items():
        if url.startswith("/feed.atom"):
            assert_safe_feed(response.data, url)
        else:
            assert_safe_html(response.get_data(as_text=True), url)
        assert "Traceback" not in response.get_data(as_text=True)


def test_hostile_strings_are_shown_as_text(client):
    html = client.get("/search?q=kiem+thu+bao+mat").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;source&#39;)&lt;/script&gt;" in html  # source, as text
    assert "&lt;/a&gt;&lt;script&gt;" in html  # the province tag link label
    article = client.get("/articles/" + quote(HOSTILE_ID)).get_data(as_text=True)
    assert "&lt;mark&gt;giả&lt;/mark&gt;" in article  # <mark> typed in a body is text
    assert "{{ 7*7 }}" in article  # no template evaluation of content
    assert "&#34;&gt;&lt;script&gt;alert(&#39;url&#39;)" in article  # http url, attribute-escaped


def test_snippet_html_is_only_marks(client):
    for path in ("/search", "/embed"):
        html = client.get(path + "?q=kiem+thu+bao+mat").get_data(as_text=True)
        for snippet in re.findall(r'<p class="snippet">(.*?)</p>', html, re.S):
            assert set(re.findall(r"</?([a-z]+)", snippet)) <= {"mark"}


def test_hostile_query_is_escaped_everywhere(client):
    q = quote('"><script>alert(1)</script>')
    for url in (
        f"/search?q={q}",
        f"/embed?q={q}",
        f"/articles/fx-tphcm?q={q}",
        f"/feed.atom?q={q}",
    ):
        text = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in text and '"><script' not in text
    data = client.get(f"/api/search?q={q}").get_json()
    assert data["query"] == '"><script>alert(1)</script>'  # JSON is data, served as JSON


def test_feed_is_well_formed_with_control_characters_and_markup(client):
    r = client.get("/feed.atom?q=kiem+thu+bao+mat")
    assert_safe_feed(r.data)
    feed = ET.fromstring(r.data)
    atom = ATOM
    entry = next(e for e in feed.iter(atom + "entry") if "Kiểm thử" in e.find(atom + "title").text)
    assert "<img src=x" in entry.find(atom + "title").text  # the text itself, escaped in XML
    summary = entry.find(atom + "summary")
    assert summary.get("type") == "html"
    assert set(re.findall(r"</?([a-z]+)", summary.text)) <= {"mark"}
    related = [
        link.get("href") for link in entry.iter(atom + "link") if link.get("rel") == "related"
    ]
    assert related == ["https://example.org/a?x=\"><script>alert('url')</script>"]


def test_hostile_id_round_trips_through_links(client):
    html = client.get("/search?q=kiem+thu+bao+mat").get_data(as_text=True)
    link = next(
        unescape(h) for h in re.findall(r'href="(/articles/[^"]*)"', html) if "hostile" in h
    )
    assert "#" not in link and "<" not in link and '"' not in link
    r = client.get(link)
    assert r.status_code == 200 and "Kiểm thử bảo mật" in r.get_data(as_text=True)


@pytest.mark.parametrize("url", [u for u in ROUTES if not u.startswith("/embed")])
def test_security_headers_on_every_response(client, url):
    r = client.get(url)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert "Server" not in r.headers
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and r.headers["X-Frame-Options"] == "DENY"


def test_embed_may_be_framed_by_configured_origins_only(client):
    r = client.get("/embed?q=x")
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://intranet.example http://127.0.0.1:9" in csp
    assert "X-Frame-Options" not in r.headers
    assert r.headers["X-Content-Type-Options"] == "nosniff" and "Server" not in r.headers
    assert (
        "frame-ancestors 'self' https"
        in client.get("/embed?page=0").headers["Content-Security-Policy"]
    )  # also on its error page


def test_cors_only_for_allowed_origins(client):
    ok = client.get("/api/search?q=x", headers={"Origin": "https://intranet.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://intranet.example"
    assert "Origin" in ok.headers["Vary"]
    other = client.get("/api/search?q=x", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    assert (
        "Access-Control-Allow-Origin"
        not in client.get("/search?q=x", headers={"Origin": "https://intranet.example"}).headers
    )
    pre = client.options(
        "/api/search",
        headers={"Origin": "https://intranet.example", "Access-Control-Request-Method": "GET"},
    )
    assert pre.status_code == 200 and "GET" in pre.headers["Access-Control-Allow-Methods"]
    bad = client.get("/api/search?page=0", headers={"Origin": "https://intranet.example"})
    assert bad.status_code == 400 and bad.headers["Access-Control-Allow-Origin"]


def test_any_origin_when_configured(fixture_index):
    client = make_app(fixture_index, ALLOWED_ORIGINS="*").test_client()
    r = client.get("/api/search?q=x", headers={"Origin": "https://a.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "frame-ancestors *" in client.get("/embed").headers["Content-Security-Policy"]


# Which routes call which Engine method: a method that raises breaks exactly these.
CALLERS = {
    "search": ["/search?q=x", "/api/search?q=x", "/embed?q=x", "/feed.atom?q=x"],
    "article": ["/articles/fx-tphcm", "/api/articles/fx-tphcm"],
    "highlight_body": ["/articles/fx-tphcm", "/api/articles/fx-tphcm"],
    "related": ["/articles/fx-tphcm", "/api/articles/fx-tphcm"],
    "complete": ["/api/suggest?q=lang"],
}


@pytest.mark.server_errors(500)
@pytest.mark.parametrize("method", sorted(CALLERS))
def test_a_bug_in_the_engine_is_500_logged_in_the_request_format(
    client, monkeypatch, caplog, method
):
    """An Engine method that raises: 500 (not 503), traceback logged, nothing leaked."""

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire /secret/path")

    monkeypatch.setattr(Engine, method, boom)
    for url in ENGINE_ROUTES:
        caplog.clear()
        r = client.get(url)
        text = r.get_data(as_text=True)
        if url not in CALLERS[method]:
            assert r.status_code == 200, (method, url, r.status_code)
            continue
        assert r.status_code == 500, (method, url, r.status_code)
        assert "Retry-After" not in r.headers, url
        assert "Traceback" not in text and "/secret/path" not in text, url
        logged = [rec for rec in caplog.records if rec.levelname == "ERROR" and rec.exc_info]
        assert logged and "disk on fire" in str(logged[0].exc_info[1]), url
        if url.startswith("/api/"):
            assert r.mimetype == "application/json" and "lỗi" in r.get_json()["error"], url
        elif url.startswith("/feed.atom"):
            assert r.mimetype == "application/atom+xml", url
            feed = ET.fromstring(r.data)
            assert "lỗi" in feed.find(ATOM + "subtitle").text, url
        else:
            assert r.mimetype == "text/html" and "Lỗi hệ thống" in text, url
            if url.startswith("/embed"):
                assert "<header" not in text, url  # the chromeless embed page


@pytest.mark.server_errors(503)
def test_no_index_yet_then_reindexed_without_restart(tmp_path, fixture_index):
    root = tmp_path / "index"
    root.mkdir()
    client = make_app(root).test_client()
    r = client.get("/api/search?q=tinh+uy")
    assert r.status_code == 503 and r.get_json()["error"] and r.headers["Retry-After"]
    page = client.get("/search?q=tinh+uy")
    assert page.status_code == 503 and "thử lại" in page.get_data(as_text=True)
    assert client.get("/").status_code == 200  # the home page needs no index
    shutil.copytree(fixture_index, root, dirs_exist_ok=True)  # a reindex lands
    assert client.get("/api/search?q=tinh+uy").get_json()["total"] >= 3


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/search?q=%00%01%02", 200),
        ("/search?q=%ff%fe%80", 200),
        ("/api/search?q=" + "a" * 5000, 400),  # q is at most 500 characters
        ("/api/search?q=%22%27%5C%2A%3F%28%29%5B%5D%7B%7D%3A%5E~AND+OR+NOT", 200),
        ("/api/search?q=*", 200),
        ("/api/search?q=%E2%80%AE%EF%BB%BF", 200),
        ("/api/search?province=%00&person=&year=0000", 200),
        ("/api/search?q=x&page=99999999999999999999999", 400),
        ("/api/search?q=x&per_page=%EF%BC%91", 400),  # a full-width digit one
        ("/api/articles/", 404),
        ("/api/articles/%00", 404),
        ("/articles/../../etc/passwd", 404),
        ("/api/articles/" + "x" * 3000, 404),
        ("/api/suggest?q=%00", 200),
        ("/feed.atom?q=%00", 200),
        ("/static/../web/__init__.py", 404),
        ("/widget.js?x=%ff", 200),
    ],
)
def test_odd_requests_get_their_answer(client, url, status):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code)
    assert "Traceback" not in r.get_data(as_text=True)


def test_sub_path_mount(fixture_index):
    client = make_app(fixture_index, SUBPATH="/tintuc").test_client()
    for url in ("/tintuc/search?q=tinh+uy", "/search?q=tinh+uy"):  # proxy keeps or strips it
        html = client.get(url).get_data(as_text=True)
        links = re.findall(r'(?:href|action|src|data-suggest-url)="([^"#]*)"', html)
        local = [h for h in links if not h.startswith("http")]
        assert local and all(h.startswith("/tintuc/") for h in local), local
    feed = client.get("/tintuc/feed.atom?q=tinh+uy").get_data(as_text=True)
    assert "http://localhost/tintuc/articles/" in feed
    assert client.get("/tintuc/static/style.css").status_code == 200
    assert "http://localhost/tintuc/search?q={searchTerms}" in client.get(
        "/tintuc/opensearch.xml"
    ).get_data(as_text=True)


def test_forwarded_prefix_from_a_trusted_proxy(fixture_index):
    client = make_app(fixture_index, TRUSTED_PROXIES=1).test_client()
    headers = {
        "X-Forwarded-Prefix": "/tin",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "a.vn",
    }
    feed = client.get("/feed.atom?q=tinh+uy", headers=headers).get_data(as_text=True)
    assert "https://a.vn/tin/articles/" in feed
    untrusted = make_app(fixture_index).test_client()
    assert "/tin/" not in untrusted.get("/search?q=x", headers=headers).get_data(as_text=True)


def test_one_engine_per_app(app):
    with app.app_context():
        first = get_engine()
    with app.app_context():
        assert get_engine() is first
