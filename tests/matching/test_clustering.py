"""Clustering: average linkage refines the threshold components, matches a
brute-force reference, resists chaining and honours steward decisions."""

from __future__ import annotations

import random
from itertools import combinations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.matching.clustering import Clustering, cluster, components

Pairs = dict[tuple[int, int], float]
SLACK = 1e-9  # the documented rounding allowance in threshold comparisons


def run(ids, pairs: Pairs, threshold: float, **kwargs) -> Clustering:
    keys = sorted(pairs)
    return cluster(
        np.array(ids, dtype=np.int64),
        np.array([a for a, _ in keys], dtype=np.int64),
        np.array([b for _, b in keys], dtype=np.int64),
        np.array([pairs[k] for k in keys], dtype=np.float64),
        threshold=threshold,
        **kwargs,
    )


def groups(result: Clustering) -> set[frozenset[int]]:
    """Every cluster, singletons included, as a set of member sets."""
    out: dict[int, set[int]] = {}
    for record, label in zip(result.ids.tolist(), result.labels.tolist(), strict=True):
        out.setdefault(label, set()).add(record)
    return {frozenset(g) for g in out.values()}


def threshold_graph(ids, pairs: Pairs, threshold: float, must=()) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(k for k, v in pairs.items() if v >= threshold - SLACK)
    graph.add_edges_from(must)
    return graph


def reference(ids, pairs: Pairs, threshold, must=(), cannot=(), rescore=None, dense_limit=64):
    """The oracle: naive average linkage, recomputing every linkage at every
    step, with the documented tie-break, must/cannot rule and densification.
    Returns (clusters, cohesion by label)."""
    pairs = dict(pairs)
    must_graph = nx.Graph()
    must_graph.add_nodes_from(ids)
    must_graph.add_edges_from(must)
    clusters = [frozenset(c) for c in nx.connected_components(must_graph)]
    group = {x: c for c in clusters for x in c}
    cohesion = {min(c): 1.0 for c in clusters if len(c) > 1}
    if rescore is not None:
        for comp in nx.connected_components(threshold_graph(ids, pairs, threshold, must)):
            if len(comp) <= dense_limit:
                for a, b in combinations(sorted(comp), 2):
                    if (a, b) not in pairs and group[a] != group[b]:
                        pairs[(a, b)] = float(rescore(np.array([a]), np.array([b]))[0])
    banned = {frozenset(p) for p in cannot}
    while True:
        best = None
        for x, y in combinations(clusters, 2):
            if any(frozenset((a, b)) in banned for a in x for b in y):
                continue
            total = sum(pairs.get((min(a, b), max(a, b)), 0.0) for a in x for b in y)
            link = total / (len(x) * len(y))
            key = (-link, min(min(x), min(y)), max(min(x), min(y)))
            if link >= threshold - SLACK and (best is None or key < best[0]):
                best = (key, x, y)
        if best is None:
            return set(clusters), cohesion
        (neg, _, _), x, y = best
        clusters = [c for c in clusters if c not in (x, y)] + [x | y]
        cohesion[min(x | y)] = min(-neg, cohesion.pop(min(x), 1.0), cohesion.pop(min(y), 1.0))


def dyadic_rescore(id_l: np.ndarray, id_r: np.ndarray) -> np.ndarray:
    """A deterministic rescoring with exact binary fractions."""
    return ((id_l * 7 + id_r * 3) % 17) / 16.0


@st.composite
def graphs(draw, max_nodes=12, steward=True):
    """Random ids (not contiguous), pairs with dyadic scores (so that sums are
    exact and ties are common), a threshold, and optional steward links."""
    ids = draw(st.lists(st.integers(1, 500), min_size=1, max_size=max_nodes, unique=True))
    all_pairs = [(min(a, b), max(a, b)) for a, b in combinations(ids, 2)]
    chosen = draw(st.lists(st.sampled_from(all_pairs), unique=True)) if all_pairs else []
    pairs = {p: draw(st.integers(0, 16)) / 16 for p in chosen}
    threshold = draw(st.sampled_from([0.25, 0.375, 0.5, 0.625, 0.75, 1.0]))
    must, cannot = [], []
    if steward and all_pairs:
        must = draw(st.lists(st.sampled_from(all_pairs), max_size=2, unique=True))
        cannot = draw(st.lists(st.sampled_from(all_pairs), max_size=3, unique=True))
    return ids, pairs, threshold, must, cannot


