"""A real headless Chromium against a real waitress server on 127.0.0.1.

Types a query without diacritics, sees accented highlights, uses autocomplete,
clicks a province facet, pages, opens an article, and loads the widget and the
/embed iframe from a page served on another port. Screenshots go to
test-artifacts/browser/. Nothing but 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_web import make_app
from threaded import running

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# CI installs chromium (.ci/run): there a missing browser is a failure, not a skip.
if not CHROMIUM.exists() and os.environ.get("CI"):
    pytest.fail(f"CI: {CHROMIUM} is missing; .ci/run should have installed it", pytrace=False)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

WIDGET_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Cổng thông tin nội bộ</title></head>
<body>
<h1>Cổng thông tin nội bộ</h1>
<div data-vnsearch data-q="kiem thu bao mat" data-per-page="3"></div>
<div id="second" data-vnsearch data-q="tinh uy lang son" data-province="Lạng Sơn"></div>
<iframe title="Tìm kiếm" src="{base}/embed?q=tinh+uy&amp;per_page=2" width="600" height="500"></iframe>
<script src="{base}/widget.js" async></script>
</body></html>
"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


def start_static(directory: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


@pytest.fixture(scope="module")
def servers(fixture_index, tmp_path_factory):
    """(base URL of vnsearch, URL of the intranet page with the widget)."""
    import waitress

    site = tmp_path_factory.mktemp("intranet")
    intranet, intranet_port = start_static(site)
    app = make_app(fixture_index, ALLOWED_ORIGINS=f"http://127.0.0.1:{intranet_port}")
    server = waitress.create_server(app, host="127.0.0.1", port=0, ident=None, threads=4)
    with running(server):
        base = f"http://127.0.0.1:{server.effective_port}"
        (site / "index.html").write_text(WIDGET_PAGE.format(base=base), encoding="utf-8")
        yield base, f"http://127.0.0.1:{intranet_port}/index.html"
    intranet.shutdown()
    intranet.server_close()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    playwright = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            locale="vi-VN",
            viewport={"width": 1200, "height": 900},
        )

        def local_only(route):
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                route.abort()

        context.route("**/*", local_only)
        yield context
        context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.problems = []  # console errors (CSP violations among them) and alert() calls
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("dialog", lambda d: (page.problems.append("dialog: " + d.message), d.dismiss()))
    page.set_default_timeout(15000)
    yield page
    page.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_search_facet_page_article(servers, page):
    base, _ = servers
    page.goto(base + "/")
    box = page.get_by_role("combobox", name="Từ khóa")
    assert box.evaluate("el => el === document.activeElement")  # autofocus
    box.press_sequentially("lang s", delay=20)
    option = page.get_by_role("option", name=re.compile("Lạng Sơn"))
    option.first.wait_for()
    shot(page, "01-autocomplete")
    box.fill("tinh uy lang son")
    box.press("Escape")
    box.press("Enter")
    page.wait_for_selector("ol.hits li")
    marks = page.locator(".hits mark").all_inner_texts()
    assert any(re.search("[ỉủạơ]", m) for m in marks), marks  # accented words highlighted
    assert "Tìm thấy" in page.locator("#summary").inner_text()
    shot(page, "02-results")

    facet = page.locator("#facet-province + ul a").first
    value = facet.locator(".facet-value").inner_text()
    facet.click()
    page.wait_for_selector("a.chip")
    assert value in page.locator(".chips").inner_text()
    assert "province=" in page.url
    shot(page, "03-facet")

    page.goto(base + "/search?q=tinh+uy&per_page=2")
    page.get_by_role("navigation", name="Phân trang").get_by_role("link", name="Sau ›").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator('.pager a[aria-current="page"]').inner_text().strip().endswith("2")
    shot(page, "04-page-2")

    title = page.locator(".hit-title a").first
    title_text = title.inner_text()
    title.click()
    page.wait_for_selector("#article-title")
    assert page.locator("#article-title").inner_text().strip() == title_text.strip()
    assert page.locator(".article-body mark").count() >= 1
    assert page.get_by_role("heading", name="Bài liên quan").is_visible()
    shot(page, "05-article")
    assert page.problems == []


def test_hostile_article_stays_text(servers, page):
    base, _ = servers
    page.goto(base + "/search?q=kiem+thu+bao+mat")
    page.wait_for_selector("ol.hits li")
    assert page.locator(".hits img, .hits script, .hits b").count() == 0
    assert "<img src=x" in page.locator(".hits").inner_text()
    page.goto(base + "/articles/fx-hostile")
    assert page.locator(".article-body img").count() == 0
    shot(page, "06-hostile")
    assert page.problems == []


def test_phone_layout(servers, page):
    base, _ = servers
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/search?q=tinh+uy")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing forces sideways scrolling
    shot(page, "07-phone")
    assert page.problems == []


def test_widget_and_embed_on_another_origin(servers, page):
    base, intranet = servers
    page.goto(intranet)
    page.wait_for_selector("[data-vnsearch] .vnsearch-hit")
    first = page.locator("[data-vnsearch]").first
    titles = first.locator(".vnsearch-title").all_inner_texts()
    assert any("<img src=x" in t for t in titles)  # the hostile title, as text
    assert first.locator("img, script").count() == 0
    assert first.locator(".vnsearch-snippet mark").count() >= 1
    second = page.locator("#second")
    second.locator(".vnsearch-hit").first.wait_for()
    assert "Lạng Sơn" in second.inner_text()
    href = second.locator(".vnsearch-title").first.get_attribute("href")
    assert href.startswith(base + "/articles/")
    frame = page.frame_locator("iframe")
    frame.locator("ol.hits li").first.wait_for()
    assert frame.locator(".hits mark").count() >= 1
    shot(page, "08-widget")
    page.locator("iframe").scroll_into_view_if_needed()
    page.locator("iframe").screenshot(path=str(ARTIFACTS / "09-embed-iframe.png"))
    assert page.problems == []


def test_export_links_download_the_report(servers, page, tmp_path):
    from docx import Document

    base, _ = servers
    page.goto(base + "/search?q=tinh+uy&province=L%E1%BA%A1ng+S%C6%A1n")
    page.wait_for_selector("ol.hits li")
    shown = page.locator("ol.hits li").count()
    shot(page, "08-export-links")
    with page.expect_download() as info:
        page.get_by_role("link", name="Word (.docx)").click()
    download = info.value
    assert re.fullmatch(r"diem-bao-tinh-uy-\d{4}-\d\d-\d\d\.docx", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    doc = Document(str(saved))
    texts = [p.text for p in doc.paragraphs]
    assert "ĐIỂM BÁO" in texts and "Tỉnh/thành: Lạng Sơn" in texts
    assert len([p for p in doc.paragraphs if p.style.name == "Heading 2"]) >= shown
    with page.expect_download() as info:
        page.get_by_role("link", name="Bảng tính (.csv)").click()
    data = info.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,title,date,source")
    assert page.problems == []


def test_month_chart_renders_and_its_bars_narrow_the_search(servers, page):
    base, _ = servers
    page.goto(base + "/search?q=tinh+uy")
    chart = page.locator("svg.timeline-svg")
    chart.wait_for()
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 40  # drawn, not collapsed
    bars = page.locator("svg.timeline-svg rect.bar")
    assert bars.count() >= 2
    assert all((bars.nth(i).bounding_box() or {}).get("height", 0) > 0 for i in range(bars.count()))
    shot(page, "09-month-chart")
    total_before = page.locator("#summary strong").inner_text()
    link = page.locator("svg.timeline-svg a.bar-link").first
    month = re.search(r"Tháng (\d\d)/(\d{4})", link.get_attribute("aria-label")).groups()
    link.click()
    page.wait_for_url(re.compile(r"from=\d{4}-\d\d-01&to=\d{4}-\d\d-\d\d"))
    assert f"from={month[1]}-{month[0]}-01" in page.url and "q=tinh+uy" in page.url
    chips = page.locator(".chips").inner_text()
    assert "Từ ngày" in chips and "Đến ngày" in chips
    dates = page.locator(".hits time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates and all(d.startswith(f"{month[1]}-{month[0]}") for d in dates)
    assert page.locator("#summary strong").inner_text() != total_before or len(dates) >= 1
    shot(page, "10-month-narrowed")

    page.goto(base + "/persons/lam-thi-phuong-thanh")
    person_chart = page.locator("svg.timeline-svg")
    assert (person_chart.bounding_box() or {}).get("height", 0) > 40
    assert page.locator("svg.timeline-svg title").first.text_content().startswith("Số bài")
    page.get_by_role("link", name="Bí thư Tỉnh ủy Lạng Sơn").click()
    page.wait_for_url(re.compile(r"/posts/bi-thu-tinh-uy-lang-son$"))
    assert page.locator(".holders tbody tr").count() == 2
    shot(page, "11-post")
    assert page.problems == []
