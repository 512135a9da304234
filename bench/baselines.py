"""The systems the benchmarks compare, behind one small interface.

Every system is built in-process from the same corpus objects into its own
directory, then answers a query string with the ids of its top ``k`` articles.
The baselines get the query as its lowercased ``\\w+`` words OR'ed together
(each quoted where the syntax needs it); that is exactly what their analyzers
make of the text, and it keeps query syntax out of the comparison. vnsearch
gets the query string untouched: reading it is part of what is measured.

* ``whoosh``: plain Whoosh, ``StandardAnalyzer`` (regex words, lowercase,
  English stop words and words under 2 characters dropped), BM25F.
* ``fts5``: SQLite FTS5, ``unicode61 remove_diacritics 2``, ranked by ``bm25()``.
  unicode61 removes combining marks only: đ is a letter of its own and stays đ.
* ``tantivy``: tantivy's simple tokenizer, lowercase, ASCII folding (đ -> d), BM25.
* ``vnsearch``: ``search.write.indexer.build_index`` and ``search.read.engine.Engine``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from common import to_article

_WORD = re.compile(r"\w+")


def query_words(query: str) -> list[str]:
    """The words a baseline searches for: lowercased ``\\w+`` runs.

    >>> query_words('Kết quả "xổ số" 6/2/2017')
    ['kết', 'quả', 'xổ', 'số', '6', '2', '2017']
    """
    return _WORD.findall(query.lower())


class Unavailable(Exception):
    """The system cannot run here (not installed, not implemented yet): the reason."""


class System:
    """One search system: ``build`` once, then ``search`` many times, then ``close``."""

    name = "?"
    notes: list[str] = []  # anything the reader of the figures must know

    def build(self, records: Sequence[dict], index_dir: Path) -> None:
        raise NotImplementedError

    def search(self, query: str, k: int = 10) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        """Release files and handles (the directory is the caller's)."""


class WhooshBaseline(System):
    name = "whoosh"

    def build(self, records: Sequence[dict], index_dir: Path) -> None:
        self.ix = build_whoosh(records, index_dir)
        self.open(index_dir)

    def open(self, index_dir: Path) -> None:
        """Search an existing plain Whoosh index (one :func:`build_whoosh` made)."""
        from whoosh import index
        from whoosh.qparser import MultifieldParser, OrGroup

        self.ix = index.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema, group=OrGroup)

    def search(self, query: str, k: int = 10) -> list[str]:
        words = query_words(query)
        if not words:
            return []
        # Lowercase words hold no operator (AND, OR, NOT are uppercase in Whoosh).
        q = self.parser.parse(" ".join(words))
        return [hit["id"] for hit in self.searcher.search(q, limit=k)]

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


def whoosh_schema():
    """The plain baseline schema of the brief."""
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    return Schema(
        id=ID(stored=True),
        title=TEXT(analyzer=StandardAnalyzer()),
        body=TEXT(analyzer=StandardAnalyzer()),
    )


def build_whoosh(records, index_dir: Path):
    """Index ``records`` (any iterable) into a new plain Whoosh index with one writer."""
    from whoosh import index

    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), whoosh_schema())
    with ix.writer() as writer:  # commits on success, cancels on an exception
        for r in records:
            writer.add_document(id=r["id"], title=r["title"], body=r["body"])
    return ix


class Fts5Baseline(System):
    name = "fts5"

    def build(self, records: Sequence[dict], index_dir: Path) -> None:
        index_dir.mkdir(parents=True, exist_ok=True)
        self.ids = [r["id"] for r in records]
        self.db = sqlite3.connect(index_dir / "fts.db")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, body, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        with self.db:
            self.db.executemany(
                "INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                ((i, r["title"], r["body"]) for i, r in enumerate(records)),
            )

    def search(self, query: str, k: int = 10) -> list[str]:
        words = query_words(query)
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        rows = self.db.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, k)
        )
        return [self.ids[rowid] for (rowid,) in rows]

    def close(self) -> None:
        self.db.close()


class TantivyBaseline(System):
    name = "tantivy"

    def build(self, records: Sequence[dict], index_dir: Path) -> None:
        import tantivy

        index_dir.mkdir(parents=True, exist_ok=True)
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", tokenizer_name="folding")
        builder.add_text_field("body", tokenizer_name="folding")
        self.index = tantivy.Index(builder.build(), path=str(index_dir))
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build()
        )
        self.index.register_tokenizer("folding", analyzer)
        writer = self.index.writer()
        for r in records:
            writer.add_document(tantivy.Document(id=r["id"], title=r["title"], body=r["body"]))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, query: str, k: int = 10) -> list[str]:
        words = query_words(query)
        if not words:
            return []
        # Disjunction is the parser's default; quoting keeps every word a plain term.
        q = self.index.parse_query(" ".join(f'"{w}"' for w in words), ["title", "body"])
        return [self.searcher.doc(addr)["id"][0] for _, addr in self.searcher.search(q, k).hits]


class Vnsearch(System):
    name = "vnsearch"

    def __init__(self, jobs: int | None = None):
        self.jobs = jobs

    def build(self, records: Sequence[dict], index_dir: Path) -> None:
        """Build with ``build_index`` and open an Engine; Unavailable when either fails.

        Articles the indexer reports as failed (``WriteStats.failed``) are put
        in ``self.notes``: each one costs vnsearch its queries, silently otherwise.
        """
        build_index, engine_class = vnsearch_api()
        self.notes: list[str] = []
        try:
            stats = build_index((to_article(r) for r in records), index_dir, jobs=self.jobs)
        except NotImplementedError as e:
            raise Unavailable("search.write.indexer.build_index is not implemented yet") from e
        except Exception as e:
            raise Unavailable(f"build_index failed: {type(e).__name__}: {e}") from e
        failed = list(getattr(stats, "failed", None) or [])
        if failed:
            doc_id, reason = failed[0]
            if len(failed) == len(records):
                raise Unavailable(f"build_index indexed no article ({doc_id}: {reason})")
            self.notes.append(
                f"build_index failed on {len(failed)} articles, e.g. {doc_id}: {reason}"
            )
        try:
            self.engine = engine_class(index_dir)
        except NotImplementedError as e:
            raise Unavailable("search.read.engine.Engine is not implemented yet") from e
        except Exception as e:
            raise Unavailable(f"Engine({index_dir.name}) failed: {type(e).__name__}: {e}") from e

    def search(self, query: str, k: int = 10) -> list[str]:
        from search.models import SearchRequest

        return [h.id for h in self.engine.search(SearchRequest(q=query, per_page=k)).hits]

    def close(self) -> None:
        close = getattr(self.engine, "close", None)
        if close is not None:
            close()


def vnsearch_api():
    """``(build_index, Engine)``, or Unavailable with the reason."""
    try:
        from search.read.engine import Engine
        from search.write.indexer import build_index
    except ImportError as e:
        raise Unavailable(f"vnsearch cannot be imported yet ({e})") from e
    return build_index, Engine


SYSTEMS = {
    "vnsearch": Vnsearch,
    "tantivy": TantivyBaseline,
    "fts5": Fts5Baseline,
    "whoosh": WhooshBaseline,
}
