"""Posts cut from role phrases as articles write them (search.ingest.posts)."""

from __future__ import annotations

import unicodedata

import pytest

from search.ingest.persons import find_persons
from search.ingest.posts import person_posts, post_key, split_posts
from search.text.normalize import normalize

# (role phrase as written in the corpus, the article's province, posts)
CASES = [
    # one phrase, several posts; the province a provincial post leaves implicit
    (
        "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy",
        "Lạng Sơn",
        ["Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy Lạng Sơn"],
    ),
    ("Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Lạng Sơn", "Lạng Sơn", None),  # same as above
    ("Bí thư Tỉnh ủy Lạng Sơn", None, ["Bí thư Tỉnh ủy Lạng Sơn"]),
    # "Phó Bí thư" is not "Bí thư"
    (
        "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
        "Lạng Sơn",
        ["Phó Bí thư Tỉnh ủy Lạng Sơn", "Chủ tịch UBND tỉnh Lạng Sơn"],
    ),
    (
        "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch Hội đồng nhân dân tỉnh",
        "Thái Nguyên",
        ["Phó Bí thư Thường trực Tỉnh ủy Thái Nguyên", "Chủ tịch HĐND tỉnh Thái Nguyên"],
    ),
    # former posts are not held
    ("nguyên Bí thư Tỉnh ủy", "Lạng Sơn", []),
    ("Nguyên Phó Thủ tướng, cựu Bộ trưởng Bộ Công an", None, []),
    # one spelling per body
    (
        "Ủy viên Ban chấp hành Trung ương Đảng, Phó Trưởng ban Tổ chức Trung ương",
        "Thái Nguyên",
        ["Ủy viên Trung ương Đảng", "Phó Trưởng ban Tổ chức Trung ương"],
    ),
    ("Thủ tướng Chính phủ", "Quảng Nam", ["Thủ tướng"]),
    ("Thứ trưởng Bộ GD&ĐT", "Hà Nội", ["Thứ trưởng Bộ Giáo dục và Đào tạo"]),
    ("Chủ tịch UBND Hà Nội", "Hà Nội", ["Chủ tịch UBND TP Hà Nội"]),
    ("Chủ tịch UBND TP", "Hà Nội", ["Chủ tịch UBND TP Hà Nội"]),
    ("Bí thư Thành ủy TP Hồ Chí Minh", "Thành phố Hồ Chí Minh", ["Bí thư Thành ủy Hồ Chí Minh"]),
    (
        "Chủ tịch UBND tỉnh Bà Rịa-Vũng Tàu",
        "Bà Rịa - Vũng Tàu",
        ["Chủ tịch UBND tỉnh Bà Rịa - Vũng Tàu"],
    ),
    ("Phó bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Quảng Ninh-", "Quảng Ninh", None),
    # a city's "Thành ủy" in a province is the city's, not the province's: which city
    # is not said, so there is no post to name
    ("Bí thư Thành ủy", "Lạng Sơn", []),
    ("Bí thư Thành ủy", "Hà Nội", ["Bí thư Thành ủy Hà Nội"]),
    # a district post stays as written: no province is implied
    ("Chủ tịch UBND huyện Hoài Nhơn", "Bình Định", ["Chủ tịch UBND huyện Hoài Nhơn"]),
    # a provincial department named without its province is the article's province's
    ("Giám đốc Sở TT&TT", "Thừa Thiên Huế", ["Giám đốc Sở TT&TT tỉnh Thừa Thiên Huế"]),
    (
        "Ủy viên T.Ư Đảng, Bí thư Tỉnh ủy Hà Tĩnh",
        "Hà Tĩnh",
        ["Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy Hà Tĩnh"],
    ),
    # a bare party post takes the place of the government post beside it
    (
        "Phó Bí thư, Chủ tịch UBND huyện Quỳnh Lưu",
        "Nghệ An",
        ["Phó Bí thư Huyện ủy Quỳnh Lưu", "Chủ tịch UBND huyện Quỳnh Lưu"],
    ),
    (
        "Phó Bí thư, Chủ tịch UBND tỉnh",
        "Nghệ An",
        ["Phó Bí thư Tỉnh ủy Nghệ An", "Chủ tịch UBND tỉnh Nghệ An"],
    ),
    # which commune, which party committee is not said: no post
    ("Phó Chủ tịch HĐND xã", "Đắk Nông", []),
    ("Phó bí thư Đảng bộ", "Thanh Hóa", []),
    # no post: ranks, degrees, callings, bare titles
    ("Thiếu tướng", None, []),
    ("nhà báo", None, []),
    ("TS.KTS", None, []),
    ("Chủ tịch", "Hà Nội", []),
    ("Thứ trưởng", None, []),
    ("Phó Trưởng Ban Thường trực", None, []),
    ("Giám đốc", None, []),
    # abbreviated localities: "Q.1", "P.Hải Cảng"; a party post named with its committee
    # but not its locality takes the locality of the government post beside it
    (
        "Phó bí thư Quận ủy, Chủ tịch UBND Q.1",
        "Thành phố Hồ Chí Minh",
        ["Phó bí thư Quận ủy Quận 1", "Chủ tịch UBND Quận 1"],
    ),
    ("Phó chủ tịch UBND Q.1", "Thành phố Hồ Chí Minh", ["Phó chủ tịch UBND Quận 1"]),
    ("Chủ tịch UBND P.Hải Cảng", "Bình Định", ["Chủ tịch UBND phường Hải Cảng"]),
    # the locality's kind written twice, or standing for its committee: one spelling
    ("Bí thư Quận ủy quận Thủ Đức", "Thành phố Hồ Chí Minh", ["Bí thư Quận ủy Thủ Đức"]),
    ("Bí thư quận Thủ Đức", "Thành phố Hồ Chí Minh", ["Bí thư Quận ủy Thủ Đức"]),
    ("Bí thư Thành ủy TP Bảo Lộc", "Lâm Đồng", ["Bí thư Thành ủy Bảo Lộc"]),
    ("Bí thư tỉnh Hà Tĩnh", None, ["Bí thư Tỉnh ủy Hà Tĩnh"]),
    ("Phó Bí thư quận Gò Vấp", None, ["Phó Bí thư Quận ủy Gò Vấp"]),
    # a bare standing deputy secretary: there is one per province, the article's
    (
        "Phó Bí thư thường trực",
        "Thành phố Hồ Chí Minh",
        ["Phó Bí thư thường trực Thành ủy Hồ Chí Minh"],
    ),
    ("Phó Bí thư Thường trực", "Lạng Sơn", ["Phó Bí thư Thường trực Tỉnh ủy Lạng Sơn"]),
    ("Phó Bí thư Thường trực", None, []),
]


