"""Stories: syndicated copies grouped at index time, shown once at search time (issue 16).

The texts are the product's real sample articles (``corpus/``), copies made
of them as outlets republish (dateline, credit, a paragraph cut or moved, a
sentence reworded), and two articles written here as a second paper and a
follow-up would write them about the same meeting.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from search.models import SearchRequest
from search.read.engine import Engine
from search.text.analysis import analyze
from search.write import stories as ST
from search.write.reindex import reindex
from web import create_app

SEEDS = Path(__file__).resolve().parents[1] / "corpus"


def paragraphs(name: str) -> list[str]:
    """The long paragraphs of a sample article: its body, without the page's chrome."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if len(line) > 150]


LANG_SON = paragraphs("000_b9ca21308674c971.txt")  # Ban Tổ chức Trung ương làm việc tại Lạng Sơn
OTHERS = [paragraphs(p.name) for p in sorted(SEEDS.glob("00[1-4]_*.txt"))]

# The same meeting, as a second paper writing its own report would have it.
WRITTEN_AGAIN = "\n".join(
    [
        "Chiều 5/6, đồng chí Nguyễn Thanh Bình, Phó Trưởng Ban Thường trực Ban Tổ chức Trung "
        "ương dẫn đầu đoàn công tác đến Lạng Sơn để nắm tình hình chuẩn bị đại hội đảng bộ các "
        "cấp nhiệm kỳ 2020-2025. Cùng dự có đồng chí Lâm Thị Phương Thanh, Bí thư Tỉnh ủy.",
        "Báo cáo với đoàn, lãnh đạo tỉnh cho biết những năm qua Lạng Sơn chú trọng sắp xếp tổ "
        "chức bộ máy tinh gọn, giảm đầu mối, giảm cấp phó; số đảng viên kết nạp mới mỗi năm "
        "đều cao hơn kế hoạch; kinh tế cửa khẩu giữ vai trò động lực của tăng trưởng.",
        "Ghi nhận những cố gắng của tỉnh, trưởng đoàn đề nghị Lạng Sơn chọn nhân sự cấp ủy "
        "khóa mới thật sự tiêu biểu, bảo đảm cơ cấu hợp lý giữa các thế hệ, quan tâm cán bộ "
        "trẻ, cán bộ nữ và cán bộ người dân tộc thiểu số; đại hội phải dân chủ, đúng quy định.",
        "Bí thư Tỉnh ủy khẳng định tỉnh sẽ tiếp thu đầy đủ ý kiến của đoàn, khẩn trương hoàn "
        "thiện văn kiện và phương án nhân sự, phấn đấu tổ chức thành công đại hội các cấp.",
    ]
)

# A follow-up: the earlier story's lead recalled, the rest new.
FOLLOW_UP = "\n".join(
    [
        LANG_SON[0],
        "Một tháng sau buổi làm việc, Ban Thường vụ Tỉnh ủy Lạng Sơn đã ban hành kế hoạch chi "
        "tiết tổ chức đại hội điểm ở hai đảng bộ cơ sở thuộc huyện Cao Lộc và thành phố Lạng "
        "Sơn. Các tiểu ban văn kiện, nhân sự và phục vụ đã họp phiên thứ nhất, phân công thành "
        "viên phụ trách từng phần việc, lấy ý kiến đóng góp của cán bộ hưu trí và nhân dân.",
        "Theo kế hoạch, đại hội điểm cấp cơ sở hoàn thành trước ngày 30/7, rút kinh nghiệm để "
        "triển khai đại trà; đại hội cấp huyện xong trong tháng 8, trước khi tỉnh tổ chức đại "
        "hội lần thứ XVII. Tỉnh cũng lập tổ công tác giúp các xã vùng biên chuẩn bị nhân sự.",
        "Trao đổi với phóng viên, Trưởng Ban Tổ chức Tỉnh ủy cho biết việc giới thiệu nhân sự "
        "được thực hiện theo đúng quy trình năm bước, công khai, dân chủ, không để lọt người "
        "không đủ tiêu chuẩn, đồng thời bảo đảm tỷ lệ cán bộ trẻ và cán bộ nữ theo chỉ tiêu.",
    ]
)


