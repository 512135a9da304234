"""search/telex.py: the syllable validator, and Telex/VNI decoding word by word and per query."""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.text.normalize import is_folded, normalize
from search.text.telex import (
    FOREIGN_WORDS,
    decode_telex,
    decode_word,
    is_vietnamese_syllable,
    slip_readings,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
BAOMOI = ROOT.parent / "shared" / "corpus" / "baomoi.jsonl.gz"
LETTERS = re.compile(r"[^\W\d_]+")


# --- the validator ------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "a", "y", "ạ", "ỉa",  # no onset
        "Nguyễn", "ĐẢNG", "Ủy", "Việt",  # any case
        "hòa", "hoà", "thủy", "thuỷ",  # both tone placements
        "nghiêng", "nghĩa", "ghế", "kỹ", "ký", "kìa",  # k gh ngh before front vowels
        "gì", "gìn", "giữ", "giếng", "giường", "gieo",  # gi
        "qua", "quý", "quốc", "quyết", "quăng", "quét", "quê", "quít", "quân",  # qu
        "hoặc", "khoe", "ngoẹo", "xoáy", "ngoài", "hoạch",  # medial o
        "tuân", "huế", "huỳnh", "huých", "huýt", "khuỷu", "thuở", "khuyên", "khuya", "buýt",
        "yêu", "yến", "tiền", "kiếm", "mía", "muốn", "của", "người", "rượu", "mưa", "gửi", "ưu",
        "đạc", "đắc", "thấp", "ếch",  # stop codas with sắc/nặng
        "xoong", "soóc",  # loans keep oo
        "Đắk", "Lắk", "Kạn", "Kon", "Búk",  # place names: k before any vowel, coda k
        unicodedata.normalize("NFD", "Nguyễn"),
    ],
)  # fmt: skip
def test_valid_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    ("word", "rule"),
    [
        ("", "empty"),
        ("đại hội", "two syllables"),
        ("tax", "x is no coda"),
        ("bus", "s is no coda"),
        ("fa", "f is no Vietnamese letter"),
        ("wa", "w is no Vietnamese letter"),
        ("zô", "z is no Vietnamese letter"),
        ("ci", "c before i is spelled k"),
        ("cem", "c before e is spelled k"),
        ("ngi", "ng before i is spelled ngh"),
        ("gha", "gh only before i e ê"),
        ("ngha", "ngh only before i e ê"),
        ("coa", "c takes no medial: qua"),
        ("q", "q alone"),
        ("qu", "qu needs a rime"),
        ("ă", "ă needs a coda"),
        ("â", "â needs a coda"),
        ("miê", "iê needs a coda"),
        ("muô", "uô needs a coda"),
        ("mươ", "ươ needs a coda"),
        ("miac", "ia takes no coda"),
        ("iên", "iê needs an onset: yên"),
        ("tyên", "yê takes no onset: tiên"),
        ("đac", "a stop coda needs sắc or nặng"),
        ("đàc", "no huyền on a stop coda"),
        ("việtt", "tt is no coda"),
        ("hóà", "two tone marks"),
        ("a1", "digits"),
        ("ôô", "no such nucleus"),
        ("thuong", "uo without horn or circumflex"),
    ],
)
def test_invalid_syllables(word, rule):
    assert not is_vietnamese_syllable(word), rule


def _latin(word: str) -> bool:
    return all(c < "\u0250" or "\u1e00" <= c <= "\u1eff" for c in word)


def _diacritic_tokens(text: str):
    """Lowercase, all-letter Latin tokens with diacritics."""
    for w in LETTERS.findall(normalize(text)):
        if w.isalpha() and w == w.lower() and not is_folded(w) and _latin(w):
            yield w


def test_every_accented_syllable_of_the_seeds_validates():
    assert SEEDS
    words = {w for p in SEEDS for w in _diacritic_tokens(p.read_text(encoding="utf-8"))}
    assert len(words) > 400
    assert sorted(w for w in words if not is_vietnamese_syllable(w)) == []


