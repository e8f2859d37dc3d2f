"""Server-side positions: every node placed, stable, apart, fast enough."""

from __future__ import annotations

import doctest
import itertools
import math
import time

import networkx as nx

import partnermap.viz.layout
from partnermap.viz.layout import LEAF_SPACING, positions
from tests.viz.synthetic import nyc_shaped

# Hand-drawn: a school with five partners of its own and two it shares with a
# second school, a chain hanging off the second school, a separate pair, and
# a stakeholder with no tie at all.
EDGES = [
    *(("school-a", f"own-{i}") for i in range(5)),
    ("school-a", "shared-1"),
    ("school-a", "shared-2"),
    ("school-b", "shared-1"),
    ("school-b", "shared-2"),
    ("shared-1", "school-a"),
    ("school-b", "chain-1"),
    ("chain-1", "chain-2"),
    ("pair-1", "pair-2"),
    ("pair-2", "pair-1"),
    ("pair-1", "pair-1"),
]


def hand_drawn(edges: list[tuple[str, str]] = EDGES) -> nx.DiGraph:
    g = nx.DiGraph(edges)
    g.add_node("loner")
    return g


def test_positions_doctests_pass() -> None:
    assert doctest.testmod(partnermap.viz.layout).failed == 0


def test_positions_of_empty_graph_is_empty() -> None:
    assert positions(nx.DiGraph()) == {}


def test_positions_place_every_node_once_as_float_pairs() -> None:
    g = hand_drawn()
    placed = positions(g)
    assert set(placed) == set(g.nodes)
    assert all(isinstance(c, float) for xy in placed.values() for c in xy)


def test_positions_same_input_same_output() -> None:
    assert positions(hand_drawn()) == positions(hand_drawn())


def test_positions_do_not_depend_on_insertion_order() -> None:
    backwards = nx.DiGraph()
    backwards.add_node("loner")
    backwards.add_edges_from(reversed(EDGES))
    assert positions(backwards) == positions(hand_drawn())


def test_positions_keep_nodes_apart() -> None:
    placed = positions(hand_drawn())
    closest = min(
        math.dist(a, b) for a, b in itertools.combinations(placed.values(), 2)
    )
    assert closest >= LEAF_SPACING * 0.75


def test_positions_keep_a_schools_own_partners_around_it() -> None:
    placed = positions(hand_drawn())
    school = placed["school-a"]
    own = [math.dist(school, placed[f"own-{i}"]) for i in range(5)]
    others = [math.dist(school, placed[n]) for n in ("pair-1", "pair-2", "loner")]
    assert max(own) < min(others)


def test_positions_centre_the_largest_component_on_the_origin() -> None:
    placed = positions(hand_drawn())
    giant = ["school-a", "school-b", "shared-1", "shared-2", "chain-1", "chain-2"]
    giant += [f"own-{i}" for i in range(5)]
    xs = [placed[n][0] for n in giant]
    ys = [placed[n][1] for n in giant]
    assert abs(min(xs) + max(xs)) < 1.0
    assert abs(min(ys) + max(ys)) < 1.0


def test_positions_of_a_single_node_and_a_single_self_loop() -> None:
    assert positions(nx.DiGraph([("s", "s")])) == {"s": (0.0, 0.0)}
    g = nx.DiGraph()
    g.add_node("only")
    assert positions(g) == {"only": (0.0, 0.0)}


def test_positions_nyc_sized_graph_is_fast_and_spread() -> None:
    g = nyc_shaped()
    start = time.perf_counter()
    placed = positions(g)
    took = time.perf_counter() - start
    print(f"layout of {g.number_of_nodes():,} nodes: {took:.2f} s")
    assert len(placed) == g.number_of_nodes()
    # About 1.2 s on a 2-core machine; the bound only catches a slide
    # into quadratic time, not noise from a busy machine.
    assert took < 8.0
    xs = [x for x, _ in placed.values()]
    ys = [y for _, y in placed.values()]
    assert 1.0 < (max(xs) - min(xs)) / (max(ys) - min(ys)) < 2.5
