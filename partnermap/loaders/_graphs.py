"""Nodes and edges of graph tools (Gephi, GEXF, GraphML, node-link JSON) as records.

Node fields: ``label`` (or name) is the name, ``kind`` (or type, category)
the stakeholder kind, ``provenance`` where it came from; the rest are
attributes. Edge fields: ``interaction`` (or type, kind, label) is the
interaction type; a ``type`` of directed, undirected or mutual is Gephi's
direction, not an interaction type; ``direction``, ``date``,
``school_year``, ``confirmed`` and ``provenance`` as in the tidy layout; the
rest (weight, ...) are attributes. An edge without a direction flows one way
in a directed graph and both ways in an undirected one.
"""

from __future__ import annotations

from typing import Any

from partnermap.loaders._records import Builder, Where
from partnermap.loaders._tables import column_key
from partnermap.loaders._values import text
from partnermap.model import InteractionType

NODE_FIELDS = {"id", "label", "name", "kind", "type", "category", "provenance"}
EDGE_FIELDS = {
    "id",
    "source",
    "target",
    "interaction",
    "interaction type",
    "type",
    "kind",
    "label",
    "edge label",
    "direction",
    "date",
    "school year",
    "confirmed",
    "provenance",
}
GEPHI_DIRECTIONS = {"directed", "undirected", "mutual"}


def json_type(value: Any) -> str:
    """What JSON calls a value's type.

    >>> json_type({}), json_type([1]), json_type("a"), json_type(2.5), json_type(None)
    ('object', 'array', 'string', 'number', 'null')
    """
    if isinstance(value, bool):
        return "boolean"
    kinds = {dict: "object", list: "array", str: "string", int: "number", float: "number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def json_objects(
    data: Any, key: str, file: str, builder: Builder
) -> list[tuple[Where, dict[str, Any]]]:
    """The objects listed under ``key`` of a JSON document, each with its
    place (``file [key] row N``, N counted from 1); a list that is not one,
    and each item that is not an object, is a problem of the builder."""
    items = data.get(key) if isinstance(data, dict) else None
    if items is None:
        return []
    if not isinstance(items, list):
        builder.problems.append(
            Where(file, None, None).problem(
                f"{key!r} is a JSON {json_type(items)}, not a list of objects",
                key,
                f'write it as "{key}": [{{...}}, {{...}}]',
            )
        )
        return []
    out = []
    for n, item in enumerate(items, start=1):
        where = Where(file, key, n)
        if isinstance(item, dict):
            out.append((where, item))
        else:
            builder.problems.append(
                where.problem(
                    f"the item is a JSON {json_type(item)}, not an object",
                    hint='write each item as an object, e.g. {"id": "a", "label": "A"}',
                )
            )
    return out


def scalar(value: Any, where: Where, field: str, builder: Builder) -> Any:
    """A JSON field that must be text or a number; a list or an object is a
    problem (it would be stored as its Python spelling)."""
    if isinstance(value, (dict, list)):
        builder.problems.append(
            where.problem(
                f"{field} is a JSON {json_type(value)}, not text or a number",
                field,
                "write it as text",
            )
        )
    return value


def graph_builder(file: str, fmt: str, context: Any) -> Builder:
    """A lenient builder: other tools' kinds and types are read and warned."""
    return Builder(
        file, fmt, context, strict=False, default_type=InteractionType.PARTNER_LISTED
    )


def _get(data: dict[str, Any], *names: str) -> Any:
    keys = {column_key(k): k for k in data}
    for name in names:
        if name in keys and text(data[keys[name]]) != "":
            return data[keys[name]]
    return None


def _given(data: dict[str, Any], name: str) -> str | None:
    """A field's text when the field is there, even empty; None when absent."""
    for key, value in data.items():
        if column_key(key) == name:
            return text(value)
    return None


def add_node(
    builder: Builder, where: Where, node_id: Any, data: dict[str, Any]
) -> None:
    """A graph node as a stakeholder; its id is the stakeholder id."""
    attrs = {k: v for k, v in data.items() if column_key(k) not in NODE_FIELDS}
    name = _get(data, "label", "name")
    builder.add_node(
        where,
        id=node_id,
        name=name if name is not None else node_id,
        kind=builder.kind(_get(data, "kind", "type", "category"), where, "kind"),
        attributes=attrs,
        source=_given(data, "provenance"),
        name_column="label",
    )


def add_edge(
    builder: Builder,
    where: Where,
    source: Any,
    target: Any,
    data: dict[str, Any],
    directed: bool,
) -> None:
    """A graph edge as an interaction."""
    gephi_type = text(_get(data, "type")).casefold()
    if gephi_type in GEPHI_DIRECTIONS:
        directed = gephi_type == "directed"
        data = {k: v for k, v in data.items() if column_key(k) != "type"}
    kind = _get(
        data, "interaction", "interaction type", "type", "kind", "label", "edge label"
    )
    attrs = {k: v for k, v in data.items() if column_key(k) not in EDGE_FIELDS}
    builder.add_edge(
        where,
        source=source,
        target=target,
        type=builder.type(kind, where, "interaction"),
        date=_get(data, "date"),
        school_year=_get(data, "school year"),
        direction=_get(data, "direction") or ("one_way" if directed else "both"),
        confirmed=_get(data, "confirmed"),
        provenance=_given(data, "provenance"),
        attributes=attrs,
    )
