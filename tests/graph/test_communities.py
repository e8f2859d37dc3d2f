"""Louvain communities against igraph, by hand, and across NYC boroughs."""

from __future__ import annotations

import networkx as nx
import pytest

from partnermap.graph.brokers import ties
from partnermap.graph.communities import communities, communities_finding

igraph = pytest.importorskip("igraph")


def test_two_triangles_joined_by_one_tie_are_two_communities() -> None:
    g = nx.DiGraph()
    nx.add_cycle(g, ["a", "b", "c"])
    nx.add_cycle(g, ["x", "y", "z"])
    g.add_edge("c", "x")
    g.add_node("lonely")
    assert communities(g) == [{"a", "b", "c"}, {"x", "y", "z"}]
    # Modularity by hand: m = 7 ties; each side holds 3 internal ties and
    # degree sum 7: Q = 2 * (3/7 - (7/14)^2) = 6/7 - 1/2 = 5/14.
    assert communities_finding(g)["modularity"] == round(5 / 14, 4)


def test_nyc_modularity_matches_igraph(nyc_graphs: dict[str, nx.DiGraph]) -> None:
    g = nyc_graphs["all"]
    found = communities(g)
    h = ties(g)
    h.remove_nodes_from([n for n in list(h) if h.degree(n) == 0])
    nodes = sorted(h)
    index = {n: i for i, n in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in h.edges])
    membership = [0] * len(nodes)
    for c, members in enumerate(found):
        for m in members:
            membership[index[m]] = c
    ours = ig.modularity(membership)
    out = communities_finding(g)
    assert out["modularity"] == round(ours, 4)
    # igraph's own Louvain (multilevel) finds a partition of about the same quality.
    theirs = ig.community_multilevel().modularity
    assert abs(ours - theirs) < 0.02
    assert sum(len(c) for c in found) == len(nodes)


def test_nyc_communities_carry_boroughs_and_districts(nyc_graphs: dict[str, nx.DiGraph]) -> None:
    out = communities_finding(nyc_graphs["all"], top=1000)
    g = nyc_graphs["all"]
    # Every tied stakeholder with a borough attribute (schools, DYCD sites) is
    # counted once under it; every tied school once under its district, the
    # first two digits of its DBN.
    tied = [n for n in g if any(m != n for m in nx.all_neighbors(g, n))]
    with_borough = [n for n in tied if (g.nodes[n].get("attributes") or {}).get("borough")]
    tied_schools = [n for n in tied if g.nodes[n].get("kind") == "school"]
    assert sum(sum(c["boroughs"].values()) for c in out["communities"]) == len(with_borough)
    assert sum(sum(c["districts"].values()) for c in out["communities"]) == len(tied_schools)
    # (DYCD sites carry neighbourhoods and zip codes in their borough field,
    # so only the five boroughs of the schools are asserted.)
    assert set().union(*(c["boroughs"] for c in out["communities"])) >= {
        "Bronx", "Brooklyn", "Manhattan", "Queens", "Staten Island"}
    assert out["totals"]["spanning_boroughs"] == sum(len(c["boroughs"]) > 1 for c in out["communities"])