@pytest.mark.parametrize(("role", "province", "want"), CASES)
def test_split_posts(role, province, want):
    got = split_posts(role, province)
    if want is None:  # the same posts as a differently written phrase
        assert [post_key(p) for p in got] == [
            post_key(p) for p in split_posts(role.replace("Quảng Ninh-", "Quảng Ninh"), province)
        ]
        assert got
    else:
        assert got == want


def test_one_post_one_key_whatever_the_spelling():
    spellings = [
        "Phó bí thư Tỉnh ủy Quảng Ninh",
        "Phó Bí thư Tỉnh uỷ Quảng Ninh",  # old tone placement
        unicodedata.normalize("NFD", "Phó Bí thư Tỉnh ủy Quảng Ninh"),
        "pho-bi-thu-tinh-uy-quang-ninh",
    ]
    assert {post_key(s) for s in spellings} == {"pho-bi-thu-tinh-uy-quang-ninh"}
    assert post_key("Bí thư Tỉnh ủy Quảng Ninh") != post_key(spellings[0])


def test_former_posts_before_a_name_are_not_held():
    text = normalize(
        "Thủ tướng Nguyễn Xuân Phúc trao huy hiệu cho nguyên Thủ tướng Nguyễn Tấn Dũng."
    )
    _, roles, _ = find_persons(text)
    assert person_posts(roles, []) == [("Nguyễn Xuân Phúc", "Thủ tướng")]


