"""The part of a relationship graph a reader may see.

A partner sees the stakeholders within a few ties of its own (on the
undirected view, as :func:`partnermap.graph.ego.ego_network` counts depth) and
the ties among them. Viewers and partners never see a person on their own:
people are collapsed into groups (:func:`group_people`) before any finding or
page is computed, so no count of people under
:data:`~partnermap.privacy.SMALL_COUNT` can be read off a list, a finding or
a drawing. The ties of a group carry :data:`~partnermap.privacy.MASKED`, so
that their event counts, which count people too, are shown the same way
(:func:`partnermap.privacy.event_count`).

Every reader sees the same groups: they are made on the whole all-time
network, and a partner's view holds each group any of whose members it
reaches, whole (:func:`with_whole_groups`), so two views never show two
parts of one group whose sizes could be subtracted.

Notes
-----
Pure functions: graph in, graph out. The restricted graph is a copy, so
findings computed on it know nothing of what lies outside.

Not supported: hiding a count that can be worked out from several shown
ones. A total of people of 5 or more is shown as it is, and so is a group of
5 or more; when only one group is under 5, the total less the other groups
gives its size. A partner key bound to a person sees itself on its own, so
its own group shows one person fewer than a viewer's (which it knows).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from partnermap.graph.brokers import ties
from partnermap.privacy import MASKED, people_text, small_count

PERSON = "person"

GROUP_KIND = "people_group"
"""What counts by kind and legends count a group of people as: never as a
``person``, so that no number of groups reads as a number of people."""

GROUP_PREFIX = "people:"
"""Ids of groups of people start with this."""

UNATTACHED = GROUP_PREFIX + "unattached"
"""The group of the people tied to no stakeholder other than people."""


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


def is_group(node: str, data: Mapping[str, Any]) -> bool:
    """Whether a node (id and data) of a graph made by :func:`group_people`
    is a group of people.

    >>> is_group("people:unattached", {"kind": "person"})
    True
    """
    return data.get("kind") == PERSON and node.startswith(GROUP_PREFIX)


def kind_of(node: str, data: Mapping[str, Any]) -> str:
    """A node's kind for counting and drawing: :data:`GROUP_KIND` for a group
    of people, else its ``kind``.

    >>> kind_of("people:unattached", {"kind": "person"}), kind_of("s", {"kind": "school"})
    ('people_group', 'school')
    """
    return GROUP_KIND if is_group(node, data) else str(data.get("kind", ""))


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
    grouping: nx.DiGraph | None = None,
    keep: Iterable[str] = (),
) -> nx.DiGraph:
    """A copy of ``g`` with only ``nodes`` (all when None); people collapsed
    into groups (:func:`group_people`) when ``mask`` is given.

    ``mask`` (:func:`partnermap.privacy.person_label`) names the people in
    ``keep``, who stay on their own (a partner key's own stakeholder, when it
    is a person); everyone else is grouped. ``grouping`` is the graph whose
    ties decide the groups, whole (say the all-time graph of the whole
    network, so that every window and every scope shows the same groups);
    ``g`` by default. With ``mask``, ``nodes`` gain every person grouped with
    one of them (:func:`with_whole_groups`), so each group comes whole.

    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("z", "c"), ("z", "d")])
    >>> kinds = {"a": "person", "b": "school", "c": "school", "d": "school"}
    >>> nx.set_node_attributes(g, {**kinds, "z": "person"}, "kind")
    >>> nx.set_node_attributes(g, {"a": "Ann", "b": "B", "c": "C", "z": "Zoe"}, "name")
    >>> h = restrict(g, ["a", "b"], mask=lambda n: "Person " + n)
    >>> sorted(h.edges), h.nodes["people:3e23e8160039"]["name"]
    ([('people:3e23e8160039', 'b')], 'fewer than 5 people tied to B')
    >>> h = restrict(g, ["b", "c", "z"], mask=lambda n: "Person " + n)
    >>> [name for _, name in h.nodes(data="name")]  # d is outside
    ['B', 'C', 'fewer than 5 people tied to C and to stakeholders outside this view']
    """
    like = g if grouping is None else grouping
    if nodes is not None and mask is not None:
        nodes = with_whole_groups(like, nodes, keep=keep)
    view = g.subgraph(nodes) if nodes is not None else g
    if mask is None:
        return view.copy()
    return group_people(view, like=like, keep=keep, label=mask)


def with_whole_groups(
    g: nx.DiGraph, nodes: Iterable[str], *, keep: Iterable[str] = ()
) -> frozenset[str]:
    """``nodes`` and every person of ``g`` that :func:`group_people` of ``g``
    puts in one group with a person among them (but for those in ``keep``).

    A partner's view holds whole groups: the same groups, of the same sizes,
    as a viewer's. A group whose members it reaches only in part (through
    ties between people) thus counts people beyond its reach; they are never
    named, and only their ties to stakeholders of the view are shown.

    >>> g = nx.DiGraph([("p", "s"), ("q", "s"), ("r", "p")])
    >>> kinds = {"p": "person", "q": "person", "r": "person", "s": "school"}
    >>> nx.set_node_attributes(g, kinds, "kind")
    >>> sorted(with_whole_groups(g, ["r", "p"])), sorted(with_whole_groups(g, ["s"]))
    (['p', 'q', 'r'], ['s'])
    """
    wanted = set(nodes)
    tied = _tied(g, g, _kept(g, keep))
    reached = {tied[n] for n in wanted if n in tied}
    return frozenset(
        wanted | {p for p, partners in tied.items() if partners in reached}
    )


def group_people(
    g: nx.DiGraph,
    *,
    like: nx.DiGraph | None = None,
    keep: Iterable[str] = (),
    label: Callable[[str], str] | None = None,
) -> nx.DiGraph:
    """A copy of ``g`` with its people collapsed into groups.

    Parameters
    ----------
    g : networkx.DiGraph
        A relationship graph (:func:`partnermap.graph.snapshot.flow_graph`);
        people are the nodes of kind ``person``.
    like : networkx.DiGraph, optional
        The graph whose ties decide who is grouped with whom; ``g`` by default.
        A person missing from it is grouped by its ties in ``g``.
    keep : iterable of str, optional
        People who stay on their own, with no attributes and, when ``label``
        is given, named ``label(id)``; for grouping the others they are
        people like any other, so the groups are those of a reader without
        them (less the kept).
    label : callable, optional
        The name of a kept person, from its id.

    Returns
    -------
    networkx.DiGraph
        Every other stakeholder, and every tie between two of them, as in
        ``g``; after them one node per group, in order of id, with the ties of
        its members merged.

    Notes
    -----
    People whose sets of other stakeholders (people not counted) tied to them
    in ``like``, in either direction, are equal form one group. People tied
    to no other stakeholder (tied only to people, or to nobody) form one group
    too, :data:`UNATTACHED`, whichever people they are tied to. A kept person
    stays as it is, named by ``label``, and belongs to no group.

    A group's id is ``people:`` and 12 hex digits of the SHA-256 of the ids
    of its stakeholders, sorted and joined by newlines, so it names no person
    and stays the same while they do; ``people:unattached`` for the people
    tied to no one else (a ``~`` is added while an id is another
    stakeholder's). Its kind is ``person``, so filters by kind still find it;
    its name is :func:`partnermap.privacy.people_text` of its size followed
    by the names of the stakeholders it is tied to ("7 people tied to Adams
    Elementary", "fewer than 5 people tied to Adams Elementary and Baker
    Middle", "… tied to A, B and 3 others"), or by " without a partner" for
    the unattached; its attributes are ``{"people": 7}`` or
    ``{"people": "fewer than 5"}``.

    A group tied in ``like`` to stakeholders missing from ``g`` (outside a
    partner's view) names only those of ``g``, then "and to stakeholders
    outside this view" ("… tied to stakeholders outside this view" when it
    has none in ``g``); its id hashes the ids of its stakeholders in ``g``,
    an empty line, then its members' ids, so that it tells nothing about
    who lies outside.

    Each tie of a member becomes a tie of its group, in the same direction,
    marked ``masked`` (:data:`partnermap.privacy.MASKED`: its event counts
    count people). Ties that meet on one ordered pair add up as a snapshot
    adds flows: ``counts`` and ``events`` summed (a tie without ``events``
    counts as one event), the earliest ``first``, the latest ``last``, the
    highest ``intensity``, ``confirmed`` when any was; other edge data is the
    first tie's. A tie between two members of one group (a person's
    self-loop included) is dropped; ties between two groups merge like any
    other. Other stakeholders' self-loops stay. A graph without people gives
    an equal copy; an empty graph an empty one. Cost: linear in nodes and
    ties.

    Examples
    --------
    >>> g = nx.DiGraph([("p1", "s"), ("s", "p2"), ("p3", "p1")])
    >>> kinds = {"p1": "person", "p2": "person", "p3": "person", "s": "school"}
    >>> nx.set_node_attributes(g, kinds, "kind")
    >>> h = group_people(g)
    >>> for n, name in h.nodes(data="name"):
    ...     print(n, name)
    s None
    people:043a718774c5 fewer than 5 people tied to s
    people:unattached fewer than 5 people without a partner
    >>> sorted(h.edges)  # doctest: +NORMALIZE_WHITESPACE
    [('people:043a718774c5', 's'), ('people:unattached', 'people:043a718774c5'),
     ('s', 'people:043a718774c5')]
    >>> h.edges["s", "people:043a718774c5"]["masked"]
    True
    """
    kept = _kept(g, keep)
    tied = _tied(g, g if like is None else like, kept)
    groups, about = _groups(g, tied)
    h = _collapsed(g, groups, about)
    for person in kept:
        h.nodes[person]["attributes"] = {}
        if label is not None:
            h.nodes[person]["name"] = label(person)
    return h


def _kept(g: nx.DiGraph, keep: Iterable[str]) -> set[str]:
    return {n for n in keep if n in g and g.nodes[n].get("kind") == PERSON}


def _tied(g: nx.DiGraph, like: nx.DiGraph, kept: set[str]) -> dict[str, frozenset[str]]:
    """Each person of ``g`` but the kept, with the other stakeholders tied to
    it in ``like`` (in ``g`` when it is not in ``like``)."""
    return {
        n: _partners(like if n in like else g, n)
        for n, kind in g.nodes(data="kind")
        if kind == PERSON and n not in kept
    }


def _partners(g: nx.DiGraph, person: str) -> frozenset[str]:
    near = set(g.successors(person)) | set(g.predecessors(person))
    return frozenset(n for n in near if g.nodes[n].get("kind") != PERSON)


def _groups(
    g: nx.DiGraph, tied: dict[str, frozenset[str]]
) -> tuple[dict[str, str], dict[str, str]]:
    """Each person of ``tied`` and the id of its group; each group's id and
    what its name says after its size."""
    members: dict[frozenset[str], list[str]] = {}
    for person, partners in tied.items():
        members.setdefault(partners, []).append(person)
    # A group id must not be another stakeholder's.
    taken = set(g) - set(tied)
    groups, about = {}, {}
    for partners, people in members.items():
        inside = {n for n in partners if n in g}
        gid = _free(_group_id(partners, inside, people), taken)
        about[gid] = _about(g, inside, bool(partners - inside))
        groups.update(dict.fromkeys(people, gid))
    return groups, about


def _group_id(partners: frozenset[str], inside: set[str], people: list[str]) -> str:
    if not partners:
        return UNATTACHED
    lines = sorted(partners)
    if inside != partners:
        lines = [*sorted(inside), "", *sorted(people)]
    text = "\n".join(lines).encode("utf-8")
    return GROUP_PREFIX + hashlib.sha256(text).hexdigest()[:12]


def _about(g: nx.DiGraph, inside: set[str], outside: bool) -> str:
    """What a group's name says after its size: " tied to A and B", " tied
    to A and to stakeholders outside this view", or " without a partner"."""
    if not inside and not outside:
        return " without a partner"
    named = [_names(g, inside)] if inside else []
    if outside:
        named.append(("to " if inside else "") + "stakeholders outside this view")
    return " tied to " + " and ".join(named)


def _names(g: nx.DiGraph, ids: set[str]) -> str:
    """The stakeholders a group is tied to, by name, in name order: "A",
    "A and B", or "A, B and 3 others"."""
    found = sorted(str(g.nodes[n].get("name") or n) for n in ids)
    if len(found) <= 2:
        return " and ".join(found)
    return f"{found[0]}, {found[1]} and {len(found) - 2} others"


def _free(gid: str, taken: set[str]) -> str:
    while gid in taken:
        gid += "~"
    return gid


def _collapsed(g: nx.DiGraph, groups: dict[str, str], about: dict[str, str]) -> nx.DiGraph:
    h = nx.DiGraph()
    h.graph.update(g.graph)
    others = ((n, dict(data)) for n, data in g.nodes(data=True) if n not in groups)
    h.add_nodes_from(others)
    sizes = Counter(groups.values())
    for gid in sorted(sizes):
        name = people_text(sizes[gid]) + about[gid]
        people = small_count(sizes[gid])
        h.add_node(gid, name=name, kind=PERSON, attributes={"people": people})

    # One tie per ordered pair, in the order its first tie comes in g.
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, data in g.edges(data=True):
        pair = (groups.get(u, u), groups.get(v, v))
        if pair[0] == pair[1] and u in groups:
            continue
        if pair in edges:
            _add_tie(edges[pair], data)
        else:
            edges[pair] = _copied(data)
            if u in groups or v in groups:
                edges[pair][MASKED] = True
    h.add_edges_from((u, v, data) for (u, v), data in edges.items())
    return h


def _copied(data: dict[str, Any]) -> dict[str, Any]:
    """A tie's data that merging may change without changing ``data``."""
    if "counts" not in data:
        return dict(data)
    return {**data, "counts": dict(data["counts"])}


def _add_tie(edge: dict[str, Any], more: dict[str, Any]) -> None:
    """Add tie ``more`` to ``edge`` as a snapshot adds a flow; only the
    fields either of them has."""
    if "counts" in edge or "counts" in more:
        counts = edge.setdefault("counts", {})
        for kind, n in more.get("counts", {}).items():
            counts[kind] = counts.get(kind, 0) + n
    if "events" in edge or "events" in more:
        edge["events"] = edge.get("events", 1) + more.get("events", 1)
    for key, pick in (("first", min), ("last", max), ("intensity", max)):
        values = [d[key] for d in (edge, more) if d.get(key) is not None]
        if key in edge or key in more:
            edge[key] = pick(values) if values else None
    if "confirmed" in edge or "confirmed" in more:
        edge["confirmed"] = bool(edge.get("confirmed")) or bool(more.get("confirmed"))