# -- oracles ---------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(graphs(max_nodes=40, steward=False))
def test_every_cluster_lies_inside_one_threshold_component(graph):
    ids, pairs, threshold, _, _ = graph
    result = run(ids, pairs, threshold)
    reach = threshold_graph(ids, pairs, threshold)
    component_of = {x: min(c) for c in nx.connected_components(reach) for x in c}
    for members in groups(result):
        assert len({component_of[x] for x in members}) == 1


@settings(max_examples=300, deadline=None)
@given(graphs(max_nodes=40, steward=False))
def test_components_match_networkx_and_are_labelled_by_their_smallest_id(graph):
    ids, pairs, _, _, _ = graph
    edges = sorted(pairs)
    labels = components(ids, [a for a, _ in edges], [b for _, b in edges])
    graph_ = nx.Graph()
    graph_.add_nodes_from(ids)
    graph_.add_edges_from(edges)
    expected = {x: min(c) for c in nx.connected_components(graph_) for x in c}
    assert labels.tolist() == [expected[x] for x in ids]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 8), min_size=1, max_size=8), st.integers(0, 2**32))
def test_cliques_above_the_threshold_are_exactly_the_connected_components(sizes, seed):
    rnd = random.Random(seed)
    ids = rnd.sample(range(1, 10_000), sum(sizes))
    cliques, start = [], 0
    for size in sizes:
        cliques.append(ids[start : start + size])
        start += size
    pairs = {}
    for clique in cliques:
        for a, b in combinations(sorted(clique), 2):
            pairs[(a, b)] = rnd.uniform(0.7, 1.0)
    for _ in range(len(ids) if len(ids) > 1 else 0):  # weak pairs between cliques
        a, b = rnd.sample(ids, 2)
        pairs.setdefault((min(a, b), max(a, b)), rnd.uniform(0.0, 0.69))
    result = run(ids, pairs, 0.7)  # pairs at exactly 0.7 average to 0.6999999999999998
    expected = {frozenset(c) for c in nx.connected_components(threshold_graph(ids, pairs, 0.7))}
    assert groups(result) == expected == {frozenset(c) for c in cliques}


@settings(max_examples=400, deadline=None)
@given(graphs())
def test_labels_and_cohesion_equal_a_brute_force_average_linkage(graph):
    ids, pairs, threshold, must, cannot = graph
    result = run(ids, pairs, threshold, must=must, cannot=cannot)
    clusters, cohesion = reference(ids, pairs, threshold, must, cannot)
    assert groups(result) == clusters
    assert result.cohesion == cohesion


@settings(max_examples=200, deadline=None)
@given(graphs(), st.integers(0, 8))
def test_densified_clustering_equals_the_brute_force_with_the_same_rescoring(graph, limit):
    ids, pairs, threshold, must, cannot = graph
    kwargs = {"must": must, "cannot": cannot, "rescore": dyadic_rescore, "dense_limit": limit}
    result = run(ids, pairs, threshold, **kwargs)
    clusters, cohesion = reference(ids, pairs, threshold, **kwargs)
    assert groups(result) == clusters
    assert result.cohesion == cohesion


