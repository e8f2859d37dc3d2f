"""Filtering and aggregating the explorer's view on tiny hand-drawn graphs."""

from __future__ import annotations

import networkx as nx

from partnermap.viz.explorer import ViewFilter, aggregate, select


def star() -> nx.DiGraph:
    """school s with leaves a, b, c and a shared partner p that t also lists."""
    g = nx.DiGraph()
    for n, kind in [("s", "school"), ("t", "school"), ("a", "nonprofit"),
                    ("b", "nonprofit"), ("c", "business"), ("p", "nonprofit")]:
        g.add_node(n, name=n.upper(), kind=kind, attributes={})
    for leaf in "abc":
        g.add_edge("s", leaf, counts={"partner_listed": 1}, events=1, first=None,
                   last=None, intensity=1, confirmed=False)
    g.add_edge("s", "p", counts={}, events=1)
    g.add_edge("t", "p", counts={}, events=1)
    return g


def test_select_by_kind_keeps_only_those_kinds() -> None:
    view = select(star(), ViewFilter(kinds=frozenset({"school"})), one_way=set(),
                  groups={}, lonely=[])
    assert set(view) == {"s", "t"}


def test_select_one_way_keeps_only_one_way_ties() -> None:
    view = select(star(), ViewFilter(finding="one_way"), one_way={("s", "a")},
                  groups={}, lonely=[])
    assert set(view.edges) == {("s", "a")}


def test_aggregate_collapses_leaves_into_a_count_node() -> None:
    g = star()
    placed = {n: (float(i), 0.0) for i, n in enumerate(g)}
    view = aggregate(g, one_way={("s", x) for x in "abc"}, isolated=set(),
                     positions=placed, max_nodes=3)
    assert set(view.graph) == {"s", "t", "p", "collapsed:s"}
    assert view.collapsed == {"collapsed:s": ["a", "b", "c"]}
    assert view.graph.edges["s", "collapsed:s"]["events"] == 3
    assert ("s", "collapsed:s") in view.one_way
    assert view.stakeholders == 6


def test_aggregate_never_collapses_the_focus() -> None:
    g = star()
    placed = {n: (0.0, 0.0) for n in g}
    view = aggregate(g, one_way=set(), isolated=set(), positions=placed,
                     max_nodes=3, keep=["a"])
    assert "a" in view.graph and view.collapsed == {"collapsed:s": ["b", "c"]}
