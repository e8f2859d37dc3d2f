"""Brokers and fragile ties: who holds the network together, and what breaks.

Notes
-----
Everything here works on the undirected view of the relationship graph
(:func:`ties`): two stakeholders are tied when a flow went either way;
self-loops are dropped. Betweenness is the share of shortest paths between
other pairs that pass through a stakeholder, normalised to 0..1 as networkx
does. It is exact up to ``exact_max_nodes`` stakeholders; above that it is
estimated from ``sample`` source stakeholders drawn with a fixed seed, so the
same graph always gives the same answer. igraph computes it when installed
(about 40 to 100 times faster); networkx otherwise, with the same results.

An articulation point is a stakeholder whose leaving splits its part of the
network; a bridge is a tie whose loss does. What a leaving stakeholder "cuts
off" is every stakeholder that loses its last path to the largest remaining
piece of the leaver's part of the network (ties on equal size go to the
piece holding the smallest id). Not supported: weighted paths (a tie is a
tie however many events it carries).
"""

from __future__ import annotations

import random
from typing import Any

import networkx as nx

EXACT_MAX_NODES = 5000
SAMPLE = 256


def ties(g: nx.DiGraph) -> nx.Graph:
    """The undirected view: every stakeholder, a tie where a flow went either way.

    >>> h = ties(nx.DiGraph([("a", "b"), ("b", "a"), ("c", "c")]))
    >>> sorted(h.nodes), sorted(h.edges)
    (['a', 'b', 'c'], [('a', 'b')])
    """
    h = nx.Graph()
    h.add_nodes_from(g.nodes)
    h.add_edges_from((u, v) for u, v in g.edges if u != v)
    return h


def betweenness(
    h: nx.Graph,
    *,
    exact_max_nodes: int = EXACT_MAX_NODES,
    sample: int = SAMPLE,
    seed: int = 0,
) -> dict[str, float]:
    """Normalised betweenness of every stakeholder of an undirected graph.

    Exact up to ``exact_max_nodes`` nodes, else estimated from ``sample``
    sources drawn with ``seed`` (see the module Notes).

    Examples
    --------
    >>> b = betweenness(nx.path_graph(["a", "b", "c"]))
    >>> b == {"a": 0.0, "b": 1.0, "c": 0.0}
    True
    """
    n = h.number_of_nodes()
    if n < 3:
        return {node: 0.0 for node in h}
    nodes = sorted(h.nodes)
    sources = None if n <= exact_max_nodes else random.Random(seed).sample(nodes, sample)
    try:
        return _igraph_betweenness(h, nodes, sources)
    except ImportError:
        return _networkx_betweenness(h, sources)


def _igraph_betweenness(
    h: nx.Graph, nodes: list[str], sources: list[str] | None
) -> dict[str, float]:
    import igraph

    index = {node: i for i, node in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in h.edges])
    picked = None if sources is None else [index[s] for s in sources]
    raw = ig.betweenness(directed=False, sources=picked)
    n = len(nodes)
    scale = 1.0 if sources is None else n / len(sources)
    norm = 2.0 / ((n - 1) * (n - 2))
    return {node: raw[i] * scale * norm for i, node in enumerate(nodes)}


def _networkx_betweenness(h: nx.Graph, sources: list[str] | None) -> dict[str, float]:
    if sources is None:
        return dict(nx.betweenness_centrality(h, normalized=True))
    raw = nx.betweenness_centrality_subset(h, sources, list(h.nodes), normalized=False)
    n = h.number_of_nodes()
    scale, norm = n / len(sources), 2.0 / ((n - 1) * (n - 2))
    return {node: value * scale * norm for node, value in raw.items()}


def articulation_points(h: nx.Graph) -> set[str]:
    """Stakeholders whose leaving splits their part of the network.

    >>> sorted(articulation_points(nx.path_graph(["a", "b", "c", "d"])))
    ['b', 'c']
    """
    return set(nx.articulation_points(h))


def bridges(h: nx.Graph) -> set[frozenset[str]]:
    """Ties whose loss splits their part of the network.

    >>> bridges(nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])) == {frozenset("cd")}
    True
    """
    return {frozenset(e) for e in nx.bridges(h)}


def cut_off_by_leaving(h: nx.Graph, node: str) -> set[str]:
    """Stakeholders that lose every path to the rest if ``node`` leaves.

    Raises KeyError when ``node`` is not in the graph.

    >>> h = nx.Graph([("hub", "a"), ("hub", "b"), ("b", "c")])
    >>> nx.add_cycle(h, ["hub", "x", "y", "z"])
    >>> sorted(cut_off_by_leaving(h, "hub"))
    ['a', 'b', 'c']
    """
    if node not in h:
        raise KeyError(node)
    pieces = sorted(_pieces_without(h, node), key=lambda c: (-len(c), min(c)))
    return set().union(*pieces[1:]) if len(pieces) > 1 else set()