@settings(max_examples=200, deadline=None)
@given(graphs(max_nodes=25), st.randoms(use_true_random=False), st.booleans())
def test_input_order_does_not_change_the_result(graph, rnd, float_scores):
    ids, pairs, threshold, must, cannot = graph
    if float_scores:  # arbitrary floats: partial sums must not depend on the order
        pairs = {k: rnd.random() for k in pairs}
    first = run(ids, pairs, threshold, must=must, cannot=cannot)
    keys = list(pairs)
    rnd.shuffle(keys)
    shuffled_ids = list(ids)
    rnd.shuffle(shuffled_ids)
    flipped = [(b, a) for a, b in must]
    second = cluster(
        np.array(shuffled_ids),
        np.array([a for a, _ in keys], dtype=np.int64),
        np.array([b for _, b in keys], dtype=np.int64),
        np.array([pairs[k] for k in keys]),
        threshold=threshold,
        must=flipped[::-1],
        cannot=cannot[::-1],
    )
    assert second.ids.tolist() == first.ids.tolist() == sorted(ids)
    assert second.labels.tolist() == first.labels.tolist()
    assert second.cohesion == first.cohesion
    assert second.conflicts == first.conflicts


# -- the cases that motivate average linkage --------------------------------

A, B, C, D = 1, 2, 3, 4


def test_a_parent_and_child_sharing_a_mobile_are_not_chained_through_a_third_record():
    pairs = {(A, B): 0.95, (B, C): 0.95, (A, C): 0.05}
    # L({A,B}, C) = (0.05 + 0.95) / 2 = 0.5, below 0.6; connected components would merge all three.
    result = run([A, B, C], pairs, 0.6)
    assert result.members() == {A: [A, B]}  # the tie A-B / B-C goes to the smaller ids
    assert result.cohesion == {A: 0.95}


def test_an_unscored_third_pair_counts_as_zero_and_does_not_chain():
    # L({A,B}, C) = (0.95 + 0) / 2 = 0.475, below 0.5.
    result = run([A, B, C], {(A, B): 0.95, (B, C): 0.95}, 0.5)
    assert result.labels.tolist() == [A, A, C]


def test_a_linkage_exactly_at_the_threshold_merges():
    # (0.95 + 0.05) / 2 == 0.5: "at least threshold" merges.
    result = run([A, B, C], {(A, B): 0.95, (B, C): 0.95, (A, C): 0.05}, 0.5)
    assert result.members() == {A: [A, B, C]}
    assert result.cohesion == {A: 0.5}


def test_a_genuine_cluster_with_one_weak_pair_stays_together():
    # A hotline record (phone only) vs a store record (address only): A-D is weak,
    # but both link strongly to B and C. Complete linkage would split D off.
    pairs = {(A, B): 0.9, (A, C): 0.9, (B, C): 0.9, (B, D): 0.9, (C, D): 0.9, (A, D): 0.1}
    result = run([A, B, C, D], pairs, 0.5)
    assert result.members() == {A: [A, B, C, D]}
    assert result.cohesion == {A: pytest.approx((0.9 + 0.9 + 0.1) / 3)}


def test_a_cluster_built_from_one_pair_has_that_pairs_score_as_cohesion():
    result = run([A, B, C], {(A, C): 0.8, (B, C): 0.3}, 0.5)
    assert result.cohesion == {A: 0.8}
    assert result.labels.tolist() == [A, B, A]


def test_members_lists_only_clusters_of_two_or_more():
    result = run([7, 3, 5, 9], {(3, 9): 0.9}, 0.5)
    assert result.ids.tolist() == [3, 5, 7, 9]
    assert result.labels.tolist() == [3, 5, 7, 3]
    assert result.members() == {3: [3, 9]}


# -- steward decisions --------------------------------------------------------


def test_a_cannot_link_is_respected_even_when_every_score_is_one():
    result = run([A, B, C], {(A, B): 1.0, (A, C): 1.0, (B, C): 1.0}, 0.5, cannot=[(C, A)])
    assert result.members() == {A: [A, B]}


def test_a_cannot_linked_pair_on_its_own_stays_apart():
    result = run([A, B], {(A, B): 1.0}, 0.5, cannot=[(A, B)])
    assert result.members() == {}


def test_a_must_link_merges_records_without_any_score():
    result = run([A, B, C], {}, 0.5, must=[(C, A)])
    assert result.members() == {A: [A, C]}
    assert result.cohesion == {A: 1.0}


