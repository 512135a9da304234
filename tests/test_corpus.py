"""Reading corpora: formats, encodings, ids, skips with reasons, streaming."""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from search.ingest.corpus import ReadReport, decode, parse_given_date, read_corpus

SEEDS = Path(__file__).resolve().parents[1] / "corpus"
TEXT = "Ngày 23/5, đồng chí Nguyễn Thanh Hải, Bí thư Tỉnh ủy Thái Nguyên, chủ trì hội nghị về hòa bình."


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letters precomposed, tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def read(*roots):
    report = ReadReport()
    return list(read_corpus(roots, report)), report


def test_seeds_read_as_pages(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "c")
    articles, report = read(tmp_path / "c")
    assert report.read == 5 and not report.skips
    by_id = {a.id: a for a in articles}
    a = by_id["002_92b15d1c161f2510.txt"]
    assert a.origin == "002_92b15d1c161f2510.txt"
    assert (a.date, a.date_evidence) == (dt.date(2020, 5, 23), "timestamp")
    assert a.author == "Thu Hiền"
    assert by_id["000_b9ca21308674c971.txt"].date == dt.date(2019, 6, 5)
    assert by_id["003_7d2fc00ee8fcd6c5.txt"].date == dt.date(2021, 6, 28)
    assert by_id["004_5efaea7a2d732030.txt"].date == dt.date(2017, 10, 20)
    assert by_id["001_ad5a731278720d44.txt"].date == dt.date(2018, 10, 16)


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
        lambda s: s.encode("utf-16"),  # with BOM
        cp1258,
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "cp1258"],
)
@pytest.mark.parametrize("kind", ["txt", "json", "jsonl"])
def test_encodings(tmp_path, encode, kind):
    if kind == "txt":
        content = f"Tiêu đề hòa bình\n\n{TEXT}\n\nThu Hiền"
    elif kind == "json":
        content = json.dumps({"title": "Tiêu đề hòa bình", "body": TEXT}, ensure_ascii=False)
    else:
        content = json.dumps({"title": "Tiêu đề hòa bình", "body": TEXT}, ensure_ascii=False) + "\n"
    (tmp_path / f"a.{kind}").write_bytes(encode(content))
    articles, report = read(tmp_path)
    assert not report.skips, report.summary()
    [a] = articles
    assert a.title == "Tiêu đề hòa bình"
    assert unicodedata.is_normalized("NFC", a.body)
    assert "Nguyễn Thanh Hải" in a.body and "Tỉnh ủy" in a.body


def test_decode_composes_combining_marks():
    # Windows-1258 stores tones as combining marks; decoding composes them (NFC)
    # and keeps the spelling: tone placement is normalize()'s job, later.
    assert decode("Thuy\u0309 lơ\u0323i".encode("cp1258")) == "Thu\u1ef7 l\u1ee3i"


def test_ids_origins_and_formats(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.json").write_text(json.dumps({"body": "Một bài."}), encoding="utf-8")
    (tmp_path / "list.json").write_text(
        json.dumps([{"id": "x-1", "body": "A."}, {"content": "B."}]), encoding="utf-8"
    )
    lines = [{"id": "given", "text": "C."}, {"body": "D."}]
    (tmp_path / "l.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    with gzip.open(tmp_path / "g.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"body": "E."}) + "\n\n" + json.dumps({"body": "F."}) + "\n")
    articles, report = read(tmp_path)
    ids = {a.id: a for a in articles}
    assert set(ids) == {
        "sub/one.json",
        "x-1",
        "list.json#2",
        "given",
        "l.jsonl#2",
        "g.jsonl.gz#1",
        "g.jsonl.gz#3",
    }
    assert ids["sub/one.json"].origin == "sub/one.json"
    assert ids["g.jsonl.gz#3"].body == "F." and ids["g.jsonl.gz#3"].origin == "g.jsonl.gz"
    assert report.read == 7 and report.files == 4
    again, _ = read(tmp_path)
    assert [a.id for a in again] == [a.id for a in articles]  # stable across runs


