"""Node-link JSON (networkx ``node_link_data`` layout, "links" key)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from partnermap.export._common import Graph
from partnermap.loaders._graphs import EDGE_FIELDS, NODE_FIELDS
from partnermap.loaders._tables import column_key


def _attrs(attrs: dict[str, Any], reserved: set[str]) -> dict[str, Any]:
    return {
        (f"attr:{k}" if column_key(k) in reserved or k.startswith("attr:") else k): v
        for k, v in attrs.items()
    }


def write(graph: Graph, path: Path) -> list[Path]:
    """Write one JSON file."""
    nodes = [
        {
            "id": s.id,
            "label": s.name,
            "kind": s.kind.value,
            "provenance": s.source,
            **_attrs(s.attributes, NODE_FIELDS),
        }
        for s in graph.stakeholders
    ]
    links = []
    for i in graph.interactions:
        d = i.to_dict()
        links.append(
            {
                "source": d["source"],
                "target": d["target"],
                "interaction": d["type"],
                "direction": d["direction"],
                "date": d["date"],
                "school_year": d["school_year"],
                "confirmed": d["confirmed"],
                "provenance": d["provenance"],
                **_attrs(d["attributes"], EDGE_FIELDS | {"key"}),
            }
        )
    data = {
        "directed": True,
        "multigraph": True,
        "graph": {"name": "partnermap"},
        "nodes": nodes,
        "links": links,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return [path]
