"""Change between two periods: relationships and stakeholders that came and went.

A period is written as a school year (``2014-15``: 1 July 2014 to 30 June
2015), a calendar year (``2016``), or a date range ``2016-01-01..2016-06-30``
(either side may be left open: ``..2016-06-30``).

Notes
-----
Relationships are unordered pairs with a flow either way in the period;
self-loops are dropped. A pair is new when it has events in the second
period only, ended when in the first only. A pair in both is strengthened
when its highest intensity rose, or stayed the same and its events (both
ways together) grew; weakened in the mirror case; otherwise unchanged. A
stakeholder joined when it has a tie in the second period and none in the
first, and dropped out in the mirror case. Undated interactions belong to
every period, so they never show up as a change. The two periods may differ
in length or overlap; the comparison does not adjust for that. The events of
a pair with a group of people read "fewer than 5" under 5
(:func:`partnermap.privacy.event_count`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx

from partnermap.graph.snapshot import Window
from partnermap.model import school_year_end, school_year_start
from partnermap.privacy import both_ways, events_on


def parse_period(text: str) -> Window:
    """A period from its written form; raises ValueError naming the forms.

    >>> parse_period("2014-15").label(), parse_period("2016").label()
    ('2014-07-01..2015-06-30', '2016-01-01..2016-12-31')
    >>> parse_period("..2016-06-30").label()
    '..2016-06-30'
    """
    text = text.strip()
    try:
        if ".." in text:
            head, _, tail = text.partition("..")
            window = Window(date.fromisoformat(head) if head else None,
                            date.fromisoformat(tail) if tail else None)
            if window.start and window.end and window.start > window.end:
                raise ValueError("start after end")
            return window
        if len(text) == 4 and text.isdigit():
            return Window(date(int(text), 1, 1), date(int(text), 12, 31))
        return Window(school_year_start(text), school_year_end(text))
    except ValueError as exc:
        raise ValueError(
            f"period {text!r} is not understood ({exc}); write a school year "
            "(2014-15), a year (2016) or a date range (2016-01-01..2016-06-30)"
        ) from exc


def parse_periods(first: str, second: str) -> tuple[Window, Window]:
    """Two periods, the earlier first; raises ValueError otherwise.

    >>> parse_periods("2016-17", "2014-15")
    Traceback (most recent call last):
    ...
    ValueError: period '2016-17' starts after '2014-15'; give the earlier period first (2014-15, then 2016-17)
    """
    before, after = parse_period(first), parse_period(second)
    if (after.start or date.min) < (before.start or date.min):
        raise ValueError(
            f"period {first.strip()!r} starts after {second.strip()!r}; give the "
            f"earlier period first ({second.strip()}, then {first.strip()})"
        )
    return before, after


def pair_strength(g: nx.DiGraph) -> dict[frozenset[str], tuple[int, int]]:
    """Each unordered pair with (highest intensity, events both ways)."""
    out: dict[frozenset[str], tuple[int, int]] = {}
    for u, v, data in g.edges(data=True):
        if u == v:
            continue
        key = frozenset((u, v))
        level, events = out.get(key, (0, 0))
        out[key] = (max(level, data.get("intensity", 0)), events + data.get("events", 1))
    return out


def compare(before: nx.DiGraph, after: nx.DiGraph) -> dict[str, Any]:
    """Relationships and stakeholders that changed from ``before`` to ``after``.

    Examples
    --------
    >>> a = nx.DiGraph([("s", "x"), ("s", "y")])
    >>> b = nx.DiGraph([("s", "y"), ("y", "s"), ("s", "z")])
    >>> out = compare(a, b)
    >>> [[p["pair"] for p in out[k]] for k in ("new", "ended", "strengthened")]
    [[['s', 'z']], [['s', 'x']], [['s', 'y']]]
    >>> out["joined"], out["dropped"]
    (['z'], ['x'])
    """
    old, new = pair_strength(before), pair_strength(after)
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in ("new", "ended", "strengthened", "weakened")}
    for pair in sorted(set(old) | set(new), key=sorted):
        was, now = old.get(pair), new.get(pair)
        change = ("new" if was is None else "ended" if now is None
                  else "strengthened" if now > was else "weakened" if now < was else None)
        if change:
            rows[change].append(_pair_row(before, after, pair, was, now, change))
    active_old = {n for p in old for n in p}
    active_new = {n for p in new for n in p}
    return {
        **rows,
        "joined": sorted(active_new - active_old),
        "dropped": sorted(active_old - active_new),
        "totals": {**{k: len(v) for k, v in rows.items()},
                   "unchanged": sum(1 for p in set(old) & set(new) if old[p] == new[p]),
                   "joined": len(active_new - active_old),
                   "dropped": len(active_old - active_new)},
    }


_NEXT = {
    "new": "welcome the new tie and record what it will do",
    "ended": "ask both sides whether the tie ended on purpose",
    "strengthened": "note what worked and share it",
    "weakened": "check in with both sides before the tie ends",
}


def _pair_row(before: nx.DiGraph, after: nx.DiGraph, pair: frozenset[str],
              was: tuple[int, int] | None, now: tuple[int, int] | None,
              change: str) -> dict[str, Any]:
    a, b = sorted(pair)
    names = [_name(after, before, n) for n in (a, b)]
    return {
        "pair": [a, b],
        "names": names,
        "before": None if was is None else {
            "intensity": was[0], "events": events_on(both_ways(before, a, b))},
        "after": None if now is None else {
            "intensity": now[0], "events": events_on(both_ways(after, a, b))},
        "what": f"{names[0]} and {names[1]}: {change}",
        "suggestion": _NEXT[change],
    }


def _name(first: nx.DiGraph, second: nx.DiGraph, node: str) -> str:
    for g in (first, second):
        if node in g and g.nodes[node].get("name"):
            return str(g.nodes[node]["name"])
    return node


def changes_finding(
    before: nx.DiGraph, after: nx.DiGraph, labels: tuple[str, str] = ("before", "after")
) -> dict[str, Any]:
    """:func:`compare` with who joined and dropped out named, for people."""
    out = compare(before, after)
    for key, g in (("joined", after), ("dropped", before)):
        out[key] = [{"id": n, "name": g.nodes[n].get("name", n), "kind": g.nodes[n].get("kind", "")}
                    for n in out[key]]
    return {"from": labels[0], "to": labels[1], **out}
