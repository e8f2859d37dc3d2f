"""The IRS Exempt Organizations Business Master File (EO BMF, per-state CSV).

Enriches organizations already known (by EIN, or a confident name match in
the same ZIP or city, see :mod:`partnermap.loaders.resolution`) with their
EIN, city, state, ZIP, subsection (03 = 501(c)(3)), NTEE code and its major
group (B education, O youth development, P human services, ...), ruling
year, and asset, income and revenue amounts. Borderline matches are listed
for review.

Not added: organizations that match nothing (a state file holds thousands of
exempt organizations, few of which are school partners); they are counted.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from partnermap.loaders._directory import enrich
from partnermap.loaders._tables import find_column, tables_of
from partnermap.loaders._values import text
from partnermap.loaders.base import FileReport, LoadContext, Peek
from partnermap.model import ImportBatch, Stakeholder, StakeholderKind

FORMAT = "irs-eo-bmf"
log = logging.getLogger(__name__)
NTEE_GROUPS = {
    "A": "arts, culture and humanities",
    "B": "education",
    "C": "environment",
    "D": "animal-related",
    "E": "health care",
    "F": "mental health",
    "G": "diseases and disorders",
    "H": "medical research",
    "I": "crime and legal",
    "J": "employment",
    "K": "food and nutrition",
    "L": "housing",
    "M": "public safety",
    "N": "recreation and sports",
    "O": "youth development",
    "P": "human services",
    "Q": "international affairs",
    "R": "civil rights",
    "S": "community improvement",
    "T": "philanthropy",
    "U": "science and technology",
    "V": "social science",
    "W": "public and societal benefit",
    "X": "religion",
    "Y": "mutual benefit",
    "Z": "unknown",
}
_TEXT = {
    "CITY": "city",
    "STATE": "state",
    "SUBSECTION": "subsection",
    "NTEE_CD": "ntee",
}
_NUMBERS = {"ASSET_AMT": "assets", "INCOME_AMT": "income", "REVENUE_AMT": "revenue"}


def detect(peek: Peek) -> bool:
    """A table with EIN, NAME and NTEE_CD."""
    return any(
        find_column(h, "EIN") and find_column(h, "NAME") and find_column(h, "NTEE_CD")
        for h in peek.headers
    )


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Enrich known organizations from an EO BMF extract."""
    tables, _ = tables_of(path, context.max_bytes)
    orgs = []
    for n, row in tables[0].records():
        ein, name = text(row.get("EIN")), text(row.get("NAME"))
        if ein and name:
            orgs.append(
                Stakeholder(
                    ein,
                    name,
                    StakeholderKind.NONPROFIT,
                    _attributes(row),
                    tables[0].where(n),
                )
            )
    report = FileReport(str(path), FORMAT, {"organizations": len(orgs)})
    batch = enrich(orgs, context, report, add_unmatched=False)
    log.info("read %s organizations from %s", f"{len(orgs):,}", path.name)
    return batch, report


def _attributes(row: dict[str, Any]) -> dict[str, Any]:
    attrs: dict[str, Any] = {"ein": text(row.get("EIN"))}
    for column, name in _TEXT.items():
        if value := text(row.get(column)):
            attrs[name] = value
    if zip_code := text(row.get("ZIP")):
        attrs["zip"] = zip_code[:5]
    for column, name in _NUMBERS.items():
        if (value := text(row.get(column))).isdigit():
            attrs[name] = int(value)
    if ruling := text(row.get("RULING")):
        attrs["ruling_year"] = ruling[:4]
    if ntee := attrs.get("ntee"):
        attrs["ntee_group"] = NTEE_GROUPS.get(ntee[0].upper(), "unknown")
    return attrs
