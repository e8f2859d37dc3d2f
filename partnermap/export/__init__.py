"""Exports: a store's stakeholders and interactions as files other tools open.

:func:`export_store` is the one entry point. Every format can be loaded back
(``partnermap load``) into an empty store and gives the same store: every
stakeholder (id, name, kind, attributes, source) and every interaction
(ends, type, date, school year, direction, confirmation, provenance,
attributes).

Formats:

- ``tidy``: a folder with stakeholders.csv and interactions.csv; attributes as
  one JSON column;
- ``kumu``: an XLSX workbook with Elements and Connections sheets in Kumu's
  layout (ID, Label, Type, Tags; From, To, Type, Direction);
- ``gexf``: GEXF 1.3 for Gephi;
- ``graphml``: GraphML for Gephi, yEd and networkx;
- ``json``: node-link JSON (networkx, d3).

Attributes that are lists or objects, or whose values mix types, are written
as JSON text in a column or attribute named "NAME (json)"; attributes whose
names clash with a format's own fields are written as "attr:NAME". Both are
read back by the loaders.
"""

from __future__ import annotations

from pathlib import Path

from partnermap.errors import PartnermapError
from partnermap.export import _gexf, _graphml, _kumu, _nodelink, _tidy
from partnermap.export._common import Graph
from partnermap.store import Store

WRITERS = {
    "tidy": _tidy.write,
    "kumu": _kumu.write,
    "gexf": _gexf.write,
    "graphml": _graphml.write,
    "json": _nodelink.write,
}
_BY_SUFFIX = {
    ".xlsx": "kumu",
    ".gexf": "gexf",
    ".graphml": "graphml",
    ".json": "json",
    "": "tidy",
}


def guess_format(path: Path) -> str:
    """The format a path's suffix asks for; a path without suffix is a folder."""
    suffix = path.suffix.lower()
    if suffix not in _BY_SUFFIX:
        raise PartnermapError(
            f"cannot tell the export format from {path.name!r}; use a folder for "
            "tidy CSV or a .xlsx, .gexf, .graphml or .json file, or pass --format"
        )
    return _BY_SUFFIX[suffix]


def export_store(store: Store, path: Path, format: str | None = None) -> list[Path]:
    """Write the store to ``path`` in ``format`` (guessed from the suffix)."""
    fmt = format or guess_format(path)
    if fmt not in WRITERS:
        raise PartnermapError(
            f"export format {fmt!r} is not known; use one of {', '.join(WRITERS)}"
        )
    graph = Graph(
        sorted(store.iter_stakeholders(), key=lambda s: s.id),
        sorted(store.iter_interactions(), key=lambda i: i.key),
    )
    return WRITERS[fmt](graph, path)