def test_given_fields(tmp_path):
    obj = {
        "id": "k",
        "body": "Thân bài.",
        "date": "2020-05-23T21:22:00+07:00",
        "provinces": "TP.HCM; Hoà Bình",
        "persons": ["Nguyễn Văn A"],
        "author": "Thu Hiền",
        "url": "https://example.vn/a",
        "source": "Báo X",
    }
    (tmp_path / "a.json").write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    [a], _ = read(tmp_path)
    assert (a.date, a.date_evidence) == (dt.date(2020, 5, 23), "given")
    assert a.provinces == ["TP.HCM", "Hòa Bình"]
    assert a.persons == ["Nguyễn Văn A"]
    assert (a.author, a.url, a.source) == ("Thu Hiền", "https://example.vn/a", "Báo X")


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2020-05-23", dt.date(2020, 5, 23)),
        ("2020-05-23T21:22:00Z", dt.date(2020, 5, 23)),
        ("23/05/2020", dt.date(2020, 5, 23)),
        ("2020-02-30", None),
        ("hôm qua", None),
        (20200523, None),
    ],
)
def test_parse_given_date(value, expected):
    assert parse_given_date(value) == expected


def test_skips_are_reported_and_reading_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.json").write_text("  \n", encoding="utf-8")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 10)
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    good = json.dumps({"body": "Bài tốt."})
    lines = [good, "{broken", json.dumps({"title": "không có thân bài"}), "[1, 2]", good]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "cut.jsonl.gz").write_bytes(gzip.compress(good.encode() + b"\n")[:-12])
    articles, report = read(tmp_path)
    assert [a.id for a in articles][:2] == ["mixed.jsonl#1", "mixed.jsonl#5"]
    messages = {s.message() for s in report.skips}
    assert "empty.txt: skipped, empty file" in messages
    assert "blank.json: skipped, empty file" in messages
    assert any(m.startswith("bad.json:1: skipped, malformed JSON") for m in messages)
    assert any(m.startswith("binary.txt: skipped, undecodable") for m in messages)
    assert "notes.md: skipped, not a corpus file: .md" in messages
    assert any(m.startswith("mixed.jsonl:2: skipped, malformed JSON") for m in messages)
    assert any(m.startswith("mixed.jsonl:3: skipped, article without text") for m in messages)
    assert any(m.startswith("mixed.jsonl:4: skipped, not an article object") for m in messages)
    assert any(m.startswith("cut.jsonl.gz") for m in messages)
    assert not any("hidden" in m for m in messages)
    summary = report.summary()
    assert summary.startswith(f"read {report.read} articles from")
    assert f"skipped {len(report.skips)} (" in summary and "empty file" in summary


def test_missing_root_is_a_skip(tmp_path):
    articles, report = read(tmp_path / "nope")
    assert articles == [] and report.skips[0].reason == "corpus not found"


def test_reads_a_single_file_root(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"body": "X."}) + "\n", encoding="utf-8")
    [a], _ = read(path)
    assert (a.id, a.origin) == ("one.jsonl#1", "one.jsonl")


def test_streams_jsonl_gz(tmp_path):
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(3):
            f.write(json.dumps({"id": f"n{i}", "body": "Thân."}) + "\n")
        f.write("{truncated")
    report = ReadReport()
    stream = read_corpus([tmp_path], report)
    first = next(stream)  # a generator: nothing is read ahead of the consumer
    assert first.id == "n0" and report.read == 1
    rest = list(stream)
    assert [a.id for a in rest] == ["n1", "n2"]
    assert report.skips[0].line == 4


def test_curly_quotes_inside_json_strings_survive(tmp_path):
    """Regression: normalizing a raw line turned “ ” into '"' and broke 15,596 baomoi lines."""
    line = json.dumps({"body": "Cát “tặc” hoành hành – Quảng Nam."}, ensure_ascii=False)
    (tmp_path / "q.jsonl").write_text(line + "\n", encoding="utf-8")
    [a], report = read(tmp_path)
    assert not report.skips
    assert a.body == "Cát “tặc” hoành hành – Quảng Nam."  # kept as written
