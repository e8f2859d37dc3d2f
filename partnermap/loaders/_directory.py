"""What directory loaders share: matching their rows to known stakeholders."""

from __future__ import annotations

from typing import Any

from partnermap.loaders.base import FileReport, LoadContext
from partnermap.loaders.resolution import describe, match
from partnermap.model import ImportBatch, Stakeholder


def enrich(
    rows: list[Stakeholder],
    context: LoadContext,
    report: FileReport,
    *,
    add_unmatched: bool,
) -> ImportBatch:
    """Merge directory rows into the stakeholders they match; list the rest.

    A row whose id is already known updates it; a confident name match
    updates the known stakeholder; a borderline one is kept apart and listed
    for review. Unmatched rows are added when ``add_unmatched``.
    """
    known = list(context.known().values())
    known_ids = {s.id for s in known}
    found = match(rows, known, context.review)
    batch = ImportBatch()
    for row in rows:
        target = row.id if row.id in known_ids else found.merge.get(row.id)
        if target is not None:
            batch.attribute_updates[target] = _directory_attributes(row)
        elif add_unmatched:
            batch.stakeholders.append(row)
    describe(found, report)
    report.counts["enriched"] = len(batch.attribute_updates)
    if rows and not batch.attribute_updates and not add_unmatched:
        report.warnings.append(
            f"none of the {len(rows):,} rows matched a stakeholder already loaded "
            "(by id or by name), so this file added nothing: load the "
            "stakeholders it describes first (a directory, a partner list), then "
            "this file"
        )
    return batch


def _directory_attributes(row: Stakeholder) -> dict[str, Any]:
    return {**row.attributes, "directory_name": row.name, "directory_id": row.id}
