"""Stories: syndicated copies of one article, grouped at index time.

An article's signature is a MinHash (datasketch, scheme ``affine32``) of the
set of its body's word shingles: SHINGLE consecutive folded, lowercase
syllables. Two articles are *close* when datasketch's MinHashLSH makes them
candidates, they were published at most WINDOW_DAYS apart, and their
estimated Jaccard similarity is at least THRESHOLD (bench/stories.py chose
it on labelled pairs). Closeness is a property of the pair alone, so it does
not depend on what else is indexed or in which order articles came.

Stories are built per connected component of the closeness graph, in a
canonical order (date, then id): an article joins the first story whose
representative it is close to, when it is also close to more than half of
that story's members; otherwise it starts a story of its own and is its
representative. So A close to B and B close to C never merges an unrelated
A and C, and the grouping is a function of the corpus alone: an incremental
run, which regroups only the components its changes touched, ends with the
stories a full run would build.

State persists beside each committed Whoosh table of contents of a
generation, in ``stories_<toc>.npz`` (ids, signatures, dates, edges and each
article's representative), written before the commit that makes it current.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from ..text.analysis import Analysis, lower_syllables  # the tokenizer's own split
from ..text.normalize import fold

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
SHINGLE = 5  # syllables per shingle
MIN_SHINGLES = 30  # a shorter body (a caption, a notice) is never grouped
THRESHOLD = 0.7  # estimated Jaccard of two copies: bench/stories.py, README "Stories"
# LSH bands x rows: a pair at THRESHOLD is a candidate 996 times in 1000 (1 - (1 - J**4)**20),
# one at 0.3 15 times in 100 (cheap to reject); fewer bands, cheaper inserts than 25 x 5.
BANDS, ROWS = 20, 4
WINDOW_DAYS = 7  # copies of one story run within days of each other
FILE = re.compile(r"^stories_(\d+)\.npz$")
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
_MIX = np.uint32(0x9E3779B1)  # odd: combining syllable hashes into a shingle's


@lru_cache(maxsize=1 << 17)
def _syllable_hash(syllable: str) -> int:
    return zlib.crc32(fold(syllable.lower()).encode("utf-8"))


@lru_cache(maxsize=1 << 17)
def _token_hashes(token: str) -> tuple[int, ...]:
    """Hashes of the folded syllables of one pyvi token, cached: tokens repeat."""
    return tuple(_syllable_hash(s) for s in lower_syllables(token))


def signature(body: Analysis) -> np.ndarray | None:
    """The MinHash values (uint32) of a body's shingles; None when it is too short to judge."""
    return _signature([h for text, _, _, word in body.units if word for h in _token_hashes(text)])


def signature_of_syllables(syllables: Iterable[str]) -> np.ndarray | None:
    """The same, from the body's syllables in order (folded and lowercased here)."""
    return _signature([_syllable_hash(s) for s in syllables])


def _signature(syllable_hashes: list[int]) -> np.ndarray | None:
    hashes = np.array(syllable_hashes, dtype=np.uint32)
    if len(hashes) < SHINGLE + MIN_SHINGLES:
        return None
    n = len(hashes) - SHINGLE + 1
    shingles = hashes[:n].copy()
    for i in range(1, SHINGLE):  # wraps modulo 2**32, as intended
        shingles = shingles * _MIX + hashes[i : i + n]
    shingles.sort()  # distinct values by sorting: np.unique hashes, three times slower here
    unique = shingles[np.concatenate(([True], shingles[1:] != shingles[:-1]))]
    if len(unique) < MIN_SHINGLES:
        return None
    m = MinHash(
        num_perm=NUM_PERM, seed=SEED, hashfunc=int, permutations=_PERMUTATIONS, scheme=SCHEME
    )
    m.update_batch(unique.tolist())
    return m.hashvalues.astype(np.uint32)


def story_key(rep_id: str) -> str:
    """The story's public id: a short hash of its representative's id (URL-safe)."""
    return hashlib.blake2b(rep_id.encode("utf-8"), digest_size=6).hexdigest()


