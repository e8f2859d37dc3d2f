"""What the writers share: the records, and attributes flattened for a format."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from partnermap.loaders._records import JSON_SUFFIX
from partnermap.loaders._tables import column_key
from partnermap.model import Interaction, Stakeholder

SCALARS = (bool, int, float, str)


@dataclass
class Graph:
    """A store's records, ordered by id and key."""

    stakeholders: list[Stakeholder]
    interactions: list[Interaction]


def columns(records: list[dict[str, Any]], reserved: set[str]) -> dict[str, str]:
    """How to write each attribute: name -> its column and a value type.

    The value type is "long", "double", "boolean", "string", or "json" (lists,
    objects, or values of mixed types, written as JSON text).
    """
    kinds: dict[str, set[type]] = {}
    for attrs in records:
        for key, value in attrs.items():
            kinds.setdefault(key, set()).add(type(value))
    out = {}
    for key, seen in kinds.items():
        if seen == {int}:
            kind = "long"
        elif seen in ({float}, {int, float}):
            kind = "double"
        elif seen == {bool}:
            kind = "boolean"
        elif seen == {str}:
            kind = "string"
        else:
            kind = "json"
        out[key] = kind
    return out


def column_name(key: str, kind: str, reserved: set[str]) -> str:
    """The column for an attribute: reserved names prefixed, JSON ones marked."""
    name = key
    if (
        column_key(key) in reserved
        or key.startswith("attr:")
        or key.endswith(JSON_SUFFIX)
    ):
        name = f"attr:{key}"
    return name + JSON_SUFFIX if kind == "json" else name


def cell(value: Any, kind: str) -> Any:
    """An attribute value as written: JSON text for "json", else as is."""
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if kind == "double" and isinstance(value, int):
        return float(value)
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""


def neutral(value: Any) -> Any:
    """A cell a spreadsheet shows as text: a string starting like a formula
    gets a leading apostrophe, which the loaders take off again.

    >>> neutral("=SUM(A1)"), neutral("-5"), neutral(-5), neutral("ok")
    ("'=SUM(A1)", "'-5", -5, 'ok')
    """
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def neutral_row(row: list[Any]) -> list[Any]:
    """Every cell of a row made :func:`neutral`."""
    return [neutral(c) for c in row]
