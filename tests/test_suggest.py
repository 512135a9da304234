"""search/suggest.py: "did you mean" (diacritics restored, typos corrected) and autocomplete.

Both learn only from the index: its persons, provinces and the most frequent
accented form of each folded word of the fixture corpus.
"""

from __future__ import annotations

import pytest

from search.models import SearchRequest, Suggestion


@pytest.fixture(scope="module")
def suggestion(engine):
    def run(q: str) -> str | None:
        return engine.search(SearchRequest(q=q)).suggestion

    return run


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # diacritics restored from the index's own vocabulary
        ("lanh dao", "lãnh đạo"),
        ("lanh dao tinh uy", "lãnh đạo tỉnh ủy"),  # INTERFACE.md's example
        ("Lanh dao tinh", "Lãnh đạo tỉnh"),  # capitals as typed
        ("thuy loi", "thủy lợi"),
        ("uy ban nhan dan", "ủy ban nhân dân"),
        ("dai hoi dang bo", "đại hội đảng bộ"),
        ("lãnh dao", "lãnh đạo"),  # half-accented: the typed accents stay
        # a person or province comes back as the index writes it
        ("lam thi phuong thanh", "Lâm Thị Phương Thanh"),
        ("Lam Thi Phuong Thanh", "Lâm Thị Phương Thanh"),
        ("hoa binh", "Hòa Bình"),
        ("tinh uy lang son", "tỉnh ủy Lạng Sơn"),  # inside a longer query
        ("bi thu lam thi phuong thanh", "bí thư Lâm Thị Phương Thanh"),
        # typos
        ("lanh daoo", "lãnh đạo"),
        ("tinh uyy lang son", "tỉnh ủy Lạng Sơn"),
        ("lam thi phuong thnh", "Lâm Thị Phương Thanh"),  # a typo inside a name
        ("nguyen xuan phuk", "Nguyễn Xuân Phúc"),
        # the query's syntax survives: the suggestion is a query too
        ('hoa binh -"giu vung"', 'Hòa Bình -"giữ vững"'),
        ('"dai hoi" dang bo', '"đại hội" đảng bộ'),
        ("hoc OR thue", "học OR thuế"),
        ("title:thuy loi", "title:thủy lợi"),
        ('person:"lam thi phuong thanh"', 'person:"Lâm Thị Phương Thanh"'),
        ("nghi quyet 62-NQ/TU", "nghị quyết 62-NQ/TU"),  # codes kept as typed
        ("lanh dao UBND tinh", "lãnh đạo UBND tỉnh"),  # acronyms kept
    ],
)
def test_did_you_mean(suggestion, query, expected):
    assert suggestion(query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "lãnh đạo",  # already accented
        "Lâm Thị Phương Thanh",
        "hòa bình",  # differs from the province only by capitals
        "Hoà Bình",  # old tone placement of the same
        "Nghị quyết 62-NQ/TU",
        "ddaij hooij",  # Telex decodes to đại hội: nothing left to suggest
        "",
        "OR",
        "2020",
    ],
)
def test_no_suggestion_when_nothing_would_change(suggestion, query):
    assert suggestion(query) is None


def test_suggestion_finds_what_the_query_missed(engine):
    page = engine.search(SearchRequest(q="lam thi phuong thnh"))
    better = engine.search(SearchRequest(q=page.suggestion))
    assert {h.id for h in better.hits[:2]} == {
        "000_b9ca21308674c971.txt",
        "001_ad5a731278720d44.txt",
    }
    # A letter typed twice is read as a slip by the searcher itself: same hits as typed right.
    slip, right = (engine.search(SearchRequest(q=q)) for q in ("lanh daoo", "lanh dao"))
    assert slip.total >= 5 and [h.id for h in slip.hits] == [h.id for h in right.hits]
    assert engine.search(SearchRequest(q="lãnh đạo")).total >= 5


# --- autocomplete -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "value", "kind", "count"),
    [
        ("lam th", "Lâm Thị Phương Thanh", "person", 2),
        ("lâm th", "Lâm Thị Phương Thanh", "person", 2),  # accented prefix
        ("LAM THI", "Lâm Thị Phương Thanh", "person", 2),
        ("phuong thanh", "Lâm Thị Phương Thanh", "person", 2),  # from inside the name
        ("lang s", "Lạng Sơn", "province", 6),
        ("lang", "Lạng Sơn", "province", 6),
        ("hoa b", "Hòa Bình", "province", 2),
        ("nguyen x", "Nguyễn Xuân Phúc", "person", 1),
        ("thuy l", "thủy lợi", "term", 1),
        ("ma so", "mã số", "term", 1),
    ],
)
def test_complete_without_diacritics(engine, prefix, value, kind, count):
    items = engine.complete(prefix)
    assert items[0] == Suggestion(value, kind, count)


def test_complete_orders_names_by_frequency_then_terms(engine):
    items = engine.complete("nguyen", limit=20)
    kinds = [i.kind for i in items]
    assert kinds == sorted(kinds, key=lambda k: k == "term")  # names first
    names = [i.count for i in items if i.kind != "term"]
    assert names == sorted(names, reverse=True)
    assert {"Nguyễn Thanh Hải", "Thái Nguyên", "Nguyễn Xuân Phúc"} <= {i.value for i in items}


@pytest.mark.parametrize("limit", [1, 3])
def test_complete_respects_the_limit(engine, limit):
    assert len(engine.complete("th", limit=limit)) == limit


@pytest.mark.parametrize("prefix", ["", "l", " ", "qwzxv", "***"])
def test_complete_of_nothing_useful_is_empty(engine, prefix):
    assert engine.complete(prefix) == []


def test_completions_appear_once_the_vocabulary_is_built(fixture_index, monkeypatch):
    """A completion asked while the vocabulary is still being built is not kept empty."""
    import threading

    from search.read.snapshot import Snapshot
    from search.read.suggest import complete
    from search.write.generations import live_generation

    go = threading.Event()
    build = Snapshot._build_vocabulary

    def slow_build(self):
        go.wait(30)
        build(self)

    monkeypatch.setattr(Snapshot, "_build_vocabulary", slow_build)
    snap = Snapshot(live_generation(fixture_index))
    try:
        early = [x for x in complete(snap, "ma so") if x.kind == "term"]
        go.set()
        assert snap.vocabulary_ready.wait(30)
        late = [x for x in complete(snap, "ma so") if x.kind == "term"]
    finally:
        go.set()
        snap.close()
    assert early == []
    assert late and late[0].value == "mã số"
