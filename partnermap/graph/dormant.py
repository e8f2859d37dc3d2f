"""Dormant relationships: ties with no interaction in a recent period.

Notes
-----
A tie is an unordered pair with a flow either way; its last date is the
latest dated event either way. It is dormant when that date falls more than
``days`` days before ``as_of`` (strictly before ``as_of - days``). ``as_of``
defaults to the latest date in the graph, so the answer does not change with
the day it is asked. Ties with only undated events (a program run at a site
with no date) cannot be judged and are counted as ``undated``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import networkx as nx


def tie_last_dates(g: nx.DiGraph) -> dict[frozenset[str], str | None]:
    """Each unordered pair (self-loops dropped) with its last event date."""
    out: dict[frozenset[str], str | None] = {}
    for u, nbrs in g.adj.items():
        for v, data in nbrs.items():
            if u == v:
                continue
            key = frozenset((u, v))
            last = data.get("last")
            seen = out.get(key)
            out[key] = last if seen is None else (seen if last is None else max(seen, last))
    return out


def latest_date(g: nx.DiGraph) -> date | None:
    """The latest event date in the graph, or None when nothing is dated."""
    days = [d for _, _, d in g.edges(data="last") if d]
    return date.fromisoformat(max(days)) if days else None


def dormant_ties(
    g: nx.DiGraph,
    *,
    days: int = 365,
    as_of: date | None = None,
    lasts: dict[frozenset[str], str | None] | None = None,
) -> dict[frozenset[str], str]:
    """Dormant pairs with their last date.

    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", last="2020-01-01")
    >>> g.add_edge("a", "c", last="2021-06-01")
    >>> dormant_ties(g, days=365) == {frozenset({"a", "b"}): "2020-01-01"}
    True
    >>> dormant_ties(g, days=365, as_of=date(1, 1, 1)), dormant_ties(g, days=10**12)
    ({}, {})
    """
    if days < 0:
        raise ValueError(f"days {days} is negative")
    as_of = as_of or latest_date(g)
    if as_of is None:
        return {}
    try:
        cutoff = (as_of - timedelta(days=days)).isoformat()
    except OverflowError:  # a period reaching back before the year 1: none is dormant
        return {}
    lasts = tie_last_dates(g) if lasts is None else lasts
    return {k: d for k, d in lasts.items() if d is not None and d < cutoff}


def dormant_finding(
    g: nx.DiGraph, *, days: int = 365, as_of: date | None = None
) -> dict[str, Any]:
    """Dormant ties, oldest first, with a next step each."""
    as_of = as_of or latest_date(g)
    lasts = tie_last_dates(g)
    found = dormant_ties(g, days=days, as_of=as_of, lasts=lasts)
    rows = []
    for pair, last in sorted(found.items(), key=lambda kv: (kv[1], sorted(kv[0]))):
        a, b = sorted(pair)
        na, nb = g.nodes[a].get("name", a), g.nodes[b].get("name", b)
        rows.append({
            "pair": [_who(g, a), _who(g, b)],
            "last": last,
            "what": f"no interaction between {na} and {nb} since {last}",
            "suggestion": f"check in with {nb} and {na}: renew the tie or record that it ended",
        })
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "days": days,
        "ties": rows,
        "totals": {"ties": len(lasts), "dormant": len(rows),
                   "undated": sum(1 for d in lasts.values() if d is None)},
    }


def _who(g: nx.DiGraph, node: str) -> dict[str, str]:
    data = g.nodes[node]
    return {"id": node, "name": data.get("name", node), "kind": data.get("kind", "")}
