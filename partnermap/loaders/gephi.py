"""Gephi's spreadsheet layout: a nodes table and an edges table (CSV or sheets).

Nodes: ``Id``, ``Label`` and any attribute columns (``kind`` gives the
stakeholder kind). Edges: ``Source``, ``Target``, ``Type`` (Directed or
Undirected: the direction), ``Weight``, ``Id``, ``Label`` and attribute
columns (``interaction`` gives the interaction type; without it the edge
Label is tried, then "partner_listed" with a warning). See
:mod:`partnermap.loaders._graphs` for the field rules.

Not read: Gephi's dynamic columns (Interval, Timeset) are kept as text
attributes, not as dates.
"""

from __future__ import annotations

from pathlib import Path

from partnermap.loaders._graphs import add_edge, add_node, graph_builder
from partnermap.loaders._records import Where
from partnermap.loaders._tables import Table, find_column, tables_of
from partnermap.loaders._values import native, text
from partnermap.loaders.base import FileReport, LoadContext, Peek
from partnermap.model import ImportBatch

FORMAT = "gephi"


def _is_nodes(header: list[str]) -> bool:
    return (
        find_column(header, "id") is not None
        and find_column(header, "label") is not None
        and find_column(header, "source", "target", "name") is None
    )


def _is_edges(header: list[str]) -> bool:
    ends = find_column(header, "source") and find_column(header, "target")
    return (
        bool(ends)
        and find_column(header, "weight", "id", "label", "interaction") is not None
    )


def detect(peek: Peek) -> bool:
    """Gephi nodes or edges tables."""
    return (
        peek.suffix != ".json"
        and bool(peek.headers)
        and all(_is_nodes(h) or _is_edges(h) for h in peek.headers)
    )


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read Gephi nodes and edges tables."""
    tables, skipped = tables_of(path, context.max_bytes)
    builder = graph_builder(path.name, FORMAT, context)
    for table in sorted(tables, key=lambda t: _is_edges(t.header)):
        _read(table, builder)
    # Problems so far are kept: finish() adds the reference checks, then refuses.
    batch, report = builder.finish(("nodes", "edges"))
    report.warnings += skipped + [w for t in tables for w in t.warnings]
    return batch, report


def _read(table: Table, builder) -> None:  # type: ignore[no-untyped-def]
    keep = native if table.sheet is not None else text
    edges = _is_edges(table.header)
    id_col = find_column(table.header, "id")
    for n, row in table.records():
        where = Where(table.file, table.sheet, n)
        data = {k: keep(v) for k, v in row.items()}
        if not edges:
            add_node(builder, where, data.pop(id_col or "", None), data)
            continue
        src = find_column(table.header, "source") or ""
        dst = find_column(table.header, "target") or ""
        add_edge(builder, where, data.pop(src), data.pop(dst), data, directed=True)