def _pieces_without(h: nx.Graph, node: str) -> list[set[str]]:
    # Breadth-first from each neighbour, never stepping on the leaver: the
    # pieces its part of the network falls into.
    adj = h.adj
    seen = {node}
    pieces = []
    for start in adj[node]:
        if start in seen:
            continue
        piece, frontier = {start}, [start]
        seen.add(start)
        while frontier:
            nxt = []
            for u in frontier:
                for v in adj[u]:
                    if v not in seen:
                        seen.add(v)
                        piece.add(v)
                        nxt.append(v)
            frontier = nxt
        pieces.append(piece)
    return pieces


def bridge_sides(h: nx.Graph) -> list[tuple[frozenset[str], set[str]]]:
    """Each bridge with the stakeholders on its smaller side.

    The smaller side is what the bridge's loss cuts off; on equal sizes, the
    side without the smallest id. Sizes come from one pass over the bridge
    tree (the 2-edge-connected pieces joined by bridges).

    >>> h = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")])
    >>> sorted((sorted(b), sorted(s)) for b, s in bridge_sides(h))
    [(['c', 'd'], ['d', 'e']), (['d', 'e'], ['e'])]
    """
    return [(tie, _side(h, tie, start)) for tie, _, start in _bridge_cuts(h)]


def _side(h: nx.Graph, tie: frozenset[str], start: str) -> set[str]:
    # Everything reachable from ``start`` without crossing the bridge.
    other = next(iter(tie - {start}))
    seen, frontier = {start}, [start]
    while frontier:
        nxt = []
        for u in frontier:
            for v in h.adj[u]:
                if v not in seen and not (u == start and v == other):
                    seen.add(v)
                    nxt.append(v)
        frontier = nxt
    return seen


def _bridge_cuts(h: nx.Graph) -> list[tuple[frozenset[str], int, str]]:
    """(bridge, size of its smaller side, the bridge's end on that side)."""
    found = _bridges(h)
    if not found:
        return []
    pieces = _pieces_apart(h, {frozenset(e) for e in found})
    piece_of = {member: i for i, piece in enumerate(pieces) for member in piece}
    tree = nx.Graph()
    tree.add_nodes_from(range(len(pieces)))
    tree.add_edges_from((piece_of[u], piece_of[v], {"bridge": (u, v)}) for u, v in found)
    out = []
    for comp in nx.connected_components(tree):
        root = min(comp, key=lambda i: (-len(pieces[i]), min(pieces[i])))
        order = list(nx.dfs_preorder_nodes(tree, root))
        parent = {child: par for par, child in nx.dfs_edges(tree, root)}
        size = {i: len(pieces[i]) for i in order}
        low = {i: min(pieces[i]) for i in order}
        for child in reversed(order[1:]):
            size[parent[child]] += size[child]
            low[parent[child]] = min(low[parent[child]], low[child])
        total, total_low = size[root], low[root]
        for child in order[1:]:
            u, v = tree.edges[parent[child], child]["bridge"]
            inner = u if piece_of[u] == child else v
            outer = v if inner == u else u
            below, above = size[child], total - size[child]
            # smaller side; on a tie the side without the smallest id
            if above < below or (above == below and low[child] == total_low):
                out.append((frozenset((u, v)), above, outer))
            else:
                out.append((frozenset((u, v)), below, inner))
    return out


def _bridges(h: nx.Graph) -> list[tuple[str, str]]:
    # igraph finds the same bridges far faster (their order may differ).
    try:
        import igraph
    except ImportError:
        return list(nx.bridges(h))
    nodes, ig = _igraph_of(h, igraph)
    return [(nodes[a], nodes[b]) for a, b in (ig.es[i].tuple for i in ig.bridges())]


def _igraph_of(h: nx.Graph, igraph: Any) -> tuple[list[str], Any]:
    nodes = list(h)
    index = {node: i for i, node in enumerate(nodes)}
    return nodes, igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in h.edges])


def _pieces_apart(h: nx.Graph, cut: set[frozenset[str]]) -> list[set[str]]:
    # Connected components of h without the ``cut`` ties, in node order (as
    # networkx's connected_components gives them, without copying h).
    adj, seen, pieces = h.adj, set(), []
    for start in adj:
        if start in seen:
            continue
        seen.add(start)
        piece, frontier = {start}, [start]
        while frontier:
            nxt = []
            for u in frontier:
                for v in adj[u]:
                    if v not in seen and frozenset((u, v)) not in cut:
                        seen.add(v)
                        piece.add(v)
                        nxt.append(v)
            frontier = nxt
        pieces.append(piece)
    return pieces


def _cut_offs(h: nx.Graph, leavers: list[str]) -> dict[str, set[str]]:
    """:func:`cut_off_by_leaving` for several stakeholders, with igraph when
    installed (one graph, its components recounted without each leaver)."""
    try:
        import igraph
    except ImportError:
        return {node: cut_off_by_leaving(h, node) for node in leavers}
    nodes, ig = _igraph_of(h, igraph)
    index = {node: i for i, node in enumerate(nodes)}
    out = {}
    for node in leavers:
        i = index[node]
        alone = ig.copy()
        alone.delete_edges(alone.incident(i))
        member = alone.connected_components().membership
        near = list(dict.fromkeys(member[index[v]] for v in h.adj[node] if v != node))
        size = {c: 0 for c in near}
        low: dict[int, str] = {}
        for j, c in enumerate(member):
            if c in size:
                size[c] += 1
                if c not in low or nodes[j] < low[c]:
                    low[c] = nodes[j]
        keep = min(near, key=lambda c: (-size[c], low[c])) if near else None
        out[node] = {nodes[j] for j, c in enumerate(member) if c in size and c != keep}
    return out


