"""GEXF 1.3, as Gephi reads it: typed attributes; one-way interactions are
directed edges, two-way ones (meetings, agreements) are "mutual" edges."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, SubElement

from partnermap.export._common import Graph
from partnermap.export._xmlattrs import edge_table, node_table, value_text, write_xml
from partnermap.model import Direction

NS = "http://gexf.net/1.3"


def _declare(
    graph_el: Element, cls: str, declared: list[tuple[str, str]]
) -> dict[str, str]:
    block = SubElement(graph_el, "attributes", {"class": cls, "mode": "static"})
    ids = {}
    for n, (name, kind) in enumerate(declared):
        ids[name] = f"{cls[0]}{n}"
        SubElement(block, "attribute", {"id": ids[name], "title": name, "type": kind})
    return ids


def _values(parent: Element, row: dict[str, object], ids: dict[str, str]) -> None:
    block = SubElement(parent, "attvalues")
    for name, value in row.items():
        if value is None:
            continue
        SubElement(block, "attvalue", {"for": ids[name], "value": value_text(value)})


def write(graph: Graph, path: Path) -> list[Path]:
    """Write one GEXF file."""
    root = Element("gexf", {"xmlns": NS, "version": "1.3"})
    SubElement(SubElement(root, "meta"), "creator").text = "partnermap"
    graph_el = SubElement(
        root, "graph", {"defaultedgetype": "directed", "mode": "static"}
    )
    node_decl, node_rows = node_table(graph)
    edge_decl, edge_rows = edge_table(graph)
    node_ids = _declare(graph_el, "node", node_decl)
    edge_ids = _declare(graph_el, "edge", edge_decl)
    nodes = SubElement(graph_el, "nodes")
    for s, row in zip(graph.stakeholders, node_rows, strict=True):
        _values(SubElement(nodes, "node", {"id": s.id, "label": s.name}), row, node_ids)
    edges = SubElement(graph_el, "edges")
    for n, (i, row) in enumerate(zip(graph.interactions, edge_rows, strict=True)):
        kind = "directed" if i.direction is Direction.ONE_WAY else "mutual"
        attrs = {
            "id": str(n),
            "source": i.source,
            "target": i.target,
            "type": kind,
            "label": i.type.info.label,
        }
        _values(SubElement(edges, "edge", attrs), row, edge_ids)
    write_xml(root, path)
    return [path]
