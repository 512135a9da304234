"""Stories on the read side: syndicated copies folded into their best-ranked one.

The grouping is made at index time (:mod:`search.write.stories`); here it is
read once per snapshot, from the file committed with the snapshot's table of
contents, into arrays: each document's representative (its story) and
whether that story has other copies. Collapsing a result set picks, per
story, the copy the requested order ranks first; the others are folded into
it and counted.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

import numpy as np

from ..write import schema as S
from ..write.stories import load_groups, story_key
from .snapshot import Snapshot

MAX_COPIES = 50  # copies an article page lists

_loaded: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


class StoryIndex:
    """Per document of one snapshot: its story's representative and its story's copies."""

    def __init__(self, snap: Snapshot):
        n = snap.n
        self.snap = snap
        self.rep = np.full(n, -1, dtype=np.int64)  # docnum of the representative; -1: unsigned
        found = load_groups(snap.gen_dir, snap.reader.generation())
        if found is not None:
            ids, rep = found
            docs = np.array([snap.id_to_doc.get(i, -1) for i in ids], dtype=np.int64)
            reps = docs[rep] if len(docs) else docs
            ok = (docs >= 0) & (reps >= 0)
            self.rep[docs[ok]] = reps[ok]
        signed = self.rep >= 0
        sizes = np.bincount(self.rep[signed], minlength=n)
        self.multi = np.zeros(n, dtype=bool)  # in a story with other copies
        self.multi[signed] = sizes[self.rep[signed]] > 1
        self._keys: dict[str, int] | None = None

    def key(self, docnum: int) -> str | None:
        rep = int(self.rep[docnum])
        return story_key(self.snap.ids[rep]) if rep >= 0 else None

    def members(self, docnum: int) -> np.ndarray:
        """Docnums of the story of ``docnum`` (itself included), representative first."""
        rep = int(self.rep[docnum])
        if rep < 0 or not self.multi[docnum]:
            return np.array([docnum], dtype=np.int64)
        docs = np.flatnonzero(self.rep == rep)
        return np.concatenate([[rep], docs[docs != rep]])

    def story_mask(self, key: str) -> np.ndarray:
        """Documents of the story ``key``; none when no story has it."""
        if self._keys is None:
            reps = np.unique(self.rep[self.rep >= 0])
            self._keys = {story_key(self.snap.ids[r]): int(r) for r in reps.tolist()}
        rep = self._keys.get(key)
        if rep is None:
            return np.zeros(self.snap.n, dtype=bool)
        return self.rep == rep


def stories(snap: Snapshot) -> StoryIndex:
    """The snapshot's StoryIndex, read once per snapshot."""
    with _lock:
        found = _loaded.get(snap)
        if found is None:
            found = _loaded[snap] = StoryIndex(snap)
        return found


class Folded:
    """The copies folded into each shown hit, by story."""

    def __init__(self, groups: np.ndarray, starts: np.ndarray, docs: np.ndarray):
        self.groups = groups  # representatives, sorted
        self.starts = starts  # where each group's docs begin in ``docs``
        self.docs = docs  # grouped, the shown one first in each group

    def copies(self, rep: int) -> np.ndarray:
        i = int(np.searchsorted(self.groups, rep))
        if i >= len(self.groups) or self.groups[i] != rep:
            return self.docs[:0]
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.docs)
        return self.docs[self.starts[i] + 1 : end]


def collapse(
    index: StoryIndex, mask: np.ndarray, order: Callable[[], tuple[np.ndarray, np.ndarray]]
) -> tuple[np.ndarray, Folded]:
    """``mask`` with one document per story, the first by ``order()``'s (primary,
    secondary) keys, then docnum; the keys are only computed when a story has copies."""
    docs = np.flatnonzero(mask & index.multi)
    if not len(docs):
        return mask, Folded(docs, docs, docs)
    primary, secondary = order()
    groups = index.rep[docs]
    order = np.lexsort((docs, secondary[docs], primary[docs], groups))
    docs, groups = docs[order], groups[order]
    first = np.ones(len(docs), dtype=bool)
    first[1:] = groups[1:] != groups[:-1]
    shown = mask.copy()
    shown[docs] = False
    shown[docs[first]] = True
    starts = np.flatnonzero(first)
    return shown, Folded(groups[starts], starts, docs)


def sources(snap: Snapshot, docs: np.ndarray) -> list[str]:
    """The distinct sources of ``docs``, in their order."""
    facet = snap.facets[S.SOURCE]
    out: list[str] = []
    for d in docs.tolist():
        for v in facet.by_doc[facet.starts[d] : facet.starts[d + 1]].tolist():
            if facet.values[v] not in out:
                out.append(facet.values[v])
    return out
