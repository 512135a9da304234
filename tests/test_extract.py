"""Metadata extraction: per-seed expectations and tables of real Vietnamese text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from search.ingest.corpus import article_from_object, article_from_page
from search.ingest.dates import reconcile_date, text_year
from search.ingest.extract import enrich, tail_byline
from search.ingest.persons import find_persons
from search.ingest.places import find_provinces, to_2025
from search.models import Article

SEEDS = Path(__file__).resolve().parents[1] / "corpus"

SEED_EXPECTATIONS = {
    "000_b9ca21308674c971.txt": dict(
        date=dt.date(2019, 6, 5),
        author="Công Quân",
        source="Báo Lạng Sơn",
        provinces=["Lạng Sơn"],
        persons={"Nguyễn Thanh Bình", "Lâm Thị Phương Thanh"},
    ),
    "001_ad5a731278720d44.txt": dict(
        date=dt.date(2018, 10, 16),
        author="Phùng Khiêm",
        source="Báo Lạng Sơn",
        provinces=["Lạng Sơn"],
        persons={"Lâm Thị Phương Thanh", "Hoàng Văn Nghiệm", "Phạm Ngọc Thưởng"},
    ),
    "002_92b15d1c161f2510.txt": dict(
        date=dt.date(2020, 5, 23),
        author="Thu Hiền",
        source=None,
        provinces=["Thái Nguyên"],
        persons={
            "Phạm Minh Chính",
            "Mai Văn Chính",
            "Trần Quốc Tỏ",
            "Nguyễn Thanh Hải",
            "Bùi Xuân Hòa",
        },
    ),
    "003_7d2fc00ee8fcd6c5.txt": dict(
        date=dt.date(2021, 6, 28),
        author="Phương Dung",
        source=None,
        provinces=["Lạng Sơn"],
        persons={"Trương Thị Mai"},
    ),
    "004_5efaea7a2d732030.txt": dict(
        date=dt.date(2017, 10, 20),
        author="Phùng Khiêm",
        source="Báo Lạng Sơn",
        provinces=["Lạng Sơn"],
        persons={"Trần Sỹ Thanh", "Tô Hùng Khoa", "Phạm Ngọc Thưởng"},
    ),
}


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    out = {}
    for name in SEED_EXPECTATIONS:
        article = article_from_page((SEEDS / name).read_text(encoding="utf-8"), name, name)
        out[name] = enrich(article)
    return out


@pytest.mark.parametrize("name", sorted(SEED_EXPECTATIONS))
def test_seed(seeds, name):
    a, want = seeds[name], SEED_EXPECTATIONS[name]
    assert a.date == want["date"]
    assert a.author == want["author"]
    assert a.source == want["source"]
    assert a.provinces == want["provinces"]
    assert set(a.persons) == want["persons"]
    assert a.provinces_2025 == to_2025(want["provinces"])
    assert a.author not in a.persons  # the byline is the author, not a person mentioned


def test_seed_roles_and_evidence(seeds):
    a = seeds["001_ad5a731278720d44.txt"]
    assert a.roles["Lâm Thị Phương Thanh"] == "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy"
    assert a.roles["Phạm Ngọc Thưởng"] == "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"
    assert seeds["004_5efaea7a2d732030.txt"].date_evidence == "lead+text"
    assert seeds["002_92b15d1c161f2510.txt"].date_evidence == "timestamp"
    assert "Hồ Chí Minh" not in a.persons  # "phong cách Hồ Chí Minh"
    assert "Thái Nguyên" in seeds["002_92b15d1c161f2510.txt"].provinces_2025


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Đại hội vì hòa bình và hữu nghị.", []),
        ("Tỉnh Hòa Bình tổ chức hội nghị.", ["Hòa Bình"]),
        ("Học tập tư tưởng Hồ Chí Minh; phong cách Hồ Chí Minh.", []),
        ("Thành ủy TP Hồ Chí Minh và UBND TP.HCM họp.", ["Thành phố Hồ Chí Minh"]),
        ("Bí thư Tỉnh ủy Lạng Sơn phát biểu.", ["Lạng Sơn"]),
        ("Ông Nguyễn Thái Bình, Giám đốc Sở, phát biểu.", []),
        ("Bà Nguyễn Thị Huế, Chủ tịch Hội Phụ nữ, cho biết.", []),
        ("Công ty Nhôm Đắk Nông xuất khẩu; báo Sài Gòn Giải Phóng đưa tin.", []),
        ("xã Hải Ninh (Quảng Ninh, Quảng Bình) và huyện Quảng Ninh.", ["Quảng Bình"]),
        ("Tỉnh Bà Rịa – Vũng Tàu, Bà Rịa-Vũng Tàu và BR-VT.", ["Bà Rịa - Vũng Tàu"]),
        ("Đoàn công tác làm việc tại Đăk Nông và Thừa Thiên-Huế.", ["Đắk Nông", "Thừa Thiên Huế"]),
        ("Tỉnh uỷ Hoà Bình họp.", ["Hòa Bình"]),
        ("HỘI NGHỊ TỈNH ỦY LẠNG SƠN", ["Lạng Sơn"]),
        ("Huyện Nga Sơn (Thanh Hóa) và Sở Y tế Thanh Hóa.", ["Thanh Hóa"]),
    ],
)
def test_find_provinces(text, expected):
    from search.text.normalize import normalize

    text = normalize(text)
    assert find_provinces(text, find_persons(text)[2]) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Các đồng chí Lâm Thị Phương Thanh, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy; "
            "Hoàng Văn Nghiệm, Phó Bí thư Thường trực Tỉnh ủy; Phạm Ngọc Thưởng, Chủ tịch UBND tỉnh.",
            ["Lâm Thị Phương Thanh", "Hoàng Văn Nghiệm", "Phạm Ngọc Thưởng"],
        ),
        ("Dự có Thiếu tướng Trần Quốc Tỏ, Thứ trưởng Bộ Công an.", ["Trần Quốc Tỏ"]),
        ("Đồng chí Bí thư Tỉnh ủy Trần Sỹ Thanh phát biểu.", ["Trần Sỹ Thanh"]),
        ("Ông Tô Lâm, Bộ trưởng Bộ Công an, dự.", ["Tô Lâm"]),
        ("Học sinh Trường THPT Nguyễn Du trên đường Trần Hưng Đạo.", []),
        ("Ông Hai cũng giao lực lượng công an tuần tra.", []),
        ("ông Võ Công Trí Phó Bí thư Thường trực Thành ủy", ["Võ Công Trí"]),
        ("Bí thư Tỉnh ủy Hà Tĩnh Lê Đình Sơn dự.", ["Lê Đình Sơn"]),
        ("chị Nguyễn Thị Bích T. đã tử vong.", []),
        ("ông Kpă Thuyên, Phó Chủ tịch UBND tỉnh Gia Lai, ký công văn.", ["Kpă Thuyên"]),
        ("Chủ tịch Hồ Chí Minh và thành phố Hồ Chí Minh.", ["Hồ Chí Minh"]),
        ("Đồng chí Nguyễn Văn Hoà và đồng chí Nguyễn Văn Hòa.", ["Nguyễn Văn Hòa"]),
    ],
)
def test_find_persons(text, expected):
    from search.text.normalize import normalize

    assert find_persons(normalize(text))[0] == expected


def test_roles():
    _, roles, _ = find_persons(
        "Phát biểu tai Hội nghị, đồng chí Bí thư Tỉnh ủy Nguyễn Thanh Hải trân trọng cảm ơn. "
        "Ông Nông Văn Chí - Phó chủ tịch UBND tỉnh Bắc Kạn cho biết."
    )
    assert roles == {
        "Nguyễn Thanh Hải": "Bí thư Tỉnh ủy",
        "Nông Văn Chí": "Phó chủ tịch UBND tỉnh Bắc Kạn",
    }


@pytest.mark.parametrize(
    "body,timestamp,banner,expected",
    [
        (
            "Ngày 23/5, ...",
            dt.date(2020, 5, 23),
            dt.date(2020, 5, 26),
            (dt.date(2020, 5, 23), "timestamp"),
        ),
        ("Sáng nay (5/6), ...", None, dt.date(2020, 1, 20), (dt.date(2019, 6, 5), "lead+banner")),
        ("Chiều 9-5, ... từ đầu tháng 4-2017 ...", None, None, (dt.date(2017, 5, 9), "lead+text")),
        ("Sáng nay – ngày 6.2.2017, ...", None, None, (dt.date(2017, 2, 6), "lead")),
        ("Ngày 20/6, ... (21/6/1925-21/6/2017).", None, None, (dt.date(2017, 6, 20), "lead+text")),
        ("Chiều 13-6, ông Cảnh cho biết.", None, None, (None, None)),
        ("Ngày 13/7, em Quỳnh (sinh năm 2006) ...", None, None, (None, None)),
        ("Ngày 6-2, theo Chỉ thị ngày 16-12-2016 ...", None, None, (None, None)),
        (
            "Hội nghị tổng kết năm 2021.",
            None,
            dt.date(2021, 12, 30),
            (dt.date(2021, 12, 30), "banner"),
        ),
        ("Tổng kết năm 2017.", None, dt.date(2022, 8, 8), (None, None)),
        # A day and month take their year only from evidence beside them (issue 15):
        ("Chiều 30/5, xã tổ chức lễ. Lễ hội có từ năm 2005.", None, None, (None, None)),
        ("Tối qua 10/5, ... (quý II/2017) ...", None, None, (dt.date(2017, 5, 10), "lead+text")),
        (
            "Sáng 4/2, kiểm tra dự án.\nHồi tháng 2/2016, ... Năm 2017, ...",
            None,
            None,
            (None, None),
        ),
        ("Ngày 6/2, ... Chỉ thị ngày 2/2/2017 ...", None, None, (dt.date(2017, 2, 6), "lead+text")),
        ("Sáng 6-1, trường công bố.\nÔng sinh ngày 1-1-1995.", None, None, (None, None)),
        (
            "Tối 14-6, bế mạc Festival Di sản lần thứ VI-2017.",
            None,
            None,
            (dt.date(2017, 6, 14), "lead+text"),
        ),
        ("Sáng 7-2, làm việc về tình hình trong năm 2016.", None, None, (None, None)),
    ],
)
def test_reconcile_date(body, timestamp, banner, expected):
    assert reconcile_date(body, timestamp, banner) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Năm 2017, ... quý IV/2017, đến năm 2020, sinh năm 1959, nhiệm kỳ 2015-2020", 2017),
        ("dự kiến khởi công vào quý III/2017 và hoàn thành quý III/2018", 2017),
        ("được tháo dỡ vào năm 2016; đến năm 2014 mới bị phát hiện", None),
        ("không có năm nào", None),
    ],
)
def test_text_year(text, expected):
    assert text_year(text) == expected


@pytest.mark.parametrize(
    "body,expected",
    [
        ("Nội dung bài. Lê Nghĩa", "Lê Nghĩa"),
        ("Nội dung bài. Tin, ảnh: HỒNG HIẾU", "Hồng Hiếu"),
        ("Nội dung bài. Theo Đức Thuận/VTC", "Đức Thuận"),
        ("Nội dung bài. KHÁNH HƯƠNG (VnExpress)", "Khánh Hương"),
        ("Nội dung bài. Trọng Nhân -", "Trọng Nhân"),
        ("trên địa bàn Quốc Hoàn - Thúy Nga", "Quốc Hoàn - Thúy Nga"),
        ("Nội dung bài. TTXVN/Tin Tức", None),
        ("Nội dung bài. P.V", None),
        ("Nội dung bài kết thúc./.", None),
        ("trong ngày Vía Thần Tài P.Linh", "P.Linh"),
    ],
)
def test_tail_byline(body, expected):
    assert tail_byline(body)[0] == expected


def test_given_fields_win_and_2025_units_are_filled():
    a = article_from_object(
        {
            "body": "Ngày 23/5, đồng chí Nguyễn Thanh Hải, Bí thư Tỉnh ủy Thái Nguyên, dự. Thu Hiền",
            "provinces": ["Hà Giang", "TP.HCM"],
            "persons": "Nguyễn Văn A",
            "author": "Ban biên tập",
            "date": "2020-01-02",
        },
        "x",
        "x.json",
    )
    e = enrich(a)
    assert e.provinces == ["Hà Giang", "Thành phố Hồ Chí Minh"]
    assert e.provinces_2025 == ["Tuyên Quang", "Thành phố Hồ Chí Minh"]
    assert e.persons == ["Nguyễn Văn A"]
    assert (e.author, e.date, e.date_evidence) == ("Ban biên tập", dt.date(2020, 1, 2), "given")
    assert a.provinces == ["Hà Giang", "TP.HCM"]  # the input is not modified


def test_inferred_fields_of_a_json_article():
    a = article_from_object(
        {
            "body": "HNM - Chiều 9-5, UBND tỉnh Đồng Tháp cho biết, năm 2017 tỉnh đầu tư "
            "2 cụm dân cư.\nÔng Nguyễn Văn Dương, Chủ tịch UBND tỉnh, chỉ đạo. HỒNG HIẾU"
        },
        "x",
        "x.jsonl",
    )
    e = enrich(a)
    assert (e.date, e.date_evidence) == (dt.date(2017, 5, 9), "lead+text")
    assert e.provinces == ["Đồng Tháp"] and e.provinces_2025 == ["Đồng Tháp"]
    assert e.persons == ["Nguyễn Văn Dương"]
    assert e.roles == {"Nguyễn Văn Dương": "Chủ tịch UBND tỉnh"}
    assert (e.author, e.source) == ("Hồng Hiếu", "Hà Nội Mới")
    assert e.title.startswith("HNM - Chiều 9-5")


def test_to_2025():
    assert to_2025(["Hà Giang", "Tuyên Quang", "Bình Dương", "Unknown"]) == [
        "Tuyên Quang",
        "Thành phố Hồ Chí Minh",
    ]
