"""NCES public school directory exports ("Search for Public Schools", CCD).

One row per school: ``NCES School ID`` (12 digits, kept as text) becomes the
stakeholder id, with the state id, district, address, city, ZIP, grades,
locale, charter, students, teachers, free and reduced lunch counts, the
free/reduced lunch share, and latitude/longitude. "†" and "–" (not
applicable) read as missing.

A school already known (same NCES id, or a confident name match in the same
city or ZIP, see :mod:`partnermap.loaders.resolution`) is enriched instead of
added again; borderline matches are listed for review. Unmatched schools are
added, since a school directory brings the schools of a district map.

Not read: the district export (``*_districts.csv``); Title I status (not in
this export; the free/reduced lunch share is the proxy).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from partnermap.errors import LoadError
from partnermap.loaders._directory import enrich
from partnermap.loaders._tables import find_column, tables_of
from partnermap.loaders._values import text
from partnermap.loaders.base import FileReport, LoadContext, Peek
from partnermap.model import ImportBatch, Stakeholder, StakeholderKind

FORMAT = "nces-schools"
log = logging.getLogger(__name__)
_MISSING = {"†", "–", "-", "—"}
_TEXT = {
    "State School ID": "state_school_id",
    "NCES District ID": "nces_district_id",
    "District": "district",
    "County Name*": "county",
    "Street Address": "address",
    "City": "city",
    "State": "state",
    "ZIP": "zip",
    "Low Grade*": "low_grade",
    "High Grade*": "high_grade",
    "Locale*": "locale",
    "Charter": "charter",
    "Type": "school_type",
    "Status": "status",
}
_NUMBERS = {
    "Students*": "enrollment",
    "Teachers*": "teachers",
    "Free Lunch*": "free_lunch",
    "Reduced Lunch*": "reduced_lunch",
    "Latitude": "latitude",
    "Longitude": "longitude",
}


def detect(peek: Peek) -> bool:
    """A table with NCES School ID and School Name."""
    return any(
        find_column(h, "NCES School ID") and find_column(h, "School Name")
        for h in peek.headers
    )


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read an NCES school directory export."""
    tables, _ = tables_of(path, context.max_bytes)
    table = tables[0]
    problems, schools = [], []
    for n, row in table.records():
        sid = text(row.get("NCES School ID"))
        name = text(row.get("School Name"))
        if not sid or not name:
            problems.append(
                table.problem(
                    "NCES School ID or School Name is empty",
                    n,
                    "NCES School ID",
                    "keep both columns filled",
                )
            )
            continue
        schools.append(
            Stakeholder(
                sid, name, StakeholderKind.SCHOOL, _attributes(row), table.where(n)
            )
        )
    if problems:
        raise LoadError(problems)
    report = FileReport(str(path), FORMAT, {"schools": len(schools)})
    batch = enrich(schools, context, report, add_unmatched=True)
    report.counts["added"] = len(batch.stakeholders)
    log.info("read %s schools from %s", f"{len(schools):,}", path.name)
    return batch, report


def _number(value: str) -> float | int | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _attributes(row: dict[str, Any]) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for column, name in _TEXT.items():
        value = text(row.get(column))
        if value and value not in _MISSING:
            attrs[name] = value
    for column, name in _NUMBERS.items():
        value = text(row.get(column))
        if value and value not in _MISSING and (number := _number(value)) is not None:
            attrs[name] = number
    students = attrs.get("enrollment")
    if students and "free_lunch" in attrs:
        share = (attrs["free_lunch"] + attrs.get("reduced_lunch", 0)) / students
        attrs["free_reduced_lunch_share"] = round(share, 3)
    return attrs
