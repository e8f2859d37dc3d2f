"""Characters no export may carry, taken out of a file's records as it is read.

XML 1.0 (GEXF, GraphML) cannot hold control characters other than tab, line
feed and carriage return, nor U+FFFE, U+FFFF or lone surrogates; a NUL or a
vertical tab pasted into a spreadsheet cell would make every later GEXF or
GraphML export unreadable. Each is replaced by a space (a value's ends then
trimmed), and the file's report says where (record and field, never the
value).
"""

from __future__ import annotations

import re
from typing import Any

from partnermap.errors import LoadError, Problem
from partnermap.model import ImportBatch

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

MAX_LENGTH = 1_000
"""Characters an id or a name may hold: the stores index both, and Neo4j's
index takes at most about 8 kB a value (1,000 characters are at most 4 kB
of UTF-8)."""

_SHOWN = 5
"""Places named in the warning; the rest are counted."""


def clean(text: str) -> str:
    """Text with every character XML cannot hold replaced by a space.

    >>> clean("Lincoln\\x0bHigh\\x00"), clean("two\\nlines\\tand a tab")
    ('Lincoln High ', 'two\\nlines\\tand a tab')
    """
    return _NOT_XML.sub(" ", text)


def clean_batch(batch: ImportBatch, file: str) -> list[str]:
    """Clean every id, name and text attribute of one file's batch in place.

    Returns the warnings to add to the file's report (none when nothing
    changed). Raises LoadError when a stakeholder's id or name is left empty,
    or is longer than :data:`MAX_LENGTH`.
    """
    places: list[str] = []
    problems: list[Problem] = []

    def fix(value: str, where: str, field: str) -> str:
        if _NOT_XML.search(value) is None:
            return value
        places.append(f"{where} ({field})")
        return clean(value).strip()

    for s in batch.stakeholders:
        where = s.source or file
        s.id, s.name = fix(s.id, where, "id"), fix(s.name, where, "name")
        s.attributes = _attributes(s.attributes, where, fix)
        for field, value in (("id", s.id), ("name", s.name)):
            if not value.strip():
                problems.append(
                    Problem(
                        where,
                        f"the {field} holds only control characters",
                        hint="type the name again in the spreadsheet",
                    )
                )
            elif len(value) > MAX_LENGTH:
                problems.append(
                    Problem(
                        where,
                        f"the {field} is {len(value):,} characters long, more than "
                        f"the {MAX_LENGTH:,} an id or a name may hold",
                        hint="shorten it; a long description belongs in a column "
                        "of its own",
                    )
                )
    for item in batch.interactions:
        where = item.provenance or file
        item.source = fix(item.source, where, "source")
        item.target = fix(item.target, where, "target")
        item.attributes = _attributes(item.attributes, where, fix)
    batch.attribute_updates = {
        fix(sid, file, "id"): _attributes(attrs, file, fix)
        for sid, attrs in batch.attribute_updates.items()
    }
    if problems:
        raise LoadError(problems)
    if not places:
        return []
    shown = ", ".join(places[:_SHOWN])
    more = f" and {len(places) - _SHOWN} more" if len(places) > _SHOWN else ""
    return [
        (
            "replaced control characters (which exports cannot hold) by spaces in "
            f"{len(places)} value(s): {shown}{more}"
        )
    ]


def _attributes(attrs: dict[str, Any], where: str, fix: Any) -> dict[str, Any]:
    return {
        fix(k, where, f"attribute {clean(k)!r}"): (
            fix(v, where, f"attribute {clean(k)!r}") if isinstance(v, str) else v
        )
        for k, v in attrs.items()
    }
