"""Server-side positions for network pages.

:func:`positions` gives every stakeholder a fixed place in pixels, so that a
page can draw the whole network at once with physics off and look the same on
every visit.

How it works: each weakly connected component is laid out on its own.
Peeling degree-one nodes off a component leaves its core (schools and the
partners they share); what was peeled (a school's partners that no one else
lists, chains of sites) hangs around the node it was attached to, leaves in a
sunflower disc and branches on a ring outside the disc. The core is placed by
pivot MDS (Brandes and Pich, 2007) on shortest-path lengths that leave room
for each node's disc, then relaxed by rounds of local stress steps (each node
moves towards where its ties have their wanted lengths) and overlap removal.
The largest component goes top left, the others in shelves beside and below
it, filling a rectangle shaped like a laptop screen.

Notes
-----
Edge direction, self-loops and parallel edges do not matter for placement. The
same graph gives the same positions whatever the order its nodes and edges
were added in. Cost for a component with n core nodes and m core edges:
O(k (n + m) log n) for k = 32 pivots, then O(n + m) per relaxation round plus
the overlap checks, which a grid keeps near linear; the peeled nodes cost O(1)
each. Pure Python, no numpy: about 1 s for the whole NYC example (6,800
nodes, 10,000 edges) on a 2-core machine.

Not supported: weights (every tie has the same length) and incremental
layouts (a new stakeholder can move others).
"""

from __future__ import annotations

import heapq
import math
import operator
import random
from collections import deque
from dataclasses import dataclass

import networkx as nx

Point = tuple[float, float]

NODE_RADIUS = 12.0
"""Room one node needs, in pixels."""
LEAF_SPACING = 26.0
"""Distance between neighbouring leaves in a sunflower disc."""
EDGE_GAP = 48.0
"""Length of a core tie beyond the discs at its two ends."""
COMPONENT_GAP = 56.0
"""Space between two components."""

_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
_PIVOTS = 32
_ROUNDS = 32
_PUSH_EVERY = 4
_SETTLE = 6
_PULL = 0.5
_ROOM = 0.8
_ASPECT = 1.5


def positions(rel: nx.DiGraph, *, seed: int = 7) -> dict[str, Point]:
    """Pixel coordinates for every node of a relationship graph.

    Parameters
    ----------
    rel : networkx.DiGraph
        Nodes are stakeholder ids; edges are ties in either direction.
    seed : int
        Seeds the small nudges that separate nodes placed on the same spot.

    Returns
    -------
    dict
        Node id to ``(x, y)`` in pixels, the largest component centred on the
        origin. An empty graph gives an empty dict.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "a"), ("c", "b")])
    >>> sorted(positions(g))
    ['a', 'b', 'c']
    >>> positions(g) == positions(g)
    True
    """
    if rel.number_of_nodes() == 0:
        return {}
    adjacency = _undirected_adjacency(rel)
    rng = random.Random(seed)
    laid_out = [_layout_component(c, adjacency, rng) for c in _components(adjacency)]
    placed = _pack(laid_out)
    return {node: placed[node] for node in rel.nodes}


def _undirected_adjacency(rel: nx.DiGraph) -> dict[str, list[str]]:
    """Sorted neighbour lists without self-loops, keyed in sorted node order."""
    neighbours: dict[str, set[str]] = {
        node: set() for node in sorted(rel.nodes, key=str)
    }
    for u, v in rel.edges():
        if u != v:
            neighbours[u].add(v)
            neighbours[v].add(u)
    return {node: sorted(near, key=str) for node, near in neighbours.items()}


def _components(adjacency: dict[str, list[str]]) -> list[list[str]]:
    """Weakly connected components, largest first, ties broken by first id."""
    seen: set[str] = set()
    components = []
    for start in adjacency:
        if start in seen:
            continue
        seen.add(start)
        members = [start]
        queue = deque([start])
        while queue:
            for near in adjacency[queue.popleft()]:
                if near not in seen:
                    seen.add(near)
                    members.append(near)
                    queue.append(near)
        components.append(members)
    return sorted(components, key=lambda c: -len(c))


@dataclass
class _Component:
    """One component's local positions and the radius of the disc holding it."""

    points: dict[str, Point]
    radius: float


