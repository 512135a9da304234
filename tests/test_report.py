"""The điểm báo library (search/report/): the Word report and the CSV, read back.

Reports are made from the real fixture index and opened again with python-docx
and the csv module; nothing is compared with a stored file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import replace

import pytest
from docx import Document

from search.errors import BadRequest
from search.models import SearchRequest
from search.report import MAX_ARTICLES, clipping, collect, write
from search.report.clipping import cut, lead_of
from search.report.table import COLUMNS, cell
from search.report.word import FONT, NOTHING_FOUND

MADE = dt.date(2026, 12, 8)


def docx_of(report):
    return Document(io.BytesIO(write(report, "docx")))


def rows_of(report) -> list[dict[str, str]]:
    data = write(report, "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def styled(doc, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def item_paragraphs(doc) -> list[list]:
    """The paragraphs of each item: from its Heading 2 to the next heading."""
    items: list[list] = []
    for p in doc.paragraphs:
        if p.style.name == "Heading 2":
            items.append([p])
        elif p.style.name.startswith("Heading") or p.style.name == "Title":
            if items:
                items.append([])  # a group heading ends the item
        elif items and items[-1]:
            items[-1].append(p)
    return [i for i in items if i]


def test_heading_says_what_was_searched_and_when(engine):
    req = SearchRequest(
        q="dai hoi dang bo", provinces=["Thái Nguyên"], date_from=dt.date(2020, 1, 1)
    )
    report = collect(engine, req, site_name="Ban Tuyên giáo Tỉnh ủy", made=MADE)
    texts = [p.text for p in docx_of(report).paragraphs]
    assert texts[:2] == ["BAN TUYÊN GIÁO TỈNH ỦY", "ĐIỂM BÁO"]
    assert "Từ khóa: dai hoi dang bo" in texts
    assert "Tỉnh/thành: Thái Nguyên" in texts
    assert "Thời gian: từ 01/01/2020 đến 14/10/2020" in texts  # filter's start, articles' end
    assert "Ngày lập: 08/12/2026" in texts
    assert f"Số tin, bài: {len(report.items)} tin, bài" in texts


def test_items_numbered_newest_day_first_with_lead_and_link(engine):
    report = collect(engine, SearchRequest(q="dai hoi dang bo"), made=MADE)
    doc = docx_of(report)
    days = styled(doc, "Heading 1")
    dates = [dt.datetime.strptime(d.split()[1], "%d/%m/%Y").date() for d in days]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) == len(dates)
    heads = styled(doc, "Heading 2")
    assert len(heads) == len(report.hits) >= 4
    assert [h.split(". ", 1)[0] for h in heads] == [str(n) for n in range(1, len(heads) + 1)]
    titles = {h.split(". ", 1)[1] for h in heads}
    assert titles == {hit.title for hit in report.hits}
    by_title = {hit.title: hit for hit in report.hits}
    for paras in item_paragraphs(doc):
        head, meta = paras[0], paras[1]
        hit = by_title[head.text.split(". ", 1)[1]]
        title_run = head.runs[1]
        assert title_run.bold and title_run.text == hit.title
        assert meta.runs[0].italic and meta.text.endswith(clipping.vn_date(hit.date))
        assert (hit.source or "Không rõ nguồn") in meta.text
        links = [link.url for p in paras for link in p.hyperlinks]
        assert links == ([hit.url] if hit.url else [])
    # The lead (first sentences of the body), not the snippet, is the summary.
    thai = next(p for p in item_paragraphs(doc) if "Thái Nguyên lần thứ XX" in p[0].text)
    lead = engine.article("fx-dai-hoi-thai-nguyen").body
    assert thai[2].text and lead.startswith(thai[2].text)
    assert any(p.text == "Link: https://baothainguyen.vn/dai-hoi-xx.html" for p in thai)


def test_persons_and_provinces_are_named(engine):
    report = collect(engine, SearchRequest(q="lam thi phuong thanh"), made=MADE)
    texts = [p.text for p in docx_of(report).paragraphs]
    assert any(t.startswith("Nhân vật: ") and "Lâm Thị Phương Thanh" in t for t in texts)
    assert "Địa phương: Lạng Sơn" in texts


def test_group_by_outlet_most_items_first_newest_within(engine):
    report = collect(engine, SearchRequest(q=""), group="source", made=MADE)
    doc = docx_of(report)
    groups = [(g.label, len(g.items)) for g in report.groups]
    assert styled(doc, "Heading 1") == [f"{label} ({n} tin, bài)" for label, n in groups]
    counts = [n for label, n in groups if label != clipping.NO_SOURCE]
    assert counts == sorted(counts, reverse=True) and groups[0][0] == "Báo Lạng Sơn"
    for g in report.groups:
        assert {i.hit.source or clipping.NO_SOURCE for i in g.items} == {g.label}
        dates = [i.hit.date or "" for i in g.items]
        assert dates == sorted(dates, reverse=True)
    assert [i.number for i in report.items] == list(range(1, len(report.items) + 1))


class Syndicated:
    """The fixture engine with stories marked as the stories branch marks them.

    Two Lạng Sơn articles are called copies of one story; a third article
    carries one folded copy from another outlet, as a collapsed hit would.
    """

    STORY = {"fx-hoc-sinh": "s1", "fx-nghi-quyet-62": "s1"}

    def __init__(self, engine):
        self.engine = engine

    def search(self, req):
        page = self.engine.search(req)
        hits = []
        for hit in page.hits:
            if hit.id in self.STORY:
                hit = replace(hit, story=self.STORY[hit.id])
            if hit.id == "fx-tphcm":
                hit = replace(hit, story="s2", duplicates=1, duplicate_sources=["Báo Tin tức"])
            hits.append(hit)
        return replace(page, hits=hits)

    def article(self, doc_id):
        return self.engine.article(doc_id)


def test_syndicated_copies_are_one_item_listing_their_outlets(engine):
    report = collect(Syndicated(engine), SearchRequest(q=""), made=MADE)
    plain = collect(engine, SearchRequest(q=""), made=MADE)
    assert len(report.items) == len(plain.items) - 1
    story = next(i for i in report.items if i.hit.story == "s1")
    assert sorted(h.id for h in story.hits) == ["fx-hoc-sinh", "fx-nghi-quyet-62"]
    assert story.outlets == ["Báo Lạng Sơn"]
    tphcm = next(i for i in report.items if i.hit.id == "fx-tphcm")
    assert tphcm.outlets == ["Báo Sài Gòn Giải Phóng", "Báo Tin tức"]
    texts = [p.text for p in docx_of(report).paragraphs]
    assert "Đăng trên 2 báo: Báo Sài Gòn Giải Phóng, Báo Tin tức – 02/03/2021" in texts
    assert len(rows_of(report)) == len(plain.hits)  # the CSV keeps a row per article


def test_empty_result_is_a_valid_report(engine):
    report = collect(engine, SearchRequest(q="xyzzyqwv"), made=MADE)
    doc = docx_of(report)
    texts = [p.text for p in doc.paragraphs]
    assert texts[1] == "ĐIỂM BÁO" and NOTHING_FOUND in texts
    assert "Số tin, bài: 0 tin, bài" in texts
    assert not styled(doc, "Heading 2")
    assert rows_of(report) == []
    assert write(report, "csv").decode("utf-8-sig").splitlines() == [",".join(COLUMNS)]


def test_csv_round_trip(engine):
    report = collect(engine, SearchRequest(q="tinh uy", sort="newest"), made=MADE)
    rows = rows_of(report)
    assert list(rows[0]) == list(COLUMNS)
    assert [r["id"] for r in rows] == [h.id for h in report.hits]
    for row, hit in zip(rows, report.hits, strict=True):
        assert row["title"] == hit.title and row["date"] == (hit.date or "")
        assert row["source"] == (hit.source or "") and row["author"] == (hit.author or "")
        assert row["provinces"].split("; ") == (hit.provinces or [""])
        assert row["persons"].split("; ") == (hit.persons or [""])
        assert row["summary"] == report.summaries[hit.id] and row["summary"]
    assert write(report, "csv").count(b"\r\n") == len(rows) + 1


def test_hostile_text_stays_text(engine):
    report = collect(engine, SearchRequest(q="hoi nghi can bo chu chot"), made=MADE)
    data = write(report, "docx")
    heads = styled(Document(io.BytesIO(data)), "Heading 2")
    assert any("<script>alert('x')</script> Hội nghị \"cán bộ\" chủ chốt" in h for h in heads)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    rels = zipfile.ZipFile(io.BytesIO(data)).read("word/_rels/document.xml.rels").decode()
    assert "javascript:" not in rels  # the engine drops non-http URLs; no link is made
    hostile = collect(engine, SearchRequest(q="kiem thu bao mat"), made=MADE)
    doc = docx_of(hostile)
    links = [link.url for p in doc.paragraphs for link in p.hyperlinks]
    assert links == ["https://example.org/a?x=\"><script>alert('url')</script>"]
    row = rows_of(hostile)[0]
    assert row["source"] == "<script>alert('source')</script>"


def test_every_style_uses_a_font_with_every_vietnamese_letter(engine):
    data = write(collect(engine, SearchRequest(q="tinh uy"), made=MADE), "docx")
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert "Theme=" not in styles and "theme=" not in styles  # no theme font to substitute
    fonts = Document(io.BytesIO(data)).styles["Normal"].element.rPr.rFonts
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert (
            fonts.get(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{slot}")
            == FONT
        )


def test_limit_takes_the_first_articles_across_pages(engine, monkeypatch):
    whole = engine.search(SearchRequest(q="", sort="newest", per_page=12))
    monkeypatch.setattr(clipping, "PAGE_SIZE", 5)  # three engine pages for twelve
    report = collect(engine, SearchRequest(q="", sort="newest", page=3), limit=12, made=MADE)
    assert sorted(h.id for h in report.hits) == sorted(h.id for h in whole.hits)
    assert report.total == whole.total > 12
    texts = [p.text for p in docx_of(report).paragraphs]
    assert (
        f"Số tin, bài: 12 tin, bài (trong {whole.total} kết quả tìm thấy; lấy 12 bài đầu)" in texts
    )


@pytest.mark.parametrize(
    "kwargs, named",
    [
        ({"group": "outlet"}, "group"),
        ({"limit": 0}, "limit"),
        ({"limit": MAX_ARTICLES + 1}, "limit"),
    ],
)
def test_bad_parameters_name_themselves(engine, kwargs, named):
    with pytest.raises(BadRequest, match=f"Tham số {named}"):
        collect(engine, SearchRequest(q="tinh uy"), **kwargs)


@pytest.mark.parametrize(
    "body, title, limit, lead",
    [
        ("Sáng 5/6, Tỉnh ủy họp.\nPhần thân bài.", "", 500, "Sáng 5/6, Tỉnh ủy họp."),
        (
            "Tin nóng\n\nSáng 5/6, Tỉnh ủy họp. Hội nghị bàn ba việc.",
            "Tin nóng",
            25,
            "Sáng 5/6, Tỉnh ủy họp.",
        ),
        ("  Hội nghị   cán bộ\tchủ chốt.  ", "", 500, "Hội nghị cán bộ chủ chốt."),
        (
            "Đại hội đại biểu Đảng bộ tỉnh Thái Nguyên lần thứ XX khai mạc",
            "",
            30,
            "Đại hội đại biểu Đảng bộ tỉnh…",
        ),
        (
            "A. Ban Thường vụ Tỉnh ủy Lạng Sơn sơ kết việc thực hiện",
            "",
            30,
            "A. Ban Thường vụ Tỉnh ủy Lạng…",
        ),
        ("Bài có ký tự \x00 lạ \x1f.", "", 500, "Bài có ký tự  lạ ."),
        ("", "", 500, ""),
    ],
)
def test_lead_is_the_first_paragraph_cut_at_a_sentence(body, title, limit, lead):
    assert lead_of(body, title, limit) == lead
    assert len(cut(body, limit)) <= limit + 1


@pytest.mark.parametrize(
    "value, shown",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+84 912", "'+84 912"),
        ("-2 tỷ đồng", "'-2 tỷ đồng"),
        ("@Tỉnh ủy", "'@Tỉnh ủy"),
        ("Tỉnh ủy Lạng Sơn", "Tỉnh ủy Lạng Sơn"),
        ("62-NQ/TU", "62-NQ/TU"),
    ],
)
def test_csv_cells_never_run_as_formulas(value, shown):
    assert cell(value) == shown


def test_the_document_is_in_vietnamese(engine):
    doc = docx_of(collect(engine, SearchRequest(q="tinh uy"), made=MADE))
    langs = doc.styles.element.findall(".//w:docDefaults//w:lang", doc.styles.element.nsmap)
    assert [lang.values() for lang in langs] == [["vi-VN", "vi-VN", "vi-VN"]]
    assert doc.core_properties.language == "vi-VN"
    assert doc.core_properties.title == "Điểm báo: tinh uy"


class Bodiless:
    """The fixture engine as a backend that keeps no article bodies would answer."""

    def __init__(self, engine):
        self.search = engine.search

    def article(self, doc_id):
        return None


def test_without_a_lead_the_summary_is_the_snippet_as_plain_text(engine):
    report = collect(Bodiless(engine), SearchRequest(q="kiem thu bao mat"), made=MADE)
    hit = report.hits[0]
    assert hit.snippet.count("<mark>") == 2 and "&lt;" in hit.snippet
    # The engine's marks go; the article's own text, markup-like or not, stays as written.
    assert report.summaries[hit.id] == (
        "Bài kiểm thử bảo mật giao diện trang tin. </mark><script>alert('body')</script> ]]> "
        '&amp; &lt;b&gt;  chuông <mark>giả</mark> và <a href="javascript:alert(4)">liên kết</a>. '
        "Kiểm thử bảo mật lần hai, …"
    )
    texts = [p.text for p in docx_of(report).paragraphs]
    assert report.summaries[hit.id] in texts  # the same text, unharmed, in the Word file
