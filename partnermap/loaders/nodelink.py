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

from partnermap.loaders._graphs import add_edge, add_node, graph_builder
from partnermap.loaders._records import Where
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
    for i, node in enumerate(data.get("nodes") or [], start=1):
        node = dict(node)
        add_node(builder, Where(path.name, "nodes", i), node.pop("id", None), node)
    for i, link in enumerate(data.get("links", data.get("edges")) or [], start=1):
        link = dict(link)
        link.pop("key", None)
        add_edge(
            builder,
            Where(path.name, "links", i),
            link.pop("source", None),
            link.pop("target", None),
            link,
            directed,
        )
    # Problems so far are kept: finish() adds the reference checks, then refuses.
    return builder.finish(("nodes", "links"))
