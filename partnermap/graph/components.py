"""Isolated groups and isolated stakeholders.

Notes
-----
An isolated group is a weakly connected component of the relationship graph
that is not the main one. The main component is the largest; among equally
large ones, the one holding the smallest id (so the answer never depends on
the order of loading). A stakeholder with no interaction at all is an
isolated stakeholder, reported on its own and not as a group of one. A
stakeholder whose only interaction is with itself (a self-loop) has an
interaction, so it forms an isolated group of one. An empty graph has no main
component, no groups and no isolated stakeholders.
"""

from __future__ import annotations

import networkx as nx


def isolated_stakeholders(g: nx.DiGraph) -> set[str]:
    """Stakeholders with no interaction at all.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b")])
    >>> g.add_node("c")
    >>> isolated_stakeholders(g)
    {'c'}
    """
    return {n for n in g.nodes if g.degree(n) == 0}


def main_component(g: nx.DiGraph) -> set[str]:
    """The largest weakly connected component with an interaction (see Notes)."""
    groups = _components_with_ties(g)
    if not groups:
        return set()
    return min(groups, key=lambda c: (-len(c), min(c)))


def isolated_groups(g: nx.DiGraph) -> list[set[str]]:
    """Weakly connected components other than the main one, largest first.

    Isolated stakeholders (no interaction at all) are not included; see
    :func:`isolated_stakeholders`. Groups of equal size are ordered by their
    smallest id.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("x", "y"), ("s", "s")])
    >>> g.add_node("lonely")
    >>> [sorted(c) for c in isolated_groups(g)]
    [['x', 'y'], ['s']]
    """
    main = main_component(g)
    rest = [c for c in _components_with_ties(g) if c != main]
    return sorted(rest, key=lambda c: (-len(c), min(c)))


def _components_with_ties(g: nx.DiGraph) -> list[set[str]]:
    return [
        set(c)
        for c in nx.weakly_connected_components(g)
        if len(c) > 1 or g.has_edge(next(iter(c)), next(iter(c)))
    ]
