"""The NYC DOE High School Directory: schools and the partners they list.

One row per high school, keyed by its ``dbn``. Each school becomes a
stakeholder of kind school (borough, address, city, zip, enrollment, building,
website, campus, grades and, in 2014-15, latitude and longitude from
``Location 1``). Eight free-text columns list partners; every organization
named in them becomes one stakeholder, and every listing an interaction of
type partner_listed from the school to the partner, in the school year of
the directory.

School year: the 2014-15 directory (it has a ``Location 1`` column) is read
as "2014-15". The directory published in 2016 (it has ``diplomaendorsements``
and no school year of its own) is read as "2016-17", the year it was
published for admissions.

A partner's id comes from its name key (``org:st-johns-university``, see
:mod:`partnermap.loaders._partner_names`), so both directories give one
organization the same id. Spellings of one organization are merged as set out
in :mod:`partnermap.loaders._resolve`; its display name is the spelling
listed most often (ties: first seen), and its kind is that of the column it
is listed in most often (ties: the column order of :data:`PARTNER_COLUMNS`).
Kind and name are decided per file; when both directories are loaded, the
later file's decision is the one stored.

Ignored: phone and fax numbers, the programs, sports, admissions and
accessibility text, and in 2016 the ``school_email`` column if present.
Prose, placeholders ("N/A"), people's names after a heading ("Visiting
Artists: ..."), and programs named after a partner ("Medgar Evers College:
College Now") are dropped and counted in the report.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from partnermap.errors import LoadError, Problem
from partnermap.loaders._partner_names import (
    Dropped,
    Split,
    acronym_of,
    is_acronym,
    partner_id,
    partner_key,
    split_joined,
    split_partners,
)
from partnermap.loaders._resolve import MAX_FUZZY_KEYS, Resolution, resolve
from partnermap.loaders._values import location_point
from partnermap.loaders.base import FileReport, LoadContext, read_table, require_columns
from partnermap.model import (
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
)

log = logging.getLogger(__name__)

FORMAT = "nyc-hs-directory"

# Partner columns and the kind each gives, in the order that breaks ties.
PARTNER_COLUMNS: dict[str, StakeholderKind] = {
    "partner_cbo": StakeholderKind.COMMUNITY_ORGANIZATION,
    "partner_hospital": StakeholderKind.HEALTH_PROVIDER,
    "partner_highered": StakeholderKind.HIGHER_EDUCATION,
    "partner_cultural": StakeholderKind.CULTURAL_ORGANIZATION,
    "partner_nonprofit": StakeholderKind.NONPROFIT,
    "partner_corporate": StakeholderKind.BUSINESS,
    "partner_financial": StakeholderKind.FINANCIAL_INSTITUTION,
    "partner_other": StakeholderKind.OTHER,
}

# School attributes: attribute name <- column name (empty cells are left out).
SCHOOL_ATTRIBUTES = {
    "borough": "boro",
    "address": "primary_address_line_1",
    "city": "city",
    "zip": "zip",
    "building_code": "building_code",
    "campus_name": "campus_name",
    "website": "website",
    "total_students": "total_students",
    "grade_span_min": "grade_span_min",
    "grade_span_max": "grade_span_max",
}

_REQUIRED = ["dbn", "school_name", *PARTNER_COLUMNS]


@dataclass(frozen=True)
class _Listing:
    """One partner name as a school listed it."""

    dbn: str
    column: str
    row: int
    name: str
    written: str
    key: str


def sniff(first_line: str) -> bool:
    """True for a High School Directory header (dbn, school_name, partner_cbo)."""
    columns = {c.strip().strip('"\ufeff').lower() for c in first_line.split(",")}
    return {"dbn", "school_name", "partner_cbo"} <= columns


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read one High School Directory file into schools, partners, listings."""
    header, rows = read_table(path, delimiter=",")
    require_columns(path, header, _REQUIRED)
    year = school_year(path, header)
    report = FileReport(str(path), FORMAT)
    schools, cells = _read_rows(path, rows, year)
    listings = _listings(cells, report)

    # One organization, one node: merge spellings, then name and kind each.
    resolution = _resolve(listings, context)
    if resolution.fuzzy_skipped:
        report.warnings.append(
            f"{resolution.fuzzy_skipped:,} distinct partner names (with those "
            f"already stored) are more than {MAX_FUZZY_KEYS:,}: spellings were "
            "merged only when equal but for small words, or by acronym, not when "
            "similar; load a district's directory on its own"
        )
    partners, interactions = _partners(path, listings, resolution, year, report)
    _count(report, schools, partners, interactions)

    # A newer directory read earlier in this import keeps the last word.
    records = _newer_wins(context, year, [*schools, *partners])
    batch = ImportBatch(stakeholders=records, interactions=interactions)
    _log(path, report, year)
    return batch, report


