"""Ego networks: a stakeholder's connections to depth N, with one-way and
dormant ties marked.

Notes
-----
Depth counts ties on the undirected view (depth 1: direct partners). Every
tie between two stakeholders of the ego network is listed, not only the
ones on a shortest path. A tie's ``status`` is that of
:func:`partnermap.graph.reciprocity.tie_balances` computed on the whole
graph (``known`` reporters passed through); ``dormant`` follows
:func:`partnermap.graph.dormant.dormant_ties`. The events of a tie of a
group of people read "fewer than 5" under 5
(:func:`partnermap.privacy.event_count`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx

from partnermap.graph.brokers import ties
from partnermap.graph.dormant import dormant_ties, latest_date
from partnermap.graph.reciprocity import tie_balances
from partnermap.privacy import both_ways, events_on


def ego_network(
    g: nx.DiGraph,
    node: str,
    *,
    depth: int = 1,
    threshold: float = 0.8,
    known: set[str] | None = None,
    dormant_days: int = 365,
    as_of: date | None = None,
    undirected: nx.Graph | None = None,
) -> dict[str, Any]:
    """Stakeholders within ``depth`` ties of ``node`` and the ties among them.

    ``undirected`` is ``ties(g)`` when the caller keeps it (it costs a pass
    over the whole graph); ``as_of`` defaults to the graph's latest date.
    Raises KeyError for an unknown node and ValueError for a depth below 1.

    Examples
    --------
    >>> g = nx.DiGraph([("me", "a"), ("a", "me"), ("a", "b"), ("b", "c")])
    >>> out = ego_network(g, "me", depth=2)
    >>> [(n["id"], n["distance"]) for n in out["nodes"]]
    [('me', 0), ('a', 1), ('b', 2)]
    >>> [(t["source"], t["target"], t["status"]) for t in out["ties"]]
    [('a', 'b', 'one_way'), ('a', 'me', 'balanced')]
    """
    if node not in g:
        raise KeyError(node)
    if depth < 1:
        raise ValueError(f"depth {depth} is below 1")
    near = ties(g) if undirected is None else undirected
    distance = nx.single_source_shortest_path_length(near, node, cutoff=depth)
    sub = g.subgraph(distance)
    balances = tie_balances(sub, threshold=threshold, known=known if known is not None else _rep(g))
    asleep = dormant_ties(sub, days=dormant_days, as_of=as_of or latest_date(g))
    nodes = sorted(distance, key=lambda n: (distance[n], g.nodes[n].get("name", n), n))
    return {
        "center": node,
        "depth": depth,
        "nodes": [{"id": n, "name": g.nodes[n].get("name", n), "kind": g.nodes[n].get("kind", ""),
                   "distance": distance[n]} for n in nodes],
        "ties": [{"source": t.source, "target": t.target, "status": t.status, "reason": t.reason,
                  "out_events": events_on(both_ways(sub, t.source, t.target)[:1],
                                          *both_ways(sub, t.source, t.target)),
                  "back_events": events_on(both_ways(sub, t.source, t.target)[1:],
                                           *both_ways(sub, t.source, t.target)),
                  "dormant": frozenset((t.source, t.target)) in asleep} for t in balances],
        "totals": {"stakeholders": len(nodes) - 1, "ties": len(balances),
                   "one_way": sum(t.status == "one_way" for t in balances),
                   "unknown": sum(t.status == "unknown" for t in balances),
                   "dormant": len(asleep)},
    }


def _rep(g: nx.DiGraph) -> set[str]:
    from partnermap.graph.reciprocity import reporters

    return reporters(g)