def test_a_must_link_counts_as_one_and_later_merges_set_the_cohesion():
    result = run([A, B, C], {(A, C): 0.7, (B, C): 0.9}, 0.5, must=[(A, B)])
    assert result.members() == {A: [A, B, C]}
    assert result.cohesion == {A: 0.8}


def test_a_cannot_link_keeps_a_must_linked_group_from_merging_further():
    pairs = {(A, C): 1.0, (B, C): 1.0}
    result = run([A, B, C], pairs, 0.5, must=[(A, B)], cannot=[(B, C)])
    assert result.members() == {A: [A, B]}
    assert result.conflicts == ()


def test_must_links_win_over_a_cannot_link_they_contradict_and_report_it():
    result = run([A, B, C], {}, 0.5, must=[(A, B), (B, C)], cannot=[(C, A)])
    assert result.members() == {A: [A, B, C]}
    assert result.conflicts == ((A, C),)


# -- densification ------------------------------------------------------------


class Recorder:
    def __init__(self, value: float) -> None:
        self.value = value
        self.calls: list[list[tuple[int, int]]] = []

    def __call__(self, id_l: np.ndarray, id_r: np.ndarray) -> np.ndarray:
        assert id_l.dtype == np.int64 and id_r.dtype == np.int64
        assert (id_l < id_r).all()
        self.calls.append(list(zip(id_l.tolist(), id_r.tolist(), strict=True)))
        return np.full(len(id_l), self.value)


def test_rescore_is_called_only_for_unscored_pairs_of_small_components():
    pairs = {
        (1, 2): 0.9,
        (2, 3): 0.9,  # a 3-record component: (1, 3) is unscored
        (10, 11): 0.9,  # a 2-record component: nothing to rescore
        (20, 21): 0.9,
        (21, 22): 0.9,
        (22, 23): 0.9,
        (23, 24): 0.9,  # 5 records: too big
        (3, 20): 0.1,  # a weak pair does not join components
    }
    ids = [1, 2, 3, 10, 11, 20, 21, 22, 23, 24, 99]
    rescore = Recorder(0.9)
    result = run(ids, pairs, 0.5, rescore=rescore, dense_limit=4)
    assert rescore.calls == [[(1, 3)]]
    assert result.members()[1] == [1, 2, 3]  # the rescored evidence merged the triangle


def test_rescore_skips_pairs_already_joined_by_must_links():
    rescore = Recorder(0.0)
    run([A, B, C], {(B, C): 0.9}, 0.5, must=[(A, B)], rescore=rescore)
    assert rescore.calls == [[(A, C)]]


def test_rescore_is_not_called_when_nothing_is_missing():
    rescore = Recorder(0.0)
    run([A, B, C], {(A, B): 0.9, (B, C): 0.9, (A, C): 0.2}, 0.5, rescore=rescore)
    assert rescore.calls == []


def test_a_rescore_returning_the_wrong_number_of_scores_is_an_input_error():
    with pytest.raises(InputError, match="rescore returned 2 scores for 1 pairs"):
        run([A, B, C], {(A, B): 0.9, (B, C): 0.9}, 0.5, rescore=lambda left, right: np.zeros(2))


def test_a_rescore_returning_a_score_above_one_is_an_input_error():
    with pytest.raises(InputError, match=r"rescored pair \(1, 3\) has score 2.0"):
        run([A, B, C], {(A, B): 0.9, (B, C): 0.9}, 0.5, rescore=lambda left, right: np.full(1, 2.0))


