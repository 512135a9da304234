"""Person and post pages: who held which post, and when.

Everything comes from facets the reindex wrote (person, province, month and
role = "person|post", see :mod:`search.ingest.posts`), loaded with the
snapshot: a page is a few numpy operations over one person's or one post's
documents, no stored document read except the few latest hits.

Names and posts are looked up by :func:`search.ingest.posts.post_key` (folded,
hyphenated), so "Lâm Thị Phương Thanh", "lam thi phuong thanh" and
``lam-thi-phuong-thanh`` are one person. Spellings of one post that differ in
case only ("Phó bí thư" / "Phó Bí thư") are one row, shown as most written.

Two persons of one name stay one page: their posts carry their province
("Bí thư Tỉnh ủy Lạng Sơn"), so the roles table tells them apart.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

import numpy as np

from ..ingest.posts import post_key
from ..models import FacetValue, Hit, Holder, PersonPage, PostPage, RoleRow
from ..text.normalize import fold, hyphenated, normalize
from ..write import schema as S
from .searcher import month_counts, ranked
from .snapshot import Facet, Snapshot

LATEST = 10  # latest articles on a person's page
RELATED = 12  # co-mentioned persons shown
PROVINCES = 10


class People:
    """One snapshot's lookup tables: keys to person and role values, role values split."""

    def __init__(self, snap: Snapshot):
        persons = snap.facets[S.PERSON]
        # Not among the facets every snapshot loads on opening: a swap would
        # wait a second longer for what only these pages read.
        self.roles = roles = snap.load_facet(S.ROLE)
        self.persons: dict[str, list[int]] = defaultdict(list)
        for i, folded in enumerate(persons.folded):  # the values are normalized already
            self.persons[hyphenated(folded)].append(i)
        self.roles_of: dict[str, list[int]] = defaultdict(list)  # person value -> role ids
        self.posts: dict[str, list[int]] = defaultdict(list)  # post key -> role ids
        self.split: list[tuple[str, str]] = []
        for i, value in enumerate(roles.values):
            name, _, post = value.partition(S.ROLE_SEP)
            self.split.append((name, post))
            self.roles_of[name].append(i)
            self.posts[hyphenated(fold(post).lower())].append(i)
        self.role_starts = _starts(roles)
        self.person_starts = _starts(persons)


def _starts(facet: Facet) -> np.ndarray:
    """Where each value's documents begin in ``facet.docs`` (pairs are in value order)."""
    return np.searchsorted(facet.vals, np.arange(len(facet.values) + 1))


def people(snap: Snapshot) -> People:
    """The snapshot's tables, built on first use and kept with the generation."""
    return snap.cached(("people",), lambda: (People(snap),))[0]


def _docs(snap: Snapshot, facet: Facet, starts: np.ndarray, ids: list[int]) -> np.ndarray:
    """Live documents having any of the value ``ids``, each once."""
    parts = [facet.docs[starts[i] : starts[i + 1]] for i in ids]
    docs = np.unique(np.concatenate(parts)) if parts else np.empty(0, np.int64)
    return docs[snap.alive[docs]]


def _span(snap: Snapshot, docs: np.ndarray) -> tuple[str | None, str | None]:
    """(first, last) date of ``docs`` as YYYY-MM-DD; None where none is dated."""
    dates = snap.dates[docs]
    dates = dates[dates > 0]
    if not len(dates):
        return None, None
    return (
        dt.date.fromordinal(int(dates.min())).isoformat(),
        dt.date.fromordinal(int(dates.max())).isoformat(),
    )


def _time_key(first: str | None, last: str | None, name: str) -> tuple:
    """Time order: by first date, then last; undated rows after the dated ones."""
    return (first is None, first or "", last or "", name)


def _most_written(variants: dict[str, np.ndarray]) -> str:
    """Of a post's spellings (case, tone placement), the one most articles use."""
    return max(variants, key=lambda v: (len(variants[v]), v))


