"""Snapshots: networkx views of a store for a time window.

Two views are built from the same interactions:

- the relationship graph (:func:`relationship_graph`): one directed edge per
  ordered pair whose flows reached the other, with counts per interaction
  type, first and last date, highest intensity, and whether any flow was
  confirmed. An interaction that flows both ways (a meeting, a program run at
  a site) gives an edge in each direction. Analytics run on this view, which
  is far smaller than the event log.
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

from partnermap.model import Direction, Interaction, Stakeholder
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
    """Read a store once and build its relationship graph for a window."""
    window = window or Window()
    version = store.version()
    rel = relationship_graph(
        store.iter_stakeholders(),
        store.iter_interactions(start=window.start, end=window.end),
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
    stakeholder's interaction with itself) is kept as an edge u -> u.

    Examples
    --------
    >>> from partnermap.model import InteractionType as T, StakeholderKind as K
    >>> people = [Stakeholder("a", "A", K.SCHOOL), Stakeholder("b", "B", K.NONPROFIT)]
    >>> events = [Interaction("a", "b", T.MEETING), Interaction("a", "b", T.INFORMATION_SENT)]
    >>> g = relationship_graph(people, events)
    >>> sorted(g.edges), g.edges["a", "b"]["events"], g.edges["b", "a"]["events"]
    ([('a', 'b'), ('b', 'a')], 2, 1)
    """
    g = nx.DiGraph()
    for person in stakeholders:
        g.add_node(
            person.id,
            name=person.name,
            kind=person.kind.value,
            attributes=person.attributes,
        )
    # Aggregate in plain dicts first: far cheaper per event than graph lookups.
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for item in interactions:
        day = item.date.isoformat() if item.date else None
        _add_flow(edges, item.source, item.target, item, day)
        if item.direction is Direction.BOTH and item.source != item.target:
            _add_flow(edges, item.target, item.source, item, day)
    g.add_edges_from((u, v, data) for (u, v), data in edges.items())
    return g


def _add_flow(
    edges: dict[tuple[str, str], dict[str, Any]],
    u: str,
    v: str,
    item: Interaction,
    day: str | None,
) -> None:
    intensity = int(item.type.info.intensity)
    edge = edges.get((u, v))
    if edge is None:
        edge = edges[u, v] = {
            "counts": {},
            "events": 0,
            "first": day,
            "last": day,
            "intensity": intensity,
            "confirmed": False,
        }
    counts = edge["counts"]
    counts[item.type.value] = counts.get(item.type.value, 0) + 1
    edge["events"] += 1
    if day is not None:
        if edge["first"] is None or day < edge["first"]:
            edge["first"] = day
        if edge["last"] is None or day > edge["last"]:
            edge["last"] = day
    edge["intensity"] = max(edge["intensity"], intensity)
    if item.confirmed:
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
