"""GraphML as written by yEd, Gephi and networkx, parsed safely with defusedxml.

``<key attr.name=...>`` declarations name and type the ``<data>`` values;
yEd's graphics data give the label (the text of a NodeLabel or EdgeLabel).
Node fields and edge fields follow :mod:`partnermap.loaders._graphs`; an
edge's ``directed`` attribute, else the graph's ``edgedefault``, gives the
direction.

Not read: nested graphs, hyperedges and ports; yEd's geometry and styles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from partnermap.errors import LoadError
from partnermap.loaders._graphs import add_edge, add_node, graph_builder
from partnermap.loaders._records import Where
from partnermap.loaders._xml import local, parse_xml
from partnermap.loaders.base import FileReport, LoadContext, Peek
from partnermap.loaders.gexf import typed
from partnermap.model import ImportBatch

FORMAT = "graphml"


def detect(peek: Peek) -> bool:
    """An XML file whose root is <graphml>."""
    return peek.xml_root == "graphml"


def _keys(root: Element) -> dict[str, tuple[str, str]]:
    out = {}
    for key in root:
        if local(key.tag) == "key":
            name = key.get("attr.name") or ""
            out[key.get("id", "")] = (name, key.get("attr.type", "string"))
    return out


def _data(element: Element, keys: dict[str, tuple[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in element:
        if local(item.tag) != "data":
            continue
        name, kind = keys.get(item.get("key", ""), ("", "string"))
        label = next(
            (
                d.text
                for d in item.iter()
                if local(d.tag) in {"NodeLabel", "EdgeLabel"} and d.text
            ),
            None,
        )
        if label and "label" not in data:
            data["label"] = label.strip()
        elif name:
            data[name] = typed(item.text or "", kind)
    return data


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read a GraphML file."""
    root = parse_xml(path)
    keys = _keys(root)
    graph = next((g for g in root if local(g.tag) == "graph"), None)
    if graph is None:
        raise LoadError(
            [
                Where(path.name, None, None).problem(
                    "has no <graph> element", hint="export it again"
                )
            ]
        )
    builder = graph_builder(path.name, FORMAT, context)
    default_directed = graph.get("edgedefault", "directed") == "directed"
    nodes = [e for e in graph if local(e.tag) == "node"]
    edges = [e for e in graph if local(e.tag) == "edge"]
    for i, node in enumerate(nodes, start=1):
        add_node(
            builder, Where(path.name, "nodes", i), node.get("id"), _data(node, keys)
        )
    for i, edge in enumerate(edges, start=1):
        flag = edge.get("directed")
        directed = default_directed if flag is None else flag.lower() == "true"
        add_edge(
            builder,
            Where(path.name, "edges", i),
            edge.get("source"),
            edge.get("target"),
            _data(edge, keys),
            directed,
        )
    # Problems so far are kept: finish() adds the reference checks, then refuses.
    return builder.finish(("nodes", "edges"))