def _who(g: nx.DiGraph, node: str) -> dict[str, str]:
    data = g.nodes[node]
    return {"id": node, "name": data.get("name", node), "kind": data.get("kind", "")}


def what_if_leaves(g: nx.DiGraph, node: str, h: nx.Graph | None = None) -> dict[str, Any]:
    """What the network loses if one stakeholder leaves, in plain words.

    Raises KeyError when ``node`` is not in the graph. ``h``, the undirected
    view from :func:`ties`, may be passed to save building it again.

    Examples
    --------
    >>> g = nx.DiGraph([("liaison", "pta"), ("liaison", "school"), ("school", "club")])
    >>> nx.set_node_attributes(g, {"pta": "family_group"}, "kind")
    >>> out = what_if_leaves(g, "liaison")
    >>> [w["id"] for w in out["cut_off"]], out["ties_lost"]
    (['pta'], 2)
    """
    h = ties(g) if h is None else h
    return _what_if(g, h, node, cut_off_by_leaving(h, node))


def _what_if(g: nx.DiGraph, h: nx.Graph, node: str, cut: set[str]) -> dict[str, Any]:
    from partnermap.graph.findings import kind_counts, members_text
    from partnermap.graph.scope import is_group

    name = g.nodes[node].get("name", node)
    members = sorted((_who(g, m) for m in cut), key=lambda w: (w["name"], w["id"]))
    # One stakeholder "loses"; several, or a group of people, "lose".
    one = len(cut) == 1 and not any(is_group(m, g.nodes[m]) for m in cut)
    if cut:
        what = (
            f"if {name} leaves, {members_text(g, cut)} "
            f"{'loses' if one else 'lose'} every tie to the rest of the network"
        )
        step = f"give {'it' if one else 'them'} a second tie now, before {name} leaves"
    else:
        lost = h.degree(node)
        what = (
            f"if {name} leaves, nobody is cut off; "
            f"{lost} {'tie ends' if lost == 1 else 'ties end'}"
        )
        step = "no action needed for resilience"
    return {
        "stakeholder": _who(g, node),
        "ties_lost": h.degree(node),
        "cut_off": members,
        "cut_off_kinds": kind_counts(g, cut),
        "what": what,
        "suggestion": step,
    }


def brokers_finding(
    g: nx.DiGraph, *, top: int = 20, exact_max_nodes: int = EXACT_MAX_NODES,
    sample: int = SAMPLE, seed: int = 0, h: nx.Graph | None = None,
) -> dict[str, Any]:
    """The top brokers by betweenness, what each one's leaving cuts off, and
    the fragile ties (bridges that cut off more than one stakeholder).

    Examples
    --------
    >>> g = nx.DiGraph([("a", "hub"), ("b", "hub"), ("hub", "c"), ("c", "d")])
    >>> out = brokers_finding(g)
    >>> [b["stakeholder"]["id"] for b in out["brokers"]][:2], out["totals"]["bridges"]
    (['hub', 'c'], 4)
    """
    from partnermap.graph.findings import kind_counts, members_text

    h = ties(g) if h is None else h
    score = betweenness(h, exact_max_nodes=exact_max_nodes, sample=sample, seed=seed)
    points = articulation_points(h)
    ranked = sorted((n for n in h if score[n] > 0), key=lambda n: (-score[n], n))[:top]
    brokers = []
    cut_offs = _cut_offs(h, ranked)
    for node in ranked:
        row = _what_if(g, h, node, cut_offs[node])
        row["betweenness"] = round(score[node], 6)
        row["articulation_point"] = node in points
        brokers.append(row)
    cuts = _bridge_cuts(h)
    wide = sorted((c for c in cuts if c[1] >= 2), key=lambda c: (-c[1], sorted(c[0])))
    fragile = []
    for tie, _, start in wide[:top]:
        side = _side(h, tie, start)
        a, b = sorted(tie)
        fragile.append({
            "tie": [_who(g, a), _who(g, b)],
            "cut_off_count": len(side),
            "cut_off_kinds": kind_counts(g, side),
            "what": f"the tie between {g.nodes[a].get('name', a)} and "
            f"{g.nodes[b].get('name', b)} is the only link for {members_text(g, side)}",
            "suggestion": "build a second tie across this gap",
        })
    return {
        "method": "exact" if h.number_of_nodes() <= exact_max_nodes else f"sampled from {sample} sources, seed {seed}",
        "brokers": brokers,
        "fragile_ties": fragile,
        "totals": {
            "articulation_points": len(points),
            "bridges": len(cuts),
            "fragile_ties": len(wide),
            "single_tie_stakeholders": sum(1 for n in h if h.degree(n) == 1),
        },
    }
