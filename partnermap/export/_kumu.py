"""An XLSX workbook in Kumu's import layout: Elements and Connections sheets.

Elements: ID, Label, Type (the kind's label, e.g. "School"), Tags ("|"
between tags), Provenance, then one column per attribute. Connections: From,
To (element IDs), Type (the interaction's label), Direction (directed or
mutual), Date, School Year, Confirmed, Provenance, then attributes.

Limit: Kumu itself splits From/To on "|", so in Kumu an id containing "|"
(the DYCD site ids do) reads as two elements; partnermap's own loader reads
a cell that names an element as a whole as that element.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from partnermap.export._common import Graph, cell, column_name, columns, neutral_row
from partnermap.loaders.kumu import CONNECTION_KEYS, ELEMENT_KEYS
from partnermap.model import Direction

ELEMENTS = ["ID", "Label", "Type", "Tags", "Provenance"]
CONNECTIONS = [
    "From",
    "To",
    "Type",
    "Direction",
    "Date",
    "School Year",
    "Confirmed",
    "Provenance",
]
_ELEMENT_FIELDS = ELEMENT_KEYS
_CONNECTION_FIELDS = CONNECTION_KEYS


def _tags(attrs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    tags = attrs.get("tags")
    if (
        isinstance(tags, list)
        and tags
        and all(isinstance(t, str) and "|" not in t for t in tags)
    ):
        return "|".join(tags), {k: v for k, v in attrs.items() if k != "tags"}
    return "", attrs


def write(graph: Graph, path: Path) -> list[Path]:
    """Write one workbook."""
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Elements"
    split = [_tags(s.attributes) for s in graph.stakeholders]
    kinds = columns([a for _, a in split], _ELEMENT_FIELDS)
    names = {k: column_name(k, t, _ELEMENT_FIELDS) for k, t in kinds.items()}
    sheet.append(ELEMENTS + list(names.values()))
    for s, (tags, attrs) in zip(graph.stakeholders, split, strict=True):
        extra = [cell(attrs[k], kinds[k]) if k in attrs else None for k in names]
        sheet.append(
            neutral_row([s.id, s.name, s.kind.label, tags or None, s.source or None, *extra])
        )
    sheet = book.create_sheet("Connections")
    kinds = columns([i.attributes for i in graph.interactions], _CONNECTION_FIELDS)
    names = {k: column_name(k, t, _CONNECTION_FIELDS) for k, t in kinds.items()}
    sheet.append(CONNECTIONS + list(names.values()))
    for i in graph.interactions:
        d = i.to_dict()
        extra = [
            cell(i.attributes[k], kinds[k]) if k in i.attributes else None
            for k in names
        ]
        sheet.append(
            neutral_row([
                i.source,
                i.target,
                i.type.info.label,
                "directed" if i.direction is Direction.ONE_WAY else "mutual",
                d["date"],
                d["school_year"],
                "true" if d["confirmed"] else "false",
                d["provenance"] or None,
                *extra,
            ])
        )
    book.save(path)
    return [path]
