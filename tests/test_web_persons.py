"""Person and post pages, HTML and JSON; the month chart of the search page."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from test_web import make_app

from web.resources import get_engine

THANH = "Lâm Thị Phương Thanh"


@pytest.fixture(scope="module")
def app(fixture_index):
    app = make_app(fixture_index)
    with app.app_context():
        get_engine().snapshot()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.mark.parametrize("name", [THANH, "lam-thi-phuong-thanh", "LAM THI PHUONG THANH"])
def test_person_json(client, name):
    r = client.get("/api/persons/" + quote(name))
    assert r.status_code == 200
    d = r.get_json()
    assert list(d) == [
        "name",
        "articles",
        "first_seen",
        "last_seen",
        "roles",
        "provinces",
        "related_persons",
        "timeline",
        "hits",
    ]
    assert d["name"] == THANH
    assert d["roles"][0]["role"] in ("Bí thư Tỉnh ủy Lạng Sơn", "Ủy viên Trung ương Đảng")
    assert {h["id"] for h in d["hits"]} == {"000_b9ca21308674c971.txt", "001_ad5a731278720d44.txt"}


def test_person_page(client):
    r = client.get("/persons/lam-thi-phuong-thanh")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert f'<h1 id="person-h">{THANH}</h1>' in html
    # roles in a table, each post linking to its holders
    table = html[html.index('<table class="roles">') : html.index("</table>")]
    assert '<a href="/posts/bi-thu-tinh-uy-lang-son">Bí thư Tỉnh ủy Lạng Sơn</a>' in table
    # a timeline drawn on the server, with a title and a text equivalent, no script
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<title" in svg and "<desc" in svg and svg.count('<rect class="bar"') == 2
    assert "<script" not in html[html.index("<main") : html.index("</main>")]
    assert "<td>10/2018</td><td>1</td>" in html
    # co-mentioned persons link to their pages; a link searches all their articles
    assert '<a href="/persons/pham-ngoc-thuong">Phạm Ngọc Thưởng</a>' in html
    assert "/search?person=L%C3%A2m+Th%E1%BB%8B+Ph%C6%B0%C6%A1ng+Thanh&amp;sort=newest" in html


def test_post_json_and_page(client):
    r = client.get("/api/posts/" + quote("Bí thư Tỉnh uỷ Lạng Sơn"))
    assert r.status_code == 200
    assert [h["name"] for h in r.get_json()["holders"]] == ["Trần Sỹ Thanh", THANH]
    html = client.get("/posts/bi-thu-tinh-uy-lang-son").get_data(as_text=True)
    assert html.index("/persons/tran-sy-thanh") < html.index("/persons/lam-thi-phuong-thanh")


@pytest.mark.parametrize("path", ["/persons/", "/posts/"])
@pytest.mark.parametrize("name", ["khong-co-ai", "%20", "Lạng Sơn"])
def test_unknown_is_404_in_the_requests_format(client, path, name):
    page = client.get(path + name)
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "Không tìm thấy" in page.get_data(as_text=True)
    api = client.get("/api" + path + name)
    assert api.status_code == 404 and api.mimetype == "application/json"
    assert "error" in api.get_json()


def test_search_json_has_month_facet(client):
    d = client.get("/api/search?q=tinh+uy").get_json()
    months = [m["value"] for m in d["facets"]["month"]]
    assert months == sorted(months) and months
    assert d["facets"]["year"]  # years stay as they are


def test_search_page_month_bars_narrow_the_search(client):
    html = client.get("/search?q=tinh+uy&province=L%E1%BA%A1ng+S%C6%A1n").get_data(as_text=True)
    svg = html[html.index('<svg class="timeline-svg"') : html.index("</svg>")]
    links = [unescape(h) for h in re.findall(r'<a class="bar-link" href="([^"]+)"', svg)]
    assert links
    args = parse_qs(urlsplit(links[0]).query)
    assert args["q"] == ["tinh uy"] and args["province"] == ["Lạng Sơn"]
    first, last = args["from"][0], args["to"][0]
    assert first[:7] == last[:7] and first.endswith("-01")
    narrowed = client.get(links[0].replace("/search", "/api/search", 1)).get_json()
    assert narrowed["total"] >= 1
    assert all(first <= h["date"] <= last for h in narrowed["hits"])
    assert [m["value"] for m in narrowed["facets"]["month"]] == [first[:7]]


def test_person_tags_and_facet_values_link_to_the_person_page(client):
    html = client.get("/search?q=tinh+uy+lang+son").get_data(as_text=True)
    assert 'class="tag tag-person" href="/persons/lam-thi-phuong-thanh"' in html
    facet = html[html.index('id="facet-person"') :]
    assert "person=L%C3%A2m+Th%E1%BB%8B+Ph%C6%B0%C6%A1ng+Thanh" in facet  # the filter stays
    assert 'class="person-page" href="/persons/lam-thi-phuong-thanh"' in facet
    article = client.get("/articles/000_b9ca21308674c971.txt").get_data(as_text=True)
    assert 'href="/persons/lam-thi-phuong-thanh"' in article


@pytest.mark.parametrize(
    ("points", "months", "left_out"),
    [
        ([], [], 0),
        ([{"month": "2019-06", "count": 3}], ["2019-06"], 0),
        # months without articles are gaps on the axis, not squeezed out
        (
            [{"value": "2019-11", "count": 2}, {"value": "2020-01", "count": 1}],
            ["2019-11", "2019-12", "2020-01"],
            0,
        ),
        # a date misread from the text (1900) would squeeze a long axis into a corner
        (
            [{"value": "1900-07", "count": 1}]
            + [{"value": f"{y}-{m:02d}", "count": 9} for y in range(2010, 2021) for m in (1, 6)],
            None,
            1,
        ),
    ],
)
def test_month_bars(points, months, left_out):
    from web.charts import month_bars

    chart = month_bars(points)
    got = [b.month for b in chart.bars]
    if months is not None:
        assert got == months
    else:
        assert got[0] == "2010-01" and got[-1] == "2020-06"
    assert chart.left_out == left_out
    for bar in chart.bars:
        assert 0 <= bar.x < chart.width and bar.y + bar.height <= chart.height
        assert (bar.height > 0) == (bar.count > 0)
        assert bar.first == bar.month + "-01" and bar.last[:7] == bar.month
    assert [b.height for b in chart.bars if b.count == chart.peak][:1] in ([], [chart.height - 16])
