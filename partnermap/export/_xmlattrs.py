"""Node and edge fields for the XML writers (GEXF, GraphML)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ElementTree, indent

from partnermap.export._common import Graph, cell, column_name, columns
from partnermap.loaders._clean import clean
from partnermap.loaders._graphs import EDGE_FIELDS, NODE_FIELDS

NODE_OWN = [("kind", "string"), ("provenance", "string")]
EDGE_OWN = [
    ("interaction", "string"),
    ("direction", "string"),
    ("date", "string"),
    ("school_year", "string"),
    ("confirmed", "boolean"),
    ("provenance", "string"),
]


def node_table(graph: Graph) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """Declared node attributes (name, type) and each node's values by name."""
    kinds = columns([s.attributes for s in graph.stakeholders], NODE_FIELDS)
    declared = NODE_OWN + [
        (column_name(k, t, NODE_FIELDS), _xml(t)) for k, t in kinds.items()
    ]
    rows = []
    for s in graph.stakeholders:
        row: dict[str, Any] = {"kind": s.kind.value, "provenance": s.source}
        for key, value in s.attributes.items():
            row[column_name(key, kinds[key], NODE_FIELDS)] = cell(value, kinds[key])
        rows.append(row)
    return declared, rows


def edge_table(graph: Graph) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """Declared edge attributes (name, type) and each edge's values by name."""
    kinds = columns([i.attributes for i in graph.interactions], EDGE_FIELDS)
    declared = EDGE_OWN + [
        (column_name(k, t, EDGE_FIELDS), _xml(t)) for k, t in kinds.items()
    ]
    rows = []
    for i in graph.interactions:
        d = i.to_dict()
        row: dict[str, Any] = {
            "interaction": d["type"],
            "direction": d["direction"],
            "date": d["date"],
            "school_year": d["school_year"],
            "confirmed": d["confirmed"],
            "provenance": d["provenance"],
        }
        for key, value in i.attributes.items():
            row[column_name(key, kinds[key], EDGE_FIELDS)] = cell(value, kinds[key])
        rows.append(row)
    return declared, rows


def _xml(kind: str) -> str:
    return "string" if kind == "json" else kind


def value_text(value: Any) -> str:
    """An attribute value as XML text: booleans as true/false, floats exact."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_xml(root: Element, path: Path) -> None:
    """Write an XML document, indented, with any character XML cannot hold
    (a control character in a store made before loaders took them out)
    replaced by a space, so that the file always reads back."""
    for el in root.iter():
        el.text = None if el.text is None else clean(el.text)
        for name, value in el.attrib.items():
            el.attrib[name] = clean(value)
    indent(root)
    ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
