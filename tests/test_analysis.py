"""Analysis: pyvi segmentation, the four streams and bigrams, offsets into the original."""

import unicodedata
from pathlib import Path

import pytest
from pyvi import ViTokenizer

from search.text.analysis import (
    SEP,
    STREAMS,
    accented_words,
    analyze,
    analyzer_for,
    index_terms,
)
from search.text.normalize import fold, normalize

SEEDS = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))


@pytest.mark.parametrize(
    "stream, text, expected",
    [
        ("syl", "Lãnh đạo Tỉnh uỷ", ["lãnh", "đạo", "tỉnh", "ủy"]),
        ("fsyl", "Đại hội Đảng bộ", ["dai", "hoi", "dang", "bo"]),
        ("word", "Lãnh đạo Trung ương làm việc", ["lãnh_đạo", "trung_ương", "làm_việc"]),
        ("fword", "Lãnh đạo Trung ương", ["lanh_dao", "trung_uong"]),
        ("word", "đồng chí Lâm Thị Phương Thanh", ["đồng_chí", "lâm_thị_phương_thanh"]),
        ("fbi", "Ban Thường vụ", ["ban_thuong", "thuong_vu"]),
        ("fbi", "Lạng Sơn, Thái Nguyên", ["lang_son", "thai_nguyen"]),  # no pair across a comma
        # quotes of emphasis stay inside the phrase, straight or curly alike
        ("fbi", "10 năm 'lột xác'", ["10_nam", "nam_lot", "lot_xac"]),
        ("fbi", "10 năm ‘lột xác’", ["10_nam", "nam_lot", "lot_xac"]),
        ("fbi", 'Thu "hút" vốn', ["thu_hut", "hut_von"]),
        ("word", "Nghị quyết số 62-NQ/TU", ["nghị_quyết", "62-nq/tu"]),
        ("fsyl", "62-NQ/TU, COVID-19, 19/19", ["62", "nq", "tu", "covid", "19", "19", "19"]),
        ("word", "giai đoạn 2015-2020", ["giai_đoạn", "2015-2020"]),
    ],
)
def test_streams(stream, text, expected):
    assert [t.text for t in analyzer_for(stream)(text)] == expected


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


@pytest.mark.parametrize("stream", sorted(STREAMS))
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_offsets_point_into_the_original_text(stream, form):
    original = unicodedata.normalize(form, SEEDS[0].read_text(encoding="utf-8"))
    # Whoosh reuses one Token object: copy each before keeping it.
    tokens = [t.copy() for t in analyzer_for(stream)(original, chars=True, positions=True)]
    assert tokens
    for pos, t in enumerate(tokens):
        surface = original[t.startchar : t.endchar]
        # The original span, normalized and folded, is the token's letters and digits
        # (a word joins syllables with _, a bigram may span "20/01" or "Covid-19").
        seen = fold(normalize(surface)).lower()
        assert _alnum(seen) == _alnum(fold(t.text))
        assert t.pos == pos


def _fixture_texts() -> list[str]:
    import json

    path = Path(__file__).resolve().parent / "fixtures" / "corpus" / "articles.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    return [r[k] for r in records for k in ("title", "body") if r.get(k)]


def test_crf_labels_are_crfsuites():
    """search.text.analysis evaluates pyvi's CRF itself: every label as CRFsuite gives it."""
    from pyvi.ViTokenizer import ViTokenizer as Tokenizer

    from search.text.analysis import _PYVI_PATTERN
    from search.text.crf import crf_labels as _crf_labels

    texts = [p.read_text(encoding="utf-8") for p in SEEDS] + _fixture_texts()
    tokens = 0
    for text in texts:
        words = [m.group(0) for m in _PYVI_PATTERN.finditer(normalize(text))]
        theirs = Tokenizer.model.tagger_.tag(Tokenizer.sent2features(words, False))
        assert _crf_labels(words) == theirs
        tokens += len(words)
    assert tokens > 5000
    assert _crf_labels(["Hà"]) == Tokenizer.model.tagger_.tag(
        Tokenizer.sent2features(["Hà"], False)
    )


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_compound_words_are_pyvis(seed):
    text = normalize(seed.read_text(encoding="utf-8"))
    ours = [t for t, _, _ in accented_words(analyze(text)) if SEP in t]
    theirs = [w for w in ViTokenizer.tokenize(text).split() if SEP in w]
    assert ours == theirs


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_index_terms_equal_the_analyzers(seed):
    text = seed.read_text(encoding="utf-8")
    fast = index_terms(analyze(text))
    for stream in STREAMS:
        slow = {}
        for t in analyzer_for(stream)(text):
            slow[t.text] = slow.get(t.text, 0) + 1
        assert dict(fast[stream]) == slow, stream


def test_nfd_and_nfc_give_the_same_terms():
    text = SEEDS[1].read_text(encoding="utf-8")
    assert index_terms(analyze(unicodedata.normalize("NFD", text))) == index_terms(analyze(text))


def test_both_tone_styles_give_the_same_terms():
    assert index_terms(analyze("Uỷ viên, hoà bình, thuỷ lợi")) == index_terms(
        analyze("Ủy viên, hòa bình, thủy lợi")
    )
