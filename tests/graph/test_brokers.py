"""Betweenness, articulation points, bridges and leaving, against igraph and by hand."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from partnermap.graph import brokers as b
from partnermap.graph.brokers import (
    articulation_points,
    betweenness,
    bridge_sides,
    bridges,
    brokers_finding,
    cut_off_by_leaving,
    ties,
    what_if_leaves,
)

igraph = pytest.importorskip("igraph")


def _random_graph(seed: int, n: int = 60, m: int = 80) -> nx.Graph:
    rng = random.Random(seed)
    h = nx.Graph()
    h.add_nodes_from(f"n{i:03d}" for i in range(n))
    while h.number_of_edges() < m:
        u, v = rng.sample(sorted(h.nodes), 2)
        h.add_edge(u, v)
    return h


def _to_igraph(h: nx.Graph) -> tuple[object, list[str]]:
    nodes = sorted(h.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    return igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in h.edges]), nodes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_betweenness_matches_igraph(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    h = _random_graph(seed)
    ig, nodes = _to_igraph(h)
    n = len(nodes)
    expected = {v: x * 2 / ((n - 1) * (n - 2)) for v, x in zip(nodes, ig.betweenness(directed=False))}
    monkeypatch.setattr(b, "_igraph_betweenness", _no_igraph)  # the networkx path
    got = betweenness(h)
    assert got.keys() == expected.keys()
    assert all(got[v] == pytest.approx(expected[v], abs=1e-12) for v in nodes)


def _no_igraph(*args: object) -> dict[str, float]:
    raise ImportError


def test_sampled_betweenness_is_the_same_in_both_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    h = _random_graph(4, n=80, m=120)
    fast = betweenness(h, exact_max_nodes=10, sample=20, seed=3)
    monkeypatch.setattr(b, "_igraph_betweenness", _no_igraph)
    slow = betweenness(h, exact_max_nodes=10, sample=20, seed=3)
    assert all(fast[v] == pytest.approx(slow[v], abs=1e-12) for v in h)
    # and with every node as a source, sampling gives the exact answer
    assert betweenness(h, exact_max_nodes=10, sample=80) == pytest.approx(betweenness(h))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_articulation_points_and_bridges_match_igraph(seed: int) -> None:
    h = _random_graph(seed)
    ig, nodes = _to_igraph(h)
    assert articulation_points(h) == {nodes[i] for i in ig.articulation_points()}
    expected = {frozenset((nodes[ig.es[e].source], nodes[ig.es[e].target])) for e in ig.bridges()}
    assert bridges(h) == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cut_off_matches_removing_the_node(seed: int) -> None:
    # Independent route: igraph removes the vertex and reports components.
    h = _random_graph(seed)
    for node in sorted(h)[:20]:
        ig, nodes = _to_igraph(h.subgraph(nx.node_connected_component(h, node) - {node}).copy())
        pieces = sorted(({nodes[i] for i in c} for c in ig.connected_components()),
                        key=lambda c: (-len(c), min(c)))
        assert cut_off_by_leaving(h, node) == set().union(*pieces[1:])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bridge_sides_match_removing_the_tie(seed: int) -> None:
    h = _random_graph(seed)
    for tie, side in bridge_sides(h):
        u, v = sorted(tie)
        rest = h.copy()
        rest.remove_edge(u, v)
        a, c = nx.node_connected_component(rest, u), nx.node_connected_component(rest, v)
        small = a if (len(a), min(c)) < (len(c), min(a)) else c
        assert side == small


def test_family_liaison_leaving_cuts_off_three_groups_and_a_program() -> None:
    # district -- liaison -- {pta-1, pta-2, pta-3}; liaison -- program;
    # district -- school -- program: the program keeps a path through the school?
    # No: here the program hangs only on the liaison, the school only on the district.
    g = nx.DiGraph([("district", "liaison"), ("liaison", "pta-1"), ("liaison", "pta-2"),
                    ("liaison", "pta-3"), ("liaison", "program"), ("district", "school")])
    kinds = {"pta-1": "family_group", "pta-2": "family_group", "pta-3": "family_group",
             "program": "afterschool_provider", "district": "district_office",
             "liaison": "person", "school": "school"}
    nx.set_node_attributes(g, kinds, "kind")
    nx.set_node_attributes(g, {n: n.title() for n in g}, "name")
    out = what_if_leaves(g, "liaison")
    # Pieces without the liaison: {district, school} (2) and four singletons;
    # the largest stays, so 3 family groups and the program are cut off.
    assert [w["id"] for w in out["cut_off"]] == ["program", "pta-1", "pta-2", "pta-3"]
    assert out["what"] == ("if Liaison leaves, 3 family groups, 1 after-school program "
                           "provider lose every tie to the rest of the network")
    assert out["ties_lost"] == 5


def test_brokers_finding_ranks_by_betweenness_on_a_path() -> None:
    # Path a-b-c-d-e: betweenness b=3/6, c=4/6, d=3/6 (pairs through each node
    # over (n-1)(n-2)/2 = 6 pairs); c first, then b and d by id.
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    out = brokers_finding(g)
    assert [(x["stakeholder"]["id"], x["betweenness"]) for x in out["brokers"]] == [
        ("c", round(4 / 6, 6)), ("b", 0.5), ("d", 0.5)]
    assert out["totals"] == {"articulation_points": 3, "bridges": 4, "fragile_ties": 2,
                             "single_tie_stakeholders": 2}
    # fragile ties cut off 2 or more: b-c cuts off {a, b}, c-d cuts off {d, e}
    assert [sorted(w["id"] for w in f["tie"]) for f in out["fragile_ties"]] == [["b", "c"], ["c", "d"]]


def test_ties_drop_self_loops_and_keep_lonely_nodes() -> None:
    g = nx.DiGraph([("a", "a"), ("a", "b")])
    g.add_node("z")
    h = ties(g)
    assert (sorted(h.nodes), sorted(map(sorted, h.edges))) == (["a", "b", "z"], [["a", "b"]])


def test_nyc_brokers_are_articulation_points_or_not_as_igraph_says(
    nyc_graphs: dict[str, nx.DiGraph],
) -> None:
    g = nyc_graphs["all"]
    h = ties(g)
    ig, nodes = _to_igraph(h)
    assert articulation_points(h) == {nodes[i] for i in ig.articulation_points()}
    assert len(bridges(h)) == len(ig.bridges())
    out = brokers_finding(g, top=5)
    # 5,993 stakeholders: above the exact limit, so betweenness is sampled.
    assert out["method"] == "sampled from 256 sources, seed 0"
    assert out["totals"]["articulation_points"] == len(ig.articulation_points())


def test_what_if_counts_one_tie_in_the_singular() -> None:
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "b")])
    nx.set_node_attributes(g, {"a": "A", "b": "B", "c": "C"}, "name")
    out = b.what_if_leaves(g, "a")
    assert (out["what"], out["ties_lost"]) == ("if A leaves, nobody is cut off; 1 tie ends", 1)


def test_what_if_a_group_of_people_is_cut_off_they_lose_their_ties() -> None:
    g = nx.DiGraph([("people:0a1b2c3d4e5f", "s"), ("s", "n")])
    g.add_node("people:0a1b2c3d4e5f", kind="person", name="fewer than 5 people tied to S")
    g.add_node("s", kind="school", name="S")
    g.add_node("n", kind="nonprofit", name="N")
    out = b.what_if_leaves(g, "s")
    # Two pieces of one left: N (the lower id) stays, the group is cut off.
    assert (out["what"], out["suggestion"]) == (
        "if S leaves, fewer than 5 people tied to S lose every tie to the rest of the "
        "network",
        "give them a second tie now, before S leaves",
    )
    assert out["cut_off_kinds"] == {"people_group": 1}