def test_every_role_an_article_gives_counts():
    text = normalize(
        "Đồng chí Nguyễn Thanh Bình, Ủy viên Trung ương Đảng làm trưởng đoàn. "
        "Đồng chí Nguyễn Thanh Bình, Phó Trưởng Ban Tổ chức Trung ương phát biểu."
    )
    _, roles, _ = find_persons(text)
    assert {p for _, p in person_posts(roles, [])} == {
        "Ủy viên Trung ương Đảng",
        "Phó Trưởng Ban Tổ chức Trung ương",
    }


def test_posts_from_an_article_text():
    text = normalize(
        "Dự hội nghị có đồng chí Lâm Thị Phương Thanh, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy; "
        "đồng chí Phạm Ngọc Thưởng, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh; "
        "đồng chí Nguyễn Hữu Độ, Giám đốc Sở Giáo dục và Đào tạo cho biết."
    )
    _, roles, _ = find_persons(text)
    assert set(person_posts(roles, ["Lạng Sơn"])) == {
        ("Lâm Thị Phương Thanh", "Ủy viên Trung ương Đảng"),
        ("Lâm Thị Phương Thanh", "Bí thư Tỉnh ủy Lạng Sơn"),
        ("Phạm Ngọc Thưởng", "Phó Bí thư Tỉnh ủy Lạng Sơn"),
        ("Phạm Ngọc Thưởng", "Chủ tịch UBND tỉnh Lạng Sơn"),
        ("Nguyễn Hữu Độ", "Giám đốc Sở Giáo dục và Đào tạo tỉnh Lạng Sơn"),
    }


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        # a body's name runs on over its lowercase syllables ...
        (
            "ông Nguyễn Hữu Độ, Giám đốc Sở Giáo dục và Đào tạo cho biết",
            "Giám đốc Sở Giáo dục và Đào tạo",
        ),
        (
            "ông Nguyễn Văn Hải, Trưởng phòng CSGT Công an tỉnh Hòa Bình cho hay",
            "Trưởng phòng CSGT Công an tỉnh Hòa Bình",
        ),
        # ... but not into the sentence
        (
            "ông Cao Thanh Thương, Chủ tịch UBND huyện Hoài Nhơn cùng đoàn",
            "Chủ tịch UBND huyện Hoài Nhơn",
        ),
        ("ông Nguyễn Đức Chung, Chủ tịch UBND TP Hà Nội cho biết", "Chủ tịch UBND TP Hà Nội"),
        (
            "ông Đặng Hữu Thắng - Chủ tịch UBND xã Thạch Tiến xác nhận",
            "Chủ tịch UBND xã Thạch Tiến",
        ),
        (
            "ông Lê Văn Thanh, Phó Chủ tịch UBND tỉnh Quảng Nam lần này",
            "Phó Chủ tịch UBND tỉnh Quảng Nam",
        ),
        # another person's title or name ends it
        (
            "ông Nguyễn Đức Chung, Chủ tịch UBND TP Hà Nội và Chủ tịch Tập đoàn Sumitomo",
            "Chủ tịch UBND TP Hà Nội",
        ),
        # a body's name runs on over lowercase syllables into a capitalized name
        (
            "Nguyên Phó chủ tịch nước Nguyễn Thị Bình, Chủ tịch Quỹ văn hóa Phan Châu Trinh, là",
            "Chủ tịch Quỹ văn hóa Phan Châu Trinh",
        ),
        (
            "đối với ông Lê Xuân Nhuận - Giám đốc Trung tâm bồi dưỡng chính trị TP Bảo Lộc và ông",
            "Giám đốc Trung tâm bồi dưỡng chính trị TP Bảo Lộc",
        ),
        (
            "của ông Trần Văn Minh, Phó giám đốc, Bí thư Chi bộ khoa Sản (BV đa khoa)",
            "Phó giám đốc, Bí thư Chi bộ khoa Sản",
        ),
        # ... but not over a term of office
        (
            "ông Lê Minh Trung, Bí thư Quận ủy Thanh Khê, nhiệm kỳ 2015- 2020 thôi giữ",
            "Bí thư Quận ủy Thanh Khê",
        ),
        (
            "ông Nguyễn Hữu Độ, Giám đốc Sở Giáo dục và Đào tạo Hà Nội",
            "Giám đốc Sở Giáo dục và Đào tạo Hà Nội",
        ),
        # a dot inside an abbreviation belongs to it
        (
            "đồng chí Lê Đình Sơn, Ủy viên T.Ư Đảng, Bí thư Tỉnh ủy Hà Tĩnh ghi nhận",
            "Ủy viên T.Ư Đảng, Bí thư Tỉnh ủy Hà Tĩnh",
        ),
    ],
)
def test_role_phrase_extent(sentence, role):
    names, roles, _ = find_persons(normalize(sentence))
    assert roles[names[0]] == role


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        # a title before the next name in a list is that person's, not the one before
        (
            "Chủ tịch Quốc hội Nguyễn Thị Kim Ngân, Thủ tướng Chính phủ Nguyễn Xuân Phúc, "
            "Bí thư Thành ủy TPHCM Nguyễn Thiện Nhân chủ trì lễ ký.",
            {
                "Nguyễn Thị Kim Ngân": "Chủ tịch Quốc hội",
                "Nguyễn Xuân Phúc": "Thủ tướng Chính phủ",
                "Nguyễn Thiện Nhân": "Bí thư Thành ủy TPHCM",
            },
        ),
        (
            "ông Nguyễn Đức Chung, Phó Bí thư Thành ủy Hà Nội Đào Đức Toàn dự.",
            {"Đào Đức Toàn": "Phó Bí thư Thành ủy Hà Nội"},
        ),
        # posts the sentence says the person takes or leaves
        (
            "Ban Thường vụ Thành ủy Đà Nẵng, ông Nguyễn Thành Quang sẽ thôi giữ chức Trưởng ban "
            "Tuyên giáo Thành ủy Đà Nẵng để nhận công tác tại Quận ủy Thanh Khê.",
            {"Nguyễn Thành Quang": "Trưởng ban Tuyên giáo Thành ủy Đà Nẵng"},
        ),
        (
            "Thành ủy TP.HCM đã trao quyết định cho ông Nguyễn Mạnh Cường nhận nhiệm vụ Bí thư "
            "Quận ủy quận Thủ Đức.",
            {"Nguyễn Mạnh Cường": "Bí thư Quận ủy quận Thủ Đức"},
        ),
        # ... not the posts of another person the sentence names after
        (
            "Ông Lê Văn An đề nghị ông Nguyễn Mạnh Cường giữ chức Bí thư Quận ủy Thủ Đức.",
            {"Nguyễn Mạnh Cường": "Bí thư Quận ủy Thủ Đức"},
        ),
        # ... and a post held before is former
        (
            "việc kỷ luật ông Đinh La Thăng trong thời gian làm Bộ trưởng Bộ GTVT.",
            {"Đinh La Thăng": "nguyên Bộ trưởng Bộ GTVT"},
        ),
        # a country before a foreign name is no family name
        ("Thủ tướng Nhật Bản Shinzo Abe cho biết.", {}),
        ("Thủ tướng Ấn Độ Narendra Modi cho biết.", {}),
    ],
)
def test_whose_role(sentence, want):
    _, roles, _ = find_persons(normalize(sentence))
    assert {p: r for p, r in roles.items() if p in want or r} == want
