"""The interactive network page: stakeholders coloured by kind, flows as arrows.

:func:`render_network` turns a relationship graph and the findings on it into
one complete HTML page drawn by vis-network (the library pyvis wraps). The
page loads every script and style from the app itself (``asset_url``), so it
works with no internet, and it never puts a stakeholder's name into HTML: the
graph travels as JSON inside a ``<script type="application/json">`` block
(with ``<``, ``>``, ``&`` and the two JavaScript line separators escaped) and
the page's script writes names into the page as text only.

Notes
-----
Nodes are placed at the positions given (see :mod:`partnermap.viz.layout`).
Physics runs only on small graphs (by default at most 300 nodes),
to tidy them, and stops once they settle; larger graphs are drawn straight
from the positions with straight edges so that the first draw stays fast.
A mutual pair (flows both ways) is one edge with an arrow at each end; a
one-way relationship is a dashed vermillion edge; a flow in one direction
that the findings do not call one-way (the other side never reported) is a
thin grey arrow. Self-loops are drawn as small loops. Each isolated group sits
on a shaded disc. Kinds differ in colour (Okabe-Ito and Tol palettes) and,
for schools, providers and sites, in shape. On large graphs labels appear by
level of detail: schools and hubs first, the rest as the view zooms in;
arrowheads, the costliest thing to draw, appear only from a zoom where they
are a few pixels long, and a found node is jumped to, not animated to.

Pyvis is used for the network object and its options; its own HTML template
is not, because it loads scripts from CDNs and embeds data unescaped, and its
``add_edge`` scans the node list on every call. Tooltips are the page's own:
vis-network renders a string ``title`` as HTML.

The explorer around it (filters, aggregation of very large views, exports)
is in :mod:`partnermap.viz.explorer` and the page routes; this module only
draws the view it is given. Brokers, when given, get a thick black ring; a
node standing for collapsed partners is a grey dot labelled with its count.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from typing import Any

import networkx as nx
from pyvis.network import Network

from partnermap.model import Intensity, InteractionType, StakeholderKind
from partnermap.privacy import event_count
from partnermap.viz.explorer import COLLAPSED_KIND
from partnermap.viz.layout import Point
from partnermap.viz.pages import render_page, script_json

PHYSICS_MAX_NODES = 300
"""Default node count above which physics is off and edges are straight."""

KIND_STYLE: dict[StakeholderKind, tuple[str, str]] = {
    StakeholderKind.SCHOOL: ("#0072B2", "square"),
    StakeholderKind.FAMILY_GROUP: ("#CC6677", "dot"),
    StakeholderKind.COMMUNITY_ORGANIZATION: ("#009E73", "dot"),
    StakeholderKind.AFTERSCHOOL_PROVIDER: ("#332288", "triangle"),
    StakeholderKind.PROGRAM_SITE: ("#AA4499", "diamond"),
    StakeholderKind.BUSINESS: ("#F0E442", "dot"),
    StakeholderKind.FINANCIAL_INSTITUTION: ("#999933", "dot"),
    StakeholderKind.HIGHER_EDUCATION: ("#56B4E9", "dot"),
    StakeholderKind.HEALTH_PROVIDER: ("#882255", "dot"),
    StakeholderKind.CULTURAL_ORGANIZATION: ("#E69F00", "dot"),
    StakeholderKind.NONPROFIT: ("#CC79A7", "dot"),
    StakeholderKind.DISTRICT_OFFICE: ("#000000", "star"),
    StakeholderKind.PERSON: ("#DDCC77", "dot"),
    StakeholderKind.OTHER: ("#BBBBBB", "dot"),
}
"""Fill colour and vis-network shape per kind.

