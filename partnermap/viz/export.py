"""A network view as data files: CSV of its ties and GEXF of the whole view.

Minimal writers kept in viz/ until the export package (CSV, GEXF, GraphML of
the whole store) exists; these write exactly what the explorer shows.

Notes
-----
The CSV has one row per directed tie (a mutual pair is two rows) and one row
per stakeholder with no tie in the view (target columns empty). A cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, so that a spreadsheet never runs a name as a formula.
GEXF is written by networkx (version 1.2draft), node and edge attributes
flattened to text and numbers.

A tie of a group of people (:data:`partnermap.privacy.MASKED`) shows its
event counts under 5 as "fewer than 5": in the CSV's ``events`` and
``counts``, and in the GEXF's ``counts``; its GEXF edge then has no
``weight`` (which GEXF readers take as 1).
"""

from __future__ import annotations

import csv
import io
import json

import networkx as nx

from partnermap.loaders._clean import clean
from partnermap.privacy import event_counts, events_on

CSV_COLUMNS = [
    "source_id",
    "source_name",
    "source_kind",
    "target_id",
    "target_name",
    "target_kind",
    "status",
    "events",
    "counts",
    "first",
    "last",
]


def view_csv(view: nx.DiGraph, one_way: set[tuple[str, str]]) -> str:
    """The ties of a view as CSV text (see the module Notes).

    >>> g = nx.DiGraph()
    >>> g.add_node("a", name="=cmd()", kind="school")
    >>> g.add_node("b", name="B", kind="nonprofit")
    >>> g.add_edge("a", "b", counts={"meeting": 1}, events=1, first=None, last=None)
    >>> print(view_csv(g, {("a", "b")}).splitlines()[1])
    a,'=cmd(),school,b,B,nonprofit,one_way,1,meeting=1,,
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for u, v, e in sorted(view.edges(data=True), key=lambda t: (str(t[0]), str(t[1]))):
        status = "mutual" if view.has_edge(v, u) else ("one_way" if (u, v) in one_way else "single")
        shown = event_counts(e.get("counts") or {}, e)
        counts = ";".join(f"{k}={n}" for k, n in sorted(shown.items()))
        writer.writerow(
            _safe([*_who(view, u), *_who(view, v), status,
                   events_on([e]), counts,
                   e.get("first") or "", e.get("last") or ""])
        )
    for node in sorted(view, key=str):
        if view.degree(node) == 0:
            writer.writerow(_safe([*_who(view, node), "", "", "", "", "", "", "", ""]))
    return out.getvalue()


def view_gexf(view: nx.DiGraph, one_way: set[tuple[str, str]]) -> str:
    """The view as a GEXF document, with names, kinds and tie status.

    >>> g = nx.DiGraph([("a", "b")])
    >>> "<gexf" in view_gexf(g, set())
    True
    """
    flat = nx.DiGraph()
    for node, attrs in view.nodes(data=True):
        flat.add_node(str(node), label=str(attrs.get("name", node)),
                      kind=str(attrs.get("kind", "")))
    for u, v, e in view.edges(data=True):
        status = "mutual" if view.has_edge(v, u) else ("one_way" if (u, v) in one_way else "single")
        events = events_on([e])
        weight = {"weight": events} if isinstance(events, int) else {}
        flat.add_edge(str(u), str(v), **weight, status=status,
                      counts=json.dumps(event_counts(e.get("counts") or {}, e), sort_keys=True),
                      first=str(e.get("first") or ""), last=str(e.get("last") or ""))
    # clean: a control character in a store made before loaders took them out
    return clean("\n".join(nx.generate_gexf(flat))) + "\n"


def _who(g: nx.DiGraph, node: str) -> list[str]:
    attrs = g.nodes[node]
    return [str(node), str(attrs.get("name", node)), str(attrs.get("kind", ""))]


def _safe(row: list[object]) -> list[object]:
    return [f"'{c}" if isinstance(c, str) and c[:1] in ("=", "+", "-", "@", "\t", "\r") else c
            for c in row]