def _newer_wins(
    context: LoadContext, year: str, records: list[Stakeholder]
) -> list[Stakeholder]:
    """Records to emit so that the newest directory of an import wins.

    The store lets the record applied last win, and files of one format are
    applied in the order given. So a school that a newer directory of this
    import already brought takes that directory's name and attribute values
    (keeping ours where it has none, such as 2014-15 coordinates), and a
    partner a newer directory listed is left to that directory's record.
    """
    newer_schools, newer_partners = _from_newer_directories(context, year)
    out = []
    for record in records:
        newer = newer_schools.get(record.id)
        if newer is not None:
            attributes = {**record.attributes, **newer.attributes}
            record = replace(newer, attributes=attributes)
        elif record.id in newer_partners:
            continue
        out.append(record)
    return out


def _from_newer_directories(
    context: LoadContext, year: str
) -> tuple[dict[str, Stakeholder], set[str]]:
    """Schools and partner ids that directories newer than ``year`` brought."""
    schools = {
        s.id: s
        for s in context.batch.stakeholders
        if s.kind is StakeholderKind.SCHOOL
        and str(s.attributes.get("directory_year", "")) > year
    }
    partners = {
        i.target
        for i in context.batch.interactions
        if i.type is InteractionType.PARTNER_LISTED and (i.school_year or "") > year
    }
    return schools, partners


def school_year(path: Path, header: list[str]) -> str:
    """The school year of a directory, told by its columns (module notes)."""
    names = {h.lower() for h in header}
    if "location 1" in names:
        return "2014-15"
    if "diplomaendorsements" in names:
        return "2016-17"
    raise LoadError(
        [
            Problem(
                path.name,
                "cannot tell the directory's school year: it has neither "
                "'Location 1' (2014-15) nor 'diplomaendorsements' (2016)",
                row=1,
                hint="load the directory file as published by NYC Open Data",
            )
        ]
    )


# -- reading rows -------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    """One partner cell as read: where it is and what it held."""

    dbn: str
    column: str
    row: int
    split: Split


def _read_rows(
    path: Path, rows: Iterator[tuple[int, dict[str, str]]], year: str
) -> tuple[list[Stakeholder], list[_Cell]]:
    """Schools and their partner cells; every bad row is named at once."""
    problems: list[Problem] = []
    schools: list[Stakeholder] = []
    cells: list[_Cell] = []
    seen: dict[str, int] = {}
    for n, row in rows:
        dbn, name = row["dbn"].strip(), " ".join(row["school_name"].split())
        problem = _row_problem(path.name, n, dbn, name, seen)
        if problem:
            problems.append(problem)
            continue
        seen[dbn] = n
        schools.append(_school(path, n, row, dbn, name, year))
        for column in PARTNER_COLUMNS:
            cells.append(_Cell(dbn, column, n, split_partners(row.get(column, ""))))
    if problems:
        raise LoadError(problems)
    return schools, cells


def _row_problem(
    file: str, n: int, dbn: str, name: str, seen: dict[str, int]
) -> Problem | None:
    if not dbn:
        return Problem(file, "dbn is empty", n, "dbn", hint="give every school its DBN")
    if dbn in seen:
        return Problem(
            file,
            f"dbn {dbn!r} is also on row {seen[dbn]}",
            n,
            "dbn",
            hint="keep one row per school",
        )
    if not name:
        return Problem(
            file, "school_name is empty", n, "school_name", hint="name the school"
        )
    return None