The colours are the Okabe-Ito and Paul Tol palettes, chosen to stay apart for
the common forms of colour blindness; the kinds most often side by side
(schools, providers, sites) also differ in shape.
"""

TIE_STYLE: dict[str, dict[str, Any]] = {
    "mutual": {"color": "#5B6675", "label": "Flows both ways", "dashes": False},
    "one_way": {
        "color": "#D55E00",
        "label": "One-way: nothing flows back",
        "dashes": True,
    },
    "single": {
        "color": "#9AA3AD",
        "label": "One direction known; the other side has not reported",
        "dashes": False,
    },
    "self": {"color": "#9AA3AD", "label": "With itself", "dashes": False},
}
"""How each class of tie is drawn and named in the legend."""

ISOLATED_SHADE = ("rgba(230, 159, 0, 0.13)", "rgba(166, 110, 0, 0.55)")
"""Fill and outline of the disc drawn behind each isolated group."""

COLLAPSED_STYLE = {"key": COLLAPSED_KIND, "label": "Partners collapsed into a count",
                   "color": "#D9DDE2", "shape": "dot"}
"""How a node standing for several collapsed partners is drawn."""


def render_network(
    rel: nx.DiGraph,
    *,
    one_way: set[tuple[str, str]],
    isolated: set[str],
    positions: dict[str, Point],
    title: str,
    asset_url: str = "/static",
    physics_max_nodes: int = PHYSICS_MAX_NODES,
    brokers: Collection[str] = (),
    collapsed: dict[str, list[str]] | None = None,
    stakeholders: int | None = None,
    explorer: dict[str, Any] | None = None,
) -> str:
    """The network page for a relationship graph, as a complete HTML document.

    Parameters
    ----------
    rel : networkx.DiGraph
        Relationship graph: nodes carry ``name``, ``kind`` and ``attributes``;
        an edge u -> v (u's flows reach v) carries ``counts``, ``events``,
        ``first``, ``last``, ``intensity`` and ``confirmed``.
    one_way : set of (str, str)
        The one-way relationships (u, v): u -> v with no v -> u.
    isolated : set of str
        Members of isolated groups; each group is drawn on a shaded disc.
    positions : dict
        Node id to ``(x, y)`` in pixels, for example from
        :func:`partnermap.viz.layout.positions`. Nodes without one are left
        for vis-network to place.
    title : str
        Page title and heading (escaped).
    asset_url : str
        Where the app serves :data:`partnermap.viz.STATIC_DIR`.
    physics_max_nodes : int
        Above this many nodes physics is off, edges are straight and labels
        appear by level of detail.
    brokers : collection of str
        Stakeholders marked as brokers (a thick ring).
    collapsed : dict, optional
        Nodes that stand for collapsed partners, with the partners' ids.
    stakeholders : int, optional
        How many stakeholders the view holds before collapsing; by default
        the node count.
    explorer : dict, optional
        The filter form's options and current values, and the focus; without
        it the page has no filter form.

    Returns
    -------
    str
        The HTML page.
    """
    large = rel.number_of_nodes() > physics_max_nodes
    collapsed = collapsed or {}
    data = _page_data(rel, one_way, isolated, positions, large=large)
    _mark(data, rel, set(brokers), collapsed)
    data["explorer"] = explorer or {}
    count = rel.number_of_nodes() - len(collapsed) + sum(map(len, collapsed.values()))
    summary = _summary(rel, data, count if stakeholders is None else stakeholders)
    return render_page(
        "network.html",
        asset_url=asset_url,
        title=title,
        data_json=script_json(data),
        options_json=script_json(_options(large)),
        kinds=data["kinds"],
        brokers=data["broker_count"],
        collapsed=len(collapsed),
        explorer=explorer,
        ties=[
            {"key": key, **TIE_STYLE[key], "count": count}
            for key, count in data["tie_counts"].items()
            if count
        ],
        isolated_shade=ISOLATED_SHADE,
        isolated_groups=max((n[5] for n in data["nodes"]), default=0),
        summary=summary,
        node_count=rel.number_of_nodes(),
    )


def _page_data(
    rel: nx.DiGraph,
    one_way: set[tuple[str, str]],
    isolated: set[str],
    positions: dict[str, Point],
    *,
    large: bool,
) -> dict[str, Any]:
    """Compact JSON for the page: nodes and edges as arrays, labels as tables."""
    kinds = _kinds_present(rel)
    kind_index = {k["key"]: i for i, k in enumerate(kinds)}
    index = {node: i for i, node in enumerate(rel.nodes)}
    group = _isolated_group_numbers(rel, isolated)
    nodes = []
    for node, attrs in rel.nodes(data=True):
        x, y = positions.get(node, (None, None))
        nodes.append(
            [
                str(node),
                str(attrs.get("name") or node),
                kind_index[_kind_key(attrs)],
                x,
                y,
                group.get(node, 0),
                rel.out_degree(node) - int(rel.has_edge(node, node)),
                rel.in_degree(node) - int(rel.has_edge(node, node)),
            ]
        )
    edges, tie_counts = _edges(rel, one_way, index)
    return {
        "kinds": kinds,
        "types": {t.value: t.info.label for t in InteractionType},
        "intensity": {int(i): i.name.capitalize() for i in Intensity},
        "ties": {key: style["color"] for key, style in TIE_STYLE.items()},
        "isolatedShade": ISOLATED_SHADE,
        "large": large,
        "nodes": nodes,
        "edges": edges,
        "tie_counts": tie_counts,
        "physics": not large,
    }


def _mark(
    data: dict[str, Any],
    rel: nx.DiGraph,
    brokers: set[str],
    collapsed: dict[str, list[str]],
) -> None:
    """Add to each node [.., collapsed partners, broker] and count brokers."""
    marked = 0
    for row in data["nodes"]:
        is_broker = row[0] in brokers
        marked += is_broker
        row.extend([len(collapsed.get(row[0], ())), int(is_broker)])
    data["broker_count"] = marked


def _isolated_group_numbers(rel: nx.DiGraph, isolated: set[str]) -> dict[str, int]:
    """Number the isolated groups 1, 2, ... (0 is left for everyone else)."""
    members = rel.subgraph(n for n in rel.nodes if n in isolated)
    groups = sorted(
        (sorted(c, key=str) for c in nx.weakly_connected_components(members)),
        key=lambda c: (-len(c), str(c[0])),
    )
    return {node: i for i, group in enumerate(groups, start=1) for node in group}


def _kind_key(attrs: dict[str, Any]) -> str:
    kind = attrs.get("kind")
    if kind == COLLAPSED_KIND:
        return kind
    values = {k.value for k in StakeholderKind}
    return kind if kind in values else StakeholderKind.OTHER.value


def _kinds_present(rel: nx.DiGraph) -> list[dict[str, Any]]:
    """Legend rows for the kinds in the graph, in the vocabulary's order."""
    counts = Counter(_kind_key(attrs) for _, attrs in rel.nodes(data=True))
    rows = [
        {
            "key": kind.value,
            "label": kind.label,
            "color": KIND_STYLE[kind][0],
            "shape": KIND_STYLE[kind][1],
            "count": counts[kind.value],
        }
        for kind in StakeholderKind
        if counts[kind.value]
    ]
    if counts[COLLAPSED_KIND]:
        rows.append({**COLLAPSED_STYLE, "count": counts[COLLAPSED_KIND]})
    return rows


def _edges(
    rel: nx.DiGraph, one_way: set[tuple[str, str]], index: dict[str, int]
) -> tuple[list[list[Any]], dict[str, int]]:
    """One drawn edge per pair: [from, to, class, flow there, flow back]."""
    edges = []
    tie_counts = dict.fromkeys(TIE_STYLE, 0)
    for u, v, attrs in rel.edges(data=True):
        back = rel.edges[v, u] if rel.has_edge(v, u) else None
        if u == v:
            tie = "self"
        elif back is not None:
            if str(u) > str(v):
                continue  # drawn once, from the pair's first id
            tie = "mutual"
        else:
            tie = "one_way" if (u, v) in one_way else "single"
        tie_counts[tie] += 1
        flows = [_flow(attrs)]
        if tie == "mutual" and back is not None:
            flows.append(_flow(back))
        edges.append([index[u], index[v], tie, *flows])
    return edges, tie_counts


def _flow(attrs: dict[str, Any]) -> list[Any]:
    """[[type, count]...], first, last, intensity, confirmed."""
    counts = sorted((attrs.get("counts") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    return [
        [[str(t), event_count(int(n), attrs)] for t, n in counts],
        attrs.get("first"),
        attrs.get("last"),
        int(attrs.get("intensity") or 1),
        bool(attrs.get("confirmed")),
    ]


def _summary(rel: nx.DiGraph, data: dict[str, Any], stakeholders: int) -> str:
    counts = data["tie_counts"]
    ties = sum(counts[k] for k in ("mutual", "one_way", "single"))
    if rel.number_of_nodes() == stakeholders:
        parts = [
            f"{stakeholders:,} stakeholders",
            f"{ties:,} relationships",
            f"{counts['one_way']:,} one-way",
        ]
    else:
        # An aggregated view: say plainly that the tie counts are of what is drawn.
        parts = [
            f"{stakeholders:,} stakeholders, partners collapsed",
            f"{ties:,} relationships drawn",
            f"{counts['one_way']:,} of them one-way",
        ]
    return " · ".join(parts)


def _options(large: bool) -> dict[str, Any]:
    """vis-network options, built on pyvis's network object."""
    net = Network(directed=True)
    net.toggle_physics(not large)
    options: dict[str, Any] = json.loads(net.options.to_json())
    options["physics"].update(
        {
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": True, "iterations": 150, "fit": True},
        }
    )
    options["edges"] = {
        "smooth": False if large else {"enabled": True, "type": "continuous"},
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"inherit": False},
        "selectionWidth": 2,
        "hoverWidth": 0.5,
    }
    options["nodes"] = {
        "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3},
        "scaling": {"label": {"drawThreshold": 11 if large else 5}},
    }
    options["layout"] = {"improvedLayout": False, "randomSeed": 7}
    options["interaction"].update(
        {
            "hover": True,
            "tooltipDelay": 120,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "navigationButtons": True,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": False,
        }
    )
    return options
