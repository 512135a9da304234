"""The facts extraction reads: provinces and their 2025 units, surnames, titles, countries.

Loaded once from ``search/data`` and compiled into the regexes that
:mod:`.persons` and :mod:`.places` use.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from ..text.normalize import fold, normalize


def _lines(name: str) -> list[str]:
    text = resources.files("search").joinpath("data", name).read_text(encoding="utf-8")
    return [normalize(line) for line in text.splitlines() if line.strip()]


@cache
def province_forms() -> tuple[dict[str, str], dict[str, str]]:
    """(form -> name of the unit at the time, name -> unit after the 2025 merger)."""
    forms, merged = {}, {}
    for row in _lines("provinces.tsv")[1:]:
        name, _kind, aliases, after = row.split("\t")
        merged[name] = after
        for form in [name, *(a.strip() for a in aliases.split(",") if a.strip())]:
            forms[form] = name
    forms.update({f.upper(): n for f, n in list(forms.items()) if len(f) > 4})
    return forms, merged


@cache
def province_kinds() -> dict[str, str]:
    """Province name -> its kind ("tỉnh", "thành phố trực thuộc trung ương")."""
    return {row.split("\t")[0]: row.split("\t")[1] for row in _lines("provinces.tsv")[1:]}


@cache
def title_list() -> tuple[str, ...]:
    """The titles of search/data/titles.txt, normalized (the posts and ranks of persons)."""
    return tuple(_lines("titles.txt"))


@cache
def province_lookup() -> dict[str, str]:
    """Folded, lowercased, separator-free form -> province name (for given values)."""
    forms, merged = province_forms()
    table = {province_key(f): n for f, n in forms.items()}
    table.update({province_key(n): n for n in merged.values() if province_key(n) not in table})
    return table


def province_key(s: str) -> str:
    return re.sub(r"[\s.\-]+", "", fold(normalize(s)).lower())


def _trie_regex(sequences: list[list[str]]) -> str:
    """One regex for many alternatives, factored as a trie: Python's re tries
    alternatives one by one, so shared prefixes must be shared in the pattern."""
    trie: dict = {}
    for seq in sequences:
        node = trie
        for atom in seq:
            node = node.setdefault(atom, {})
        node[""] = {}

    def render(node: dict) -> str:
        alts = [atom + render(child) for atom, child in node.items() if atom]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(trie)


def _form_atoms(form: str) -> list[str]:
    """Regex atoms of a province form: any dash or space separates, a dot may be spaced."""
    atoms = []
    for piece in re.findall(r"\s*-\s*|\s+|\.\s*|.", form):
        if not piece.strip() or piece.strip() == "-":
            atoms.append(r"(?:\s*-\s*|\s+)")
        elif piece.startswith("."):
            atoms.append(r"\.\s*")
        else:
            atoms.append(re.escape(piece))
    return atoms


@cache
def province_re() -> re.Pattern:
    alts = _trie_regex([_form_atoms(f) for f in province_forms()[0]])
    return re.compile(rf"(?<![\w.]){alts}(?![\w])")


@cache
def country_re() -> re.Pattern:
    """Countries a foreign leader's title names before the name ("Thủ tướng Nhật Bản Shinzo Abe")."""
    alts = "|".join(re.escape(c) for c in sorted(_lines("countries.txt"), key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alts})(?![\w])")


@cache
def surname_set() -> set[str]:
    return set(_lines("surnames.txt"))


# Callings said before a name ("nhà báo Thu Hiền"): titles for finding persons, no posts.
CALLINGS = ("nhà văn", "nhà thơ", "nhà báo", "nhạc sĩ", "họa sĩ", "nghệ sĩ")

_EXTRA_TITLES = [
    "Ủy viên",
    "anh",
    "chị",
    "em",
    "cháu",
    "cụ",
    *CALLINGS,
    "Bác",
    "Tỉnh trưởng",
    "Phó tỉnh trưởng",
    "Phó Tổng thanh tra",
    "Đại sứ",
    "nguyên",
    "PGS-TS",
    "bác sĩ",
    "ĐB",
    "Thẩm phán",
]


@cache
def title_re() -> re.Pattern:
    titles = set(_lines("titles.txt")) | set(_EXTRA_TITLES)
    seqs = [
        [r"\s+" if c == " " else re.escape(c) for c in " ".join(t.lower().split())] for t in titles
    ]
    return re.compile(rf"(?<![\w])(?:{_trie_regex(seqs)})(?![\w])", re.IGNORECASE)


# --- letters ---------------------------------------------------------------------------


def _letters() -> tuple[str, str]:
    chars = [
        chr(c)
        for r in ((0x41, 0x5B), (0x61, 0x7B), (0xC0, 0x250), (0x1EA0, 0x1EFA))
        for c in range(*r)
    ]
    viet = [c for c in chars if c.isalpha() and fold(c).isascii()]
    return "".join(c for c in viet if c.isupper()), "".join(c for c in viet if c.islower())


UPPER, LOWER = _letters()
