"""The part of a relationship graph a reader may see.

A partner sees the stakeholders within a few ties of its own (on the
undirected view, as :func:`partnermap.graph.ego.ego_network` counts depth) and
the ties among them; viewers and partners see people under their pseudonym
label, never a kept name.

Notes
-----
Pure functions: graph in, graph out. The restricted graph is a copy, so
findings computed on it know nothing of what lies outside.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import networkx as nx

from partnermap.graph.brokers import ties

PERSON = "person"


@dataclass(frozen=True)
class Scope:
    """What a reader sees: every stakeholder, or those near ``center``; people
    masked or not. Hashable, so analyses can be cached per scope."""

    center: str | None = None
    depth: int = 2
    mask_people: bool = False

    @property
    def whole(self) -> bool:
        """True when nothing is hidden."""
        return self.center is None and not self.mask_people


WHOLE = Scope()


def reach(g: nx.DiGraph, center: str, depth: int) -> frozenset[str]:
    """Stakeholders within ``depth`` ties of ``center``; only itself when it
    has no tie, nothing when it is not in the graph.

    >>> g = nx.DiGraph([("me", "a"), ("a", "b"), ("b", "c")])
    >>> sorted(reach(g, "me", 2)), sorted(reach(g, "zz", 2))
    (['a', 'b', 'me'], [])
    """
    if center not in g:
        return frozenset()
    found = nx.single_source_shortest_path_length(ties(g), center, cutoff=depth)
    return frozenset(found)


def restrict(
    g: nx.DiGraph,
    nodes: Iterable[str] | None,
    *,
    mask: Callable[[str], str] | None = None,
) -> nx.DiGraph:
    """A copy of ``g`` with only ``nodes`` (all when None), people's names
    replaced by ``mask(id)`` when given.

    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(g, {"a": "person", "b": "school", "c": "school"}, "kind")
    >>> nx.set_node_attributes(g, {"a": "Ann", "b": "B", "c": "C"}, "name")
    >>> h = restrict(g, ["a", "b"], mask=lambda n: "Person " + n)
    >>> sorted(h.edges), h.nodes["a"]["name"]
    ([('a', 'b')], 'Person a')
    """
    h = (g.subgraph(nodes) if nodes is not None else g).copy()
    if mask is not None:
        for n, data in h.nodes(data=True):
            if data.get("kind") == PERSON:
                data["name"] = mask(n)
                data["attributes"] = {}
    return h