class Stories:
    """Signatures, closeness edges and the grouping of every signed article."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.row: dict[str, int] = {}
        self.sigs = np.zeros((0, NUM_PERM), dtype=np.uint32)
        self.dates = np.zeros(0, dtype=np.int32)  # ordinal, 0 when undated
        self.adj: dict[int, set[int]] = {}
        self.rep = np.zeros(0, dtype=np.int64)  # row of each row's representative

    # --- persistence ----------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> Stories:
        s = cls()
        with np.load(path, allow_pickle=False) as f:
            s.ids = f["ids"].tolist()
            s.sigs = f["sigs"]
            s.dates = f["dates"]
            s.rep = f["rep"].astype(np.int64)
            edges = f["edges"]
        s.row = {doc_id: i for i, doc_id in enumerate(s.ids)}
        s.adj = {i: set() for i in range(len(s.ids))}
        for a, b in edges.tolist():
            s.adj[a].add(b)
            s.adj[b].add(a)
        return s

    def save(self, path: Path) -> None:
        """Write atomically: a temp file renamed into place."""
        edges = [(a, b) for a, near in self.adj.items() for b in near if a < b]
        tmp = path.with_name(f".{path.name}.tmp")
        with open(tmp, "wb") as f:
            np.savez(
                f,
                ids=np.array(self.ids, dtype=str),
                sigs=self.sigs,
                dates=self.dates,
                rep=self.rep,
                edges=np.array(edges, dtype=np.int64).reshape(-1, 2),
            )
        tmp.replace(path)

    # --- changes --------------------------------------------------------------------

    def update(
        self, removed: Iterable[str], added: Iterable[tuple[str, int, np.ndarray | None]]
    ) -> None:
        """Remove ids, add ``(id, date ordinal, signature)``, regroup what that touched.

        An updated article is removed and added again. Cost: the LSH holds
        the added articles, only those within WINDOW_DAYS of one are looked
        up in it (all of them for an undated one), and only the components
        holding a change are regrouped.
        """
        seeds: set[int] = set()
        gone = {self.row[i] for i in removed if i in self.row}
        for r in gone:
            seeds |= self.adj.get(r, set())
        added = [(i, d, s) for i, d, s in added if s is not None]
        self._compact(gone, seeds)  # renumbers rows, seeds with them
        first = len(self.ids)
        if added:
            self.ids += [i for i, _, _ in added]
            self.sigs = np.vstack([self.sigs, np.array([s for _, _, s in added])])
            self.dates = np.concatenate([self.dates, np.array([d for _, d, _ in added])])
            self.dates = self.dates.astype(np.int32)
            self.rep = np.concatenate([self.rep, np.arange(first, len(self.ids))])
            self.row = {doc_id: i for i, doc_id in enumerate(self.ids)}
            for r in range(first, len(self.ids)):
                self.adj[r] = set()
            self._link(range(first, len(self.ids)))
            seeds |= set(range(first, len(self.ids)))
        self._regroup(seeds)

    def _compact(self, gone: set[int], seeds: set[int]) -> None:
        if not gone:
            return
        keep = np.array([r for r in range(len(self.ids)) if r not in gone], dtype=np.int64)
        new_of = {int(old): new for new, old in enumerate(keep)}
        self.ids = [self.ids[r] for r in keep]
        self.sigs, self.dates = self.sigs[keep], self.dates[keep]
        self.rep = np.array(
            [new_of.get(int(self.rep[r]), i) for i, r in enumerate(keep)], dtype=np.int64
        )
        self.adj = {
            new_of[old]: {new_of[b] for b in self.adj[old] if b in new_of} for old in keep.tolist()
        }
        self.row = {doc_id: i for i, doc_id in enumerate(self.ids)}
        remapped = {new_of[r] for r in seeds if r in new_of}
        seeds.clear()
        seeds.update(remapped)

    def _link(self, new_rows: range) -> None:
        """Edges from each new row to every row close to it (old or new).

        The LSH holds the new rows only; every row within WINDOW_DAYS of one
        of them (new ones included) is looked up in it. Being candidates is
        symmetric (a band in common), so this finds the pairs an LSH of
        everything would, for the price of the rows in the window.
        """
        new_dates = self.dates[new_rows.start : new_rows.stop]
        dated = new_dates[new_dates > 0]
        near = self.dates == 0
        if len(dated) < len(new_dates):
            near[:] = True  # an undated article may be a copy of any
        else:
            for lo, hi in _windows(np.unique(dated)):
                near |= (self.dates >= lo) & (self.dates <= hi)
        near[new_rows.start : new_rows.stop] = True
        near &= self._sharing_a_band(new_rows)
        lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
        with lsh.insertion_session() as session:
            for r in new_rows:
                session.insert(r, self._minhash(r), check_duplication=False)
        for r in np.flatnonzero(near).tolist():
            cands = np.array([c for c in lsh.query(self._minhash(r)) if c != r], dtype=np.int64)
            if not len(cands):
                continue
            ok = self._close(r, cands)
            for c in cands[ok].tolist():
                self.adj[r].add(c)
                self.adj[c].add(r)

    def _sharing_a_band(self, new_rows: range) -> np.ndarray:
        """Rows holding, in some band, the same values as a new row: all the LSH could
        answer for them, and more (a band is keyed by a hash of its values here).

        The LSH still decides which rows are candidates; this only spares asking
        it about the rows it would answer nothing for (every row but a few when
        an undated article comes: 2 s of queries at 35k, now milliseconds).
        """
        hit = np.zeros(len(self.ids), dtype=bool)
        for b in range(BANDS):
            band = self.sigs[:, b * ROWS : (b + 1) * ROWS].astype(np.uint64)
            key = band[:, 0]
            for k in range(1, ROWS):  # wraps modulo 2**64: equal bands, equal keys
                key = key * np.uint64(0x9E3779B97F4A7C15) + band[:, k]
            hit |= np.isin(key, key[new_rows.start : new_rows.stop])
        return hit

    def _minhash(self, r: int) -> LeanMinHash:
        return LeanMinHash(seed=SEED, hashvalues=self.sigs[r], scheme=SCHEME)

    def _close(self, r: int, cands: np.ndarray) -> np.ndarray:
        """Which candidates are close to row ``r``: estimated Jaccard and dates."""
        jaccard = (self.sigs[cands] == self.sigs[r]).mean(axis=1)
        d, dc = int(self.dates[r]), self.dates[cands]
        in_window = (d == 0) | (dc == 0) | (np.abs(dc.astype(np.int64) - d) <= WINDOW_DAYS)
        return (jaccard >= THRESHOLD) & in_window

    def _regroup(self, seeds: set[int]) -> None:
        """Group again every component holding a seed, in canonical order."""
        done: set[int] = set()
        for seed in sorted(seeds):
            if seed in done:
                continue
            component = {seed}
            stack = [seed]
            while stack:
                for b in self.adj[stack.pop()]:
                    if b not in component:
                        component.add(b)
                        stack.append(b)
            done |= component
            self._group(component)

    def _group(self, component: set[int]) -> None:
        order = sorted(component, key=self._canonical)
        stories: list[list[int]] = []  # each begins with its representative
        for r in order:
            near = self.adj[r]
            home = None
            for members in stories:
                if members[0] in near and 2 * sum(m in near for m in members) > len(members):
                    home = members
                    break
            if home is None:
                stories.append([r])
            else:
                home.append(r)
        for members in stories:
            self.rep[members] = members[0]

    def _canonical(self, r: int) -> tuple[int, str]:
        d = int(self.dates[r])
        return (d if d else 10**7, self.ids[r])

    # --- reading --------------------------------------------------------------------

    def groups(self) -> dict[str, list[str]]:
        """Representative id -> member ids (representative first), stories of two or more."""
        out: dict[str, list[str]] = {}
        order = sorted(range(len(self.ids)), key=self._canonical)
        for r in order:
            out.setdefault(self.ids[int(self.rep[r])], []).append(self.ids[r])
        return {k: v for k, v in out.items() if len(v) > 1}


def _windows(dates: np.ndarray) -> list[tuple[int, int]]:
    """Merged [date - WINDOW_DAYS, date + WINDOW_DAYS] ranges of sorted ordinals."""
    out: list[list[int]] = []
    for d in dates.tolist():
        lo, hi = d - WINDOW_DAYS, d + WINDOW_DAYS
        if out and lo <= out[-1][1]:
            out[-1][1] = hi
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


# --- files beside a generation's table of contents -------------------------------------


def path_for(gen_dir: Path, toc: int) -> Path:
    return Path(gen_dir) / f"stories_{toc}.npz"


def load_for(gen_dir: Path, toc: int) -> Stories | None:
    """The stories committed with TOC ``toc``; None when that commit wrote none."""
    path = path_for(gen_dir, toc)
    return Stories.load(path) if path.exists() else None


def load_groups(gen_dir: Path, toc: int) -> tuple[list[str], np.ndarray] | None:
    """(ids, row of each one's representative) committed with TOC ``toc``, for readers:
    only those two arrays are read. None when that commit wrote no stories."""
    path = path_for(gen_dir, toc)
    try:
        with np.load(path, allow_pickle=False) as f:
            return f["ids"].tolist(), f["rep"].astype(np.int64)
    except FileNotFoundError:
        return None


def clean(gen_dir: Path, toc: int) -> list[str]:
    """Remove stories files of other TOCs than ``toc`` and its predecessor (a reader may
    still be opening that one), and temp files; name each."""
    removed = []
    for p in sorted(Path(gen_dir).iterdir()):
        m = FILE.match(p.name)
        stale = m is not None and int(m.group(1)) not in (toc, toc - 1)
        if stale or (p.name.startswith(".stories_") and p.name.endswith(".tmp")):
            p.unlink(missing_ok=True)
            removed.append(f"{Path(gen_dir).name}/{p.name}: stories of another commit")
    return removed