# -- invalid input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("ids", "left", "right", "score", "kwargs", "message"),
    [
        pytest.param(
            [1, 2],
            [2],
            [1],
            [0.5],
            {},
            r"pair \(2, 1\) has id_l > id_r; put the lower id first, e.g. \(1, 2\)",
            id="reversed pair",
        ),
        pytest.param(
            [1, 2], [1], [1], [0.5], {}, r"pair \(1, 1\) pairs a record with itself", id="self pair"
        ),
        pytest.param(
            [1, 2, 3],
            [1, 2, 1],
            [2, 3, 2],
            [0.5, 0.5, 0.6],
            {},
            r"pair \(1, 2\) occurs twice; give each pair once",
            id="repeated pair",
        ),
        pytest.param(
            [1, 2],
            [1],
            [5],
            [0.5],
            {},
            r"pair \(1, 5\) names id 5, not in ids",
            id="unknown id",
        ),
        pytest.param(
            [1, 2], [1], [2], [float("nan")], {}, r"pair \(1, 2\) has score nan", id="NaN score"
        ),
        pytest.param(
            [1, 2],
            [1],
            [2],
            [1.5],
            {},
            r"pair \(1, 2\) has score 1.5; scores lie in \[0, 1\]",
            id="score above one",
        ),
        pytest.param([1, 2], [1], [2], [-0.1], {}, r"has score -0.1", id="negative score"),
        pytest.param(
            [1, 2], [1], [2], [0.5, 0.6], {}, r"differ in length: 1, 1, 2", id="ragged arrays"
        ),
        pytest.param([1, 1], [], [], [], {}, r"id 1 occurs more than once", id="repeated id"),
        pytest.param(
            [1, 2],
            [],
            [],
            [],
            {"threshold": 0.0},
            r"threshold 0.0 must lie in \(0, 1\]",
            id="zero threshold",
        ),
        pytest.param(
            [1, 2],
            [],
            [],
            [],
            {"threshold": 1.5},
            r"threshold 1.5 must lie",
            id="threshold above one",
        ),
        pytest.param(
            [1, 2],
            [],
            [],
            [],
            {"must": [(1, 3)]},
            r"must-link \(1, 3\) names id 3",
            id="unknown must-link id",
        ),
        pytest.param(
            [1, 2],
            [],
            [],
            [],
            {"cannot": [(2, 2)]},
            r"cannot-link \(2, 2\) links a record to itself",
            id="self cannot-link",
        ),
    ],
)
def test_invalid_input_is_an_input_error_naming_the_problem(
    ids, left, right, score, kwargs, message
):
    kwargs = {"threshold": 0.5} | kwargs
    with pytest.raises(InputError, match=message):
        cluster(np.array(ids), np.array(left), np.array(right), np.array(score), **kwargs)


def test_components_refuses_an_edge_to_an_unknown_id():
    with pytest.raises(InputError, match=r"edge \(1, 7\) names id 7"):
        components([1, 2], [1], [7])


def test_components_refuses_edges_of_unequal_length():
    with pytest.raises(InputError, match="edges have 2 left ids but 1 right ids"):
        components([1, 2, 3], [1, 2], [3])


def test_no_records_give_an_empty_clustering():
    result = cluster(np.array([], dtype=np.int64), [], [], [], threshold=0.5)
    assert result.ids.tolist() == result.labels.tolist() == []
    assert result.cohesion == {} and result.members() == {}


def test_a_large_sparse_input_clusters_like_the_reference_per_component():
    """Many components at once (pairs, triangles, a few bigger ones) give the
    same clusters as the reference applied to each component on its own."""
    rnd = random.Random(7)
    ids = rnd.sample(range(1, 1_000_000), 3000)
    pairs: Pairs = {}
    start = 0
    for size in [2] * 300 + [3] * 150 + [1] * 100 + [12] * 10:
        block = sorted(ids[start : start + size])
        start += size
        for a, b in combinations(block, 2):
            if size <= 3 or rnd.random() < 0.4:
                pairs[(a, b)] = rnd.randint(0, 16) / 16
    result = run(ids, pairs, 0.5)
    expected: set[frozenset[int]] = set()
    for comp in nx.connected_components(threshold_graph(ids, pairs, 0.5)):
        local = {k: v for k, v in pairs.items() if k[0] in comp and k[1] in comp}
        expected |= reference(sorted(comp), local, 0.5)[0]
    assert groups(result) == expected
