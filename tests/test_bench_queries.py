"""The hard forms of the known-item draw (bench/queries.py, bench/keyboard.py, bench/ablation.py):
a realistic one-edit typo, the first sentence of an untitled article, runs of common words,
two names of the article. Behaviour only; no figure is asserted."""

import random
import sys
import unicodedata
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from ablation import RULES, without  # noqa: E402
from keyboard import double_letter, drop_letter, misspell, telex_slip, wrong_tone  # noqa: E402
from queries import (  # noqa: E402
    _Corpus,
    drop_titles,
    first_sentence,
    folded,
    generate,
    names_in,
    telex,
    untitled,
    words,
)

TITLES = [
    "Quốc hội thảo luận dự án luật đất đai sửa đổi",
    "Thủ tướng chỉ đạo khắc phục hậu quả mưa lũ miền Trung",
    "Tăng cường công tác phòng chống tham nhũng trong năm mới",
    "Hà Nội đẩy mạnh cải cách hành chính trong năm mới",
    "Lãnh đạo Tỉnh ủy Thừa Thiên Huế làm việc với Ban Tuyên giáo",
    "Nghị quyết Trung ương 4 về xây dựng, chỉnh đốn Đảng",
]
_TONES = {"\u0301", "\u0300", "\u0309", "\u0303", "\u0323"}


def tone_marks(word):
    return [ch for ch in unicodedata.normalize("NFD", word) if ch in _TONES]


