"""One-way and mutual relationships.

Notes
-----
A relationship u -> v is one-way when u's flows reach v and none of v's
flows reach u in the window. An interaction that flows both ways (a meeting)
makes the pair mutual. Parallel events count once for the question "is there
a flow", and their counts by type are the evidence. A self-loop is never
one-way. An empty graph has no one-way relationships.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from partnermap.model import InteractionType
from partnermap.privacy import event_sum


def one_way_pairs(g: nx.DiGraph) -> set[tuple[str, str]]:
    """Ordered pairs (u, v) with a flow u -> v and none v -> u.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("s", "s")])
    >>> one_way_pairs(g)
    {('a', 'c')}
    """
    return {(u, v) for u, v in g.edges if u != v and not g.has_edge(v, u)}


def mutual_pairs(g: nx.DiGraph) -> set[frozenset[str]]:
    """Unordered pairs with flows both ways; self-loops excluded.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("s", "s")])
    >>> mutual_pairs(g) == {frozenset({"a", "b"})}
    True
    """
    return {frozenset((u, v)) for u, v in g.edges if u != v and g.has_edge(v, u)}


# Channels group interaction types by what flows: information out, feedback
# back, shared work (data, resources, money, time) and joint activities that
# both sides take part in by nature.
CHANNELS: dict[str, frozenset[str]] = {
    "information": frozenset(
        {InteractionType.INFORMATION_SENT.value, InteractionType.PARTNER_LISTED.value}
    ),
    "feedback": frozenset({InteractionType.FEEDBACK_GIVEN.value}),
    "shared_work": frozenset(
        {
            InteractionType.DATA_SHARED.value,
            InteractionType.RESOURCES_SHARED.value,
            InteractionType.FUNDING.value,
            InteractionType.VOLUNTEERING.value,
        }
    ),
    "joint": frozenset(
        {
            InteractionType.MEETING.value,
            InteractionType.PROGRAM_HOSTED.value,
            InteractionType.JOINT_PLANNING.value,
            InteractionType.AGREEMENT.value,
        }
    ),
}


def channel_of(kind: str) -> str:
    """The channel an interaction type belongs to; unknown types are ``other``.

    >>> channel_of("feedback_given"), channel_of("meeting"), channel_of("x")
    ('feedback', 'joint', 'other')
    """
    return next((name for name, kinds in CHANNELS.items() if kind in kinds), "other")


def reporters(g: nx.DiGraph) -> set[str]:
    """Stakeholders with at least one confirmed flow to someone else.

    A stakeholder outside this set never reported anything: every record that
    names it came from the other side (a directory listing, a survey it did
    not answer). Its silence is not evidence of a one-way tie.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", confirmed=True)
    >>> g.add_edge("c", "a", confirmed=False)
    >>> sorted(reporters(g))
    ['a']
    """
    return {u for u, v, ok in g.edges(data="confirmed", default=True) if u != v and ok}


@dataclass(frozen=True)
class TieBalance:
    """How the flows between two stakeholders balance; ``source`` sends more."""

    source: str
    target: str
    out_events: int
    back_events: int
    status: str
    reason: str
    out_by_channel: dict[str, int]
    back_by_channel: dict[str, int]

    @property
    def share(self) -> float:
        """The source's share of the pair's events, 0.5 to 1."""
        return self.out_events / (self.out_events + self.back_events)


def tie_balances(
    g: nx.DiGraph, *, threshold: float = 0.8, known: set[str] | None = None
) -> list[TieBalance]:
    """Classify every pair of stakeholders with a flow between them.

    Parameters
    ----------
    g : networkx.DiGraph
        A relationship graph (see :func:`partnermap.graph.snapshot.relationship_graph`).
    threshold : float
        A pair whose busier side sends at least this share of the pair's
        events is lopsided; between 0.5 and 1. At 1 only strictly one-way
        pairs are flagged.
    known : set of str, optional
        Stakeholders known to report (see :func:`reporters`); by default those
        of ``g`` itself. Pass the reporters of the whole store so that a
        stakeholder that reported in another period is not called silent.

    Returns
    -------
    list of TieBalance
        Ordered by source then target. ``status`` is one of ``balanced``,
        ``lopsided``, ``one_way`` and ``unknown``; ``reason`` says why.

    Notes
    -----
    Edges without ``events`` count as one event, and without ``confirmed``
    as confirmed. Events are counted per ordered pair: a meeting counts once each way, so
    it never tips the balance. The busier side is the source; on a tie the
    smaller id. A pair with no flow back is ``unknown``, not one-way, where
    the target never confirmed any flow on the tie (reason
    ``unconfirmed_claim``: a directory listing) or never reported anything
    at all (reason ``never_reported``: a survey non-respondent). Otherwise it
    is ``one_way``. A pair with flows back is ``lopsided`` when the source's
    share reaches ``threshold``, else ``balanced``. Self-loops are ignored.
    An empty graph gives an empty list.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", counts={"information_sent": 9}, events=9, confirmed=True)
    >>> g.add_edge("b", "a", counts={"feedback_given": 1}, events=1, confirmed=True)
    >>> [(t.source, t.target, t.status) for t in tie_balances(g, threshold=0.8)]
    [('a', 'b', 'lopsided')]
    """
    if not 0.5 <= threshold <= 1:
        raise ValueError(f"threshold {threshold} is not between 0.5 and 1")
    return _balances(g, threshold, reporters(g) if known is None else known)


def _balances(g: nx.DiGraph, threshold: float, known: set[str]) -> list[TieBalance]:
    # The adjacency dicts themselves: a networkx view costs a call per lookup.
    succ = g._succ
    rows = []
    for u, nbrs in succ.items():
        for v, out in nbrs.items():
            back = succ[v].get(u)
            n_out = out.get("events", 1)
            n_back = back.get("events", 1) if back is not None else 0
            if u == v or (back is not None and not _busier(n_out, n_back, u, v)):
                continue
            if back is None:
                reason = (
                    "unconfirmed_claim"
                    if not out.get("confirmed", True)
                    else ("never_reported" if v not in known else "no_flow_back")
                )
                status = "one_way" if reason == "no_flow_back" else "unknown"
            else:
                lop = n_out / (n_out + n_back) >= threshold
                status, reason = ("lopsided", "few_flows_back") if lop else ("balanced", "")
            rows.append(
                TieBalance(u, v, n_out, n_back, status, reason,
                           _by_channel(out), _by_channel(back))
            )
    return sorted(rows, key=lambda t: (t.source, t.target))


def _busier(a: int, b: int, u: str, v: str) -> bool:
    return a > b or (a == b and u < v)


_CHANNEL_OF = {kind: name for name, kinds in CHANNELS.items() for kind in kinds}


def shown_by_channel(
    edge: dict[str, Any] | None, *ties: dict[str, Any] | None
) -> dict[str, int | str]:
    """An edge's events by channel as viewers and partners see them: each
    channel the sum of its types (:func:`partnermap.privacy.event_sum`), so
    that a channel of 9 with a type under 5 reads "at least ...".

    >>> edge = {"counts": {"information_sent": 7, "partner_listed": 2}, "masked": True}
    >>> shown_by_channel(edge), shown_by_channel({"counts": {"meeting": 2}})
    ({'information': 'at least 8'}, {'joint': 2})
    """
    parts: dict[str, list[int]] = {}
    for kind, n in (edge or {}).get("counts", {}).items():
        parts.setdefault(_CHANNEL_OF.get(kind, "other"), []).append(n)
    return {name: event_sum(parts[name], edge, *ties) for name in sorted(parts)}


def _by_channel(edge: dict[str, Any] | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for kind, n in (edge or {}).get("counts", {}).items():
        name = _CHANNEL_OF.get(kind, "other")
        out[name] = out.get(name, 0) + n
    return dict(sorted(out.items()))
