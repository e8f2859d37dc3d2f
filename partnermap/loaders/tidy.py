"""The generic tidy layout: a stakeholders table and an interactions table.

They come as two CSV/TSV/TXT files or as two sheets of one XLSX workbook (a
workbook's stakeholders sheets are read before its interactions sheets).

Stakeholders: ``name`` and ``kind`` (also spelled label/organization and
type/category), optionally ``id``, ``source`` (where the record came from)
and ``attributes`` (a JSON object, as written by ``partnermap export``); any
other column becomes a text attribute. Interactions: ``source``/``from``,
``target``/``to``, ``type``/``kind``/``interaction``, optionally
``date``/``when``, ``school_year``, ``direction`` (one_way or both),
``confirmed``, ``provenance`` and ``attributes``; other columns become text
attributes. Column names match ignoring case, spaces, "_" and "-". Where
there is no id column, the name is the id and interactions refer to
stakeholders by it.

Kinds and types must be known (see :mod:`partnermap.model`); a near miss is
refused with a did-you-mean suggestion.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from partnermap.loaders._records import Builder, Where
from partnermap.loaders._tables import Table, column_key, find_column, tables_of
from partnermap.loaders._values import native, text
from partnermap.loaders.base import FileReport, LoadContext, Peek
from partnermap.model import ImportBatch

FORMAT = "tidy"

STAKEHOLDER_COLUMNS = {
    "id": ("id", "stakeholder id"),
    "name": ("name", "label", "organization", "stakeholder"),
    "kind": ("kind", "type", "category"),
    "source": ("source",),
    "attributes": ("attributes",),
}
INTERACTION_COLUMNS = {
    "source": ("source", "from", "source id"),
    "target": ("target", "to", "target id"),
    "type": ("type", "kind", "interaction", "interaction type"),
    "date": ("date", "when", "on"),
    "school_year": ("school year",),
    "direction": ("direction",),
    "confirmed": ("confirmed",),
    "provenance": ("provenance",),
    "attributes": ("attributes",),
}


def _columns(header: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, str]:
    found = {role: find_column(header, *names) for role, names in wanted.items()}
    return {role: col for role, col in found.items() if col is not None}


def is_interactions(header: list[str]) -> bool:
    """A table with both ends and a type."""
    cols = _columns(header, INTERACTION_COLUMNS)
    return {"source", "target", "type"} <= cols.keys()


def is_stakeholders(header: list[str]) -> bool:
    """A table with a name and a kind and no interaction ends."""
    cols = _columns(header, STAKEHOLDER_COLUMNS)
    return {"name", "kind"} <= cols.keys() and find_column(
        header, "target", "to"
    ) is None


def sniff(first_line: str) -> bool:
    """True for a tidy stakeholders or interactions header."""
    for delim in (",", ";", "\t", "|"):
        header = first_line.split(delim)
        if is_interactions(header) or is_stakeholders(header):
            return True
    return False


def detect(peek: Peek) -> bool:
    """True when every table of the file is tidy stakeholders or interactions."""
    return bool(peek.headers) and all(
        is_interactions(h) or is_stakeholders(h) for h in peek.headers
    )


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read tidy stakeholders and interactions tables from a file or workbook."""
    tables, skipped = tables_of(path, context.max_bytes)
    builder = Builder(path.name, FORMAT, context)
    people = [t for t in tables if not is_interactions(t.header)]
    events = [t for t in tables if is_interactions(t.header)]
    for table in people:
        read_stakeholders(table, builder)
    for table in events:
        read_interactions(table, builder)
    # Problems so far are kept: finish() adds the reference checks, then refuses.
    batch, report = builder.finish()
    report.warnings += skipped + [w for t in tables for w in t.warnings]
    return batch, report


def _extras(table: Table, used: set[str], row: dict[str, Any]) -> dict[str, Any]:
    if len(used) == len(row):
        return {}
    keep = native if table.sheet is not None else text
    return {k: keep(v) for k, v in row.items() if k not in used}


def _json_attributes(
    raw: Any, where: Where, column: str, builder: Builder
) -> dict[str, Any]:
    value = text(raw)
    if not value:
        return {}
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        builder.problems.append(
            where.problem(
                "attributes is not a JSON object",
                column,
                'write it as {"name": "value", ...} or leave it empty',
            )
        )
        return {}
    return parsed


def read_stakeholders(table: Table, builder: Builder) -> None:
    """Add a stakeholders table's rows to the builder."""
    cols = _columns(table.header, STAKEHOLDER_COLUMNS)
    missing = [r for r in ("name", "kind") if r not in cols]
    if missing:
        builder.problems.append(
            table.problem(
                f"missing required column(s) {', '.join(map(repr, missing))}",
                table.header_row,
                hint="the header must include name and kind",
            )
        )
        return
    used = set(cols.values())
    for n, row in table.records():
        where = Where(table.file, table.sheet, n)
        attrs = _row_attributes(table, used, row, cols, where, builder)
        builder.add_node(
            where,
            id=row.get(cols.get("id", ""), None),
            name=row[cols["name"]],
            kind=builder.kind(row[cols["kind"]], where, cols["kind"]),
            attributes=attrs,
            source=text(row.get(cols["source"])) if "source" in cols else None,
            name_column=cols["name"],
        )


def _row_attributes(
    table: Table,
    used: set[str],
    row: dict[str, Any],
    cols: dict[str, str],
    where: Where,
    builder: Builder,
) -> dict[str, Any]:
    """A row's extra columns, plus its JSON ``attributes`` column if any."""
    attrs = _extras(table, used, row)
    if "attributes" in cols:
        attrs.update(
            _json_attributes(row[cols["attributes"]], where, cols["attributes"], builder)
        )
    return attrs


def read_interactions(table: Table, builder: Builder) -> None:
    """Add an interactions table's rows to the builder."""
    cols = _columns(table.header, INTERACTION_COLUMNS)
    used = set(cols.values())
    get = lambda row, role: row.get(cols[role]) if role in cols else None
    for n, row in table.records():
        where = Where(table.file, table.sheet, n)
        attrs = _row_attributes(table, used, row, cols, where, builder)
        builder.add_edge(
            where,
            source=get(row, "source"),
            target=get(row, "target"),
            type=builder.type(get(row, "type"), where, cols["type"]),
            date=get(row, "date"),
            school_year=get(row, "school_year"),
            direction=get(row, "direction"),
            confirmed=get(row, "confirmed"),
            provenance=get(row, "provenance"),
            attributes=attrs,
            columns=(cols["source"], cols["target"]),
            date_column=cols.get("date", "date"),
        )


__all__ = ["FORMAT", "column_key", "detect", "load", "sniff"]
