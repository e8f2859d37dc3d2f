"""Suggested introductions: who could connect an isolated group, or a school
lacking a kind of partner.

Notes
-----
For a stakeholder S lacking a kind of partner, the candidates are the
stakeholders of that kind with at least one tie. They are ranked by, in
order: shared neighbours (stakeholders tied to both S and the candidate);
peers (the candidate's partners that share a partner with S, so "works with
schools like yours"); distance in kilometres (great-circle, from S's
coordinates to the candidate's, or to its nearest partner with coordinates
when it has none; the nearest is chosen on a flat projection, exact enough
within a district); then id. For an isolated group the candidates are the
schools of the main network: no shared neighbour can exist across
components, so they are ranked by distance from the group's nearest member
with coordinates, then by their number of ties, then id. Coordinates are the
``latitude`` and ``longitude`` attributes; without them distance is None and
ranks last.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from partnermap.graph.brokers import ties
from partnermap.graph.components import isolated_groups, main_component


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) points.

    >>> round(haversine_km((40.0, -74.0), (41.0, -74.0)), 1)
    111.2
    """
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def location(g: nx.Graph | nx.DiGraph, node: str) -> tuple[float, float] | None:
    """A stakeholder's (latitude, longitude), or None."""
    attrs = g.nodes[node].get("attributes") or {}
    try:
        return float(attrs["latitude"]), float(attrs["longitude"])
    except (KeyError, TypeError, ValueError):
        return None


def _spots(g: nx.DiGraph, h: nx.Graph, pool: list[str]) -> dict[str, list[tuple[float, float]]]:
    # Where each candidate is: its own coordinates, else its partners'.
    out = {}
    for cand in pool:
        own = location(g, cand)
        out[cand] = [own] if own else [s for n in h[cand] if (s := location(g, n))]
    return out


def _nearest(here: tuple[float, float] | None, spots: list[tuple[float, float]]) -> float | None:
    # Rank by a flat projection (exact enough inside a district), report
    # the great-circle distance of the nearest spot.
    if here is None or not spots:
        return None
    scale = math.cos(math.radians(here[0])) ** 2
    best = min(spots, key=lambda s: (s[0] - here[0]) ** 2 + scale * (s[1] - here[1]) ** 2)
    return round(haversine_km(here, best), 3)


def candidates_for(
    g: nx.DiGraph, node: str, kinds: tuple[str, ...], *, top: int = 5
) -> list[dict[str, Any]]:
    """Ranked stakeholders of ``kinds`` to introduce to ``node`` (see Notes).

    Examples
    --------
    >>> g = nx.DiGraph([("s", "p"), ("t", "p"), ("t", "b1"), ("u", "b2")])
    >>> nx.set_node_attributes(g, {"b1": "business", "b2": "business"}, "kind")
    >>> [(c["id"], c["shared_neighbours"], c["peers"]) for c in candidates_for(g, "s", ("business",))]
    [('b1', 0, 1), ('b2', 0, 0)]
    """
    h = ties(g)
    pool = [n for n, k in g.nodes(data="kind") if k in kinds and h.degree(n) > 0]
    return _candidates(g, h, node, pool, top, _spots(g, h, pool))


def _candidates(
    g: nx.DiGraph, h: nx.Graph, node: str, pool: list[str], top: int,
    spots: dict[str, list[tuple[float, float]]],
    partners: dict[str, set[str]] | None = None,
) -> list[dict[str, Any]]:
    mine = set(h[node])
    peer_schools = set().union(*(set(h[x]) for x in mine)) - {node} if mine else set()
    scored = []
    for cand in pool:
        if cand == node or cand in mine:
            continue
        theirs = partners[cand] if partners is not None else set(h[cand])
        scored.append((-len(mine & theirs), -len(theirs & peer_schools), cand))
    scored.sort()

    # Distances only for the ranks that can still reach the top: the order
    # is the same as ranking every candidate on all keys at once.
    here, i = location(g, node), 0
    rows: list[tuple[int, int, str, float | None]] = []
    while i < len(scored) and len(rows) < top:
        j = i
        while j < len(scored) and scored[j][:2] == scored[i][:2]:
            j += 1
        tied = [(*r, _nearest(here, spots[r[2]])) for r in scored[i:j]]
        tied.sort(key=lambda r: (r[3] is None, r[3] or 0.0, r[2]))
        rows += tied
        i = j
    return [
        {"id": cand, "name": g.nodes[cand].get("name", cand),
         "kind": g.nodes[cand].get("kind", ""), "shared_neighbours": -shared,
         "peers": -peers, "distance_km": dist}
        for shared, peers, cand, dist in rows[:top]
    ]


