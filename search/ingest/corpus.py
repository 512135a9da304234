"""Read corpus files into Article objects: .txt pages, .json, .jsonl, .jsonl.gz, .html, .docx, .pdf.

Reading is streaming (a .jsonl.gz is read one line at a time), never raises
for a bad file or line, and reports everything it leaves out in a
:class:`ReadReport`. Only what the files give is filled in here (plus, for
a copied page, what :mod:`search.ingest.page` reads from its layout, and for a
document what its reader in :mod:`.htmlpage`, :mod:`.word` or :mod:`.pdftext`
finds stated); inference from the text is :func:`search.ingest.extract.enrich`'s job.
Text in any encoding of :mod:`.encodings` is read, legacy ones included.
"""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Article
from ..text.normalize import normalize
from .document import Document
from .encodings import DecodeError, decode_bytes
from .page import byline_name, parse_page

__all__ = ["ReadReport", "Skip", "decode", "read_corpus", "parse_given_date"]

DOCUMENTS = (".html", ".htm", ".docx", ".pdf")
SUFFIXES = (".txt", ".json", ".jsonl", ".jsonl.gz", *DOCUMENTS)
# Formats we name but do not read: the line says what to do instead.
_SAVE_AS = {
    ".doc": "a Word 97-2003 file: save it as .docx",
    ".rtf": "an RTF file: save it as .docx",
}
_BODY_KEYS = ("body", "content", "text")


