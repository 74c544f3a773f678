"""Clustering: scored pairs become duplicate clusters that resist chaining.

Pairwise scores are not transitive. A parent and child who share a mobile
can each score high against a third record (A-B and B-C strong) while
A-C scores low: the match probability of a pair says nothing certain about
the pairs around it (dedupe's documentation on grouping duplicates makes
the same point). Connected components over every pair above the threshold
ignore A-C and merge two people through B.

**Average linkage.** Clusters X and Y merge, best first, while
``L(X, Y) = sum(score(x, y) for x in X, y in Y) / (|X| * |Y|)`` is at least
``threshold``. A single strong link cannot chain two groups together,
because the weak pairs between them pull the average down. Unlike complete
linkage it tolerates one weak pair inside a genuine cluster: a hotline
record with only a phone and a store record with only an address score
low against each other, yet both link strongly to the third record that
has both, and the three stay together.

**Unknown counts as 0.** A pair that was never scored contributes 0: no
evidence is not evidence of a match. Components of at most ``dense_limit``
records can be *densified*: their missing pairs are scored by a callback
first, so the linkage sees real evidence instead.

**Steward decisions.** Must-links merge first, unconditionally and
transitively (approving A=B and B=C approves A=C). Clusters with a
cannot-link between any of their members never merge. If must-links alone
put a cannot-linked pair into one cluster, the must-links win and the pair
is reported in :attr:`Clustering.conflicts` for a steward to resolve.

**Determinism.** Among merges of equal linkage, the one whose clusters have
the smallest labels (smaller label first, then the larger) goes first, and
partial sums are formed in an order that does not depend on the input
order, so shuffling the input never changes the result.

Every cluster lies inside one connected component of the pairs scoring at
least ``threshold`` plus the must-links (an average never exceeds the
maximum), so components are clustered independently: singletons and
pairs directly with numpy, larger ones with a heap over sparse adjacency.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from core.errors import InputError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Rescore = Callable[[IntArray, IntArray], FloatArray]
_Pairs = tuple[IntArray, IntArray, FloatArray]  # id_l, id_r (as indices), score
_IdxPair = tuple[IntArray, IntArray]

_SLACK = 1e-9
"""Rounding allowance in every comparison with the threshold: three pairs at
0.7 average to 0.6999999999999998, and such a clique must not split."""


@dataclass(frozen=True, slots=True, eq=False)
class Clustering:
    """The clusters over every input record.

    Attributes:
        ids: every input id, int64, sorted ascending.
        labels: the cluster of each record in ``ids``: the smallest id in
            its cluster (a singleton is labelled by itself).
        cohesion: for each cluster of two or more records, keyed by label,
            the weakest merge that built it (the minimum linkage over its
            agglomeration steps; a must-link merge counts as 1.0).
        conflicts: cannot-linked pairs ``(lo, hi)`` that must-links put in
            one cluster anyway, sorted.
    """

    ids: IntArray
    labels: IntArray
    cohesion: dict[int, float]
    conflicts: tuple[tuple[int, int], ...] = ()

    def members(self) -> dict[int, list[int]]:
        """Label -> sorted member ids, for clusters of two or more records."""
        order = np.argsort(self.labels, kind="stable")
        labels, ids = self.labels[order].tolist(), self.ids[order].tolist()
        out: dict[int, list[int]] = {}
        for label, record in zip(labels, ids, strict=True):
            out.setdefault(label, []).append(record)
        return {k: v for k, v in out.items() if len(v) > 1}


def components(ids: npt.ArrayLike, id_l: npt.ArrayLike, id_r: npt.ArrayLike) -> IntArray:
    """Connected components of the graph of pairs ``(id_l[i], id_r[i])``.

    Args:
        ids: every record id, unique, in any order.
        id_l, id_r: the edges; order within a pair and repeats do not matter.

    Returns:
        For each element of ``ids`` (same order), the smallest id of its component.

    Raises:
        InputError: an id repeats or an edge names an id not in ``ids``.

    Example:
        >>> components([5, 1, 2, 9], [1, 2], [2, 5]).tolist()
        [1, 1, 1, 9]
    """
    raw = np.asarray(ids, dtype=np.int64)
    order = np.argsort(raw, kind="stable")
    sorted_ids = _unique_ids(raw[order])
    left, right = np.asarray(id_l, dtype=np.int64), np.asarray(id_r, dtype=np.int64)
    li, ri = _index(sorted_ids, left, right, "edge")
    out = np.empty_like(raw)
    out[order] = sorted_ids[_roots(len(sorted_ids), li, ri)]
    return out


def cluster(
    ids: npt.ArrayLike,
    id_l: npt.ArrayLike,
    id_r: npt.ArrayLike,
    score: npt.ArrayLike,
    *,
    threshold: float,
    must: Sequence[tuple[int, int]] = (),
    cannot: Sequence[tuple[int, int]] = (),
    rescore: Rescore | None = None,
    dense_limit: int = 64,
    dense_pairs: int = 2_000_000,
) -> Clustering:
    """Constrained average-linkage clustering of scored pairs.

    Args:
        ids: every record id, unique; a record without pairs is a singleton.
        id_l, id_r, score: the scored pairs, ``id_l < id_r``, each pair at
            most once, scores in [0, 1]. An unscored pair counts as 0.
        threshold: the smallest linkage at which two clusters merge, in (0, 1]
            (compared with an allowance of 1e-9 for rounding).
        must: pairs a steward approved; merged first, unconditionally.
        cannot: pairs a steward rejected; their clusters never merge.
        rescore: optional ``rescore(id_l, id_r) -> scores`` (int64 arrays with
            ``id_l < id_r``, float64 scores in [0, 1]); called at most once,
            with the unscored pairs inside every component (pairs scoring at
            least ``threshold`` plus must-links) of at most ``dense_limit``
            records, except pairs already joined by must-links.
        dense_limit: the largest component that is densified.
        dense_pairs: the most pairs densifying may add: components are
            densified smallest first while their pairs fit.

    Returns:
        A :class:`Clustering`; see the module docstring for the merge order.

    Raises:
        InputError: naming the offending pair or value, if a pair is reversed,
            repeated, names an unknown id or has a score outside [0, 1]; if an
            id repeats; if the threshold is outside (0, 1]; or if ``rescore``
            returns a wrong result.

    Example:
        >>> c = cluster([1, 2, 3], [1, 1, 2], [2, 3, 3], [0.95, 0.05, 0.95], threshold=0.6)
        >>> c.labels.tolist(), c.cohesion
        ([1, 1, 3], {1: 0.95})
    """
    if not 0.0 < threshold <= 1.0:
        raise InputError(f"threshold {threshold} must lie in (0, 1], e.g. 0.5")
    sorted_ids = _unique_ids(np.sort(np.asarray(ids, dtype=np.int64)))
    n = len(sorted_ids)
    li, ri, s = _pairs(sorted_ids, id_l, id_r, score)
    ml, mr = _links(sorted_ids, must, "must-link")
    cl, cr = _links(sorted_ids, cannot, "cannot-link")
    group = _roots(n, ml, mr)  # must-groups, labelled by their smallest index
    floor = threshold - _SLACK
    strong = s >= floor
    comp = _roots(n, np.concatenate([li[strong], ml]), np.concatenate([ri[strong], mr]))
    size = np.bincount(comp, minlength=n)[comp]
    if rescore is not None:
        li, ri, s = _densify(
            sorted_ids, (li, ri, s), comp, group, rescore, dense_limit, dense_pairs
        )

    parent, coh = group.copy(), np.ones(n)
    # Fast path: a two-record component is one pair, unless must-linked.
    pair = (size[li] == 2) & (s >= floor) & (group[li] != group[ri])
    pair[pair] = ~np.isin(li[pair] * n + ri[pair], cl * n + cr)
    parent[ri[pair]], coh[li[pair]] = li[pair], s[pair]

    big = (size[li] > 2) & (comp[li] == comp[ri]) & (group[li] != group[ri])
    ga, gb, x = group[li[big]], group[ri[big]], s[big]
    key = np.minimum(ga, gb) * n + np.maximum(ga, gb)
    order = np.lexsort((x, key))  # a fixed summation order, whatever the input order
    key, x = key[order], x[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
    sums = np.add.reduceat(x, starts) if len(key) else x
    bad = [(int(a), int(b)) for a, b in zip(group[cl], group[cr], strict=True) if a != b]
    edges = (key[starts] // n, key[starts] % n, sums)
    merged, built = _agglomerate(edges, np.bincount(group, minlength=n), bad, floor)
    parent[list(merged)], coh[list(built)] = list(merged.values()), list(built.values())

    while not np.array_equal(parent[parent], parent):
        parent = parent[parent]
    first = np.full(n, n, dtype=np.int64)
    np.minimum.at(first, parent, np.arange(n, dtype=np.int64))
    multi = np.flatnonzero(np.bincount(parent, minlength=n) > 1)
    cohesion = dict(zip(sorted_ids[first[multi]].tolist(), coh[multi].tolist(), strict=True))
    clash = group[cl] == group[cr]
    lo, hi = sorted_ids[cl[clash]].tolist(), sorted_ids[cr[clash]].tolist()
    conflicts = tuple(sorted(zip(lo, hi, strict=True)))
    return Clustering(sorted_ids, sorted_ids[first[parent]], cohesion, conflicts)


def _agglomerate(
    edges: _Pairs, gsize: IntArray, cannot_pairs: list[tuple[int, int]], floor: float
) -> tuple[dict[int, int], dict[int, float]]:
    """Average linkage over clusters that start as must-groups (named by their
    root index), with score sums ``edges``. Returns which cluster each merged
    cluster went into, and the cohesion of every cluster that took part.

    A merged cluster keeps the name of the side with the larger adjacency, so
    the smaller adjacency is folded into the larger one."""
    adj: dict[int, dict[int, float]] = {}
    triples = list(zip(*(e.tolist() for e in edges), strict=True))
    for a, b, x in triples:
        adj.setdefault(a, {})[b] = x
        adj.setdefault(b, {})[a] = x
    size = {c: int(gsize[c]) for c in adj}
    label = {c: c for c in adj}  # smallest member index
    cohesion = dict.fromkeys(adj, 1.0)
    version = dict.fromkeys(adj, 0)
    cannot: dict[int, set[int]] = {}
    for a, b in cannot_pairs:
        cannot.setdefault(a, set()).add(b)
        cannot.setdefault(b, set()).add(a)
    heap: list[tuple[float, int, int, int, int, int, int]] = []

    def push(a: int, b: int, x: float) -> None:
        link = x / (size[a] * size[b])
        if link >= floor and b not in cannot.get(a, ()):
            la, lb = label[a], label[b]
            heapq.heappush(heap, (-link, min(la, lb), max(la, lb), a, b, version[a], version[b]))

    for a, b, x in triples:
        push(a, b, x)
    merged: dict[int, int] = {}
    # An entry goes stale when either side merges (its version moves on).
    while heap:
        neg, _, _, a, b, va, vb = heapq.heappop(heap)
        if version.get(a) != va or version.get(b) != vb:
            continue
        if len(adj[a]) < len(adj[b]):
            a, b = b, a
        into = adj[a]
        del into[b]
        for z, x in adj.pop(b).items():
            if z != a:
                into[z] = adj[z][a] = into.get(z, 0.0) + x
                del adj[z][b]
        size[a] += size.pop(b)
        label[a] = min(label[a], label.pop(b))
        cohesion[a] = min(cohesion[a], cohesion.pop(b), -neg)
        for z in cannot.pop(b, set()):
            cannot[z].discard(b)
            cannot[z].add(a)
            cannot.setdefault(a, set()).add(z)
        del version[b]
        version[a] += 1
        merged[b] = a
        for z, y in into.items():
            push(a, z, y)
    return merged, cohesion


def _roots(n: int, left: IntArray, right: IntArray) -> IntArray:
    """Component of each index ``0..n-1``, labelled by its smallest index.

    Hook-and-compress union-find, vectorised: every round hooks each root to
    the smallest root it shares an edge with, then flattens the forest. Each
    round at least halves the roots of every unfinished component."""
    parent = np.arange(n, dtype=np.int64)
    while len(left):
        pl, pr = parent[left], parent[right]
        open_ = pl != pr
        left, right, pl, pr = left[open_], right[open_], pl[open_], pr[open_]
        np.minimum.at(parent, np.maximum(pl, pr), np.minimum(pl, pr))
        while not np.array_equal(up := parent[parent], parent):
            parent = up
    return parent


def _unique_ids(sorted_ids: IntArray) -> IntArray:
    repeated = np.flatnonzero(sorted_ids[1:] == sorted_ids[:-1])
    if len(repeated):
        raise InputError(f"id {sorted_ids[repeated[0]]} occurs more than once in ids")
    return sorted_ids


def _index(sorted_ids: IntArray, left: IntArray, right: IntArray, what: str) -> _IdxPair:
    """Positions of ``left`` and ``right`` in ``sorted_ids``; all must be there."""
    if len(left) != len(right):
        raise InputError(f"{what}s have {len(left)} left ids but {len(right)} right ids")
    both = np.stack([left, right])
    pos = np.searchsorted(sorted_ids, both).astype(np.int64)
    ok = pos < len(sorted_ids)
    ok[ok] = sorted_ids[pos[ok]] == both[ok]
    if not ok.all():
        side, i = (int(v[0]) for v in np.nonzero(~ok))
        raise InputError(f"{what} ({left[i]}, {right[i]}) names id {both[side, i]}, not in ids")
    return pos[0], pos[1]


def _pairs(sorted_ids: IntArray, *columns: npt.ArrayLike) -> _Pairs:
    """The scored pairs as positions in ``sorted_ids``, after checking them."""
    left, right = (np.asarray(c, dtype=np.int64).reshape(-1) for c in columns[:2])
    s = np.asarray(columns[2], dtype=np.float64).reshape(-1)
    if not len(left) == len(right) == len(s):
        lengths = f"{len(left)}, {len(right)}, {len(s)}"
        raise InputError(f"id_l, id_r and score differ in length: {lengths}")
    _check_pairs(left, right, s, "pair")
    li, ri = _index(sorted_ids, left, right, "pair")
    key = li * len(sorted_ids) + ri
    order = np.argsort(key, kind="stable")
    twice = np.flatnonzero(key[order][1:] == key[order][:-1])
    if len(twice):
        i = order[twice[0]]
        raise InputError(f"pair ({left[i]}, {right[i]}) occurs twice; give each pair once")
    return li, ri, s


def _check_pairs(left: IntArray, right: IntArray, s: FloatArray, what: str) -> None:
    if (left == right).any():
        a = left[left == right][0]
        raise InputError(f"{what} ({a}, {a}) pairs a record with itself")
    if (left > right).any():
        a, b = left[left > right][0], right[left > right][0]
        raise InputError(
            f"{what} ({a}, {b}) has id_l > id_r; put the lower id first, e.g. ({b}, {a})"
        )
    bad = ~((s >= 0.0) & (s <= 1.0))  # NaN fails both comparisons
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{what} ({left[i]}, {right[i]}) has score {s[i]}; scores lie in [0, 1]")


def _links(sorted_ids: IntArray, links: Sequence[tuple[int, int]], what: str) -> _IdxPair:
    """Steward links as index pairs ``lo < hi``; either order is accepted."""
    arr = np.asarray(links, dtype=np.int64).reshape(-1, 2)
    same = np.flatnonzero(arr[:, 0] == arr[:, 1])
    if len(same):
        raise InputError(f"{what} {tuple(arr[same[0]].tolist())} links a record to itself")
    a, b = _index(sorted_ids, arr[:, 0], arr[:, 1], what)
    return np.minimum(a, b), np.maximum(a, b)


def _densify(
    ids: IntArray,
    pairs: _Pairs,
    comp: IntArray,
    group: IntArray,
    rescore: Rescore,
    limit: int,
    budget: int,
) -> _Pairs:
    """Adds the rescored missing pairs of every component of 3..limit records,
    smallest first while their pairs fit in ``budget`` (``ids`` sorted,
    ``comp`` and ``group`` by index, see :func:`cluster`)."""
    li, ri, s = pairs
    size = np.bincount(comp, minlength=len(comp))[comp]
    sizes = np.unique(size[(size >= 3) & (size <= limit)])
    cost = np.cumsum([k * (k - 1) // 2 * int((size == k).sum()) // int(k) for k in sizes.tolist()])
    fits = sizes[cost <= budget]
    limit = int(fits.max()) if len(fits) else 2
    dense = np.flatnonzero((size >= 3) & (size <= limit))
    dense = dense[np.lexsort((dense, comp[dense]))]  # by component, members ascending
    new_l, new_r = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    for k in np.unique(size[dense]).tolist():
        block = dense[size[dense] == k].reshape(-1, k)
        a, b = np.triu_indices(k, 1)
        new_l.append(block[:, a].ravel())
        new_r.append(block[:, b].ravel())
    pl, pr = np.concatenate(new_l), np.concatenate(new_r)
    n = len(ids)
    keep = (group[pl] != group[pr]) & ~np.isin(pl * n + pr, li * n + ri)
    pl, pr = pl[keep], pr[keep]
    if not len(pl):
        return pairs
    got = np.asarray(rescore(ids[pl], ids[pr]), dtype=np.float64).reshape(-1)
    if len(got) != len(pl):
        raise InputError(f"rescore returned {len(got)} scores for {len(pl)} pairs")
    _check_pairs(ids[pl], ids[pr], got, "rescored pair")
    return np.concatenate([li, pl]), np.concatenate([ri, pr]), np.concatenate([s, got])