def _school(
    path: Path, n: int, row: dict[str, str], dbn: str, name: str, year: str
) -> Stakeholder:
    attributes: dict[str, object] = {"directory_year": year}
    for attribute, column in SCHOOL_ATTRIBUTES.items():
        value = " ".join(row.get(column, "").split())
        if value and value.upper() not in {"N/A", "NA", "NONE"}:
            attributes[attribute] = _school_value(attribute, value)
    point = location_point(row.get("Location 1", ""))
    if point:
        attributes["latitude"], attributes["longitude"] = point
    return Stakeholder(
        id=dbn,
        name=name,
        kind=StakeholderKind.SCHOOL,
        attributes=attributes,
        source=f"{path.name} row {n}",
    )


def _school_value(attribute: str, value: str) -> object:
    if attribute == "total_students" and value.isdigit():
        return int(value)
    if attribute == "city" and value.isupper():
        return value.title()
    return value


# -- listings -------------------------------------------------------------------


def _listings(cells: list[_Cell], report: FileReport) -> list[_Listing]:
    """The names of every cell, read against the whole file's names.

    A name the file also lists on its own settles two doubts: "A and B" is
    cut in two when both A and B are so listed, and a program after a colon
    or dash ("College Now: York College") is kept as a partner when it is.
    """
    vocabulary = {partner_key(n) for cell in cells for n in cell.split.names}
    out: list[_Listing] = []
    for cell in cells:
        dropped = []
        for piece in cell.split.dropped:
            if piece.reason == "program" and partner_key(piece.text) in vocabulary:
                out.append(_listing(cell, piece.text, piece.text))
            else:
                dropped.append(piece)
        for name, written in zip(cell.split.names, cell.split.written):
            out.extend(_joined(cell, name, written, vocabulary, report))
        _note_dropped(report, cell, dropped)
    return out


def _listing(cell: _Cell, name: str, written: str) -> _Listing:
    return _Listing(cell.dbn, cell.column, cell.row, name, written, partner_key(name))


def _joined(
    cell: _Cell, name: str, written: str, vocabulary: set[str], report: FileReport
) -> list[_Listing]:
    parts = split_joined(name, vocabulary)
    if len(parts) == 1:
        return [_listing(cell, name, written)]
    report.details.append(
        f"split {written!r} in {cell.dbn} {cell.column} into "
        + " and ".join(repr(p) for p in parts)
    )
    return [_listing(cell, part, part) for part in parts]


def _note_dropped(report: FileReport, cell: _Cell, dropped: list[Dropped]) -> None:
    """One detail line per dropped piece; prose counts once per cell."""
    where = f"{cell.dbn} {cell.column}"
    long_text: Counter[str] = Counter()
    lines = []
    for piece in dropped:
        if piece.reason in {"prose", "too long for one name"}:
            long_text[piece.reason] += len(piece.text)
        elif piece.reason == "people":
            lines.append(f"dropped {piece.text} in {where} (people)")
        else:
            text = piece.text if len(piece.text) <= 60 else piece.text[:57] + "..."
            lines.append(f"dropped {text!r} in {where} ({piece.reason})")
    for reason, chars in long_text.items():
        lines.append(f"dropped {reason} in {where} ({chars} characters)")
    report.details.extend(lines)
    report.dropped += len(lines)


# -- partners -------------------------------------------------------------------


def _resolve(listings: list[_Listing], context: LoadContext) -> Resolution:
    """Merge the spellings of each organization (see _resolve)."""
    counts: Counter[str] = Counter()
    for item in listings:
        counts[item.key] += 1
    bare = {item.key for item in listings if is_acronym(item.name)}
    acronyms: dict[str, Counter[str]] = {}
    for item in listings:
        acronym = acronym_of(item.name)
        if acronym and partner_key(acronym) in bare:
            acronyms.setdefault(partner_key(acronym), Counter())[item.key] += 1
    known = [sid[4:].replace("-", " ") for sid in context.known() if sid[:4] == "org:"]
    return resolve(dict(counts), acronyms, known)


