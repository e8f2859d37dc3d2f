"""What the network explorer shows: a filtered, and if need be aggregated, view.

:func:`select` keeps the part of a relationship graph that a person asked for
(kinds, a borough or district, one finding, one isolated group).
:func:`aggregate` keeps a view small enough to draw: past ``max_nodes`` it
collapses each stakeholder's leaf partners (ties to nobody else) into one
count node placed where they were. Neither computes a finding: one-way pairs
and isolated groups come in from :mod:`partnermap.graph`.

Notes
-----
A borough keeps the stakeholders whose ``borough`` attribute names it (schools
and program sites carry one) and everyone tied to a kept school. A district
keeps the schools whose DBN starts with its two digits (``01M292`` is in
district 01) and everyone tied to them. Kinds are applied after the place.
``one_way`` keeps only the one-way ties and their two ends; ``isolated``
keeps the isolated groups and the stakeholders with no tie at all.

Not supported: aggregating by community (the communities finding is not
available yet); a view whose core alone passes ``max_nodes`` is drawn as is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from partnermap.privacy import MASKED, is_masked
from partnermap.viz.layout import Point

FINDINGS = {"one_way": "Only one-way ties", "isolated": "Only isolated groups"}
"""The finding filters the explorer offers, with their labels."""

COLLAPSED_KIND = "collapsed"
"""Kind given to a node that stands for several collapsed stakeholders."""


@dataclass(frozen=True)
class ViewFilter:
    """What part of the network a person asked to see; empty means all."""

    kinds: frozenset[str] = frozenset()
    borough: str = ""
    district: str = ""
    finding: str = ""
    group: str = ""

    def is_empty(self) -> bool:
        """Whether the filter keeps everything."""
        return not (self.kinds or self.borough or self.district or self.finding or self.group)


@dataclass
class View:
    """A drawable view: the graph, its one-way ties and isolated members."""

    graph: nx.DiGraph
    one_way: set[tuple[str, str]]
    isolated: set[str]
    positions: dict[str, Point]
    stakeholders: int
    collapsed: dict[str, list[str]] = field(default_factory=dict)


def district_of(node: str, attrs: dict[str, Any]) -> str:
    """The two-digit district of a school's DBN, or "" for anyone else.

    >>> district_of("01M292", {"kind": "school"}), district_of("x", {"kind": "school"})
    ('01', '')
    """
    if attrs.get("kind") != "school" or len(node) < 3 or not node[:2].isdigit():
        return ""
    return node[:2]


def places(rel: nx.DiGraph) -> tuple[list[str], list[str]]:
    """The boroughs and districts present, sorted, for the filter form."""
    boroughs = {
        str(b) for _, a in rel.nodes(data="attributes") if a and (b := a.get("borough"))
    }
    districts = {district_of(n, a) for n, a in rel.nodes(data=True)} - {""}
    return sorted(boroughs), sorted(districts)


def select(
    rel: nx.DiGraph,
    flt: ViewFilter,
    *,
    one_way: set[tuple[str, str]],
    groups: dict[str, list[str]],
    lonely: Iterable[str],
) -> nx.DiGraph:
    """The part of ``rel`` that ``flt`` keeps (see the module Notes).

    ``groups`` maps an isolated group's id (``group-3``) to its members and
    ``lonely`` lists the stakeholders with no tie at all.
    """
    keep: set[str] = set(rel.nodes)
    if flt.group:
        keep &= set(groups.get(flt.group, []))
    if flt.finding == "isolated":
        keep &= {m for members in groups.values() for m in members} | set(lonely)
    if flt.borough or flt.district:
        keep &= _in_place(rel, flt.borough, flt.district)
    if flt.kinds:
        keep = {n for n in keep if rel.nodes[n].get("kind") in flt.kinds}
    if flt.finding == "one_way":
        pairs = [(u, v) for u, v in one_way if u in keep and v in keep]
        view = nx.DiGraph()
        view.add_nodes_from((n, rel.nodes[n]) for pair in pairs for n in pair)
        view.add_edges_from((u, v, rel.edges[u, v]) for u, v in pairs)
        return view
    return rel.subgraph(keep).copy()


def _in_place(rel: nx.DiGraph, borough: str, district: str) -> set[str]:
    """Stakeholders in a borough or district, with everyone tied to its schools."""
    found = set()
    for node, attrs in rel.nodes(data=True):
        where = attrs.get("attributes") or {}
        if borough and str(where.get("borough", "")).lower() != borough.lower():
            continue
        if district and district_of(node, attrs) != district:
            continue
        found.add(node)
    schools = [n for n in found if rel.nodes[n].get("kind") == "school"]
    for school in schools:
        found.update(rel.successors(school))
        found.update(rel.predecessors(school))
    return found


def aggregate(
    view: nx.DiGraph,
    *,
    one_way: set[tuple[str, str]],
    isolated: set[str],
    positions: dict[str, Point],
    max_nodes: int,
    keep: Iterable[str] = (),
) -> View:
    """A view of at most about ``max_nodes`` nodes, collapsing leaf partners.

    Each stakeholder's leaves (stakeholders tied to it and to nobody else)
    become one node named "N partners" at their centre, tied to it by one
    edge that carries their summed counts. Stakeholders in ``keep`` (a focus)
    are never collapsed. A view already small enough is returned whole.
    """
    count = view.number_of_nodes()
    one_way_here = {(u, v) for u, v in one_way if view.has_edge(u, v)}
    whole = View(view, one_way_here, isolated & set(view), positions, count)
    if count <= max_nodes:
        return whole
    leaves = _leaves_by_parent(view, set(keep))
    if not leaves:
        return whole
    return _collapse(view, leaves, whole)


def _leaves_by_parent(view: nx.DiGraph, keep: set[str]) -> dict[str, list[str]]:
    """Leaves grouped by the one stakeholder each is tied to; pairs of leaves
    (two stakeholders tied only to each other) stay as they are."""
    by_parent: dict[str, list[str]] = {}
    for node in view:
        near = (set(view.successors(node)) | set(view.predecessors(node))) - {node}
        if len(near) != 1 or node in keep:
            continue
        (parent,) = near
        others = (set(view.successors(parent)) | set(view.predecessors(parent))) - {parent}
        if len(others) > 1:
            by_parent.setdefault(parent, []).append(node)
    return {p: sorted(ls) for p, ls in by_parent.items() if len(ls) > 1}


def _collapse(view: nx.DiGraph, leaves: dict[str, list[str]], whole: View) -> View:
    g = view.copy()
    one_way = set(whole.one_way)
    placed = dict(whole.positions)
    collapsed = {}
    for parent, members in sorted(leaves.items()):
        node = f"collapsed:{parent}"
        name = g.nodes[parent].get("name", parent)
        g.add_node(
            node,
            name=f"{len(members):,} partners of {name}",
            kind=COLLAPSED_KIND,
            attributes={"members": len(members)},
        )
        out = _summed(view, [(parent, m) for m in members])
        back = _summed(view, [(m, parent) for m in members])
        if out:
            g.add_edge(parent, node, **out)
        if back:
            g.add_edge(node, parent, **back)
        if out and not back and all((parent, m) in whole.one_way for m in members):
            one_way.add((parent, node))
        xs = [whole.positions[m] for m in members if m in whole.positions]
        if xs:
            placed[node] = (
                sum(x for x, _ in xs) / len(xs),
                sum(y for _, y in xs) / len(xs),
            )
        g.remove_nodes_from(members)
        collapsed[node] = members
    one_way = {(u, v) for u, v in one_way if g.has_edge(u, v)}
    return View(g, one_way, whole.isolated & set(g), placed, whole.stakeholders, collapsed)


def _summed(view: nx.DiGraph, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """One edge's attributes standing for several edges."""
    edges = [view.edges[u, v] for u, v in pairs if view.has_edge(u, v)]
    if not edges:
        return {}
    counts: dict[str, int] = {}
    for e in edges:
        for kind, n in (e.get("counts") or {}).items():
            counts[kind] = counts.get(kind, 0) + n
    firsts = [e["first"] for e in edges if e.get("first")]
    lasts = [e["last"] for e in edges if e.get("last")]
    return {
        "counts": counts,
        "events": sum(e.get("events", 0) for e in edges),
        "first": min(firsts) if firsts else None,
        "last": max(lasts) if lasts else None,
        "intensity": max(e.get("intensity") or 1 for e in edges),
        "confirmed": any(e.get("confirmed") for e in edges),
        **({MASKED: True} if is_masked(*edges) else {}),
    }