def _layout_component(
    members: list[str], adjacency: dict[str, list[str]], rng: random.Random
) -> _Component:
    """Local positions for one component, centred on the origin."""
    core, children, peel_order = _peel(members, adjacency)
    trees = _Trees(children)
    for node in [*peel_order, *core]:
        trees.measure(node, facing_all_ways=node not in peel_order)
    core_points = _layout_core(core, adjacency, trees.extent, rng)

    # Hang what was peeled around the core node it came from, facing away from
    # the core's middle so that branches point outwards.
    cx = sum(x for x, _ in core_points.values()) / len(core_points)
    cy = sum(y for _, y in core_points.values()) / len(core_points)
    points = dict(core_points)
    for node in core:
        x, y = core_points[node]
        outward = math.atan2(y - cy, x - cx) if (x, y) != (cx, cy) else 0.0
        trees.hang(node, outward, points)
    return _recentre(points)


def _peel(
    members: list[str], adjacency: dict[str, list[str]]
) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Split a component into its core and the trees that hang off it.

    Returns the core (one node when the component is a tree), each node's
    peeled children, and the peeled nodes in the order they were removed.
    """
    degree = {node: len(adjacency[node]) for node in members}
    removed: set[str] = set()
    children: dict[str, list[str]] = {node: [] for node in members}
    order: list[str] = []
    queue = deque(node for node in members if degree[node] == 1)
    while queue and len(removed) < len(members) - 1:
        leaf = queue.popleft()
        if leaf in removed or degree[leaf] != 1:
            continue
        parent = next(n for n in adjacency[leaf] if n not in removed)
        removed.add(leaf)
        order.append(leaf)
        children[parent].append(leaf)
        degree[parent] -= 1
        if degree[parent] == 1:
            queue.append(parent)
    core = [node for node in members if node not in removed]
    return core, children, order


class _Trees:
    """The trees peeled off a component, measured and then hung in place.

    A node's leaves fill a sunflower disc around it. Its branches (children
    with children of their own) sit on a ring outside that disc, each given an
    arc wide enough for its own tree; a branch's tree faces away from its
    parent, so a chain grows by its length, not by doubling at each step.
    """

    def __init__(self, children: dict[str, list[str]]) -> None:
        self.children = children
        self.own: dict[str, float] = {}
        """Radius of a node's own sunflower disc."""
        self.ring: dict[str, float] = {}
        """Distance from a node to its branches."""
        self.extent: dict[str, float] = {}
        """Distance from a node to the far edge of its tree."""

    def measure(self, node: str, *, facing_all_ways: bool) -> None:
        """Size a node's tree; its children must have been measured first."""
        leaves, branches = self._split(node)
        own = _sunflower_radius(len(leaves)) if leaves else NODE_RADIUS
        self.own[node] = own
        if not branches:
            self.ring[node] = 0.0
            self.extent[node] = own
            return
        limit = 2 * math.pi if facing_all_ways else math.pi
        ring = own + max(self.own[b] for b in branches) + LEAF_SPACING
        while sum(self._arc(b, ring) for b in branches) > limit:
            ring *= 1.15
        self.ring[node] = ring
        self.extent[node] = max(own, ring + max(self.extent[b] for b in branches))

    def hang(self, node: str, outward: float, points: dict[str, Point]) -> None:
        """Place a node's tree around it, branches centred on ``outward``."""
        x, y = points[node]
        leaves, branches = self._split(node)
        inner_sq = (NODE_RADIUS + LEAF_SPACING) ** 2
        for i, leaf in enumerate(leaves):
            r = math.sqrt(inner_sq + (i + 0.5) * _LEAF_AREA / math.pi)
            angle = outward + i * _GOLDEN_ANGLE
            points[leaf] = (x + r * math.cos(angle), y + r * math.sin(angle))
        ring = self.ring[node]
        arcs = [self._arc(b, ring) for b in branches]
        angle = outward - sum(arcs) / 2
        for branch, arc in zip(branches, arcs, strict=True):
            angle += arc / 2
            points[branch] = (x + ring * math.cos(angle), y + ring * math.sin(angle))
            self.hang(branch, angle, points)
            angle += arc / 2

    def _split(self, node: str) -> tuple[list[str], list[str]]:
        kids = self.children[node]
        leaves = [c for c in kids if not self.children[c]]
        branches = sorted(
            (c for c in kids if self.children[c]), key=lambda c: -self.extent[c]
        )
        return leaves, branches

    def _arc(self, branch: str, ring: float) -> float:
        """Angle a branch's tree needs, measured halfway out along it."""
        extent = self.extent[branch]
        return (2 * extent + LEAF_SPACING) / (ring + extent)


