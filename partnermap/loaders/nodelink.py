"""Node-link JSON, as networkx's ``node_link_data`` and d3 examples write it.

``{"directed": true, "nodes": [{"id": ..., ...}], "links": [{"source": ...,
"target": ..., ...}]}``; "edges" may stand for "links". Node and edge fields
follow :mod:`partnermap.loaders._graphs`.

Not read: the "graph" object's own attributes; "source"/"target" given as
positions in the nodes list (d3's early form) are taken as ids.
"""

from __future__ import annotations

import json
from pathlib import Path

from partnermap.loaders._graphs import (
    add_edge,
    add_node,
    graph_builder,
    json_objects,
    scalar,
)
from partnermap.loaders.base import FileReport, LoadContext, Peek, read_text
from partnermap.model import ImportBatch

FORMAT = "node-link"


def detect(peek: Peek) -> bool:
    """A JSON object with "nodes" and "links" (or "edges")."""
    data = peek.data
    return (
        isinstance(data, dict)
        and "nodes" in data
        and ("links" in data or "edges" in data)
    )


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read a node-link JSON file."""
    data = json.loads(read_text(path))
    builder = graph_builder(path.name, FORMAT, context)
    directed = bool(data.get("directed", True))
    for where, node in json_objects(data, "nodes", path.name, builder):
        node = dict(node)
        add_node(builder, where, scalar(node.pop("id", None), where, "id", builder), node)
    links = "links" if "links" in data else "edges"
    for where, link in json_objects(data, links, path.name, builder):
        link = dict(link)
        link.pop("key", None)
        add_edge(
            builder,
            where,
            scalar(link.pop("source", None), where, "source", builder),
            scalar(link.pop("target", None), where, "target", builder),
            link,
            directed,
        )
    # Problems so far are kept: finish() adds the reference checks, then refuses.
    return builder.finish(("nodes", "links"))