def one_edit(a, b):
    """Whether ``b`` is ``a`` with one letter inserted, deleted or replaced."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# --- the typo generator ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("maker", "word", "seed", "typo"),
    [
        (wrong_tone, "quyết", 0, "quyệt"),  # a closed syllable: sắc <-> nặng only
        (wrong_tone, "tưởng", 1, "tường"),
        (wrong_tone, "Đảng", 2, "Đáng"),
        (wrong_tone, "lật", 0, "lất"),  # the new mark composes with the circumflex
        (wrong_tone, "luận", 0, "luẫn"),
        (wrong_tone, "dân", 0, None),  # no tone to get wrong
        (drop_letter, "nghị", 5, "ngị"),
        (drop_letter, "chính", 2, "hính"),
        (drop_letter, "thô", 0, None),  # too short: "th" is no word
        (double_letter, "hội", 5, "hộii"),
        (double_letter, "luật", 0, "luậtt"),
        (telex_slip, "thảo", 0, "thaor"),
        (telex_slip, "nhiệm", 0, "nhieemj"),
        (telex_slip, "Đảng", 0, "Ddangr"),
        (telex_slip, "ban", 0, None),  # nothing to type differently
    ],
)
def test_typo_table(maker, word, seed, typo):
    assert maker(word, random.Random(seed)) == typo


@pytest.mark.parametrize("word", [w for t in TITLES for w in words(t) if len(w) >= 2])
@pytest.mark.parametrize("seed", range(3))
def test_each_slip_is_one_realistic_edit_of_one_word(word, seed):
    rng = random.Random(seed)
    tone = wrong_tone(word, rng)
    if tone is not None:  # the same letters, one tone mark, another one
        assert folded(tone) == folded(word) and tone != word
        assert len(tone_marks(tone)) == 1 and tone_marks(tone) != tone_marks(word)
        assert unicodedata.is_normalized("NFC", tone) and len(tone) == len(word)
    dropped = drop_letter(word, rng)
    if dropped is not None:
        assert len(word) >= 4 and len(dropped) == len(word) - 1 and one_edit(word, dropped)
    doubled = double_letter(word, rng)
    assert len(doubled) == len(word) + 1 and one_edit(word, doubled)
    assert any(doubled[i] == doubled[i + 1] for i in range(len(word)))
    slip = telex_slip(word, rng)
    assert slip == (telex(word) if telex(word) != word else None)


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("seed", range(4))
def test_misspell_changes_exactly_one_word(title, seed):
    run = words(title)
    typo, i, kind = misspell(run, random.Random(seed))
    assert [k for k, (a, b) in enumerate(zip(run, typo, strict=True)) if a != b] == [i]
    assert kind in ("tone", "drop", "double", "telex")
    if kind == "telex":
        assert typo[i] == telex(run[i])
    elif kind == "tone":
        assert folded(typo[i]) == folded(run[i])
    else:
        assert one_edit(run[i], typo[i])


def test_misspell_leaves_numbers_and_one_letter_words_alone():
    assert misspell(["4", "5", "a"], random.Random(0)) is None


# --- untitled articles ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "first"),
    [
        (
            "Sáng 6/2, Tỉnh ủy Lạng Sơn tổ chức hội nghị. Các đại biểu thống nhất.",
            "Sáng 6/2, Tỉnh ủy Lạng Sơn tổ chức hội nghị.",
        ),
        (
            "Mưa lớn kéo dài nhiều ngày!\nHàng nghìn ngôi nhà bị ngập.",
            "Mưa lớn kéo dài nhiều ngày!",
        ),
        ("Hội nghị lần thứ 4\nBan Chấp hành Trung ương", "Hội nghị lần thứ 4"),
        ("  Tăng 6,5% so với cùng kỳ", "Tăng 6,5% so với cùng kỳ"),
    ],
)
def test_first_sentence(body, first):
    assert first_sentence(body) == first


def untitled_records():
    """Real-looking articles; the ids of the first four are untitled, the others titled."""
    ids = [f"a{i}" for i in range(60)]
    blank = [i for i in ids if untitled(i)][:4]
    titled = [i for i in ids if not untitled(i)][:6]
    bodies = [
        "Sáng nay, đoàn công tác của Bộ Nội vụ đã làm việc tại trụ sở Ủy ban nhân dân tỉnh. "
        "Buổi làm việc kéo dài ba giờ.",
        "Mưa lớn kéo dài nhiều ngày khiến hàng nghìn ngôi nhà ở miền Trung bị ngập sâu. "
        "Chính quyền đã sơ tán người dân.",
        "Quốc hội đã biểu quyết thông qua Luật Đất đai sửa đổi với đa số đại biểu tán thành. "
        "Luật có hiệu lực từ năm sau.",
        "Giá xăng dầu trong nước được điều chỉnh giảm từ 15 giờ chiều nay theo quyết định "
        "của liên Bộ Công Thương và Tài chính.",
    ]
    out = [
        {"id": i, "title": "Tin trong nước hôm nay", "body": b}
        for i, b in zip(blank, bodies, strict=True)
    ]
    out += [
        {"id": i, "title": t, "body": bodies[k % 4]}
        for k, (i, t) in enumerate(zip(titled, TITLES, strict=True))
    ]
    return out


def test_drop_titles_empties_the_untitled_only_and_copies():
    recs = untitled_records()
    dropped = drop_titles(recs)
    assert [bool(r["title"]) for r in dropped] == [False] * 4 + [True] * 6
    assert all(r["title"] for r in recs)  # the caller's records are left alone
    assert [r["body"] for r in dropped] == [r["body"] for r in recs]


def test_untitled_is_one_article_in_ten_by_id():
    share = sum(untitled(f"baomoi-{n}") for n in range(20_000)) / 20_000
    assert 0.09 < share < 0.11
    assert untitled("a4") and not untitled("a0")  # by id, never by seed


@pytest.mark.parametrize("seed", range(4))
def test_untitled_queries_come_from_the_first_sentence(seed):
    recs = drop_titles(untitled_records())
    items = [it for it in generate(recs, per_form=4, seed=seed) if it.form == "untitled"]
    assert items
    by_id = {r["id"]: r for r in recs}
    for it in items:
        target = by_id[it.target]
        assert target["title"] == "" and it.query == it.source_run
        assert 3 <= len(it.query.split()) <= 6
        assert (
            f" {folded(it.query)} "
            in f" {' '.join(words(folded(first_sentence(target['body']))))} "
        )
        # every article holding the run in its title or in its body answers it
        holding = {
            r["id"] for r in recs if holds(r["title"], it.query) or holds(r["body"], it.query)
        }
        assert set(it.answers) == holding and it.target in holding


def holds(text, run):
    return f" {folded(run)} " in f" {' '.join(words(folded(text)))} "


# --- runs of common words -------------------------------------------------------------

GENERIC_TITLES = [  # "công tác", "phòng chống", "tăng cường", "trong năm" recur: common here
    "Tăng cường công tác phòng chống tham nhũng trong năm mới",
    "Tăng cường công tác phòng chống dịch bệnh ở Hà Nội",
    "Đẩy mạnh công tác phòng chống tham nhũng, lãng phí",
    "Hà Nội đẩy mạnh công tác cải cách hành chính trong năm 2017",
    "Tăng cường phòng chống lụt bão trong năm mới",
    "Nghị quyết Trung ương 4 về xây dựng Đảng",
]


def generic_records():
    return [{"id": f"g{i}", "title": t, "body": "Nội dung."} for i, t in enumerate(GENERIC_TITLES)]


@pytest.mark.parametrize(
    ("word", "first", "generic"),
    [
        ("công", False, True),
        ("tác", False, True),
        ("Tăng", True, True),  # a title opens with a capital
        ("Tăng", False, False),  # elsewhere a capital is a name
        ("Nội", False, False),  # in two titles, but part of a name
        ("tham", False, True),
        ("dịch", False, False),  # in one title only: distinctive
        ("2017", False, False),
        ("Công", False, False),
    ],
)
def test_generic_word_table(word, first, generic):
    assert _Corpus(generic_records()).generic(word, first) is generic


@pytest.mark.parametrize("seed", range(5))
def test_generic_runs_are_all_common_words_and_name_no_more_than_three_titles(seed):
    recs = generic_records()
    corpus = _Corpus(recs)
    items = [it for it in generate(recs, per_form=6, seed=seed) if it.form == "generic"]
    assert items
    for it in items:
        ws = it.query.split()
        assert 3 <= len(ws) <= 6
        title = words({r["id"]: r for r in recs}[it.target]["title"])
        assert all(corpus.generic(w, w == title[0] and it.query.startswith(w)) for w in ws)
        holding = {r["id"] for r in recs if holds(r["title"], it.query)}
        assert set(it.answers) == holding and len(holding) <= 3


# --- names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "persons", "provinces"),
    [
        (
            "Chiều 6/2, đồng chí Lâm Thị Phương Thanh, Bí thư Tỉnh ủy Lạng Sơn, tiếp Đại sứ.",
            ["Lâm Thị Phương Thanh"],
            ["Lạng Sơn"],
        ),
        (
            "Thủ tướng Nguyễn Xuân Phúc làm việc với lãnh đạo tỉnh Quảng Nam và TP Đà Nẵng.",
            ["Nguyễn Xuân Phúc"],
            ["Quảng Nam", "Đà Nẵng"],
        ),
        ("Mưa lớn kéo dài nhiều ngày ở miền Trung.", [], []),
    ],
)
def test_names_in(text, persons, provinces):
    assert names_in(text) == (persons, provinces)


NAMED = [  # titles under five words: these articles give no title forms, only names
    (
        "Tiếp đoàn công tác",
        "Đồng chí Lâm Thị Phương Thanh, Bí thư Tỉnh ủy Lạng Sơn, tiếp đoàn.",
    ),
    ("Thủ tướng làm việc", "Thủ tướng Nguyễn Xuân Phúc làm việc tại Quảng Nam."),
    ("Kiểm tra đê điều", "Ông Nguyễn Xuân Phúc kiểm tra đê ở Quảng Nam."),
    (
        "Hội nghị ở Lạng Sơn",
        "Bà Lâm Thị Phương Thanh phát biểu tại hội nghị ở Cao Bằng.",
    ),
]


@pytest.mark.parametrize("seed", range(4))
def test_names_queries_are_two_names_of_the_article(seed):
    recs = [{"id": f"n{i}", "title": t, "body": b} for i, (t, b) in enumerate(NAMED)]
    items = [it for it in generate(recs, per_form=4, seed=seed) if it.form == "names"]
    assert items
    for it in items:
        target = {r["id"]: r for r in recs}[it.target]
        persons, provinces = names_in(target["title"] + "\n" + target["body"])
        pair = [n for n in persons + provinces if n in it.query]
        assert len(pair) == 2 and it.query in (" ".join(pair), " ".join(pair[::-1]))
        holding = {
            r["id"] for r in recs if all(holds(r["title"], n) or holds(r["body"], n) for n in pair)
        }
        assert set(it.answers) == holding


# --- the ranking rules the bench turns off -------------------------------------------


@pytest.mark.parametrize("rule", list(RULES))
def test_every_rule_has_its_switch_and_is_restored(rule):
    from search.read import searcher

    name, off = RULES[rule]
    on = getattr(searcher, name)
    assert on != off
    with without(rule):
        assert getattr(searcher, name) == off
    assert getattr(searcher, name) == on