def _sunflower_radius(count: int) -> float:
    """Radius of the disc that holds a node and ``count`` leaves around it."""
    inner = NODE_RADIUS + LEAF_SPACING
    return math.sqrt(inner * inner + count * _LEAF_AREA / math.pi) + NODE_RADIUS


_LEAF_AREA = 0.9 * LEAF_SPACING * LEAF_SPACING


def _layout_core(
    core: list[str],
    adjacency: dict[str, list[str]],
    radius: dict[str, float],
    rng: random.Random,
) -> dict[str, Point]:
    """Positions for the core: pivot MDS, then stress steps and overlap removal."""
    if len(core) == 1:
        return {core[0]: (0.0, 0.0)}
    in_core = set(core)
    edges = [
        (u, v, radius[u] + radius[v] + EDGE_GAP)
        for u in core
        for v in adjacency[u]
        if v in in_core and str(u) < str(v)
    ]
    points = _pivot_mds(core, adjacency, in_core, radius, rng)
    _fit_scale(points, edges, radius)
    _relax(points, edges, radius, rng)
    return points


def _pivot_mds(
    core: list[str],
    adjacency: dict[str, list[str]],
    in_core: set[str],
    radius: dict[str, float],
    rng: random.Random,
) -> dict[str, Point]:
    """Pivot MDS on weighted shortest-path lengths (Brandes and Pich, 2007)."""
    index = {node: i for i, node in enumerate(core)}
    count = len(core)
    if count == 2:
        return {core[0]: (0.0, 0.0), core[1]: (1.0, 0.0)}

    # Pivots far apart from one another (max-min), starting at the best
    # connected node, give the distances that span the layout.
    start = max(core, key=lambda n: len(adjacency[n]))
    pivots = min(_PIVOTS, count)
    columns: list[list[float]] = []
    nearest = [math.inf] * count
    pivot = index[start]
    for _ in range(pivots):
        dist = _dijkstra(core[pivot], adjacency, in_core, radius, index)
        columns.append([d * d for d in dist])
        nearest = [min(a, b) for a, b in zip(nearest, dist, strict=True)]
        pivot = max(range(count), key=nearest.__getitem__)

    # Double-centre the squared distances, then take the two leading
    # eigenvectors of C^T C by power iteration.
    row_means = [sum(row) / pivots for row in zip(*columns, strict=True)]
    grand = sum(row_means) / count
    centred = []
    for col in columns:
        col_mean = sum(col) / count
        centred.append(
            [
                -0.5 * (d - m - col_mean + grand)
                for d, m in zip(col, row_means, strict=True)
            ]
        )
    gram = [[sum(map(operator.mul, a, b)) for b in centred] for a in centred]
    first = _leading_eigenvector(gram, [], rng)
    second = _leading_eigenvector(gram, [first], rng)
    xs = _combine(centred, first)
    ys = _combine(centred, second)
    return {node: (xs[i], ys[i]) for i, node in enumerate(core)}


def _dijkstra(
    source: str,
    adjacency: dict[str, list[str]],
    in_core: set[str],
    radius: dict[str, float],
    index: dict[str, int],
) -> list[float]:
    dist = [math.inf] * len(index)
    dist[index[source]] = 0.0
    heap = [(0.0, source)]
    while heap:
        d, node = heapq.heappop(heap)
        if d > dist[index[node]]:
            continue
        for near in adjacency[node]:
            if near not in in_core:
                continue
            nd = d + radius[node] + radius[near] + EDGE_GAP
            if nd < dist[index[near]]:
                dist[index[near]] = nd
                heapq.heappush(heap, (nd, near))
    return dist


def _leading_eigenvector(
    matrix: list[list[float]], found: list[list[float]], rng: random.Random
) -> list[float]:
    """Power iteration, kept orthogonal to the vectors already found."""
    vector = [rng.uniform(0.5, 1.5) for _ in matrix]
    for _ in range(200):
        for other in found:
            dot = sum(map(operator.mul, vector, other))
            vector = [a - dot * b for a, b in zip(vector, other, strict=True)]
        vector = [sum(map(operator.mul, row, vector)) for row in matrix]
        norm = math.sqrt(sum(a * a for a in vector)) or 1.0
        vector = [a / norm for a in vector]
    return vector


