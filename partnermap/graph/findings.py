"""Findings: what a coordinator must act on, as plain data.

Each finding says what was found, who it is about, the evidence, and a
suggested next step. The CLI, the API and the pages render these records;
none of them computes findings itself.

Notes
-----
On a viewer's or partner's graph (:func:`partnermap.graph.scope.group_people`)
a group of people is one member of a group, community or cut-off set: sizes
count it once, counts by kind count it under ``people_group``
(:data:`~partnermap.graph.scope.GROUP_KIND`), never under ``person``, and
texts name it ("2 stakeholders and 1 group of people (2 schools, 7 people
tied to Adams Elementary)"). The event counts of a tie of a group read
"fewer than 5" under 5 (:func:`partnermap.privacy.event_count`), in the
records and in their texts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import networkx as nx

from partnermap.graph.components import (
    isolated_groups,
    isolated_stakeholders,
    main_component,
)
from partnermap.graph.reciprocity import (
    TieBalance,
    mutual_pairs,
    one_way_pairs,
    shown_by_channel,
    tie_balances,
)
from partnermap.model import InteractionType, StakeholderKind
from partnermap.privacy import event_counts, events_on


def _who(g: nx.DiGraph, node: str) -> dict[str, str]:
    data = g.nodes[node]
    return {"id": node, "name": data.get("name", node), "kind": data.get("kind", "")}


def _kind_label(kind: str) -> str:
    if kind == "people_group":
        return "Group of people"
    try:
        return StakeholderKind(kind).label
    except ValueError:
        return kind


def kinds_and_groups(g: nx.DiGraph, members: Iterable[str]) -> tuple[Counter[str], list[str]]:
    """How many members are of each kind, leaving out groups of people (as a
    viewer's graph holds them, see :func:`partnermap.graph.scope.group_people`),
    and those groups' names ("7 people", "fewer than 5 people"), so that no
    text counts a group as one person.

    >>> g = nx.DiGraph()
    >>> g.add_node("s", kind="school")
    >>> g.add_node("people:ab", kind="person", name="fewer than 5 people")
    >>> kinds_and_groups(g, ["s", "people:ab"])
    (Counter({'school': 1}), ['fewer than 5 people'])
    """
    from partnermap.graph.scope import is_group

    kinds: Counter[str] = Counter()
    groups = []
    for m in members:
        data = g.nodes[m]
        if is_group(m, data):
            groups.append(str(data.get("name", m)))
        else:
            kinds[data.get("kind", "")] += 1
    return kinds, sorted(groups)


def kind_counts(g: nx.DiGraph, members: Iterable[str]) -> dict[str, int]:
    """How many members are of each kind, in order of kind; a group of people
    counts under ``people_group``, never under ``person``.

    >>> g = nx.DiGraph()
    >>> g.add_node("s", kind="school")
    >>> g.add_node("people:ab", kind="person", name="fewer than 5 people")
    >>> kind_counts(g, ["s", "people:ab"])
    {'people_group': 1, 'school': 1}
    """
    from partnermap.graph.scope import kind_of

    return dict(sorted(Counter(kind_of(m, g.nodes[m]) for m in members).items()))


def members_text(g: nx.DiGraph, members: Iterable[str]) -> str:
    """Who the members are: counts by kind, most first, then the groups of
    people by name.

    >>> g = nx.DiGraph()
    >>> g.add_nodes_from(["s1", "s2"], kind="school")
    >>> g.add_node("n", kind="nonprofit")
    >>> g.add_node("people:ab", kind="person", name="7 people tied to S1")
    >>> members_text(g, ["s1", "s2", "n", "people:ab"])
    '2 schools, 1 nonprofit, 7 people tied to S1'
    """
    kinds, groups = kinds_and_groups(g, members)
    ranked = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    counted = [f"{n} {plural(_kind_label(k).lower(), n)}" for k, n in ranked]
    return ", ".join(counted + groups)


def count_text(g: nx.DiGraph, members: Iterable[str]) -> str:
    """How many members there are, groups of people counted apart.

    >>> g = nx.DiGraph()
    >>> g.add_node("s", kind="school")
    >>> g.add_node("people:ab", kind="person")
    >>> count_text(g, ["s"]), count_text(g, ["s", "people:ab"])
    ('1 stakeholder', '1 stakeholder and 1 group of people')
    >>> count_text(g, ["people:ab"])
    '1 group of people'
    """
    kinds, groups = kinds_and_groups(g, members)
    n, m = sum(kinds.values()), len(groups)
    parts = [f"{n:,} stakeholder{'' if n == 1 else 's'}"] if n or not m else []
    if m:
        parts.append(f"{m:,} group{'' if m == 1 else 's'} of people")
    return " and ".join(parts)


def plural(label: str, n: int) -> str:
    """``college or university`` -> ``colleges or universities`` when n > 1.

    >>> plural("group of people", 2), plural("school", 1), plural("family group", 3)
    ('groups of people', 'school', 'family groups')
    """
    if n == 1:
        return label
    if label == "group of people":
        return "groups of people"

    def one(word: str) -> str:
        if word.endswith("y") and word[-2:] not in ("ay", "ey", "oy"):
            return word[:-1] + "ies"
        return word + ("es" if word.endswith("s") else "s")

    head, _, tail = label.partition(" or ")
    words = head.split(" ")
    words[-1] = one(words[-1])
    return " ".join(words) + (f" or {one(tail)}" if tail else "")


def isolated_groups_finding(g: nx.DiGraph) -> dict[str, Any]:
    """Isolated groups with their members, and isolated stakeholders.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("x", "y")])
    >>> g.add_node("z")
    >>> out = isolated_groups_finding(g)
    >>> out["totals"]
    {'groups': 1, 'stakeholders_in_groups': 2, 'isolated_stakeholders': 1, 'main_component_size': 3}
    """
    groups = []
    for n, members in enumerate(isolated_groups(g), 1):
        who = sorted((_who(g, m) for m in members), key=lambda w: (w["name"], w["id"]))
        described = f"{count_text(g, members)} ({members_text(g, members)})"
        groups.append(
            {
                "id": f"group-{n}",
                "size": len(members),
                "members": who,
                "kinds": kind_counts(g, members),
                "what": f"{described} tied only to "
                "each other, with no path to the main network",
                "suggestion": "introduce one of them to a school or partner in the "
                "main network",
            }
        )
    lonely = sorted(
        (_who(g, n) for n in isolated_stakeholders(g)),
        key=lambda w: (w["name"], w["id"]),
    )
    for who in lonely:
        who["suggestion"] = "record an interaction, or check whether it is still active"
    return {
        "groups": groups,
        "isolated_stakeholders": lonely,
        "totals": {
            "groups": len(groups),
            "stakeholders_in_groups": sum(gr["size"] for gr in groups),
            "isolated_stakeholders": len(lonely),
            "main_component_size": len(main_component(g)),
        },
    }


def one_way_finding(
    g: nx.DiGraph,
    *,
    threshold: float = 0.8,
    known: set[str] | None = None,
    balances: list[TieBalance] | None = None,
) -> dict[str, Any]:
    """One-way relationships: the pair, the direction and counts by type.

    ``confirmed`` is False where every flow is a one-sided claim (a school
    listing a partner that never confirmed it). Each row also carries
    ``status`` (``one_way`` or ``unknown``), ``reason`` and the events by
    channel; ``balance`` classifies every pair, lopsided ones included, with
    the asymmetry ``threshold`` (see
    :func:`partnermap.graph.reciprocity.tie_balances`; ``known`` is passed on).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("a", name="A", kind="school")
    >>> g.add_node("b", name="B", kind="nonprofit")
    >>> g.add_edge("a", "b", counts={"information_sent": 3}, events=3,
    ...            first=None, last=None, confirmed=True)
    >>> out = one_way_finding(g)
    >>> out["relationships"][0]["direction"], out["totals"]["one_way"]
    ('A → B', 1)
    """
    if balances is None:
        balances = tie_balances(g, threshold=threshold, known=known)
    status = {(t.source, t.target): t for t in balances}
    rows = []
    for u, v in sorted(one_way_pairs(g), key=lambda p: (g.nodes[p[0]].get("name", p[0]), p)):
        edge = g.edges[u, v]
        source, target = _who(g, u), _who(g, v)
        counts = event_counts(dict(sorted(edge["counts"].items())), edge)
        rows.append(
            {
                "source": source,
                "target": target,
                "direction": f"{source['name']} → {target['name']}",
                "counts": counts,
                "events": events_on([edge]),
                "first": edge.get("first"),
                "last": edge.get("last"),
                "confirmed": bool(edge.get("confirmed")),
                "what": _one_way_text(source["name"], target["name"], counts),
                "suggestion": f"ask {target['name']} for feedback or to confirm the tie"
                if not edge.get("confirmed")
                else f"give {target['name']} a way to respond to {source['name']}",
                "status": status[u, v].status,
                "reason": status[u, v].reason,
                "by_channel": shown_by_channel(edge),
            }
        )
    relationships = sum(1 for u, v in g.edges if u != v)
    return {
        "relationships": rows,
        "balance": balance_summary(g, balances, threshold),
        "totals": {
            "one_way": len(rows),
            "unconfirmed_claims": sum(1 for r in rows if not r["confirmed"]),
            "mutual_pairs": len(mutual_pairs(g)),
            "directed_relationships": relationships,
        },
    }


_REASON_TEXT = {
    "unconfirmed_claim": "{s} lists {t}, and {t} never confirmed it",
    "never_reported": "{t} never reported anything, so its side is unknown",
    "no_flow_back": "{s} reaches {t}; nothing comes back",
    "few_flows_back": "{s} sends {share:.0%} of the pair's events",
}
_MOST = "{s} sends most of the pair's events"
"""The lopsided text where the share is not shown (a tie of a group of people
with a count under 5)."""
_REASON_NEXT = {
    "unconfirmed_claim": "ask {t} to confirm the partnership with {s}",
    "never_reported": "collect {t}'s side: a short survey or a call",
    "no_flow_back": "give {t} a way to respond to {s}",
    "few_flows_back": "ask {t} for feedback and record it",
}


def balance_summary(
    g: nx.DiGraph, balances: list[TieBalance], threshold: float
) -> dict[str, Any]:
    """Counts of pairs by status, information out against feedback back, and
    the lopsided pairs with what, who, evidence and a next step."""
    by_status = Counter(t.status for t in balances)
    unheard = [
        t for t in balances
        if t.out_by_channel.get("information") and not t.back_by_channel.get("feedback")
    ]
    lopsided = []
    for t in (t for t in balances if t.status == "lopsided"):
        words = {"s": g.nodes[t.source].get("name", t.source),
                 "t": g.nodes[t.target].get("name", t.target), "share": t.share}
        pair = (g.edges[t.source, t.target], g.edges[t.target, t.source])
        shown = (events_on(pair[:1], *pair), events_on(pair[1:], *pair))
        # A share of counts shown as "fewer than 5" would give them away.
        hidden = not all(isinstance(n, int) for n in shown)
        lopsided.append({
            "source": _who(g, t.source), "target": _who(g, t.target),
            "out_events": shown[0],
            "back_events": shown[1],
            "share": None if hidden else round(t.share, 3),
            "out_by_channel": shown_by_channel(*pair),
            "back_by_channel": shown_by_channel(pair[1], pair[0]),
            "what": (_MOST if hidden else _REASON_TEXT[t.reason]).format(**words),
            "suggestion": _REASON_NEXT[t.reason].format(**words),
        })
    return {
        "threshold": threshold,
        "pairs": {s: by_status.get(s, 0) for s in ("balanced", "lopsided", "one_way", "unknown")},
        "unknown_reasons": dict(sorted(Counter(
            t.reason for t in balances if t.status == "unknown").items())),
        "information_without_feedback": len(unheard),
        "lopsided": lopsided,
    }


def _one_way_text(source: str, target: str, counts: dict[str, int | str]) -> str:
    parts = []
    for kind, n in sorted(counts.items()):
        try:
            label = InteractionType(kind).info.label.lower()
        except ValueError:
            label = kind
        parts.append(f"{n} × {label}" if isinstance(n, int) else f"{label} {n} times")
    return f"{source} reaches {target} ({', '.join(parts)}); nothing comes back"


def analyze(g: nx.DiGraph) -> dict[str, Any]:
    """Every finding of the relationship graph, keyed by kind."""
    return {
        "isolated_groups": isolated_groups_finding(g),
        "one_way": one_way_finding(g),
    }
