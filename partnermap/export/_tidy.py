"""Tidy CSV: stakeholders.csv and interactions.csv in a folder (UTF-8)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from partnermap.export._common import Graph, neutral_row

STAKEHOLDERS = ["id", "name", "kind", "source", "attributes"]
INTERACTIONS = [
    "source",
    "target",
    "type",
    "date",
    "school_year",
    "direction",
    "confirmed",
    "provenance",
    "attributes",
]


def _json(attrs: dict[str, object]) -> str:
    return json.dumps(attrs, ensure_ascii=False, sort_keys=True) if attrs else ""


def write(graph: Graph, folder: Path) -> list[Path]:
    """Write the two tables; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    people, events = folder / "stakeholders.csv", folder / "interactions.csv"
    with people.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(STAKEHOLDERS)
        for s in graph.stakeholders:
            writer.writerow(
                neutral_row([s.id, s.name, s.kind.value, s.source, _json(s.attributes)])
            )
    with events.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(INTERACTIONS)
        for i in graph.interactions:
            d = i.to_dict()
            writer.writerow(
                neutral_row([
                    d["source"],
                    d["target"],
                    d["type"],
                    d["date"] or "",
                    d["school_year"] or "",
                    d["direction"],
                    "true" if d["confirmed"] else "false",
                    d["provenance"],
                    _json(d["attributes"]),
                ])
            )
    return [people, events]
