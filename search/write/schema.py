"""The one Whoosh schema, and every field name as a constant.

Text is indexed as five token streams (see :data:`search.text.analysis.STREAMS`)
for the title and for the body: accented and folded syllables, accented and
folded compound words, folded syllable bigrams. Each stream field holds the
pre-counted terms that :func:`search.text.analysis.index_terms` gives, with the
term frequency carried as the posting weight (BM25 needs nothing else), so
indexing never re-runs analysis and the postings stay small.
"""

from __future__ import annotations

from whoosh import columns, fields, formats

from ..text.analysis import STREAMS, analyzer_for

ID = "id"
DOC = "doc"  # stored dict: the article's display fields and original text
HASH = "hash"  # column: content hash, for incremental reindexing
DATE = "date"  # column: days since 0001-01-01 (date.toordinal()), 0 when unknown
LENGTHS = "lengths"  # column: uint16 token count of every stream field, in TEXT_FIELDS order

PROVINCE = "province"
PROVINCE_2025 = "province2025"
PERSON = "person"
SOURCE = "source"
AUTHOR = "author"
YEAR = "year"
MONTH = "month"
FACET_FIELDS = (PROVINCE, PROVINCE_2025, PERSON, SOURCE, AUTHOR, YEAR, MONTH)
# "person|post": each post an article names a person with (search.ingest.posts),
# what person and post pages are made of (search.read.people). A keyword field
# like the facets, read only when a person or post page is first asked for.
ROLE = "role"
ROLE_SEP = "|"

TITLE_PREFIX, BODY_PREFIX = "t_", "b_"


def text_field(part: str, stream: str) -> str:
    """Field name of a stream in the title ("t") or body ("b"): ``text_field("b", "fsyl")``."""
    return f"{part}_{stream}"


TEXT_FIELDS = tuple(text_field(p, s) for p in ("t", "b") for s in STREAMS)


class StreamField(fields.FieldType):
    """A text field fed with pre-counted terms ``{term: frequency}``.

    Its analyzer is the stream's Whoosh analyzer, so a plain string value (or
    any Whoosh query parser) analyzes exactly as the indexer's fast path does.
    The posting weight is the term frequency; no positions are stored: phrase
    and proximity come from the bigram stream.
    """

    def __init__(self, stream: str):
        self.stream = stream
        self.analyzer = analyzer_for(stream)
        self.format = formats.Existence(field_boost=1.0)
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None
        self.spelling = False
        self.multitoken_query = "phrase"

    def index(self, value, **kwargs):
        if isinstance(value, dict):
            return ((t.encode("utf-8"), n, float(n), b"") for t, n in value.items())
        return super().index(value, **kwargs)


def _facet_field() -> fields.KEYWORD:
    """Exact values (a list bypasses the analyzer); presence is all a facet needs."""
    f = fields.KEYWORD(lowercase=False, commas=True, scorable=False)
    f.format = formats.Existence()
    return f


def build_schema() -> fields.Schema:
    keyword = {name: _facet_field() for name in (*FACET_FIELDS, ROLE)}
    streams = {name: StreamField(name.split("_", 1)[1]) for name in TEXT_FIELDS}
    return fields.Schema(
        **{
            ID: fields.ID(stored=False, unique=True, sortable=True),
            DOC: fields.STORED(),
            HASH: fields.COLUMN(columns.VarBytesColumn()),
            DATE: fields.COLUMN(columns.NumericColumn("i", default=0)),
            LENGTHS: fields.COLUMN(columns.VarBytesColumn()),
        },
        **keyword,
        **streams,
    )
