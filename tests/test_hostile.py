"""Hostile input, property-based: the query parser and every parameter of every search route.

Whatever a client sends, the answer is 200 or 400 (404 for an unknown
article). An unexpected exception is a 500 and the index is there, so a
500 or 503 fails (here and through conftest's check of every test client). Article ids
never reach the file system. Work is bounded: huge queries, ``*``, 500
OR-terms, a huge ``per_page`` or ``page`` answer 400 or a capped page (sizes
and statuses are checked, never times). Malformed HTTP goes to the real
waitress server, which must not announce itself either.

Hypothesis runs derandomized, without an example database, with modest
example counts: the same examples on every run, a few seconds in all.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_web import INTERFACE_KEYS, make_app
from threaded import running

from search.models import SORTS, SearchRequest
from search.read.engine import Engine
from search.read.query import MAX_ALTERNATIVES, MAX_CHARS, MAX_WORDS, parse_query
from web.resources import get_engine
from web.serve import create_server

WEB = Path(__file__).resolve().parents[1] / "web"
MAX_PER_PAGE = 100  # web/config.py's default
MAX_ANSWER_BYTES = 2_000_000  # far above any real page; a runaway answer is far above it

FEW = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
SOME = settings(FEW, max_examples=80)

# --- strategies -------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "*",
    "a*",
    "**",
    "-",
    "--x",
    '"',
    '""',
    "“”",
    "OR",
    "OR OR OR",
    "x OR",
    "-x OR y",
    "title:",
    'province:"',
    "person:*",
    "tinh:-",
    "\x00",
    "a\x00b",
    "\r\n\t",
    "\u202e\ufeff\u200b",
    "\ufffe\uffff",
    "%00",
    "%",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "'; DROP TABLE articles; --",
    "ddaij hooij ddangr",
    "lanh dao tinh uy",
    "Lãnh đạo tỉnh ủy",
    "Lãnh đạo tỉnh ủy",  # NFD
    "𝕷𝖆𝖓𝖌 𝕾𝖔𝖓",
    "١٢٣",
    "１２３",
    "9" * 400,
    "đ" * 499,
    "a" * 501,
]
SYNTAX = 'daeoiuwnhgtsfrjx19 -*:"“”()ORtitle:province:person:đạăêôơư\x00\t'

hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=SYNTAX, max_size=60),
)
hostile_int = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.integers(0, 120).map(str),
    st.sampled_from(["", " ", "0", "1", "-1", "+1", "1.0", "1e3", "0x10", "١", "１", " 5 "]),
    st.sampled_from(["10" * 30, "nan", "inf", "99999999999999999999999", "1000", "1001"]),
    hostile_text,
)
hostile_date = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2020-02-30", "0000-01-01", "9999-12-31", "2020-1-1", "20200101"]),
    st.sampled_from(["2020-01-01T00:00", "23/05/2020", "2020-13-01", "-2020-01-01"]),
    hostile_text,
)
hostile_year = st.one_of(
    st.integers(0, 10_000).map(str),
    st.sampled_from(["", "0000", "20 20", "２０２０"]),
    hostile_text,
)
FACET_VALUES = ["Lạng Sơn", "lang son", "Hà Nội", "Phạm Minh Chính", "Báo Lạng Sơn"]
facet_value = st.one_of(st.sampled_from(FACET_VALUES), hostile_text)


def _many(values: st.SearchStrategy) -> st.SearchStrategy:
    """One or several values of a repeatable parameter, sometimes more than allowed."""
    return st.one_of(st.lists(values, min_size=1, max_size=3), st.lists(values, max_size=25))


search_params = st.fixed_dictionaries(
    {},
    optional={
        "q": st.lists(hostile_text, min_size=1, max_size=2),
        "province": _many(facet_value),
        "person": _many(facet_value),
        "source": _many(facet_value),
        "year": _many(hostile_year),
        "from": st.lists(hostile_date, min_size=1, max_size=2),
        "to": st.lists(hostile_date, min_size=1, max_size=2),
        "sort": st.lists(st.one_of(st.sampled_from([*SORTS, "NEWEST", " oldest"]), hostile_text)),
        "page": st.lists(hostile_int, min_size=1, max_size=2),
        "per_page": st.lists(hostile_int, min_size=1, max_size=2),
        "format": st.lists(hostile_text, min_size=1, max_size=1),  # ignored here
        "limit": st.lists(hostile_int, min_size=1, max_size=1),
    },
)


def query_string(params: dict[str, list[str]]) -> str:
    return urlencode([(k, v) for k, vs in params.items() for v in vs])


# Raw bytes, percent-encoded: invalid UTF-8, stray separators, keys without values.
raw_query = st.one_of(
    st.lists(
        st.tuples(
            st.sampled_from([b"q", b"province", b"page", b"per_page", b"from", b"year", b"sort"])
            | st.binary(max_size=8),
            st.binary(max_size=30),
        ),
        max_size=6,
    ).map(lambda kv: "&".join(quote_from_bytes(k) + "=" + quote_from_bytes(v) for k, v in kv)),
    st.text(alphabet="%&=+;?qpage_01239azZ-:/", max_size=40),
)

# --- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def app(fixture_index):
    app = make_app(fixture_index)
    with app.app_context():
        get_engine().snapshot().vocabulary_ready.wait(30)
    return app


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def known_ids(app) -> set[str]:
    with app.app_context():
        snap = get_engine().snapshot()
    return set(snap.id_to_doc)


def check_answer(r, path: str, allowed=(200, 400)) -> None:
    """Status allowed, body of the right kind, no traceback, bounded size."""
    where = (path, r.status_code, r.get_data(as_text=True)[:300])
    assert r.status_code in allowed, where
    assert len(r.data) < MAX_ANSWER_BYTES, where
    text = r.get_data(as_text=True)
    assert "Traceback" not in text, where
    if path.startswith("/api/"):
        assert r.mimetype in ("application/json", "application/x-suggestions+json"), where
        data = r.get_json()
        if r.status_code != 200:
            assert isinstance(data["error"], str) and data["error"], where
    elif path == "/feed.atom":  # results or the error, always a feed reader's format
        assert r.mimetype == "application/atom+xml", where
        ET.fromstring(r.data)  # well-formed XML whatever the query held
    else:
        assert r.mimetype == "text/html", where


# --- the query parser ---------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
syntax_runs = st.lists(
    st.sampled_from(["OR", "-", "*", '"', "title:", "province:", "x", "đảng", "a*", "-b", "c:d"]),
    max_size=400,
).map(" ".join)


def words_in(p) -> int:
    runs = [r for g in p.groups for r in g] + list(p.excluded)
    return sum(len(_WORD.findall(r.text)) for r in runs)


@SOME
@given(st.one_of(hostile_text, syntax_runs, st.text(min_size=200, max_size=3000)))
def test_parse_query_bounds_its_work(q):
    p = parse_query(q)
    assert words_in(p) <= MAX_WORDS
    assert len(p.groups) + len(p.excluded) <= MAX_WORDS
    assert all(1 <= len(g) <= MAX_ALTERNATIVES for g in p.groups)
    assert len(p.text) <= MAX_CHARS
    assert p.decoded is None or len(p.decoded) <= MAX_CHARS + 10
    assert parse_query(q) == p  # pure: the same query, the same parse


@FEW
@given(
    st.text(
        alphabet=st.characters(categories=["Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp", "Co"]),
        max_size=50,
    ),
    st.text(max_size=20),
)
def test_parse_query_survives_invisible_and_combining_characters(noise, text):
    mixed = "".join(a + b for a, b in zip(noise, text + " " * len(noise), strict=False))
    p = parse_query(mixed + text)
    assert words_in(p) <= MAX_WORDS and len(p.text) <= MAX_CHARS


@pytest.mark.parametrize(
    "q",
    [
        "x" * 10_000,
        "đảng " * 2_000,
        " OR ".join(f"từ{i}" for i in range(500)),
        " OR ".join(["a*"] * 500),
        "-" * 10_000,
        '"' * 10_001,
        "title:" * 2_000,
        "\x00" * 10_000,
    ],
)
def test_parse_query_of_huge_input_is_capped(q):
    p = parse_query(q)
    assert words_in(p) <= MAX_WORDS and len(p.text) <= MAX_CHARS
    assert all(len(g) <= MAX_ALTERNATIVES for g in p.groups)


# --- every parameter of every search route -------------------------------------------


@SOME
@given(st.sampled_from(["/api/search", "/search", "/feed.atom", "/embed"]), search_params)
def test_search_routes_answer_200_or_400(client, path, params):
    r = client.get(path + "?" + query_string(params))
    check_answer(r, path)
    if path == "/api/search" and r.status_code == 200:
        data = r.get_json()
        assert INTERFACE_KEYS <= set(data)
        assert 1 <= data["per_page"] <= MAX_PER_PAGE and len(data["hits"]) <= data["per_page"]
        assert data["total"] >= len(data["hits"])


@FEW
@given(st.sampled_from(["/api/search", "/search", "/feed.atom", "/embed"]), raw_query)
def test_raw_query_strings_answer_200_or_400(client, path, raw):
    check_answer(client.get(path + "?" + raw), path)


@FEW
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "q": st.lists(hostile_text, min_size=1, max_size=2),
            "limit": st.lists(hostile_int, min_size=1, max_size=2),
            "format": st.lists(
                st.one_of(st.sampled_from(["json", "opensearch", "JSON", "xml"]), hostile_text),
                min_size=1,
                max_size=2,
            ),
        },
    )
)
def test_suggest_answers_200_or_400(client, params):
    r = client.get("/api/suggest?" + query_string(params))
    check_answer(r, "/api/suggest")
    if r.status_code == 200:
        data = r.get_json()
        if r.mimetype == "application/x-suggestions+json":
            assert isinstance(data, list) and len(data) == 2 and len(data[1]) <= 20
        else:
            assert set(data) == {"query", "suggestions"} and len(data["suggestions"]) <= 20


# --- article ids ----------------------------------------------------------------------

path_like_id = st.lists(
    st.sampled_from(["..", ".", "", "etc", "passwd", "CURRENT", "g000001", "TOC", "\x00", "%00"]),
    min_size=1,
    max_size=6,
).map("/".join)
hostile_id = st.one_of(path_like_id, hostile_text.filter(bool), st.text(min_size=1, max_size=80))


@SOME
@given(
    st.sampled_from(["/api/articles/", "/articles/"]),
    hostile_id,
    st.sampled_from(["/", ""]),
    st.one_of(st.just(""), hostile_text),
)
def test_article_ids_answer_200_only_for_known_ids(client, known_ids, prefix, doc_id, safe, q):
    path = prefix + quote(doc_id, safe=safe)
    r = client.get(path, query_string={"q": q} if q else None)
    check_answer(r, prefix, allowed=(200, 400, 404))
    if r.status_code == 200:
        assert doc_id in known_ids or doc_id.strip("/") in known_ids, doc_id
        if prefix == "/api/articles/":
            assert r.get_json()["id"] in known_ids
    elif r.status_code == 400:
        assert len(q) > 500, (doc_id, q)  # only q can be bad: too long


@FEW
@given(st.one_of(st.text(min_size=1, max_size=60), path_like_id.filter(bool)))
@example("https://baomoi.com/a-b/c123.epi")  # a URL as id: "//" used to be merged away
@example("/leading/slash")
@example("two\nlines")  # werkzeug's path converter stops at a newline
@example("trailing/")
def test_any_id_links_back_to_itself(app, doc_id):
    """An id put into a link by url_for reaches the view unchanged (so the link works)."""
    from flask import url_for

    seen: list[str] = []
    with app.test_request_context():
        url = url_for("articles.article", fmt="json", doc_id=doc_id)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Engine, "article", lambda self, i, q="": seen.append(i))
        r = app.test_client().get(url)
    assert r.status_code == 404 and seen == [doc_id], (doc_id, url, r.status_code, seen)


# Every file opened while hostile ids are looked up (audit hooks cannot be removed,
# so the hook stays and records only while this list exists).
_opened: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and not isinstance(args[0], int):
        _opened.append(os.fsdecode(os.fspath(args[0])))


sys.addaudithook(_audit)


def test_article_ids_never_read_a_file(client, fixture_index, tmp_path):
    global _opened
    canary = tmp_path / "canary-secret.txt"
    canary.write_text("CANARY-7f3a")
    rel = os.path.relpath(canary, fixture_index)
    ids = [
        rel,
        "../" * 12 + str(canary).lstrip("/"),
        str(canary),
        "../../../../../../etc/passwd",
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "..\\..\\..\\etc\\passwd",
        "CURRENT",
        "g000001/TOC",
        "fx-tphcm\x00.txt",
        "\x00",
        "x" * 100_000,
        "%00" * 1000,
    ]
    client.get("/articles/fx-tphcm")  # templates loaded before recording
    _opened = []
    try:
        for doc_id in ids:
            for prefix in ("/api/articles/", "/articles/", "/static/"):
                for safe in ("/", ""):
                    r = client.get(prefix + quote(doc_id, safe=safe))
                    if r.status_code == 308 and prefix == "/static/":  # a//b: merged, same site
                        assert r.headers["Location"].startswith("http://localhost/static/")
                        continue
                    assert r.status_code == 404, (prefix, doc_id, r.status_code)
                    assert b"CANARY" not in r.data and b"root:" not in r.data
    finally:
        opened, _opened = _opened, None
    index = os.path.realpath(fixture_index)
    outside = [
        p
        for p in opened
        if not os.path.realpath(p).startswith((index, str(WEB), sys.prefix, sys.base_prefix))
    ]
    assert not outside and not [p for p in opened if "canary" in p or "passwd" in p], opened


# --- resource bounds -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?q=" + "x" * 10_000,
        "/api/search?q=" + quote(" OR ".join(f"từ{i}" for i in range(500))),
        "/api/search?q=x&per_page=100000",
        "/api/search?q=x&page=1000000000",
        "/api/search?q=x&page=10000",
        "/api/search?" + "&".join(f"province=p{i}" for i in range(1000)),
        "/api/search?year=" + "2" * 10_000,
        "/api/search?province=" + "x" * 10_000,
        "/search?q=" + "x" * 10_000,
        "/embed?q=x&per_page=100000",
        "/feed.atom?q=x&page=1000000000",
        "/api/suggest?q=" + "x" * 10_000,
        "/api/suggest?q=x&limit=100000",
        "/articles/fx-tphcm?q=" + "x" * 10_000,
    ],
)
def test_oversized_requests_are_refused(client, url):
    r = client.get(url)
    path = url.split("?")[0]
    check_answer(r, "/articles/" if path.startswith("/articles/") else path, allowed=(400,))


@pytest.mark.parametrize(
    "q",
    ["*", "a*", "**", "x*", "-", " OR ".join(["a"] * 100), "đ* OR t* OR n* OR h* OR c*"],
)
@pytest.mark.parametrize("per_page", [10, MAX_PER_PAGE])
def test_match_everything_queries_answer_a_capped_page(client, known_ids, q, per_page):
    r = client.get("/api/search", query_string={"q": q, "per_page": per_page})
    check_answer(r, "/api/search", allowed=(200,))
    data = r.get_json()
    assert len(data["hits"]) <= per_page and data["total"] <= len(known_ids)
    assert len(r.data) < 25_000 * per_page  # a snippet, not a body, per hit


def test_last_allowed_page_is_empty_not_expensive(client):
    r = client.get("/api/search?q=*&page=1000&per_page=100")
    check_answer(r, "/api/search", allowed=(200,))
    assert r.get_json()["hits"] == [] and len(r.data) < 20_000


@pytest.mark.parametrize(
    "q",
    [
        "x" * 10_000,
        " OR ".join(f"từ{i}" for i in range(500)),
        " ".join(["đảng*"] * 500),
        "*" * 10_000,
        '"' + "tỉnh ủy " * 2000 + '"',
    ],
)
def test_engine_caps_huge_queries_itself(engine, q):
    """The library is bounded too, for callers other than the web (the CLI, scripts)."""
    page = engine.search(SearchRequest(q=q, per_page=100))
    assert len(page.hits) <= 100 and page.total <= engine.snapshot().count
    assert len(engine.complete(q, limit=10**9)) <= 20


@FEW
@given(
    st.sampled_from(["POST", "PUT", "DELETE", "PATCH"]),
    st.sampled_from(["/api/search", "/search", "/api/articles/fx-tphcm", "/api/suggest", "/"]),
)
def test_other_methods_answer_405(client, method, path):
    r = client.open(path, method=method, data=b"x" * 1000)
    assert r.status_code == 405 and "GET" in r.headers["Allow"], (method, path)
    assert "Traceback" not in r.get_data(as_text=True)


@FEW
@given(
    st.sampled_from(["/feed.atom?q=tinh", "/opensearch.xml", "/search?q=tinh"]),
    st.one_of(
        st.sampled_from(['a"b', "x<y>", "évil.vn", "a b", "[::1", "h:99999", "x\x00y", ""]),
        st.text(alphabet='abc.:-_"<>&[]@/ ', max_size=20),
    ),
)
def test_hostile_host_header(client, path, host):
    """External URLs (feed, OpenSearch) are built from Host: it must not break them."""
    r = client.get(path, headers={"Host": host})
    assert r.status_code in (200, 400), (host, r.status_code)
    if r.status_code == 200 and not path.startswith("/search"):
        ET.fromstring(r.data)


# --- the real server --------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(app):
    """`vnsearch serve`'s waitress server on a free port, in a thread."""
    with running(create_server(app, "127.0.0.1", 0)) as srv:
        yield srv