def candidates_for_group(g: nx.DiGraph, group: set[str], *, top: int = 5) -> list[dict[str, Any]]:
    """Schools of the main network to introduce to an isolated group (see Notes)."""
    h = ties(g)
    pool = sorted(n for n in main_component(g) if g.nodes[n].get("kind") == "school")
    return _group_candidates(g, h, group, pool, top, _spots(g, h, pool))


def _group_candidates(
    g: nx.DiGraph, h: nx.Graph, group: set[str], pool: list[str], top: int,
    spots: dict[str, list[tuple[float, float]]],
) -> list[dict[str, Any]]:
    here = [s for m in sorted(group) if (s := location(g, m))]
    rows = []
    for cand in pool:
        dist = [d for s in here if (d := _nearest(s, spots[cand])) is not None]
        rows.append({"id": cand, "name": g.nodes[cand].get("name", cand), "kind": "school",
                     "ties": h.degree(cand), "distance_km": min(dist) if dist else None})
    rows.sort(key=lambda r: (r["distance_km"] is None, r["distance_km"] or 0.0, -r["ties"], r["id"]))
    return rows[:top]


def introductions_finding(
    g: nx.DiGraph, *, lacking: tuple[str, ...] = ("business", "financial_institution"),
    for_kind: str = "school", top: int = 3, limit: int = 200, h: nx.Graph | None = None,
) -> dict[str, Any]:
    """Introductions for each isolated group and each ``for_kind`` stakeholder
    with no partner of the ``lacking`` kinds."""
    h = ties(g) if h is None else h
    schools_pool = sorted(n for n in main_component(g) if g.nodes[n].get("kind") == "school")
    school_spots = _spots(g, h, schools_pool)
    groups = []
    for n, group in enumerate(isolated_groups(g), 1):
        if n > limit:
            break
        picks = _group_candidates(g, h, group, schools_pool, top, school_spots)
        names = ", ".join(sorted(g.nodes[m].get("name", m) for m in group))
        groups.append({"group": f"group-{n}", "members": sorted(group), "candidates": picks,
                       "what": f"{names} have no path to the main network",
                       "suggestion": f"introduce them to {picks[0]['name']}" if picks else "no school to suggest"})
    pool = [n for n, k in g.nodes(data="kind") if k in lacking and h.degree(n) > 0]
    pool_spots = _spots(g, h, pool)
    partners = {n: set(h[n]) for n in pool}
    lonely = sorted(n for n, k in g.nodes(data="kind") if k == for_kind
                    and not any(g.nodes[o].get("kind") in lacking for o in h[n]))
    schools = []
    for node in lonely[:limit]:
        picks = _candidates(g, h, node, pool, top, pool_spots, partners)
        name = g.nodes[node].get("name", node)
        schools.append({"who": {"id": node, "name": name, "kind": for_kind}, "candidates": picks,
                        "what": f"{name} has no {' or '.join(lacking)} partner",
                        "suggestion": f"introduce {name} to {picks[0]['name']}" if picks else "no candidate known"})
    return {"lacking": list(lacking), "groups": groups, "stakeholders": schools,
            "totals": {"groups": len(groups), "stakeholders": len(lonely)}}
