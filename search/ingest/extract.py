"""Infer what users filter and read by: date, provinces, persons and roles, author, source.

:func:`enrich` puts together :mod:`.persons`, :mod:`.places` and :mod:`.dates`
and reads the byline and the dateline's source itself. Regexes over normalized text and the facts in ``search/data`` (loaded once);
no pyvi pass, so :func:`enrich` stays well under a millisecond per article.
Fields an article already has win: inference only fills what is missing.
"""

from __future__ import annotations

import dataclasses
import re

from ..models import Article
from ..text.normalize import normalize
from .dates import infer_date
from .lexicon import province_forms, province_key, province_lookup
from .page import DATELINE, DATELINES, byline_name
from .persons import CAP_WORD, canonical_name, find_persons
from .places import find_provinces, to_2025

__all__ = ["enrich", "tail_byline"]

# --- bylines and sources ------------------------------------------------------------


_CREDIT = re.compile(
    r"^(?:(?:Tin|Bài|Ảnh|Video)(?:\s*[,-]\s*(?:ảnh|bài|clip))?\s*:?|Theo)$", re.IGNORECASE
)


def tail_byline(body: str) -> tuple[str | None, int]:
    """The author named at the end of a body, and where that byline starts.

    >>> tail_byline("... cập nhật vụ việc. Tin, ảnh: HỒNG HIẾU")
    ('Hồng Hiếu', 32)
    """
    text = body.rstrip(" -\n\t")
    paren = re.search(r"\s*\([^()]{1,80}\)$", text)
    if paren:
        text = text[: paren.start()]
    words = list(re.finditer(r"\S+", text[-160:]))
    base = max(0, len(text) - 160)
    run: list[re.Match] = []
    for w in reversed(words):
        token = w.group(0).split("/")[0] if w is words[-1] else w.group(0)
        if token in {"-", "–"} or (CAP_WORD.match(token) and token[-1].isalpha()):
            run.insert(0, w)
            continue
        break
    while run and (_CREDIT.match(run[0].group(0)) or run[0].group(0) in {"-", "–"}):
        run.pop(0)
    if not run:
        return None, len(body)
    initial = next((w for w in run if re.match(r"[A-ZĐ]\.\w", w.group(0))), None)
    if initial is not None:  # "... trong ngày Vía Thần Tài P.Linh": the name opens there
        run = run[run.index(initial) :]
    start = base + run[0].start()
    name = byline_name(re.sub(r"/\S*$", "", text[start:]))
    if name is None or name in province_forms()[0]:
        return None, len(body)
    return name, start


def _dateline_source(body: str) -> str | None:
    """The outlet a known agency's dateline names (page.py's pattern, its table)."""
    m = DATELINE.match(body)
    return DATELINES.get(m.group(1)) if m else None


# --- all of it -------------------------------------------------------------------------------


def enrich(article: Article) -> Article:
    """A copy of ``article`` with every missing field inferred from its text."""
    a = dataclasses.replace(
        article, provinces=list(article.provinces), persons=list(article.persons)
    )
    body = a.body
    end = len(body)
    if not a.origin.endswith(".txt"):  # a copied page's byline is gone already
        byline, end = tail_byline(body)
        a.author = a.author or byline
    text = normalize(a.title + "\n" + body[:end] if a.title else body[:end])
    persons, roles, spans = find_persons(text)
    if not a.persons:
        a.persons = persons
    else:
        a.persons = list(dict.fromkeys(canonical_name(normalize(p)) for p in a.persons))
    a.roles = {**{p: r for p, r in roles.items() if p in a.persons}, **a.roles}
    if a.provinces:
        a.provinces = list(
            dict.fromkeys(province_lookup().get(province_key(p), p) for p in a.provinces)
        )
    else:
        a.provinces = find_provinces(text, spans)
    if not a.provinces_2025:
        a.provinces_2025 = to_2025(a.provinces)
    if a.date is None:
        a.date, a.date_evidence = infer_date(normalize(a.title), text[len(a.title) :])
    if a.source is None:
        a.source = _dateline_source(body)
    if not a.title:
        first = body.strip().split("\n", 1)[0]
        a.title = first if len(first) <= 200 else first[:120].rsplit(" ", 1)[0] + "…"
    return a