@dataclass(frozen=True)
class Skip:
    """Something left out: the file, the line (1-based, or None) and why."""

    path: str
    line: int | None
    reason: str

    def message(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: skipped, {self.reason}"

    __str__ = message


@dataclass
class ReadReport:
    """Counts of one read: articles read and everything skipped, with reasons."""

    read: int = 0
    files: int = 0
    skips: list[Skip] = field(default_factory=list)

    def skip(self, path: str, line: int | None, reason: str) -> None:
        self.skips.append(Skip(path, line, reason))

    def summary(self) -> str:
        """One line: ``read 3 articles from 2 files, skipped 1 (1 empty file)``."""
        head = f"read {self.read} articles from {self.files} files, skipped {len(self.skips)}"
        if not self.skips:
            return head
        kinds = Counter(s.reason.split(":")[0] for s in self.skips)
        return head + " (" + ", ".join(f"{n} {k}" for k, n in kinds.most_common()) + ")"


def decode(data: bytes) -> str:
    """Bytes of a corpus file as NFC text, in whichever encoding :mod:`.encodings` finds.

    >>> decode("Hòa".encode("utf-8-sig")) == decode("Hòa".encode("utf-16")) == "Hòa"
    True
    >>> decode("Ho\u0300a Bi\u0300nh".encode("cp1258"))  # marks combine
    'Hòa Bình'
    """
    return decode_bytes(data)[0]


def parse_given_date(value: object) -> dt.date | None:
    """A given date: ISO 8601 date or datetime, or dd/mm/yyyy. None when unreadable.

    >>> parse_given_date("2020-05-23T21:22:00+07:00"), parse_given_date("23/05/2020")
    (datetime.date(2020, 5, 23), datetime.date(2020, 5, 23))
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.match(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b", value)
        if not m:
            return None
        d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        value = re.split(r"\s*[,;|]\s*", value)
    if not isinstance(value, list):
        return []
    return [normalize(v).strip() for v in value if isinstance(v, str) and v.strip()]


def _text(value: object) -> str | None:
    return normalize(value).strip() or None if isinstance(value, str) else None


def article_from_object(obj: object, default_id: str, origin: str) -> Article | str:
    """An Article from a JSON object, or the reason it cannot be one."""
    if not isinstance(obj, dict):
        return f"not an article object ({type(obj).__name__})"
    body = next((obj[k] for k in _BODY_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), "")
    if not body:
        return "article without text (no body, content or text)"
    given_id = obj.get("id")
    date = parse_given_date(obj.get("date"))
    return Article(
        id=str(given_id).strip() if given_id not in (None, "") else default_id,
        # NFC only: the text is kept as written (highlights map back into it) and
        # the rest of normalization is the analysis's and enrich()'s, in workers.
        body=unicodedata.normalize("NFC", body).strip(),
        title=_text(obj.get("title")) or "",
        date=date,
        date_evidence="given" if date else None,
        url=_text(obj.get("url")),
        source=_text(obj.get("source")),
        author=_text(obj.get("author")),
        provinces=_as_list(obj.get("provinces")),
        persons=_as_list(obj.get("persons")),
        origin=origin,
    )


def article_from_page(text: str, doc_id: str, origin: str) -> Article | str:
    """An Article from a copied page (.txt), with what its layout tells."""
    from .dates import reconcile_date

    page = parse_page(text)
    if not page.body.strip():
        return "article without text"
    date, evidence = reconcile_date(page.body, page.timestamp, page.banner)
    return Article(
        id=doc_id,
        body=page.body,
        title=page.title,
        date=date,
        date_evidence=evidence,
        source=page.source,
        author=page.author,
        origin=origin,
    )


def read_document(data: bytes, name: str) -> Document | str:
    """What the reader of a document's format finds in it, or the reason it finds nothing.

    Readers never raise for a bad file: whatever a damaged file makes a library
    throw becomes the reason here, so the run goes on.
    """
    from .htmlpage import read_html
    from .pdftext import read_pdf
    from .word import read_docx

    reader = (
        read_pdf if name.endswith(".pdf") else read_docx if name.endswith(".docx") else read_html
    )
    if reader is read_html and data.startswith((b"%PDF", b"PK\x03\x04")):
        return "not an HTML page (a PDF or zip named .html)"
    try:
        return reader(data)
    except (DecodeError, UnicodeDecodeError) as exc:
        return f"undecodable: {exc}"
    except Exception as exc:  # noqa: BLE001 - a library's error on a damaged file
        return f"unreadable {name.rsplit('.', 1)[-1]}: {type(exc).__name__}: {str(exc)[:80]}"


def article_from_document(data: bytes, name: str, origin: str) -> Article | str:
    """An Article from an .html, .docx or .pdf file, with the metadata the file states."""
    from .dates import reconcile_date

    doc = read_document(data, name)
    if isinstance(doc, str):
        return doc
    body = unicodedata.normalize("NFC", doc.body).strip()
    last = re.sub(r"\s*\([^()]*\)$", "", body.rsplit("\n", 1)[-1])  # "Thu Hiền (Theo ...)"
    if doc.author is None and "\n" in body and len(last) < 60:
        doc.author = byline_name(last)  # a byline on its own last line
    date, evidence = (doc.date, doc.date_evidence) if doc.date else reconcile_date(body)
    return Article(
        id=origin,
        body=body,
        title=_text(doc.title) or "",
        date=date,
        date_evidence=evidence,
        url=_text(doc.url),
        source=_text(doc.source),
        author=_text(doc.author),
        origin=origin,
    )


def _files(root: Path) -> Iterator[tuple[Path, str]]:
    """(file, path relative to the root) of every corpus file, in a stable order."""
    if root.is_file():
        yield root, root.name
        return
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        yield path, rel.as_posix()


def read_corpus(roots: Sequence[str | Path], report: ReadReport) -> Iterator[Article]:
    """Yield the articles of every corpus root, recording counts and skips in ``report``.

    Ids: the ``id`` field when given, else the path relative to its root, with
    ``#N`` for the N-th line of a .jsonl (or item of a .json list).
    """
    for root in roots:
        root = Path(root)
        if not root.exists():
            report.skip(str(root), None, "corpus not found")
            continue
        for path, rel in _files(root):
            name = path.name.lower()
            if path.suffix.lower() in _SAVE_AS:
                report.skip(rel, None, f"not read: {_SAVE_AS[path.suffix.lower()]}")
                continue
            if not name.endswith(SUFFIXES):
                report.skip(rel, None, f"not a corpus file: {path.suffix or path.name}")
                continue
            report.files += 1
            for item in _read_file(path, rel, report):
                report.read += 1
                yield item


def _read_file(path: Path, rel: str, report: ReadReport) -> Iterator[Article]:
    name = path.name.lower()
    try:
        if name.endswith((".jsonl", ".jsonl.gz")):
            yield from _read_jsonl(path, rel, report)
            return
        data = path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        report.skip(rel, None, f"unreadable: {exc}")
        return
    if not data.strip():
        report.skip(rel, None, "empty file")
        return
    if name.endswith(DOCUMENTS):
        yield from _article_or_skip(article_from_document(data, name, rel), rel, report)
        return
    try:
        text = decode(data)
    except (DecodeError, UnicodeDecodeError) as exc:
        report.skip(rel, None, f"undecodable: {exc}")
        return
    if not text.strip():
        report.skip(rel, None, "empty file")
        return
    if name.endswith(".txt"):
        yield from _article_or_skip(article_from_page(text, rel, rel), rel, report)
        return
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        report.skip(rel, exc.lineno, f"malformed JSON: {exc.msg}")
        return
    items = obj if isinstance(obj, list) else [obj]
    for n, item in enumerate(items, 1):
        result = article_from_object(item, f"{rel}#{n}" if isinstance(obj, list) else rel, rel)
        if isinstance(result, str):
            report.skip(rel, None, f"item {n}: {result}" if isinstance(obj, list) else result)
        else:
            yield result


def _article_or_skip(result: Article | str, rel: str, report: ReadReport) -> Iterator[Article]:
    """The article read, or the reason it was not, named on the report."""
    if isinstance(result, str):
        report.skip(rel, None, result)
    else:
        yield result


def _lines(path: Path) -> Iterator[str | Exception]:
    """Decoded lines of a .jsonl(.gz), one at a time; a line that cannot be decoded is an error."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as raw:
        head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            with io.TextIOWrapper(raw, encoding="utf-16") as lines:
                yield from lines
            return
        for n, line in enumerate(raw, 1):
            if n == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[3:]
            try:
                yield decode(line) if line.strip() else ""
            except (DecodeError, UnicodeDecodeError) as exc:
                yield exc


def _read_jsonl(path: Path, rel: str, report: ReadReport) -> Iterator[Article]:
    empty = True
    try:
        for n, line in enumerate(_lines(path), 1):
            if isinstance(line, Exception):
                report.skip(rel, n, f"undecodable: {line}")
                continue
            if not line.strip():
                continue
            empty = False
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                report.skip(rel, n, f"malformed JSON: {exc.msg}")
                continue
            result = article_from_object(obj, f"{rel}#{n}", rel)
            if isinstance(result, str):
                report.skip(rel, n, result)
            else:
                yield result
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError) as exc:
        report.skip(rel, None, f"unreadable: {exc}")
        return
    if empty:
        report.skip(rel, None, "empty file")
