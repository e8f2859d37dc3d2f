"""Communities (Louvain) and how they cut across boroughs and districts.

Notes
-----
Communities are found by Louvain modularity on the undirected view of the
relationship graph (a tie is a tie; self-loops dropped), with networkx's
``louvain_communities`` (igraph's ``community_multilevel``, the same
method, 10 to 30 times faster: igraph is a dependency, so every install
finds the same communities) at resolution 1
and a fixed seed, so the same graph
gives the same communities. Stakeholders with no tie are left out. A
stakeholder with a single tie always joins its partner's community (that
never lowers modularity); it is folded into the partner as a self-loop of
weight 1 before Louvain runs, which leaves modularity unchanged and makes the
run several times faster on directory-like networks. A
stakeholder's borough is its ``borough`` attribute; its district is its
``district`` attribute, else the first two characters of an NYC school id
(DBN, such as 01M292: district 01). Members with neither are counted as
unknown. A community "spans" boroughs when its members with a borough are in
more than one.
"""

from __future__ import annotations

import random
import re
import threading
from collections import Counter
from typing import Any

import networkx as nx

from partnermap.graph.brokers import ties
from partnermap.graph.findings import kind_counts

_RNG_LOCK = threading.Lock()
_DBN = re.compile(r"^(\d{2})[MXKQR]\d{3}$")


def communities(
    g: nx.DiGraph, *, seed: int = 0, h: nx.Graph | None = None
) -> list[set[str]]:
    """Louvain communities of stakeholders with a tie, largest first.

    >>> g = nx.DiGraph()
    >>> nx.add_cycle(g, "abc"); nx.add_cycle(g, "xyz"); g.add_edge("a", "x")
    >>> [sorted(c) for c in communities(g)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    h = ties(g) if h is None else h
    if h.number_of_edges() == 0:
        return []
    core, leaves = _fold_leaves(h)
    found = _louvain(core, seed)
    home = {n: i for i, c in enumerate(found) for n in c}
    for leaf, anchor in leaves.items():
        found[home[anchor]].add(leaf)
    return sorted(found, key=lambda c: (-len(c), min(c)))


def _louvain(core: nx.Graph, seed: int) -> list[set[str]]:
    try:
        import igraph
    except ImportError:
        return [set(c) for c in nx.community.louvain_communities(core, weight="weight", seed=seed)]
    nodes = sorted(core)
    index = {n: i for i, n in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in core.edges])
    ig.es["weight"] = [w for _, _, w in core.edges(data="weight")]
    with _RNG_LOCK:  # igraph's random source is process-wide
        igraph.set_random_number_generator(random.Random(seed))
        try:
            parts = ig.community_multilevel(weights="weight")
        finally:
            igraph.set_random_number_generator(random)
    return [{nodes[i] for i in part} for part in parts]


def _fold_leaves(h: nx.Graph) -> tuple[nx.Graph, dict[str, str]]:
    # A stakeholder with one tie belongs with its only partner in a best
    # partition. Fold it into the partner as a self-loop of weight 1: the
    # partner keeps the same degree and internal weight, so modularity is
    # unchanged, and Louvain runs on a much smaller graph.
    leaves = {n: next(iter(h[n])) for n in h if h.degree(n) == 1}
    leaves = {n: a for n, a in leaves.items() if a not in leaves}
    core = nx.Graph()
    core.add_nodes_from(n for n in h if n not in leaves and h.degree(n) > 0)
    core.add_edges_from((u, v, {"weight": 1}) for u, v in h.edges
                        if u not in leaves and v not in leaves)
    for anchor in leaves.values():
        loop = core.get_edge_data(anchor, anchor, {"weight": 0})["weight"]
        core.add_edge(anchor, anchor, weight=loop + 1)
    return core, leaves


def district_of(node: str, attributes: dict[str, Any]) -> str | None:
    """A stakeholder's district: its attribute, else an NYC DBN's first two digits.

    >>> district_of("01M292", {}), district_of("org:x", {}), district_of("x", {"district": "7"})
    ('01', None, '7')
    """
    if attributes.get("district") not in (None, ""):
        return str(attributes["district"])
    match = _DBN.match(node)
    return match.group(1) if match else None


def communities_finding(
    g: nx.DiGraph, *, seed: int = 0, top: int = 50, h: nx.Graph | None = None
) -> dict[str, Any]:
    """Each community's size, kinds, boroughs and districts, and how boroughs split."""
    h = ties(g) if h is None else h
    found = communities(g, seed=seed, h=h)
    rows: list[dict[str, Any]] = []
    borough_split: Counter[str] = Counter()
    for n, members in enumerate(found, 1):
        attrs = {m: g.nodes[m].get("attributes") or {} for m in members}
        boroughs = Counter(str(a["borough"]) for a in attrs.values() if a.get("borough"))
        districts = Counter(d for m in members if (d := district_of(m, attrs[m])))
        borough_split.update(boroughs.keys())
        hub = min(members, key=lambda m: (-h.degree(m), m))
        main, share = None, None
        if boroughs:
            main, top_count = min(boroughs.items(), key=lambda kv: (-kv[1], kv[0]))
            share = top_count / sum(boroughs.values())
        rows.append({
            "id": f"community-{n}", "size": len(members),
            "hub": {"id": hub, "name": g.nodes[hub].get("name", hub)},
            "kinds": kind_counts(g, members),
            "boroughs": dict(sorted(boroughs.items())), "districts": dict(sorted(districts.items())),
            "main_borough": main, "main_borough_share": None if share is None else round(share, 3),
            "spans_boroughs": len(boroughs) > 1,
            "what": f"{len(members)} stakeholders around {g.nodes[hub].get('name', hub)}"
            + (f", {len(boroughs)} boroughs" if boroughs else ""),
            "suggestion": "use the hub to reach the community; link communities that share a borough",
        })
    modularity = _modularity(h, found)
    return {
        "method": f"Louvain, resolution 1, seed {seed}",
        "modularity": round(modularity, 4),
        "communities": rows[:top],
        "boroughs": {b: {"communities": n} for b, n in sorted(borough_split.items())},
        "totals": {"communities": len(rows), "spanning_boroughs": sum(r["spans_boroughs"] for r in rows),
                   "largest": rows[0]["size"] if rows else 0},
    }


def _modularity(h: nx.Graph, found: list[set[str]]) -> float:
    # Newman's Q = sum over communities of L_c / m - (d_c / 2m)^2, one pass.
    m = h.number_of_edges()
    if m == 0:
        return 0.0
    home = {n: i for i, c in enumerate(found) for n in c}
    inside = [0] * len(found)
    degree = [0] * len(found)
    for u, nbrs in h.adj.items():
        if u not in home:
            continue
        degree[home[u]] += len(nbrs)
        inside[home[u]] += sum(1 for v in nbrs if home.get(v) == home[u])
    return sum(i / 2 / m - (d / (2 * m)) ** 2 for i, d in zip(inside, degree))