def _partners(
    path: Path,
    listings: list[_Listing],
    resolution: Resolution,
    year: str,
    report: FileReport,
) -> tuple[list[Stakeholder], list[Interaction]]:
    """One stakeholder per organization, one interaction per listing."""
    by_key: dict[str, list[_Listing]] = {}
    interactions: list[Interaction] = []
    seen: set[tuple[str, str, str]] = set()
    for item in listings:
        key = resolution.canonical[item.key]
        by_key.setdefault(key, []).append(item)
        if (item.dbn, key, item.column) in seen:
            continue
        seen.add((item.dbn, key, item.column))
        interactions.append(_interaction(path, item, key, year))
    partners = [
        _partner(path, key, items, resolution, report) for key, items in by_key.items()
    ]
    return partners, interactions


def _interaction(path: Path, item: _Listing, key: str, year: str) -> Interaction:
    return Interaction(
        source=item.dbn,
        target=partner_id(key),
        type=InteractionType.PARTNER_LISTED,
        school_year=year,
        provenance=f"{path.name} row {item.row}",
        attributes={"column": item.column},
    )


def _partner(
    path: Path,
    key: str,
    items: list[_Listing],
    resolution: Resolution,
    report: FileReport,
) -> Stakeholder:
    name = Counter(i.name for i in items).most_common(1)[0][0]
    kind = _kind(name, items, report)
    for written, key_of in dict.fromkeys((i.written, i.key) for i in items):
        if written != name:
            why = resolution.reason.get(key_of, "same name")
            note = "" if why == "same name" else f" ({why})"
            report.details.append(f"merged {written!r} into {name!r}{note}")
            report.merged += 1
    attributes: dict[str, object] = {}
    acronyms = sorted({a for i in items if (a := acronym_of(i.name))})
    if acronyms:
        attributes["acronyms"] = acronyms
    return Stakeholder(
        id=partner_id(key),
        name=name,
        kind=kind,
        attributes=attributes,
        source=f"{path.name} row {items[0].row}",
    )


def _kind(name: str, items: list[_Listing], report: FileReport) -> StakeholderKind:
    """The kind of the column listing the partner most (ties: column order)."""
    pairs = dict.fromkeys((i.dbn, i.column) for i in items)
    votes = Counter(column for _, column in pairs)
    order = list(PARTNER_COLUMNS)
    column = min(votes, key=lambda c: (-votes[c], order.index(c)))
    kind = PARTNER_COLUMNS[column]
    if len(votes) > 1:
        tally = ", ".join(f"{c} {votes[c]}" for c in sorted(votes, key=order.index))
        report.details.append(f"kind of {name!r}: {kind.label.lower()} ({tally})")
    return kind


# -- report ---------------------------------------------------------------------


def _count(
    report: FileReport,
    schools: list[Stakeholder],
    partners: list[Stakeholder],
    interactions: list[Interaction],
) -> None:
    listing = {i.source for i in interactions}
    report.counts = {
        "schools": len(schools),
        "schools listing no partner": sum(s.id not in listing for s in schools),
        "partners": len(partners),
        "partner listings": len(interactions),
    }


def _log(path: Path, report: FileReport, year: str) -> None:
    counts = report.counts
    log.info(
        "loaded %s schools, %s partners and %s partner listings from %s (%s)",
        f"{counts['schools']:,}",
        f"{counts['partners']:,}",
        f"{counts['partner listings']:,}",
        path.name,
        year,
    )
    log.info("merged %s spellings into the partners they name", f"{report.merged:,}")
    if report.dropped:
        warning = (
            f"{path.name}: dropped {report.dropped:,} pieces of partner text that "
            "name no organization (prose, placeholders, people, programs); "
            "see them with load --verbose or --report FILE"
        )
        report.warnings.append(warning)
        log.warning(warning)