def republished(paras: list[str], seed: int = 0) -> str:
    """An outlet's copy: dateline, a paragraph cut, another moved, a sentence reworded, credit."""
    rng = random.Random(seed)
    paras = list(paras)
    paras.pop(rng.randrange(1, len(paras)))
    paras.insert(1, paras.pop(rng.randrange(2, len(paras))))
    paras[2] = paras[2].replace("đã", "vừa", 1)
    paras[0] = "LẠNG SƠN (TTXVN) - " + paras[0]
    return "\n".join(paras) + "\nTheo TTXVN"


def signature(text: str):
    return ST.signature(analyze(text))


def grouped(texts: dict[str, str], dates: dict[str, int] | None = None) -> dict[str, str]:
    """id -> representative id after grouping ``texts`` (dates: ordinals, default undated)."""
    dates = dates or {}
    state = ST.Stories()
    state.update([], [(i, dates.get(i, 0), signature(t)) for i, t in texts.items()])
    return {i: state.ids[int(state.rep[r])] for i, r in state.row.items()}


@pytest.mark.parametrize(
    "other, same",
    [
        pytest.param(republished(LANG_SON), True, id="republished with cuts and a credit"),
        pytest.param("Theo Báo Lạng Sơn\n" + "\n".join(LANG_SON), True, id="credit line only"),
        pytest.param(republished(LANG_SON, seed=3), True, id="another outlet's copy"),
        pytest.param(WRITTEN_AGAIN, False, id="same meeting written separately"),
        pytest.param(FOLLOW_UP, False, id="follow-up recalling the lead"),
        pytest.param("\n".join(OTHERS[0]), False, id="another article"),
        pytest.param("\n".join(LANG_SON[:2]), False, id="a short extract"),
    ],
)
def test_grouping(other, same):
    reps = grouped({"original": "\n".join(LANG_SON), "other": other})
    assert (reps["other"] == reps["original"]) is same


def test_short_bodies_are_never_grouped():
    assert signature("Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12.") is None


def test_copies_days_apart_join_but_not_weeks_apart():
    text = "\n".join(LANG_SON)
    reps = grouped(
        {"a": text, "b": republished(LANG_SON), "c": republished(LANG_SON, seed=5)},
        {"a": 737000, "b": 737003, "c": 737000 + ST.WINDOW_DAYS + 30},
    )
    assert reps["b"] == reps["a"] == "a"
    assert reps["c"] == "c"


def chain() -> dict[str, str]:
    """A, B, C sliding over the paragraphs of the sample articles: A~B, B~C, A not ~C."""
    paras = [p for ps in [LANG_SON, *OTHERS] for p in ps if 60 <= len(p.split()) <= 200][:12]
    assert len(paras) == 12
    return {k: "\n".join(paras[i : i + 10]) for i, k in enumerate("ABC")}


def test_no_chaining():
    texts = chain()
    sig = {k: signature(t) for k, t in texts.items()}
    jac = {(a, b): float((sig[a] == sig[b]).mean()) for a, b in ("AB", "BC", "AC")}
    assert jac[("A", "B")] >= ST.THRESHOLD and jac[("B", "C")] >= ST.THRESHOLD, jac
    assert jac[("A", "C")] < ST.THRESHOLD, jac
    for order in ("ABC", "CBA", "BAC"):  # dates decide who leads, not arrival
        dates = {k: 737000 + order.index(k) for k in texts}
        reps = grouped(texts, dates)
        assert reps["A"] != reps["C"], order