@pytest.mark.corpus
@pytest.mark.skipif(not BAOMOI.exists(), reason="no baomoi corpus")
def test_baomoi_sample_validates():
    """Every 20th article: ≥ 99.5% of accented tokens, ≥ 95% of distinct ones (the rest: typos)."""
    counts: dict[str, int] = {}
    with gzip.open(BAOMOI, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 20 == 0:
                obj = json.loads(line)
                for w in _diacritic_tokens(obj.get("title", "") + "\n" + obj.get("body", "")):
                    counts[w] = counts.get(w, 0) + 1
    bad = {w: n for w, n in counts.items() if not is_vietnamese_syllable(w)}
    tokens = sum(counts.values())
    assert tokens > 500_000
    assert 1 - sum(bad.values()) / tokens >= 0.995
    assert 1 - len(bad) / len(counts) >= 0.95


# --- one word ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "decoded", "strong"),
    [
        ("ddaij", "đại", True),
        ("Nguyeenx", "Nguyễn", True),
        ("uyr", "ủy", True),  # canonical tone placement: ủy, hòa, thủy
        ("Uyr", "Ủy", True),
        ("hoaf", "hòa", True),
        ("thuyr", "thủy", True),
        ("khoer", "khỏe", True),
        ("lamf", "làm", True),
        ("Vawn", "Văn", True),  # aw
        ("mowf", "mờ", True),  # ow
        ("thuw", "thư", True),  # uw
        ("nguowif", "người", True),  # uow
        ("nguoiwf", "người", True),  # w after the rime
        ("truongwf", "trường", True),
        ("ddh", "đh", True),  # abbreviations have no vowel, but their đ is typed dd
        ("HDDND", "HĐND", True),
        ("ddbqh", "đbqh", True),
        ("thuowr", "thuở", True),  # uow before no coda is uơ
        ("w", "ư", True),  # w alone
        ("nhwng", "nhưng", True),
        ("hoawcj", "hoặc", True),
        ("quys", "quý", True),
        ("quoocs", "quốc", True),
        ("gif", "gì", True),
        ("giuwx", "giữ", True),
        ("ngoaif", "ngoài", True),
        ("vieejt", "việt", True),  # tone key inside, with other evidence
        ("nguowfi", "người", True),
        ("ddaisz", "đai", True),  # z takes the tone back
        ("d9ang3", "đảng", True),  # VNI
        ("Vie65t", "Việt", True),
        ("Viet65", "Việt", True),
        ("d9o6ng2", "đồng", True),
        ("nguo72i", "người", True),
        ("na8m", "năm", True),
        ("Ddawks", "Đắk", True),
        ("tax", "tã", False),  # foreign words: weak
        ("bus", "bú", False),
        ("of", "ò", False),
        ("Moon", "Môn", False),
        ("Lee", "Lê", False),
        ("too", "tô", False),
        ("IS", "Í", False),  # acronyms: weak
        ("TW", "TƯ", False),
        ("A1", "Á", False),
        ("i3", "ỉ", False),  # VNI with one letter: weak
        ("HOOIJ", "HỘI", True),  # caps lock: the doubled vowel is sure
    ],
)
def test_decode_word(typed, decoded, strong):
    assert decode_word(typed) == (decoded, strong)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("dan", "no Telex keys"),
        ("so", "no Telex keys"),
        ("thanh", "no Telex keys"),
        ("xoong", "a loan spelled with oo"),
        ("boong", "a loan spelled with oo"),
        ("web", "ưeb is no syllable"),
        ("news", "no syllable"),
        ("hofa", "the only evidence is a tone key inside the word"),
        ("post", "the only evidence is a tone key inside the word"),
        ("visa", "the only evidence is a tone key inside the word"),
        ("taxi", "the only evidence is a tone key inside the word"),
        ("Paris", "two tone keys"),
        ("Lexus", "two tone keys"),
        ("covid19", "9 finds no d at the start"),
        ("U23", "two tone digits"),
        ("H5N1", "the tone digit finds no vowel"),
        ("Benz", "z with no tone to take back"),
        ("vieet", "viêt needs sắc or nặng"),
        ("ddd", "no syllable"),
        ("6x36", "starts with a digit"),
        ("Nguyễn", "already accented"),
        ("đaij", "already accented: the input method was on"),
        ("", "empty"),
    ],
)
def test_decode_word_leaves(typed, why):
    assert decode_word(typed) is None, why


# --- a whole query ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "decoded"),
    [
        ("ddangr booj", "đảng bộ"),
        ("nguyeenx", "nguyễn"),
        ("uyr", "ủy"),
        ("d9ang3", "đảng"),
        ("ddaij hooij", "đại hội"),
        ("ddaij hooij ddangr booj", "đại hội đảng bộ"),
        ("lamf vieecj", "làm việc"),
        ("tinhr uyr", "tỉnh ủy"),
        ("Nguyeenx Vawn", "Nguyễn Văn"),
        ("Uyr ban nhaan daan", "Ủy ban nhân dân"),  # plain words stay as typed
        ("ddaij hooij dan so", "đại hội dan so"),
        ("thuees tax", "thuế tã"),  # a weak word beside a sure one
        ("Too Laam", "Tô Lâm"),
        ("Lee Vawn Thanhf", "Lê Văn Thành"),
        ("ddaij hooij IS", "đại hội IS"),  # acronyms among ordinary words stay
        ("DDAIJ HOOIJ", "ĐẠI HỘI"),  # caps lock
        ("DDAIJ HOOIJ IS", "ĐẠI HỘI Í"),  # caps lock: IS is a weak word beside sure ones
        ("NGUYEENX Vawn", "NGUYỄN Văn"),  # sure evidence decodes a capital word anywhere
        ("Ddawks Lawks", "Đắk Lắk"),
        ("Bawcs Kanj", "Bắc Kạn"),
        ("Vie65t Nam", "Việt Nam"),
        ("ddaij, hooij!", "đại, hội!"),  # punctuation and spacing kept
        ("ddaij   hooij", "đại   hội"),
        ('"ddaij hooij" -booj', '"đại hội" -bộ'),
        ("ddaij OR hooij", "đại OR hội"),  # OR is syntax
        ("person:Nguyeenx", "person:Nguyễn"),  # the field name stays
        ("title:ddaij", "title:đại"),
    ],
)
def test_decode_telex(query, decoded):
    assert decode_telex(query) == (decoded, True)


