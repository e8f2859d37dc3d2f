"""Kumu: the Elements/Connections workbook, the same as two CSV files, and JSON.

Follows Kumu's import rules (docs.kumu.io, "Importing data"):

- Elements: ``Label`` names an element and is its identity, unless an ``ID``
  column is given; ``Type`` is its kind (a partnermap kind or label, e.g.
  "School"; another word reads as kind "other", with a warning); ``Tags`` are
  split on "|"; every other column is an attribute.
- Connections: ``From`` and ``To`` name elements by ID or Label; several in
  one cell are split on "|" and give one connection each; ``Direction`` is
  directed, mutual or undirected (mutual and undirected both read as flows
  both ways); ``Type`` is the interaction type (another word reads as
  "partner_listed", with a warning).
- JSON: ``{"elements": [...], "connections": [...]}`` with the same fields,
  flat or under "attributes" (Kumu's blueprint export), "element type" and
  "connection type" standing for Type.

Not read: Kumu's views, maps, perspectives, loops and presentation fields
("image", "layout"); two elements with one Label and different Types are
refused (Kumu would merge them); add an ID column to keep them apart. A
From/To cell is split on "|" only when it does not name an element as a whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from partnermap.loaders._graphs import json_objects, json_type, scalar
from partnermap.loaders._records import Builder, Where
from partnermap.loaders._tables import Table, find_column, tables_of
from partnermap.loaders._values import native, text
from partnermap.loaders.base import FileReport, LoadContext, Peek, read_text
from partnermap.model import ImportBatch, InteractionType

FORMAT = "kumu"
# The columns that Kumu reads itself; the exporter writes the same ones.
ELEMENT_KEYS = {"id", "label", "type", "element type", "tags", "provenance"}
CONNECTION_KEYS = {
    "from",
    "to",
    "type",
    "connection type",
    "direction",
    "date",
    "school year",
    "confirmed",
    "provenance",
    "tags",
    "id",
}


def _is_elements(header: list[str]) -> bool:
    return (
        find_column(header, "label") is not None
        and find_column(header, "type", "tags", "description", "element type")
        is not None
        and find_column(header, "to", "from", "source", "target") is None
    )


def _is_connections(header: list[str], sheet: str = "") -> bool:
    has_ends = (
        find_column(header, "from") is not None
        and find_column(header, "to") is not None
    )
    kumu_only = (
        find_column(header, "direction") is not None or "connection" in sheet.lower()
    )
    return has_ends and kumu_only


def detect(peek: Peek) -> bool:
    """Kumu sheets, CSV files, or a JSON with elements and connections."""
    if peek.suffix == ".json":
        return isinstance(peek.data, dict) and "elements" in peek.data
    sheets = [s.lower() for s in peek.sheets] or [peek.name.lower()]
    if peek.suffix in {".xlsx", ".xlsm"} and {"elements", "connections"} & set(sheets):
        return True
    return bool(peek.headers) and all(
        _is_elements(h) or _is_connections(h, s) for h, s in zip(peek.headers, sheets)
    )


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read a Kumu workbook, CSV file or JSON export."""
    builder = Builder(
        path.name,
        FORMAT,
        context,
        strict=False,
        default_type=InteractionType.PARTNER_LISTED,
    )
    skipped: list[str] = []
    if path.suffix.lower() == ".json":
        _read_json(path, builder)
        tables: list[Table] = []
    else:
        tables, skipped = tables_of(path, context.max_bytes)
        for table in tables:
            if _is_elements(table.header):
                _elements(table, builder)
        for table in tables:
            if not _is_elements(table.header):
                _connections(table, builder)
    # Problems so far are kept: finish() adds the reference checks, then refuses.
    batch, report = builder.finish(("elements", "connections"))
    report.warnings += skipped + [w for t in tables for w in t.warnings]
    return batch, report


def _split(value: Any) -> list[str]:
    return [p.strip() for p in text(value).split("|") if p.strip()]


def _pick(row: dict[str, Any], *names: str) -> Any:
    column = find_column(list(row), *names)
    return row.get(column) if column is not None else None


def _attributes(row: dict[str, Any], reserved: set[str], keep: Any) -> dict[str, Any]:
    out = {k: keep(v) for k, v in row.items() if k.strip().casefold() not in reserved}
    tags = _split(_pick(row, "tags"))
    if tags:
        out["tags"] = tags
    return out