def raw_exchange(port: int, data: bytes) -> bytes | None:
    """Send ``data`` as is and read the whole answer (the server closes after errors).

    None when the connection was reset: waitress answers an oversized request
    and closes before reading the rest, and the reset may overtake the answer.
    """
    chunks = []
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            sock.sendall(data)
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            return b"".join(chunks) or None
    return b"".join(chunks)


def test_real_server_announces_no_software(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=10)
    try:
        for path in ("/", "/api/search?q=tinh", "/nothing", "/static/style.css"):
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            headers = {k.lower(): v for k, v in r.getheaders()}
            assert "server" not in headers and "via" not in headers, (path, headers)
            assert "waitress" not in str(headers).lower()
            assert headers["x-content-type-options"] == "nosniff"
            assert "default-src 'none'" in headers["content-security-policy"]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "data",
    [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        b"GET /" + b"a" * 300_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"y" * 300_000 + b"\r\n\r\n",
        b"POST /api/search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"GET /api/search?q=%00%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET /api/articles/..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ],
)
def test_malformed_http_gets_an_anonymous_error(server, data):
    answer = raw_exchange(server.effective_port, data)
    if answer is None:
        assert len(data) > 262_144  # waitress's max_request_header_size: refused, nothing said
        return
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert status in (200, 400, 404, 405, 413, 431, 501, 505), head
    assert b"\r\nserver:" not in head.lower() and b"waitress" not in answer.lower(), answer[:500]
    assert b"root:" not in body and b"Traceback" not in body