@pytest.mark.parametrize(
    "query",
    [
        "dan so tax an",
        "tax",
        "bus",
        "is of",
        "web",
        "how",
        "teen",
        "Moon Jae in",
        "hofa binh",
        "post covid",
        "lanh dao tinh uy",
        "62-NQ/TU",
        "IS TW",
        "Tổng thống Moon",  # accented: the input method was on
        "Nguyễn Vawn",
        "đại hooij",
        "Nguyễn Văn",
        "OR",
        "",
    ],
)
def test_decode_telex_leaves(query):
    assert decode_telex(query) == (query, False)


def test_foreign_words_are_lowercase_ascii():
    assert all(w.isascii() and w == w.lower() for w in FOREIGN_WORDS)


# --- round trips: every accented syllable of the seeds, typed in Telex and in VNI -------------

_TELEX_TONE = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_VNI_TONE = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_TELEX_LETTER = {"â": "aa", "ê": "ee", "ô": "oo", "ă": "aw", "ơ": "ow", "ư": "uw", "đ": "dd"}
_VNI_LETTER = {"â": "a6", "ê": "e6", "ô": "o6", "ă": "a8", "ơ": "o7", "ư": "u7", "đ": "d9"}


def _type(syllable: str, letters: dict[str, str], tones: dict[str, str]) -> str:
    """Type ``syllable`` key by key, the tone key last: an encoder independent of the decoder."""
    tone = ""
    out = []
    for ch in syllable:
        parts = unicodedata.normalize("NFD", ch)
        tone = next((tones[m] for m in parts if m in tones), tone)
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones))
        out.append(letters.get(base, base))
    return "".join(out).replace("uwow", "uow") + tone


def _seed_syllables() -> set[str]:
    return {w for p in SEEDS for w in _diacritic_tokens(p.read_text(encoding="utf-8"))}


@pytest.mark.parametrize(
    ("letters", "tones"),
    [(_TELEX_LETTER, _TELEX_TONE), (_VNI_LETTER, _VNI_TONE)],
    ids=["telex", "vni"],
)
def test_seed_syllables_round_trip(letters, tones):
    syllables = _seed_syllables()
    wrong = {}
    for s in syllables:
        typed = _type(s, letters, tones)
        got = decode_word(typed)
        if got is None or got[0] != normalize(s):
            wrong[s] = (typed, got)
    assert len(syllables) > 400
    assert wrong == {}


def test_round_trip_typer():
    assert _type("người", _TELEX_LETTER, _TELEX_TONE) == "nguowif"
    assert _type("đảng", _VNI_LETTER, _VNI_TONE) == "d9ang3"


@given(st.text())
def test_decode_telex_never_raises(query):
    decoded, changed = decode_telex(query)
    assert isinstance(decoded, str)
    assert changed == (decoded != query)


@given(st.text(alphabet="adeoguwnhtqiyDAOW sfrjxz0123456789-:\"'", max_size=40))
def test_decode_telex_on_telex_like_text(query):
    decoded, changed = decode_telex(query)
    assert changed == (decoded != query)
    # Only letters change: spaces and punctuation stay where they were.
    assert re.sub(r"\w", "", decoded) == re.sub(r"\w", "", query)


@pytest.mark.parametrize(
    ("word", "readings"),
    [
        ("hopj", ["họp"]),  # the input method missed one syllable
        ("ddeenf", ["đền", "deenf", "ddenf"]),  # the query is lowercased before
        ("nhaau", ["nhâu", "nhau"]),  # Telex first, then the doubled letter typed once
        ("côông", ["công"]),
        ("chho", ["cho"]),
        ("or", []),  # ỏ, but nothing proves Telex: the English word stays
        ("tax", []),
        ("ban", []),
    ],
)
def test_slip_readings(word, readings):
    assert slip_readings(word) == readings
