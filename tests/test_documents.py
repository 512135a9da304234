"""Saved pages, Word files and PDFs as corpus inputs, built here from real Vietnamese text.

The files come from bench/ingest_docs.py's seeded builders (every layout and
variant), and bad files are written by hand: each one a line naming the file
and the reason, the rest of the corpus read.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from ingest_docs import (  # noqa: E402
    FONT,
    LAYOUTS,
    Truth,
    docx_file,
    html_page,
    pdf_file,
    truth_for,
)

from search.ingest.corpus import ReadReport, read_corpus  # noqa: E402
from search.ingest.extract import enrich  # noqa: E402
from search.ingest.pdftext import join_lines  # noqa: E402

ARTICLE = {
    "title": "Lạng Sơn: Đẩy mạnh cải cách hành chính, nâng cao chỉ số năng lực cạnh tranh",
    "body": (
        "LSO-Sáng nay, Ban Chỉ đạo cải cách hành chính tỉnh tổ chức hội nghị sơ kết công tác "
        "cải cách hành chính 6 tháng đầu năm. Đồng chí Hồ Tiến Thiệu, Phó Chủ tịch UBND tỉnh "
        "chủ trì hội nghị. Các sở, ngành đã tập trung rà soát thủ tục hành chính.\n"
        "Theo báo cáo, trong 6 tháng, toàn tỉnh đã tiếp nhận hơn 120 nghìn hồ sơ, giải quyết "
        "đúng hạn đạt 98%. Việc ứng dụng công nghệ thông tin được đẩy mạnh ở cấp xã. Người dân "
        "hài lòng với thái độ phục vụ của cán bộ một cửa.\n"
        "Phát biểu kết luận, Phó Chủ tịch UBND tỉnh yêu cầu các đơn vị tiếp tục cải thiện "
        "môi trường đầu tư, kinh doanh. Các huyện cần công khai thủ tục tại bộ phận một cửa."
    ),
}
OTHERS = [
    {"title": f"Tin khác số {i}: Hội nông dân huyện Cao Lộc ra quân làm đường", "body": body}
    for i, body in enumerate(
        [
            "Bình luận: bài viết rất hay, cần nhân rộng mô hình này ra các xã khác trong tỉnh.",
            "Bạn đọc góp ý: đề nghị cơ quan chức năng sớm kiểm tra tuyến đường xuống cấp.",
            "Ý kiến: ở xã tôi thủ tục vẫn còn rườm rà, người dân phải đi lại nhiều lần.",
            "Cảm ơn báo đã phản ánh kịp thời những khó khăn của bà con vùng cao.",
            "Mong tỉnh tiếp tục quan tâm đầu tư hạ tầng giao thông nông thôn miền núi.",
        ]
    )
]


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def read(tmp_path: Path, files: dict[str, bytes]):
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = ReadReport()
    return {a.id: enrich(a) for a in read_corpus([tmp_path], report)}, report


def check(article, truth: Truth, chrome: bool = True) -> None:
    body = _flat(article.body)
    assert _flat(article.title) == _flat(truth.title)
    assert article.date == truth.date
    assert _flat(article.author or "") == _flat(truth.author)
    for para in truth.paragraphs:
        assert _flat(para) in body, para
    if chrome:
        for line in truth.chrome:
            if _flat(line) not in _flat(" ".join(truth.paragraphs)):
                assert _flat(line) not in body, line


@pytest.mark.parametrize("layout", LAYOUTS)
def test_saved_pages_in_every_layout(tmp_path, layout):
    truth = truth_for(ARTICLE, OTHERS, random.Random(layout), layout)
    articles, report = read(tmp_path, {"page.html": html_page(truth, layout, "Báo Lạng Sơn")})
    assert not report.skips, report.summary()
    check(articles["page.html"], truth)


def test_a_page_states_its_site_and_canonical_url(tmp_path):
    truth = truth_for(ARTICLE, OTHERS, random.Random(1), "modern")
    articles, _ = read(tmp_path, {"p.htm": html_page(truth, "modern", "Báo Lạng Sơn")})
    a = articles["p.htm"]
    assert (a.source, a.url) == ("Báo Lạng Sơn", "https://baotinh.vn/bai-viet.html")
    assert a.date_evidence == "metadata"


@pytest.mark.parametrize("variant", ["heading", "official", "vntime"])
def test_word_files(tmp_path, variant):
    truth = truth_for(ARTICLE, OTHERS, random.Random(variant), "modern")
    truth.date = truth.date if variant != "heading" else None
    articles, report = read(tmp_path, {"bao-cao.docx": docx_file(truth, variant)})
    assert not report.skips, report.summary()
    a = articles["bao-cao.docx"]
    check(a, truth, chrome=False)
    assert "BAN TUYÊN GIÁO" not in a.body and "Admin" not in (a.author or "")
    assert "Độc lập" not in a.body


@pytest.mark.skipif(not FONT.exists(), reason=f"no font with Vietnamese letters: {FONT}")
@pytest.mark.parametrize("variant", ["plain", "official"])
def test_pdfs(tmp_path, variant):
    truth = truth_for(ARTICLE, OTHERS, random.Random(variant), "modern")
    truth.date = truth.date if variant == "official" else None
    articles, report = read(tmp_path, {"van-ban.pdf": pdf_file(truth, variant)})
    assert not report.skips, report.summary()
    check(articles["van-ban.pdf"], truth, chrome=False)


@pytest.mark.parametrize(
    "lines,paragraphs",
    [
        (
            ["Hội nghị Ban Chấp hành", "Đảng bộ tỉnh lần thứ 12."],
            ["Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12."],
        ),
        (["Một câu.", "Hai câu."], ["Một câu.", "Hai câu."]),
        (["Đoạn một,", "", "đoạn hai."], ["Đoạn một,", "đoạn hai."]),
        (["Trước ngày", "5", "giữa trang."], ["Trước ngày giữa trang."]),  # a page number
        (["Đã xong.", "- Một ý."], ["Đã xong.", "- Một ý."]),
    ],
)
def test_pdf_lines_join_into_paragraphs(lines, paragraphs):
    assert join_lines(lines) == paragraphs


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("mat-khau")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _scan_pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_bad_files_are_named_and_the_rest_is_read(tmp_path):
    truth = truth_for(ARTICLE, OTHERS, random.Random(3), "modern")
    good = docx_file(truth, "heading")
    files = {
        "good.html": html_page(truth, "modern", "Báo Lạng Sơn"),
        "random.html": bytes(random.Random(0).randrange(256) for _ in range(3000)),
        "empty.pdf": b"",
        "truncated.pdf": (b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n") * 3,
        "locked.pdf": _encrypted_pdf(),
        "scan.pdf": _scan_pdf(),
        "truncated.docx": good[: len(good) // 2],
        "other.docx": _zip({"hello.txt": "không phải Word"}),
        "old.doc": b"\xd0\xcf\x11\xe0 Word 97",
        "note.rtf": b"{\\rtf1 Ba\\'f8n}",
    }
    articles, report = read(tmp_path, files)
    assert set(articles) == {"good.html"}
    reasons = {s.path: s.reason for s in report.skips}
    assert set(reasons) == set(files) - {"good.html"}
    assert reasons["locked.pdf"] == "encrypted PDF (needs a password)"
    assert reasons["scan.pdf"].startswith("PDF without a text layer")
    assert reasons["empty.pdf"] == "empty file"
    assert "save it as .docx" in reasons["old.doc"] and "save it as .docx" in reasons["note.rtf"]
    assert reasons["other.docx"].startswith("not a Word file")
    assert reasons["random.html"].startswith(("undecodable", "not an HTML page", "no article"))
    for skip in report.skips:
        assert "\n" not in skip.message() and "Traceback" not in skip.message()
    summary = report.summary()
    assert summary.startswith("read 1 articles from") and "skipped 9" in summary


def test_a_day_and_month_take_no_year_from_elsewhere(tmp_path):
    page = (
        "<html><head><title>Tin</title></head><body><article><h1>Xuân về trên bản</h1>"
        "<p>Sáng 6/2, huyện tổ chức lễ hội xuân cho bà con các dân tộc trong vùng. Hàng nghìn "
        "người dân đã về dự lễ hội truyền thống của địa phương.</p><p>Lễ hội được khôi phục từ "
        "năm 2005 và đến nay đã trở thành nét đẹp văn hóa của đồng bào vùng cao Lạng Sơn.</p>"
        "</article></body></html>"
    ).encode()
    articles, _ = read(tmp_path, {"p.html": page})
    assert articles["p.html"].date is None
    assert articles["p.html"].title == "Xuân về trên bản"


def test_pages_say_when_the_lead_year_is_stated(tmp_path):
    page = (
        "<html><body><article><h1>Hội nghị sơ kết</h1><p>Chiều 9-5, tỉnh tổ chức hội nghị sơ "
        "kết công tác quý II/2017 với sự tham dự của lãnh đạo các sở, ngành trong tỉnh.</p>"
        "<p>Hội nghị đã thống nhất nhiều giải pháp cho những tháng cuối năm của tỉnh.</p>"
        "</article></body></html>"
    ).encode()
    articles, _ = read(tmp_path, {"p.html": page})
    assert (articles["p.html"].date, articles["p.html"].date_evidence) == (
        dt.date(2017, 5, 9),
        "lead+text",
    )


def test_a_unicode_page_with_a_vntime_run(tmp_path):
    from search.ingest.encodings import encode_legacy

    drawn = encode_legacy("Hội nghị thống nhất nhiều giải pháp quan trọng.", "tcvn3").decode(
        "cp1252"
    )
    page = (
        '<html><head><meta charset="utf-8"></head><body><article><h1>Tổng kết công tác năm</h1>'
        "<p>Sáng nay, tỉnh tổ chức hội nghị tổng kết công tác năm với nhiều đại biểu dự, theo "
        '<a href="https://vnexpress.net/tin">vnexpress.net</a>.</p>'
        f'<p><font face=".VnTime">{drawn}</font></p></article></body></html>'
    ).encode()
    articles, report = read(tmp_path, {"p.html": page})
    body = articles["p.html"].body
    assert "tổng kết công tác năm với nhiều đại biểu" in body
    assert "Hội nghị thống nhất nhiều giải pháp quan trọng." in body


@pytest.mark.parametrize(
    "line,is_date",
    [
        ("Thứ tư, 22/10/2025, 19:25", True),
        ("21:22 | 23/05/2020", True),
        ("Cập nhật: 08:30 ngày 05/06/2017", True),
        ("Ngày đăng: 05/06/2017 08:30", True),
        ("Kết quả xổ số điện toán Vietlott ngày 6/2/2017", False),  # a title with a date
        ("Cập nhật tình hình dịch bệnh trên địa bàn tỉnh đến hết ngày 5/6/2017 cho thấy", False),
    ],
)
def test_date_lines_of_a_page(line, is_date):
    from search.ingest.htmlpage import _is_date_line

    assert _is_date_line(line) is is_date
