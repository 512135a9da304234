"""The pure parts of web/: parameters, links, configuration, template filters."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from search.errors import BadRequest
from web.config import ConfigError, load_config, parse_origins, parse_subpath
from web.params import echo, link_args, request_from_args
from web.render import only_mark, page_numbers, plain_text, safe_url, vn_date, vn_number


def args(query: str) -> MultiDict:
    from urllib.parse import parse_qsl

    return MultiDict(parse_qsl(query, keep_blank_values=True))


def test_request_from_args_reads_every_parameter():
    req = request_from_args(
        args(
            "q=lanh+dao&province=L%E1%BA%A1ng+S%C6%A1n&province=H%C3%A0+N%E1%BB%99i"
            "&person=A&source=S&year=2020&year=2021&from=2020-01-01&to=2020-12-31"
            "&sort=newest&page=3&per_page=25"
        )
    )
    assert req.q == "lanh dao"
    assert req.provinces == ["Lạng Sơn", "Hà Nội"]
    assert req.persons == ["A"] and req.sources == ["S"]
    assert req.years == [2020, 2021]
    assert (req.date_from, req.date_to) == (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert (req.sort, req.page, req.per_page) == ("newest", 3, 25)


def test_empty_form_fields_are_absent():
    req = request_from_args(args("q=&province=&from=&to=&sort=&page=&per_page="), per_page=7)
    assert (req.q, req.provinces, req.date_from, req.sort, req.page) == (
        "",
        [],
        None,
        "relevance",
        1,
    )
    assert req.per_page == 7


def test_text_is_cleaned_and_values_deduplicated():
    req = request_from_args(args("q=%00a%09%09b%0a&person=X&person=+X+&person="))
    assert req.q == "a b"
    assert req.persons == ["X"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1001", "page"),
        ("page=%D9%A3", "page"),  # an Arabic-Indic digit is a digit to Python, not to us
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("per_page=1.5", "per_page"),
        ("from=2020-13-01", "from"),
        ("from=23/05/2020", "from"),
        ("to=2020-02-30", "to"),
        ("to=20200101", "to"),
        ("from=2021-01-01&to=2020-01-01", "from"),
        ("sort=best", "sort"),
        ("year=20", "year"),
        ("year=abcd", "year"),
        ("q=" + "a" * 501, "q"),
        ("person=" + "a" * 201, "person"),
        ("&".join(f"province=p{i}" for i in range(21)), "province"),
    ],
)
def test_bad_parameters_raise_bad_request_naming_them(query, named):
    with pytest.raises(BadRequest) as e:
        request_from_args(args(query))
    assert named in str(e.value)


def test_echo_lists_filters_as_chips():
    req = request_from_args(args("q=x&province=A&year=2020&from=2020-01-01"))
    params = echo(req)
    assert params["q"] == "x" and params["year"] == ["2020"] and params["from"] == "2020-01-01"
    assert [(f["param"], f["value"]) for f in params["filters"]] == [
        ("province", "A"),
        ("year", "2020"),
        ("from", "2020-01-01"),
    ]
    json.dumps(params)  # the echo is part of the JSON answer


def test_link_args_add_remove_and_reset_page():
    state = echo(request_from_args(args("q=x&province=A&page=3&sort=newest")))
    assert link_args(state, add=("province", "B")) == {
        "q": "x",
        "province": ["A", "B"],
        "sort": "newest",
    }
    assert link_args(state, remove=("province", "A")) == {"q": "x", "sort": "newest"}
    assert link_args(state, page=4)["page"] == 4
    assert "page" not in link_args(state, sort="oldest")
    assert link_args(state, add=("province", "A"))["province"] == ["A"]  # no duplicates
    assert link_args(echo(request_from_args(args("from=2020-01-01"))), remove=("from", "x")) == {}


def test_link_args_leave_out_defaults():
    state = echo(request_from_args(args("q=x&per_page=10"), per_page=10))
    assert link_args(state, 10) == {"q": "x"}
    assert link_args(state, 20) == {"q": "x", "per_page": 10}


def test_config_layers(tmp_path, monkeypatch):
    for key in ("INDEX", "ALLOWED_ORIGINS", "PER_PAGE", "SUBPATH", "SCRIPT_NAME", "CONFIG"):
        monkeypatch.delenv("VNSEARCH_" + key, raising=False)
    assert load_config()["PER_PAGE"] == 10
    path = tmp_path / "vnsearch.json"
    path.write_text(json.dumps({"per_page": 15, "index": "/srv/a", "subpath": "tin/"}))
    monkeypatch.setenv("VNSEARCH_CONFIG", str(path))
    config = load_config()
    assert (config["PER_PAGE"], config["INDEX"], config["SUBPATH"]) == (15, "/srv/a", "/tin")
    monkeypatch.setenv("VNSEARCH_PER_PAGE", "20")
    monkeypatch.setenv(
        "VNSEARCH_ALLOWED_ORIGINS", "https://intranet.tinh.vn, http://10.0.0.5:8080/"
    )
    config = load_config()
    assert config["PER_PAGE"] == 20
    assert config["ALLOWED_ORIGINS"] == ["https://intranet.tinh.vn", "http://10.0.0.5:8080"]
    assert load_config({"PER_PAGE": 30})["PER_PAGE"] == 30


def test_config_python_and_toml_files(tmp_path, monkeypatch):
    py = tmp_path / "vnsearch.py"
    py.write_text("import os\nPER_PAGE = 12\nhelper = 1\n")
    monkeypatch.setenv("VNSEARCH_CONFIG", str(py))
    monkeypatch.delenv("VNSEARCH_PER_PAGE", raising=False)
    assert load_config()["PER_PAGE"] == 12
    toml = tmp_path / "vnsearch.toml"
    toml.write_text('per_page = 13\nallowed_origins = ["https://a.vn"]\n')
    monkeypatch.setenv("VNSEARCH_CONFIG", str(toml))
    config = load_config()
    assert (config["PER_PAGE"], config["ALLOWED_ORIGINS"]) == (13, ["https://a.vn"])


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"PER_PAGE": "mười"}, "PER_PAGE"),
        ({"PER_PAGE": 0}, "PER_PAGE"),
        ({"PER_PAGE": 500}, "PER_PAGE"),
        ({"ALLOWED_ORIGINS": "https://a.vn; script-src *"}, "ALLOWED_ORIGINS"),
        ({"ALLOWED_ORIGINS": "intranet"}, "ALLOWED_ORIGINS"),
        ({"SUBPATH": "/tin tuc"}, "SUBPATH"),
        ({"SUBPATH": "/a/../b"}, "SUBPATH"),
    ],
)
def test_bad_config_names_the_setting(overrides, named, monkeypatch):
    monkeypatch.delenv("VNSEARCH_CONFIG", raising=False)
    with pytest.raises(ConfigError, match=named):
        load_config(overrides)


def test_missing_config_file(monkeypatch, tmp_path):
    monkeypatch.setenv("VNSEARCH_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(ConfigError, match="VNSEARCH_CONFIG"):
        load_config()


def test_origin_and_subpath_parsing():
    assert parse_origins("*") == ["*"]
    assert parse_origins(["HTTPS://A.VN/"]) == ["https://a.vn"]
    assert parse_subpath("") == "" and parse_subpath("/") == ""
    assert parse_subpath("/tintuc/") == "/tintuc" and parse_subpath("a/b") == "/a/b"


@pytest.mark.parametrize(
    ("engine_html", "safe"),
    [
        ("a <mark>b</mark> c", "a <mark>b</mark> c"),
        ("&lt;script&gt; <mark>x</mark>", "&lt;script&gt; <mark>x</mark>"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<mark onclick="x">y</mark>', "&lt;mark onclick=&#34;x&#34;&gt;y"),
        ("<mark>open", "<mark>open</mark>"),
        ("</mark>stray", "stray"),
        ("&amp;lt; stays text", "&amp;lt; stays text"),
        ("", ""),
    ],
)
def test_only_mark_keeps_mark_and_escapes_the_rest(engine_html, safe):
    assert str(only_mark(engine_html)) == safe


def test_plain_text_and_small_filters():
    assert plain_text(Markup("<mark>a</mark> &amp; b\x07")) == "a & b"
    assert safe_url("https://x.vn/a?b=1") == "https://x.vn/a?b=1"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//x.vn",
        "",
        None,
    ):
        assert safe_url(bad) is None
    assert vn_date("2020-05-23") == "23/05/2020" and vn_date(None) == ""
    assert vn_number(1234567) == "1.234.567" and vn_number(3.14) == "3,1" and vn_number(2.0) == "2"
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 3) == [1, 2, 3]
    assert page_numbers(10, 10) == [1, None, 8, 9, 10]
