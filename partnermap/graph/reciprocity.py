"""One-way and mutual relationships.

Notes
-----
A relationship u -> v is one-way when u's flows reach v and none of v's
flows reach u in the window. An interaction that flows both ways (a meeting)
makes the pair mutual. Parallel events count once for the question "is there
a flow", and their counts by type are the evidence. A self-loop is never
one-way. An empty graph has no one-way relationships.
"""

from __future__ import annotations

import networkx as nx


def one_way_pairs(g: nx.DiGraph) -> set[tuple[str, str]]:
    """Ordered pairs (u, v) with a flow u -> v and none v -> u.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("s", "s")])
    >>> one_way_pairs(g)
    {('a', 'c')}
    """
    return {(u, v) for u, v in g.edges if u != v and not g.has_edge(v, u)}


def mutual_pairs(g: nx.DiGraph) -> set[frozenset[str]]:
    """Unordered pairs with flows both ways; self-loops excluded.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("s", "s")])
    >>> mutual_pairs(g) == {frozenset({"a", "b"})}
    True
    """
    return {frozenset((u, v)) for u, v in g.edges if u != v and g.has_edge(v, u)}
