"""Snapshots: networkx views of a store for a time window.

Two views are built from the same interactions:

- the relationship graph (:func:`relationship_graph`): one directed edge per
  ordered pair whose flows reached the other, with counts per interaction
  type, first and last date, highest intensity, and whether any flow was
  confirmed. An interaction that flows both ways (a meeting, a program run at
  a site) gives an edge in each direction. Analytics run on this view, which
  is far smaller than the event log. A snapshot builds it from flows the
  store has already aggregated (:func:`flow_graph`), never from the events.
- the event multigraph (:func:`event_graph`): one edge per interaction, for
  the few questions that need every event.

This module reads the store; the analytics beside it never do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from partnermap.model import (
    Direction,
    Flow,
    Interaction,
    InteractionType,
    Stakeholder,
    flows_of,
)
from partnermap.store.base import Store


@dataclass(frozen=True)
class Window:
    """A closed date window; None on a side means unbounded."""

    start: date | None = None
    end: date | None = None

    def label(self) -> str:
        """``2014-07-01..2015-06-30``, or ``all time``."""
        if self.start is None and self.end is None:
            return "all time"
        first = self.start.isoformat() if self.start else ""
        last = self.end.isoformat() if self.end else ""
        return f"{first}..{last}"


@dataclass
class Snapshot:
    """The relationship graph of a store for one window, at one store version."""

    relationships: nx.DiGraph
    version: int
    window: Window


def take_snapshot(store: Store, window: Window | None = None) -> Snapshot:
    """Read a store once and build its relationship graph for a window.

    The store aggregates the events (:meth:`Store.iter_flows`), so the event
    log itself is never read into Python.
    """
    window = window or Window()
    version = store.version()
    rel = flow_graph(
        store.iter_stakeholders(), store.iter_flows(start=window.start, end=window.end)
    )
    return Snapshot(relationships=rel, version=version, window=window)


def relationship_graph(
    stakeholders: Iterable[Stakeholder], interactions: Iterable[Interaction]
) -> nx.DiGraph:
    """Aggregate interactions into one directed edge per ordered pair with a flow.

    Parameters
    ----------
    stakeholders : iterable of Stakeholder
        Every stakeholder becomes a node, with or without interactions.
    interactions : iterable of Interaction
        Each flows source to target; one whose direction is ``both`` also
        flows target to source.

    Returns
    -------
    networkx.DiGraph
        Nodes carry ``name``, ``kind`` and ``attributes``. Edges carry
        ``counts`` (interaction type to number of events), ``events``,
        ``first`` and ``last`` (ISO dates or None), ``intensity`` (the highest)
        and ``confirmed`` (whether any flow on the edge was confirmed).

    Notes
    -----
    Parallel events between one pair add up on one edge. A self-loop (a
    stakeholder's interaction with itself) is kept as an edge u -> u. Edges,
    and the types in ``counts``, are in the order they first occur.

    Examples
    --------
    >>> from partnermap.model import InteractionType as T, StakeholderKind as K
    >>> people = [Stakeholder("a", "A", K.SCHOOL), Stakeholder("b", "B", K.NONPROFIT)]
    >>> events = [Interaction("a", "b", T.MEETING), Interaction("a", "b", T.INFORMATION_SENT)]
    >>> g = relationship_graph(people, events)
    >>> sorted(g.edges), g.edges["a", "b"]["events"], g.edges["b", "a"]["events"]
    ([('a', 'b'), ('b', 'a')], 2, 1)
    """
    return flow_graph(stakeholders, flows_of(interactions))


def flow_graph(
    stakeholders: Iterable[Stakeholder], flows: Iterable[Flow]
) -> nx.DiGraph:
    """The relationship graph of already aggregated flows.

    The same graph as :func:`relationship_graph` of the events the flows
    aggregate, when the flows come in the order of their first event.

    Examples
    --------
    >>> from partnermap.model import InteractionType as T, StakeholderKind as K
    >>> people = [Stakeholder("a", "A", K.SCHOOL), Stakeholder("b", "B", K.NONPROFIT)]
    >>> flow = Flow("a", "b", T.MEETING, Direction.BOTH, True, 3, "2015-01-05", None)
    >>> g = flow_graph(people, [flow])
    >>> g.edges["b", "a"]["counts"], g.edges["b", "a"]["first"]
    ({'meeting': 3}, '2015-01-05')
    """
    g = nx.DiGraph()
    g.add_nodes_from(
        (p.id, {"name": p.name, "kind": p.kind.value, "attributes": p.attributes})
        for p in stakeholders
    )
    g.add_edges_from((u, v, data) for (u, v), data in _aggregate(flows).items())
    return g


_INTENSITY = {t: int(t.info.intensity) for t in InteractionType}


def _aggregate(flows: Iterable[Flow]) -> dict[tuple[str, str], dict[str, Any]]:
    # Plain dicts first: far cheaper per flow than graph lookups.
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    both = Direction.BOTH
    for source, target, kind, direction, confirmed, events, first, last in flows:
        row = (kind.value, _INTENSITY[kind], confirmed, events, first, last)
        _add_flow(edges, (source, target), row)
        if direction is both and source != target:
            _add_flow(edges, (target, source), row)
    return edges


def _add_flow(
    edges: dict[tuple[str, str], dict[str, Any]],
    pair: tuple[str, str],
    row: tuple[str, int, bool, int, str | None, str | None],
) -> None:
    kind, intensity, confirmed, events, first, last = row
    edge = edges.get(pair)
    if edge is None:
        edges[pair] = {
            "counts": {kind: events},
            "events": events,
            "first": first,
            "last": last,
            "intensity": intensity,
            "confirmed": confirmed,
        }
        return
    counts = edge["counts"]
    counts[kind] = counts.get(kind, 0) + events
    edge["events"] += events
    if first is not None and (edge["first"] is None or first < edge["first"]):
        edge["first"] = first
    if last is not None and (edge["last"] is None or last > edge["last"]):
        edge["last"] = last
    edge["intensity"] = max(edge["intensity"], intensity)
    if confirmed:
        edge["confirmed"] = True


def event_graph(
    stakeholders: Iterable[Stakeholder], interactions: Iterable[Interaction]
) -> nx.MultiDiGraph:
    """One edge per interaction, keyed by the interaction's idempotency key.

    Examples
    --------
    >>> from partnermap.model import InteractionType as T, StakeholderKind as K
    >>> people = [Stakeholder("a", "A", K.SCHOOL), Stakeholder("b", "B", K.NONPROFIT)]
    >>> g = event_graph(people, [Interaction("a", "b", T.MEETING)] * 2)
    >>> g.number_of_edges()
    1
    """
    g = nx.MultiDiGraph()
    for person in stakeholders:
        g.add_node(person.id, name=person.name, kind=person.kind.value)
    for item in interactions:
        data = item.to_dict()
        g.add_edge(item.source, item.target, key=data.pop("key"), **data)
    return g
