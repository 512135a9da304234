"""Provinces an article is about, and their units after the 2025 merger."""

from __future__ import annotations

import re

from .lexicon import (
    UPPER,
    province_forms,
    province_key,
    province_lookup,
    province_re,
    surname_set,
    title_re,
)

_NOT_PROVINCE_BEFORE = re.compile(
    r"(?:huyện|quận|thị xã|thị trấn|xã|phường|đường|phố|quốc lộ|cầu|sông|chợ|hẻm|ấp|thôn|"
    r"làng|khu|đảo|núi|bến|sân bay|ga|Báo|báo|Bia|tờ)\s*$",
    re.IGNORECASE,
)
_COMPANY = {
    "công",
    "cty",
    "tập",
    "ngân",
    "tạp",
    "đài",
    "clb",
    "khách",
    "bia",
    "nhà",
    "nhiệt",
    "xi",
    "fc",
    "báo",
}
_PREFIX_STOP = {"tỉnh", "thành", "phố", "tp", "tp.", "ở", "tại", "của"}


def find_provinces(text: str, persons: list[tuple[int, int]] = ()) -> list[str]:
    """Provinces (names of the time) mentioned in ``text``, in order of first mention.

    >>> find_provinces("Vì hòa bình, tỉnh Hòa Bình và TP.HCM; huyện Quảng Ninh, Quảng Bình.")
    ['Hòa Bình', 'Thành phố Hồ Chí Minh', 'Quảng Bình']
    """
    forms = province_forms()[0]
    seen: dict[str, None] = {}
    for m in province_re().finditer(text):
        s, e = m.span()
        if any(ps <= s < pe or ps < e <= pe for ps, pe in persons):
            continue  # inside a person's name: "Nguyễn Thái Bình"
        before = text[max(0, s - 40) : s]
        if _NOT_PROVINCE_BEFORE.search(before):
            continue
        prev = [w.strip("*•-–") for w in re.split(r"[,;:.!?()\"“”]", before)[-1].split()[-4:]]
        stop = next(
            (i for i in range(len(prev) - 1, -1, -1) if prev[i].lower() in _PREFIX_STOP), -1
        )
        if any(w.lower() in _COMPANY for w in prev[stop + 1 :]):
            continue  # "Công ty Nhôm Đắk Nông", "Bia Sài Gòn"
        if before.endswith("(") and re.match(
            rf"\s*,\s*(?:{province_re().pattern})\s*\)", text[e : e + 40]
        ):
            continue  # "(Quảng Ninh, Quảng Bình)": a district, then its province
        nxt = re.match(rf"\s+([{UPPER}]\w*)", text[e : e + 30])
        if (
            nxt
            and stop < 0
            and nxt.group(1) not in surname_set()
            and not title_re().match(text, e + nxt.start(1))
        ):
            continue  # "Sài Gòn Giải Phóng", "Hà Nội Mới"
        seen[_canonical_province(m.group(0), forms)] = None
    return list(seen)


def _canonical_province(matched: str, forms: dict[str, str]) -> str:
    flat = re.sub(r"\s*-\s*|\s+", " ", matched).replace(". ", ".")
    return (
        forms.get(matched)
        or forms.get(flat)
        or province_lookup().get(province_key(matched), matched)
    )


def to_2025(provinces: list[str]) -> list[str]:
    """The units after NQ 202/2025/QH15 that the given provinces belong to.

    >>> to_2025(["Hà Giang", "Tuyên Quang", "Lạng Sơn"])
    ['Tuyên Quang', 'Lạng Sơn']
    """
    merged = province_forms()[1]
    return list(dict.fromkeys(merged[p] for p in provinces if p in merged))


# --- dates -----------------------------------------------------------------------------------