def _combine(columns: list[list[float]], weights: list[float]) -> list[float]:
    out = [0.0] * len(columns[0])
    for col, w in zip(columns, weights, strict=True):
        out = [o + w * c for o, c in zip(out, col, strict=True)]
    return out


def _fit_scale(
    points: dict[str, Point],
    edges: list[tuple[str, str, float]],
    radius: dict[str, float],
) -> None:
    """Scale so that ties have their wanted lengths and the discs have room.

    The least-squares fit of tie lengths squeezes a dense core, so the scale
    is raised until the spread of the points (twice their radius of gyration)
    covers the discs' total area with some slack.
    """
    num = den = 0.0
    for u, v, want in edges:
        d = math.dist(points[u], points[v])
        num += want * d
        den += d * d
    scale = num / den if den else 1.0
    n = len(points)
    mx = sum(x for x, _ in points.values()) / n
    my = sum(y for _, y in points.values()) / n
    spread = math.sqrt(
        sum((x - mx) ** 2 + (y - my) ** 2 for x, y in points.values()) / n
    )
    room = math.sqrt(sum((radius[p] + LEAF_SPACING / 2) ** 2 for p in points))
    if spread > 0:
        scale = max(scale, _ROOM * room / (2 * spread))
    for node, (x, y) in points.items():
        points[node] = ((x - mx) * scale, (y - my) * scale)


def _relax(
    points: dict[str, Point],
    edges: list[tuple[str, str, float]],
    radius: dict[str, float],
    rng: random.Random,
) -> None:
    """Rounds of local stress steps along ties and pushes apart of overlaps."""
    nodes = list(points)
    at = {node: i for i, node in enumerate(nodes)}
    xs = [points[n][0] for n in nodes]
    ys = [points[n][1] for n in nodes]
    rs = [radius[n] for n in nodes]
    springs = [(at[u], at[v], want) for u, v, want in edges]
    degree = [0] * len(nodes)
    for u, v, _ in springs:
        degree[u] += 1
        degree[v] += 1
    for step in range(_ROUNDS):
        # Each node moves part of the way to where its ties would have their
        # wanted lengths (a damped, local stress-majorization step), all at
        # once so that the order of the ties does not matter.
        pull = _PULL * (1 - step / _ROUNDS) if step < _ROUNDS - _SETTLE else 0.0
        if pull:
            tx = [0.0] * len(nodes)
            ty = [0.0] * len(nodes)
            for u, v, want in springs:
                dx, dy = xs[u] - xs[v], ys[u] - ys[v]
                scale = want / (math.hypot(dx, dy) or 1e-9)
                tx[u] += xs[v] + dx * scale
                ty[u] += ys[v] + dy * scale
                tx[v] += xs[u] - dx * scale
                ty[v] += ys[u] - dy * scale
            for i, deg in enumerate(degree):
                if deg:
                    xs[i] += pull * (tx[i] / deg - xs[i])
                    ys[i] += pull * (ty[i] / deg - ys[i])
        if step % _PUSH_EVERY == _PUSH_EVERY - 1 or step >= _ROUNDS - _SETTLE:
            _push_apart(xs, ys, rs, rng)
    for i, node in enumerate(nodes):
        points[node] = (xs[i], ys[i])