def add_element(
    builder: Builder,
    where: Where,
    row: dict[str, Any],
    labels: dict[str, Any],
    keep: Any = text,
) -> None:
    """One element (a row or a JSON object) into the builder."""
    label = _pick(row, "label")
    kind = builder.kind(_pick(row, "type", "element type"), where, "Type")
    if not text(_pick(row, "id")):
        seen = labels.setdefault(text(label), kind)
        if seen != kind:
            builder.problems.append(
                where.problem(
                    f"two elements are labelled {text(label)!r} with different types",
                    "Label",
                    "Kumu merges elements by Label; add an ID column to keep them apart",
                )
            )
            return
    builder.add_node(
        where,
        id=_pick(row, "id"),
        name=label,
        kind=kind,
        attributes=_attributes(row, ELEMENT_KEYS, keep),
        source=text(_pick(row, "provenance")) or None,
        name_column="Label",
    )


def _names(builder: Builder) -> set[str]:
    known = list(builder.context.known().values()) + builder.stakeholders
    return {s.id for s in known} | {s.name for s in known}


def _ends(value: Any, names: set[str]) -> list[str]:
    whole = text(value)
    return [whole] if whole in names else _split(value) or [""]


def add_connection(
    builder: Builder,
    where: Where,
    row: dict[str, Any],
    names: set[str],
    keep: Any = text,
) -> None:
    """One connection (a row or a JSON object); "|" in From or To gives several.

    A cell that names an element as a whole is not split, so an id with a "|"
    in it still reads as one element.
    """
    kind = builder.type(_pick(row, "type", "connection type"), where, "Type")
    attrs = _attributes(row, CONNECTION_KEYS, keep)
    for source in _ends(_pick(row, "from"), names):
        for target in _ends(_pick(row, "to"), names):
            builder.add_edge(
                where,
                source=source,
                target=target,
                type=kind,
                date=_pick(row, "date"),
                school_year=_pick(row, "school year"),
                direction=_pick(row, "direction"),
                confirmed=_pick(row, "confirmed"),
                provenance=_pick(row, "provenance"),
                attributes=dict(attrs),
                columns=("From", "To"),
                date_column="Date",
            )


def _elements(table: Table, builder: Builder) -> None:
    keep = native if table.sheet is not None else text
    labels: dict[str, Any] = {}
    for n, row in table.records():
        add_element(builder, Where(table.file, table.sheet, n), row, labels, keep)


def _connections(table: Table, builder: Builder) -> None:
    keep = native if table.sheet is not None else text
    names = _names(builder)
    for n, row in table.records():
        add_connection(builder, Where(table.file, table.sheet, n), row, names, keep)


def _flat(item: dict[str, Any], where: Where, builder: Builder) -> dict[str, Any]:
    """A Kumu JSON object with its "attributes" spread out; lists of tags and
    ends joined by "|". Ids and ends that are objects are problems."""
    flat = {k: v for k, v in item.items() if k != "attributes"}
    attributes = item.get("attributes") or {}
    if isinstance(attributes, dict):
        flat.update(attributes)
    else:
        builder.problems.append(
            where.problem(
                f"attributes is a JSON {json_type(attributes)}, not an object",
                "attributes",
                'write it as "attributes": {"name": "value"}',
            )
        )
    if "_id" in flat and "id" not in flat:
        flat["id"] = flat.pop("_id")
    for key in ("tags", "to", "from"):
        if isinstance(flat.get(key), list):
            flat[key] = "|".join(map(str, flat[key]))
    for key in ("id", "label", "to", "from", "type"):
        if key in flat:
            scalar(flat[key], where, key, builder)
    return flat


def _keep_json(value: Any) -> Any:
    return value


def _read_json(path: Path, builder: Builder) -> None:
    import json

    data = json.loads(read_text(path))
    labels: dict[str, Any] = {}
    for where, item in json_objects(data, "elements", path.name, builder):
        add_element(builder, where, _flat(item, where, builder), labels, _keep_json)
    names = _names(builder)
    for where, item in json_objects(data, "connections", path.name, builder):
        add_connection(builder, where, _flat(item, where, builder), names, _keep_json)
