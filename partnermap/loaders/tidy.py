"""The generic tidy layout: a stakeholders table and an interactions table.

Stakeholders: columns ``id`` (optional), ``name``, ``kind`` and any others,
which become attributes. Interactions: ``source``, ``target``, ``type`` and
optionally ``date`` (ISO, YYYY-MM-DD) and ``school_year`` (2014-15). Column
names match ignoring case and surrounding spaces; ``from``/``to`` stand for
source/target. Where there is no id column, the name is the id, and
interactions refer to stakeholders by it.

Not supported yet: XLSX workbooks, dates other than ISO, loose synonyms beyond
from/to (see the issue "Import that survives real district spreadsheets").
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from partnermap.errors import LoadError, Problem
from partnermap.loaders.base import FileReport, LoadContext, read_table, require_columns
from partnermap.model import (
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
)

FORMAT = "tidy"

_ALIASES = {"from": "source", "to": "target", "when": "date"}


def _norm(header: str) -> str:
    name = header.strip().lower()
    return _ALIASES.get(name, name)


def sniff(first_line: str) -> bool:
    """True for a tidy stakeholders or interactions header."""
    cols = {_norm(c) for c in first_line.replace(";", ",").replace("\t", ",").split(",")}
    return {"name", "kind"} <= cols or {"source", "target", "type"} <= cols


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read a tidy stakeholders or interactions table."""
    header, rows = read_table(path)
    names = {_norm(h) for h in header}
    if {"source", "target", "type"} <= names:
        return _interactions(path, header, rows, context)
    require_columns(path, [_norm(h) for h in header], ["name", "kind"])
    return _stakeholders(path, header, rows)


def _stakeholders(path, header, rows) -> tuple[ImportBatch, FileReport]:  # type: ignore[no-untyped-def]
    problems: list[Problem] = []
    batch = ImportBatch()
    kinds = ", ".join(k.value for k in StakeholderKind)
    for n, raw in rows:
        row = {_norm(k): v.strip() for k, v in raw.items()}
        name = row.get("name", "")
        if not name:
            problems.append(Problem(path.name, "name is empty", n, "name", hint="give every stakeholder a name"))
            continue
        try:
            kind = StakeholderKind(row.get("kind", "").lower())
        except ValueError:
            problems.append(
                Problem(path.name, f"kind {row.get('kind', '')!r} is not known", n, "kind", hint=f"use one of {kinds}")
            )
            continue
        attrs = {k: v for k, v in row.items() if k not in {"id", "name", "kind"} and v != ""}
        sid = row.get("id") or name
        batch.stakeholders.append(
            Stakeholder(id=sid, name=name, kind=kind, attributes=attrs, source=f"{path.name} row {n}")
        )
    if problems:
        raise LoadError(problems)
    report = FileReport(str(path), FORMAT, {"stakeholders": len(batch.stakeholders)})
    return batch, report


def _interactions(path, header, rows, context: LoadContext) -> tuple[ImportBatch, FileReport]:  # type: ignore[no-untyped-def]
    problems: list[Problem] = []
    batch = ImportBatch()
    known = context.known()
    by_name = {s.name: s.id for s in known.values()}
    types = ", ".join(t.value for t in InteractionType)
    for n, raw in rows:
        row = {_norm(k): v.strip() for k, v in raw.items()}
        ends = []
        for column in ("source", "target"):
            ref = row.get(column, "")
            sid = ref if ref in known else by_name.get(ref)
            if sid is None:
                problems.append(
                    Problem(
                        path.name,
                        f"{column} {ref!r} is not a known stakeholder",
                        n,
                        column,
                        hint="load its stakeholders table in the same import or first",
                    )
                )
            ends.append(sid)
        try:
            kind = InteractionType(row.get("type", "").lower())
        except ValueError:
            problems.append(
                Problem(path.name, f"type {row.get('type', '')!r} is not known", n, "type", hint=f"use one of {types}")
            )
            continue
        when = None
        if row.get("date"):
            try:
                when = date.fromisoformat(row["date"])
            except ValueError:
                problems.append(
                    Problem(path.name, f"date {row['date']!r} is not a date", n, "date", hint="write dates as YYYY-MM-DD")
                )
                continue
        if None in ends:
            continue
        batch.interactions.append(
            Interaction(
                source=ends[0],
                target=ends[1],
                type=kind,
                date=when,
                school_year=row.get("school_year") or None,
                provenance=f"{path.name} row {n}",
            )
        )
    if problems:
        raise LoadError(problems)
    return batch, FileReport(str(path), FORMAT, {"interactions": len(batch.interactions)})
