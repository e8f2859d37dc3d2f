"""A stakeholder's profile page: its connections, history and neighbourhood.

Everything shown is read from the relationship graph of the window and the
findings on it (one-way status comes from the one-way finding); the page
only arranges it. For an after-school provider the page is titled "My
connections", as the providers asked.

Notes
-----
History counts the stakeholder's interactions (as source or target) per
school year, from the interaction's own school year or, failing that, its
date (a school year starts on 1 July); undated ones are counted apart. The
neighbourhood picture shows at most :data:`EGO_MAX` neighbours, those with
the most events first. Dormant ties, the coverage rules broken and "what if
it leaves" are the rows of the dormant, coverage and what-if findings of
:mod:`partnermap.graph` that name this stakeholder, with their default
parameters (dormant: no interaction in the 365 days before the window's
latest event).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

import networkx as nx

from partnermap.graph.scope import GROUP_KIND
from partnermap.model import Interaction, InteractionType, StakeholderKind
from partnermap.privacy import event_counts, events_on
from partnermap.viz.charts import bar_chart, network_svg
from partnermap.viz.layout import positions
from partnermap.viz.network import KIND_STYLE
from partnermap.viz.pages import render_page

EGO_MAX = 40
"""Most neighbours drawn in a profile's neighbourhood picture."""

KIND_COLOURS = {kind.value: colour for kind, (colour, _) in KIND_STYLE.items()}
KIND_COLOURS[GROUP_KIND] = KIND_COLOURS[StakeholderKind.PERSON.value]

STATUS_TEXT = {
    "mutual": "Mutual",
    "one_way_out": "One-way out",
    "one_way_in": "One-way in",
}


def school_year_of(day: date) -> str:
    """The school year (July to June) a day falls in.

    >>> school_year_of(date(2014, 9, 1)), school_year_of(date(2015, 6, 30))
    ('2014-15', '2014-15')
    """
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def type_label(kind: str) -> str:
    """An interaction type's label, or the raw value when unknown."""
    try:
        return InteractionType(kind).info.label
    except ValueError:
        return kind


def kind_label(kind: str) -> str:
    """A stakeholder kind's label (a group of people's too), or the raw value
    when unknown."""
    if kind == GROUP_KIND:
        return "Group of people"
    try:
        return StakeholderKind(kind).label
    except ValueError:
        return kind


def render_profile(
    rel: nx.DiGraph,
    node: str,
    *,
    name: str,
    kind: str,
    attributes: dict[str, Any],
    source: str,
    one_way_rows: list[dict[str, Any]],
    interactions: Iterable[Interaction],
    window: str,
    broker: dict[str, Any] | None = None,
    dormant: dict[str, Any] | None = None,
    coverage: dict[str, Any] | None = None,
    what_if: dict[str, Any] | None = None,
) -> str:
    """The profile page of one stakeholder as HTML."""
    one_way = _one_way_status(one_way_rows, node)
    connections = _connections(rel, node, one_way)
    asleep = _dormant_since(dormant, node)
    for row in connections:
        row["dormant_since"] = asleep.get(row["id"], "")
    history = _history(interactions)
    marked = {(r["source"]["id"], r["target"]["id"]) for r in one_way.values()}
    ego = _ego_picture(rel, node, name, marked)
    mine = kind == StakeholderKind.AFTERSCHOOL_PROVIDER.value
    heading = f"My connections: {name}" if mine else name
    return render_page(
        "profile.html",
        title=f"{heading} · partnermap",
        heading=heading,
        node=node,
        name=name,
        kind=kind_label(kind),
        attributes=sorted((k, v) for k, v in attributes.items() if v not in ("", None)),
        source=source,
        connections=connections,
        counts=Counter(c["status"] for c in connections),
        dormant_count=sum(1 for c in connections if c["dormant_since"]),
        dormant_days=(dormant or {}).get("days"),
        dormant_as_of=(dormant or {}).get("as_of"),
        rules_broken=_rules_broken(coverage, node),
        what_if=what_if,
        history=bar_chart(history, title=f"Interactions per school year: {name}"),
        history_rows=history,
        ego=ego,
        window=window,
        broker=broker,
        mine=mine,
    )