def corpus_texts() -> dict[str, str]:
    texts = {"ls": "\n".join(LANG_SON), "again": WRITTEN_AGAIN, "follow": FOLLOW_UP}
    for seed in range(3):
        texts[f"ls-copy{seed}"] = republished(LANG_SON, seed)
    for n, paras in enumerate(OTHERS):
        texts[f"other{n}"] = "\n".join(paras)
        texts[f"other{n}-copy"] = republished(paras, n)
    texts.update({f"chain-{k}": t for k, t in chain().items()})
    return texts


def test_incremental_runs_end_where_a_full_run_does():
    texts = corpus_texts()
    sigs = {i: signature(t) for i, t in texts.items()}
    dates = {i: 737000 + n % 3 for n, i in enumerate(sorted(texts))}
    full = ST.Stories()
    full.update([], [(i, dates[i], sigs[i]) for i in texts])
    assert len(full.groups()) >= 5
    rng = random.Random(7)
    for _ in range(5):
        ids = list(texts)
        rng.shuffle(ids)
        state = ST.Stories()
        for batch in (ids[:4], ids[4:9], ids[9:]):  # added in batches, in any order
            state.update([], [(i, dates[i], sigs[i]) for i in batch])
        gone = rng.sample(ids, 3)  # deleted, then one of them put back
        state.update(gone, [])
        state.update([], [(gone[0], dates[gone[0]], sigs[gone[0]])])
        rebuilt = ST.Stories()
        rebuilt.update([], [(i, dates[i], sigs[i]) for i in texts if i not in gone[1:]])
        assert state.groups() == rebuilt.groups()
        state.update([], [(i, dates[i], sigs[i]) for i in gone[1:]])
        assert state.groups() == full.groups()


def test_persisted_state_round_trips(tmp_path):
    state = ST.Stories()
    state.update([], [(i, 0, signature(t)) for i, t in corpus_texts().items()])
    state.save(tmp_path / "stories_3.npz")
    again = ST.load_for(tmp_path, 3)
    assert again.groups() == state.groups()
    assert again.adj == state.adj


# --- through reindex, the engine, the web ------------------------------------------------


