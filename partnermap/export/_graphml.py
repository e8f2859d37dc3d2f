"""GraphML, as Gephi, yEd and networkx read it: typed keys, directed edges.

Every edge is written directed (networkx refuses mixed graphs); a two-way
interaction keeps direction "both" in its ``direction`` data.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, SubElement

from partnermap.export._common import Graph
from partnermap.export._xmlattrs import edge_table, node_table, value_text, write_xml

NS = "http://graphml.graphdrawing.org/xmlns"


def _keys(root: Element, cls: str, declared: list[tuple[str, str]]) -> dict[str, str]:
    ids = {}
    for n, (name, kind) in enumerate(declared):
        ids[name] = f"{cls[0]}{n}"
        SubElement(
            root,
            "key",
            {"id": ids[name], "for": cls, "attr.name": name, "attr.type": kind},
        )
    return ids


def _data(parent: Element, row: dict[str, object], ids: dict[str, str]) -> None:
    for name, value in row.items():
        if value is not None:
            SubElement(parent, "data", {"key": ids[name]}).text = value_text(value)


def write(graph: Graph, path: Path) -> list[Path]:
    """Write one GraphML file."""
    root = Element("graphml", {"xmlns": NS})
    node_decl, node_rows = node_table(graph)
    edge_decl, edge_rows = edge_table(graph)
    node_ids = _keys(root, "node", [("label", "string"), *node_decl])
    edge_ids = _keys(root, "edge", edge_decl)
    graph_el = SubElement(
        root, "graph", {"id": "partnermap", "edgedefault": "directed"}
    )
    for s, row in zip(graph.stakeholders, node_rows, strict=True):
        _data(
            SubElement(graph_el, "node", {"id": s.id}),
            {"label": s.name, **row},
            node_ids,
        )
    for n, (i, row) in enumerate(zip(graph.interactions, edge_rows, strict=True)):
        attrs = {"id": f"e{n}", "source": i.source, "target": i.target}
        _data(SubElement(graph_el, "edge", attrs), row, edge_ids)
    write_xml(root, path)
    return [path]