def find_person(snap: Snapshot, name: str) -> list[int]:
    """Person value ids for a name as written or as its key; exact spellings first."""
    tables = people(snap)
    ids = tables.persons.get(post_key(name), [])
    wanted = normalize(name).lower()
    exact = [i for i in ids if snap.facets[S.PERSON].values[i].lower() == wanted]
    return exact or ids


def person_page(
    snap: Snapshot, name: str, hit: Callable[[int], Hit], latest: int = LATEST
) -> PersonPage | None:
    """The page of the person named ``name``; None when the index names no such person."""
    ids = find_person(snap, name)
    if not ids:
        return None
    tables = people(snap)
    facet = snap.facets[S.PERSON]
    by_value = {i: _docs(snap, facet, tables.person_starts, [i]) for i in ids}
    shown = facet.values[max(ids, key=lambda i: len(by_value[i]))]
    docs = np.unique(np.concatenate(list(by_value.values())))
    if not len(docs):
        return None
    mask = np.zeros(snap.n, dtype=bool)
    mask[docs] = True
    first, last = _span(snap, docs)
    rows: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
    for i in ids:
        for r in tables.roles_of.get(facet.values[i], []):
            post = tables.split[r][1]
            rdocs = _docs(snap, tables.roles, tables.role_starts, [r])
            if len(rdocs):
                key = post_key(post)
                old = rows[key].get(post)
                rows[key][post] = rdocs if old is None else np.union1d(old, rdocs)
    roles = []
    for variants in rows.values():
        rdocs = np.unique(np.concatenate(list(variants.values())))
        role_first, role_last = _span(snap, rdocs)
        roles.append(RoleRow(_most_written(variants), role_first, role_last, len(rdocs)))
    roles.sort(key=lambda r: _time_key(r.first, r.last, r.role))
    others = set(ids)
    return PersonPage(
        name=shown,
        articles=len(docs),
        first_seen=first,
        last_seen=last,
        roles=roles,
        provinces=_top(snap, S.PROVINCE, mask, docs, PROVINCES),
        related_persons=_top(snap, S.PERSON, mask, docs, RELATED, leave_out=others),
        timeline=month_counts(snap, mask, docs),
        hits=[hit(int(d)) for d in ranked(snap, None, mask, "newest", latest)],
    )


def _top(
    snap: Snapshot,
    fieldname: str,
    mask: np.ndarray,
    docs: np.ndarray,
    limit: int,
    leave_out: set[int] = frozenset(),  # type: ignore[assignment]
) -> list[FacetValue]:
    facet = snap.facets[fieldname]
    if not facet.values:
        return []
    counts = facet.counts(mask, docs)
    order = [i for i in np.lexsort((np.arange(len(counts)), -counts)) if counts[i]]
    return [FacetValue(facet.values[i], int(counts[i])) for i in order if i not in leave_out][
        :limit
    ]


def post_page(snap: Snapshot, post: str) -> PostPage | None:
    """Who was named with ``post``, in time order; None when no article names it."""
    tables = people(snap)
    ids = tables.posts.get(post_key(post), [])
    if not ids:
        return None
    roles = tables.roles
    variants: dict[str, list[np.ndarray]] = defaultdict(list)
    by_person: dict[str, list[np.ndarray]] = defaultdict(list)
    for r in ids:
        name, written = tables.split[r]
        rdocs = _docs(snap, roles, tables.role_starts, [r])
        if len(rdocs):
            variants[written].append(rdocs)
            by_person[name].append(rdocs)
    if not by_person:
        return None
    holders = []
    for name, parts in by_person.items():
        hdocs = np.unique(np.concatenate(parts))
        first, last = _span(snap, hdocs)
        holders.append(Holder(name, first, last, len(hdocs)))
    holders.sort(key=lambda h: _time_key(h.first, h.last, h.name))
    written = {v: np.concatenate(p) for v, p in variants.items()}
    return PostPage(post=_most_written(written), holders=holders)
