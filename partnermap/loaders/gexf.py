"""GEXF 1.1, 1.2 and 1.3 (Gephi's own format), parsed safely with defusedxml.

Nodes give stakeholders (``label``, attribute ``kind``), edges interactions
(attribute ``interaction``; the edge ``type`` or the graph's
``defaultedgetype`` gives the direction); attribute values are typed from
their declaration (integer, double, boolean, string). See
:mod:`partnermap.loaders._graphs` for the field rules.

Not read: viz: elements (colour, position, size), dynamic spells and
hierarchies (nested nodes); an XML file with entity declarations is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from partnermap.errors import LoadError
from partnermap.loaders._graphs import add_edge, add_node, graph_builder
from partnermap.loaders._records import Where
from partnermap.loaders._values import native
from partnermap.loaders._xml import local, parse_xml
from partnermap.loaders.base import FileReport, LoadContext, Peek
from partnermap.model import ImportBatch

FORMAT = "gexf"


def detect(peek: Peek) -> bool:
    """An XML file whose root is <gexf>."""
    return peek.xml_root == "gexf"


def typed(value: str | None, kind: str) -> Any:
    """A GEXF/GraphML attribute value as its declared type."""
    if value is None:
        return None
    kind = kind.lower()
    try:
        if kind in {"integer", "int", "long", "short", "byte"}:
            return int(value)
        if kind in {"double", "float"}:
            # A whole number comes back as int, as a spreadsheet's does
            # (partnermap.loaders._values.native), so 5 survives a round trip.
            return native(float(value))
    except ValueError:
        return value
    if kind == "boolean":
        return value.strip().lower() in {"true", "1"}
    return value


def _children(element: Element, name: str) -> list[Element]:
    return [c for c in element if local(c.tag) == name]


def _declared(graph: Element) -> dict[str, dict[str, tuple[str, str]]]:
    out: dict[str, dict[str, tuple[str, str]]] = {"node": {}, "edge": {}}
    for block in _children(graph, "attributes"):
        cls = block.get("class", "node")
        for attr in _children(block, "attribute"):
            title = attr.get("title") or attr.get("id") or ""
            out.setdefault(cls, {})[attr.get("id", "")] = (
                title,
                attr.get("type", "string"),
            )
    return out


def _values(element: Element, declared: dict[str, tuple[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for block in _children(element, "attvalues"):
        for value in _children(block, "attvalue"):
            key = value.get("for") or value.get("id") or ""
            title, kind = declared.get(key, (key, "string"))
            data[title] = typed(value.get("value"), kind)
    return data


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read a GEXF file."""
    root = parse_xml(path)
    graph = next(iter(_children(root, "graph")), None)
    builder = graph_builder(path.name, FORMAT, context)
    if graph is None:
        raise LoadError(
            [
                Where(path.name, None, None).problem(
                    "has no <graph> element", hint="export it again from Gephi"
                )
            ]
        )
    declared = _declared(graph)
    default_directed = graph.get("defaultedgetype", "undirected") == "directed"
    for i, node in enumerate(
        e for b in _children(graph, "nodes") for e in _children(b, "node")
    ):
        data = _values(node, declared["node"])
        if node.get("label") is not None:
            data["label"] = node.get("label")
        add_node(builder, Where(path.name, "nodes", i + 1), node.get("id"), data)
    for i, edge in enumerate(
        e for b in _children(graph, "edges") for e in _children(b, "edge")
    ):
        data = _values(edge, declared["edge"])
        for name in ("label", "weight"):
            if edge.get(name) is not None and name not in data:
                data[name] = typed(
                    edge.get(name), "double" if name == "weight" else "string"
                )
        directed = (
            edge.get("type", "directed" if default_directed else "undirected")
            == "directed"
        )
        add_edge(
            builder,
            Where(path.name, "edges", i + 1),
            edge.get("source"),
            edge.get("target"),
            data,
            directed,
        )
    # Problems so far are kept: finish() adds the reference checks, then refuses.
    return builder.finish(("nodes", "edges"))