def write_corpus(folder: Path, texts: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in texts.items():
        article = {
            "id": i,
            "title": f"Bài {i}",
            "date": "2020-06-05",
            "source": f"Báo {i.split('-')[0].upper()}",
            "body": text,
        }
        (folder / f"{i}.json").write_text(json.dumps(article, ensure_ascii=False), "utf-8")


@pytest.fixture(scope="module")
def story_index(tmp_path_factory):
    base = tmp_path_factory.mktemp("stories")
    texts = {
        "ls": "\n".join(LANG_SON),
        "tx-copy": republished(LANG_SON, 0),
        "nd-copy": republished(LANG_SON, 1),
        "again": WRITTEN_AGAIN,
        "other": "\n".join(OTHERS[0]),
    }
    write_corpus(base / "corpus", texts)
    reindex([base / "corpus"], base / "index", full=True, jobs=2)
    return base


def test_search_collapses_copies(story_index):
    engine = Engine(story_index / "index")
    page = engine.search(SearchRequest(q="Lạng Sơn"))
    shown = {h.id for h in page.hits}
    assert page.total_articles == page.total + 2
    assert len(shown & {"ls", "tx-copy", "nd-copy"}) == 1 and "again" in shown
    hit = next(h for h in page.hits if h.id in {"ls", "tx-copy", "nd-copy"})
    assert hit.duplicates == 2
    assert set(hit.duplicate_sources) == {"Báo LS", "Báo TX", "Báo ND"} - {hit.source}
    expanded = engine.search(SearchRequest(q="Lạng Sơn", collapse=False))
    assert expanded.total == expanded.total_articles == page.total_articles
    assert {h.story for h in expanded.hits if h.id in {"ls", "tx-copy", "nd-copy"}} == {hit.story}
    assert all(h.duplicates == 0 for h in expanded.hits)
    only = engine.search(SearchRequest(story=hit.story))
    assert {h.id for h in only.hits} == {"ls", "tx-copy", "nd-copy"}
    assert engine.search(SearchRequest(story="000000000000")).total == 0
    # Facets count articles, every copy included.
    facet = dict((v.value, v.count) for v in page.facets["year"])
    assert facet["2020"] == page.total_articles


def test_incremental_join_leave_delete_and_full_agree(story_index, tmp_path):
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(story_index / "corpus", corpus)
    shutil.copytree(story_index / "index", root)

    def story_of(doc_id):
        found = Engine(root).story(doc_id)
        return found.id, {h.id for h in found.copies}

    key, copies = story_of("ls")
    assert copies == {"tx-copy", "nd-copy"}
    write_corpus(corpus, {"vn-copy": republished(LANG_SON, 2)})  # a new copy joins
    assert reindex([corpus], root).mode == "incremental"
    assert story_of("vn-copy") == (key, {"ls", "tx-copy", "nd-copy"})
    write_corpus(corpus, {"tx-copy": "\n".join(OTHERS[1])})  # changed: it leaves
    reindex([corpus], root)
    assert story_of("ls")[1] == {"nd-copy", "vn-copy"}
    (corpus / "nd-copy.json").unlink()  # deleted: it leaves
    reindex([corpus], root)
    assert story_of("ls") == (key, {"vn-copy"})
    full = tmp_path / "full"
    reindex([corpus], full, full=True)
    for doc_id in ("ls", "vn-copy", "tx-copy", "again", "other"):
        assert story_of(doc_id) == (Engine(full).story(doc_id).id, story_of(doc_id)[1])
        assert {h.id for h in Engine(full).story(doc_id).copies} == story_of(doc_id)[1]


@pytest.fixture
def client(story_index):
    app = create_app({"INDEX": str(story_index / "index"), "TESTING": True})
    return app.test_client()


def test_pages_collapsed_and_expanded(client):
    data = client.get("/api/search?q=Lạng+Sơn").get_json()
    assert data["total_articles"] == data["total"] + 2
    hit = next(h for h in data["hits"] if h["duplicates"])
    assert hit["duplicates"] == 2 and len(hit["duplicate_sources"]) == 2
    expanded = client.get("/api/search?q=Lạng+Sơn&collapse=0").get_json()
    assert expanded["total"] == data["total_articles"]
    assert all(h["duplicates"] == 0 for h in expanded["hits"])
    html = client.get("/search?q=Lạng+Sơn").get_data(as_text=True)
    assert "và 2 bài cùng nội dung" in html and f"story={hit['story']}" in html
    assert "collapse=0" in html  # the link that shows every copy
    html = client.get("/search?q=Lạng+Sơn&collapse=0").get_data(as_text=True)
    assert "bài cùng nội dung:" not in html
    story = client.get(f"/api/search?story={hit['story']}").get_json()
    assert story["total"] == 3 and {h["story"] for h in story["hits"]} == {hit["story"]}
    html = client.get(f"/search?story={hit['story']}").get_data(as_text=True)
    assert html.count('class="hit"') == 3
    assert client.get("/api/search?q=x&collapse=2").status_code == 400
    for fmt in ("/embed", "/feed.atom"):
        assert client.get(f"{fmt}?q=Lạng+Sơn&collapse=0").status_code == 200


def test_article_lists_its_copies(client):
    data = client.get("/api/articles/ls").get_json()
    assert data["duplicates"] == 2 and data["story"]
    assert {c["id"] for c in data["copies"]} == {"tx-copy", "nd-copy"}
    html = client.get("/articles/ls").get_data(as_text=True)
    assert "2 bài cùng nội dung" in html and "/articles/tx-copy" in html
    alone = client.get("/api/articles/again").get_json()
    assert alone["duplicates"] == 0 and alone["copies"] == [] and alone["story"]