def _push_apart(
    xs: list[float], ys: list[float], rs: list[float], rng: random.Random
) -> None:
    """Move overlapping discs apart, checking only pairs that can overlap.

    Most discs are small (a partner with nothing hanging off it): they are
    filed in a grid by their centres and checked against the next cells. The
    few large discs (schools with their partners around them) look up the
    cells they reach, and each other by sweep and prune along x. Moves
    during a round can leave a pair unchecked; the next round catches it.
    """
    ranked = sorted(rs)
    small = max(NODE_RADIUS, ranked[(len(ranked) * 3) // 4])
    cell = 2 * small + LEAF_SPACING
    floor = math.floor
    grid: dict[tuple[int, int], list[int]] = {}
    large = []
    for i, r in enumerate(rs):
        if r <= small:
            grid.setdefault((floor(xs[i] / cell), floor(ys[i] / cell)), []).append(i)
        else:
            large.append(i)

    def separate(u: int, v: int) -> None:
        need = rs[u] + rs[v] + LEAF_SPACING
        dx, dy = xs[v] - xs[u], ys[v] - ys[u]
        if dx >= need or -dx >= need or dy >= need or -dy >= need:
            return
        d = math.hypot(dx, dy)
        if d >= need:
            return
        if d < 1e-6:
            angle = rng.uniform(0, 2 * math.pi)
            dx, dy, d = math.cos(angle), math.sin(angle), 1.0
        # The smaller disc moves more, so that a crowd of small discs does
        # not shove a large one out of the middle.
        wu, wv = rs[u] * rs[u], rs[v] * rs[v]
        shift = (need - d) / (d * (wu + wv))
        xs[u] -= dx * shift * wv
        ys[u] -= dy * shift * wv
        xs[v] += dx * shift * wu
        ys[v] += dy * shift * wu

    def near(u: int, others: list[int]) -> list[int]:
        """Those of ``others`` whose box could touch u's (a cheap first cut)."""
        reach = rs[u] + small + LEAF_SPACING
        x, y = xs[u], ys[u]
        return [
            v
            for v in others
            if -reach < xs[v] - x < reach and -reach < ys[v] - y < reach
        ]

    # Small with small: the same cell, then four neighbours so that each pair
    # of cells is visited once.
    for (cx, cy), members in grid.items():
        for k, u in enumerate(members):
            for v in near(u, members[k + 1 :]):
                separate(u, v)
        for nx_, ny_ in (
            (cx + 1, cy),
            (cx - 1, cy + 1),
            (cx, cy + 1),
            (cx + 1, cy + 1),
        ):
            others = grid.get((nx_, ny_))
            if others:
                for u in members:
                    for v in near(u, others):
                        separate(u, v)

    # Large with small: every cell a small disc could overlap from.
    for u in large:
        reach = rs[u] + small + LEAF_SPACING
        x0, x1 = floor((xs[u] - reach) / cell), floor((xs[u] + reach) / cell)
        y0, y1 = floor((ys[u] - reach) / cell), floor((ys[u] + reach) / cell)
        for cx in range(x0, x1 + 1):
            for cy in range(y0, y1 + 1):
                others = grid.get((cx, cy))
                if others:
                    for v in near(u, others):
                        separate(u, v)

    # Large with large: sweep and prune along x.
    large.sort(key=lambda i: xs[i] - rs[i])
    for a, u in enumerate(large):
        for v in large[a + 1 :]:
            if xs[v] - rs[v] > xs[u] + rs[u] + LEAF_SPACING:
                break
            separate(u, v)


def _recentre(points: dict[str, Point]) -> _Component:
    """Move a component's points so that its enclosing disc is centred on 0."""
    xs = [x for x, _ in points.values()]
    ys = [y for _, y in points.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    moved = {n: (x - cx, y - cy) for n, (x, y) in points.items()}
    reach = max(math.hypot(x, y) for x, y in moved.values()) + NODE_RADIUS
    return _Component(moved, reach)


def _pack(components: list[_Component]) -> dict[str, Point]:
    """Largest component at the top left, the others in shelves beside it.

    Components are boxes as wide as their discs. The shelves fill the space to
    the right of the largest component, then run beneath it, in a rectangle
    about as wide as a laptop screen is to its height; the largest component
    ends up centred on the origin.
    """
    boxes = sorted(components[1:], key=lambda c: -c.radius)
    first = 2 * components[0].radius + COMPONENT_GAP
    area = first * first + sum((2 * c.radius + COMPONENT_GAP) ** 2 for c in boxes)
    width = max(first, math.sqrt(area * _ASPECT))
    placed: dict[str, Point] = {}
    _place(components[0], first / 2, first / 2, placed)

    left, x, y, shelf = first, first, 0.0, 0.0
    for comp in boxes:
        side = 2 * comp.radius + COMPONENT_GAP
        if x + side > width and x > left:
            x, y, shelf = left, y + shelf, 0.0
        if left > 0 and (y + side > first or left + side > width):
            # Beside the largest component there is no more room: go below it.
            left, x, y, shelf = 0.0, 0.0, max(first, y + shelf), 0.0
        _place(comp, x + side / 2, y + side / 2, placed)
        x += side
        shelf = max(shelf, side)

    return {
        n: (round(px - first / 2, 1), round(py - first / 2, 1))
        for n, (px, py) in placed.items()
    }


def _place(comp: _Component, ox: float, oy: float, placed: dict[str, Point]) -> None:
    for node, (x, y) in comp.points.items():
        placed[node] = (x + ox, y + oy)
