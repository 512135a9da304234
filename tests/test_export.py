"""The điểm báo from outside: /export.docx, /export.csv, the link on the page, `vnsearch export`."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from docx import Document
from test_web import make_app

from search.cli import main
from web.config import ConfigError, load_config

LANG_SON = "L%E1%BA%A1ng+S%C6%A1n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def app(fixture_index):
    return make_app(fixture_index, SITE_NAME="Ban Tuyên giáo Tỉnh ủy Lạng Sơn")


@pytest.fixture
def client(app):
    return app.test_client()


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def api_ids(client, query: str) -> set[str]:
    hits = client.get(f"/api/search?{query}&per_page=100").get_json()["hits"]
    return {h["id"] for h in hits}


def test_docx_route_is_the_report_of_the_search(client):
    r = client.get(f"/export.docx?q=tinh+uy&province={LANG_SON}&sort=newest")
    assert r.status_code == 200 and r.content_type == DOCX
    assert re.fullmatch(
        r'attachment; filename="diem-bao-tinh-uy-\d{4}-\d\d-\d\d\.docx"',
        r.headers["Content-Disposition"],
    )
    doc = Document(io.BytesIO(r.data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["BAN TUYÊN GIÁO TỈNH ỦY LẠNG SƠN", "ĐIỂM BÁO"]
    assert "Tỉnh/thành: Lạng Sơn" in texts
    heads = [p.text.split(". ", 1)[1] for p in doc.paragraphs if p.style.name == "Heading 2"]
    hits = client.get(f"/api/search?q=tinh+uy&province={LANG_SON}&per_page=100").get_json()
    assert sorted(heads) == sorted(h["title"] for h in hits["hits"]) and len(heads) == hits["total"]


def test_csv_route_has_every_article_of_the_search(client):
    query = "q=dai+hoi&year=2020&year=2021"
    r = client.get(f"/export.csv?{query}&page=2&per_page=1")  # page and page size: ignored
    assert r.status_code == 200 and r.content_type == "text/csv; charset=utf-8"
    rows = read_csv(r.data)
    assert {row["id"] for row in rows} == api_ids(client, query) and rows
    assert all(row["date"][:4] in ("2020", "2021") for row in rows)


def test_group_and_limit(client, app):
    r = client.get("/export.docx?group=source&limit=5&sort=newest")
    doc = Document(io.BytesIO(r.data))
    groups = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert groups and all(re.fullmatch(r".+ \(\d+ tin, bài\)", g) for g in groups)
    assert not any(g.startswith("Ngày ") for g in groups)
    assert len([p for p in doc.paragraphs if p.style.name == "Heading 2"]) == 5
    newest = client.get("/api/search?sort=newest&per_page=5&q=").get_json()["hits"]
    rows = read_csv(client.get("/export.csv?sort=newest&limit=5").data)
    assert [row["id"] for row in rows] == [h["id"] for h in newest]


def test_empty_result_downloads_a_report_saying_so(client):
    r = client.get("/export.docx?q=xyzzyqwv")
    assert r.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(r.data)).paragraphs]
    assert any(t.startswith("Không tìm thấy bài viết nào") for t in texts)
    assert read_csv(client.get("/export.csv?q=xyzzyqwv").data) == []


@pytest.mark.parametrize(
    "query, named",
    [
        ("q=x&group=outlet", "group"),
        ("q=x&limit=0", "limit"),
        ("q=x&limit=201", "limit"),
        ("q=x&sort=random", "sort"),
        ("q=x&from=23-05-2020", "from"),
        ("q=x&year=twenty", "year"),
        ("q=x&page=0", "page"),
    ],
)
@pytest.mark.parametrize("fmt", ["docx", "csv"])
def test_bad_parameters_answer_400_naming_them(client, fmt, query, named):
    r = client.get(f"/export.{fmt}?{query}")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and r.mimetype == "text/html"
    assert f"Tham số {named}" in html and "Traceback" not in html


def test_export_limit_setting_bounds_the_report(fixture_index):
    client = make_app(fixture_index, EXPORT_LIMIT=3).test_client()
    assert len(read_csv(client.get("/export.csv").data)) == 3
    assert client.get("/export.csv?limit=4").status_code == 400
    with pytest.raises(ConfigError, match="EXPORT_LIMIT"):
        load_config({"EXPORT_LIMIT": 201})


def test_results_page_links_to_the_report_of_the_same_search(client):
    html = client.get(f"/search?q=tinh+uy&province={LANG_SON}&sort=newest&page=2&per_page=2")
    page = html.get_data(as_text=True)
    box = re.search(r'<p class="export-links".*?</p>', page, re.S).group(0)
    links = [unescape(h) for h in re.findall(r'href="([^"]*)"', box)]
    assert [urlsplit(h).path for h in links] == ["/export.docx", "/export.docx", "/export.csv"]
    for href in links:
        args = parse_qs(urlsplit(href).query)
        assert args["q"] == ["tinh uy"] and args["province"] == ["Lạng Sơn"]
        assert args["sort"] == ["newest"] and "page" not in args and "per_page" not in args
    assert parse_qs(urlsplit(links[1]).query)["group"] == ["source"]
    assert "Xuất điểm báo" in box and box.count(" download>") == 3
    r = client.get(links[2])
    assert {row["id"] for row in read_csv(r.data)} == api_ids(
        client, f"q=tinh+uy&province={LANG_SON}"
    )


def test_no_report_link_without_results(client):
    assert "export-links" not in client.get("/search?q=xyzzyqwv").get_data(as_text=True)
    assert "export-links" not in client.get("/").get_data(as_text=True)


# --- vnsearch export ---------------------------------------------------------------


def run(capsysbinary, *argv: str) -> tuple[int, bytes, str]:
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


def test_cli_csv_goes_to_stdout(capsysbinary, fixture_index):
    code, out, err = run(
        capsysbinary, "export", "tinh uy", "--index", str(fixture_index), "--province", "Lạng Sơn"
    )
    assert code == 0 and err == ""
    rows = read_csv(out)
    assert rows and all("Lạng Sơn" in row["provinces"] for row in rows)


def test_cli_docx_to_a_file(capsysbinary, fixture_index, tmp_path):
    out_file = tmp_path / "diem-bao.docx"
    argv = ["export", "dai hoi dang bo", "--index", str(fixture_index), "-o", str(out_file)]
    code, out, err = run(capsysbinary, *argv, "--group", "source", "--site-name", "Sở TT&TT")
    assert code == 0 and out == b""
    assert re.fullmatch(rf"\d+ tin, bài -> {re.escape(str(out_file))}\n", err)
    doc = Document(str(out_file))  # the format followed the file's suffix
    assert [p.text for p in doc.paragraphs][:2] == ["SỞ TT&TT", "ĐIỂM BÁO"]
    assert int(err.split()[0]) == len([p for p in doc.paragraphs if p.style.name == "Heading 2"])


def test_cli_format_wins_over_the_suffix(capsysbinary, fixture_index, tmp_path):
    out_file = tmp_path / "bang.txt"
    argv = ["export", "", "--index", str(fixture_index), "--limit", "2", "-o", str(out_file)]
    assert run(capsysbinary, *argv, "--format", "csv")[0] == 0
    assert len(read_csv(out_file.read_bytes())) == 2


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--limit", "500"], "Tham số limit"),
        (["--group", "outlet"], "invalid choice"),
        (["--format", "pdf"], "invalid choice"),
        (["--from", "23/05/2020"], "not a date"),
    ],
)
def test_cli_bad_usage_is_one_line_exit_2(capsysbinary, fixture_index, argv, message):
    code, out, err = run(capsysbinary, "export", "x", "--index", str(fixture_index), *argv)
    assert code == 2 and out == b"" and message in err and len(err.strip().splitlines()) == 1


def test_cli_docx_to_a_pipe(capsysbinary, fixture_index):
    code, out, _ = run(
        capsysbinary, "export", "tinh uy", "--index", str(fixture_index), "--format", "docx"
    )
    assert code == 0 and out.startswith(b"PK")  # stdout is not a terminal here: the file itself
    assert Document(io.BytesIO(out)).paragraphs[1].text == "ĐIỂM BÁO"