def _one_way_status(rows: list[dict[str, Any]], node: str) -> dict[str, dict[str, Any]]:
    """For each other side of a one-way tie of ``node``: the finding's row."""
    out = {}
    for row in rows:
        s, t = row["source"]["id"], row["target"]["id"]
        if s == node:
            out[t] = row
        elif t == node:
            out[s] = row
    return out


def _dormant_since(dormant: dict[str, Any] | None, node: str) -> dict[str, str]:
    """For each other side of a dormant tie of ``node``: its last date."""
    out = {}
    for row in (dormant or {}).get("ties", []):
        a, b = (w["id"] for w in row["pair"])
        if node in (a, b):
            out[b if a == node else a] = row["last"]
    return out


def _rules_broken(coverage: dict[str, Any] | None, node: str) -> list[dict[str, Any]]:
    """The coverage rules ``node`` breaks, each with its gap row."""
    out = []
    for rule in (coverage or {}).get("rules", []):
        for gap in rule["gaps"]:
            if gap["who"]["id"] == node:
                out.append({"id": rule["id"], "text": rule["text"], **gap})
    return out


def _connections(
    rel: nx.DiGraph, node: str, one_way: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    if node not in rel:
        return []
    others = (set(rel.successors(node)) | set(rel.predecessors(node))) - {node}
    rows = []
    for other in others:
        out = rel.edges[node, other] if rel.has_edge(node, other) else {}
        back = rel.edges[other, node] if rel.has_edge(other, node) else {}
        dates = [d for e in (out, back) for d in (e.get("first"), e.get("last")) if d]
        status = "mutual" if out and back else ("one_way_out" if out else "one_way_in")
        finding = one_way.get(other)
        rows.append(
            {
                "id": other,
                "name": str(rel.nodes[other].get("name", other)),
                "kind": kind_label(str(rel.nodes[other].get("kind", ""))),
                "status": status,
                "status_text": STATUS_TEXT[status],
                "note": _note(finding),
                "out": _counts(out, back),
                "back": _counts(back, out),
                "events": events_on([out or None, back or None]),
                "first": min(dates) if dates else "",
                "last": max(dates) if dates else "",
            }
        )
    return sorted(rows, key=lambda r: (r["status"] == "mutual", r["name"].lower(), r["id"]))


def _note(finding: dict[str, Any] | None) -> str:
    if finding is None:
        return ""
    if finding.get("status") == "unknown":
        return "unconfirmed" if not finding.get("confirmed") else "other side never reported"
    return "nothing flows back"


def _counts(edge: dict[str, Any], back: dict[str, Any]) -> str:
    counts = event_counts(edge.get("counts") or {}, edge, back)
    return ", ".join(f"{type_label(k)} {n}" for k, n in sorted(counts.items()))


def _history(interactions: Iterable[Interaction]) -> list[tuple[str, float]]:
    years: Counter[str] = Counter()
    for item in interactions:
        year = item.school_year or (school_year_of(item.date) if item.date else "")
        years[year or "undated"] += 1
    dated = sorted(y for y in years if y != "undated")
    rows: list[tuple[str, float]] = [(y, years[y]) for y in dated]
    if years["undated"]:
        rows.append(("undated", years["undated"]))
    return rows


def _ego_picture(
    rel: nx.DiGraph, node: str, name: str, one_way: set[tuple[str, str]]
) -> Any:
    if node not in rel:
        return None
    near = (set(rel.successors(node)) | set(rel.predecessors(node))) - {node}

    def weight(other: str) -> int:
        out = rel.edges[node, other]["events"] if rel.has_edge(node, other) else 0
        back = rel.edges[other, node]["events"] if rel.has_edge(other, node) else 0
        return out + back

    shown = sorted(near, key=lambda o: (-weight(o), str(o)))[:EGO_MAX]
    ego = rel.subgraph([node, *shown])
    marked = {pair: "#D55E00" for pair in one_way if ego.has_edge(*pair)}
    return {
        "svg": network_svg(
            ego,
            positions(ego),
            colours=KIND_COLOURS,
            title=f"{name} and its neighbours",
            highlight=marked,
            centre=node,
            width=520,
            labels=len(shown) <= 25,
        ),
        "shown": len(shown),
        "total": len(near),
    }
