"""NYC school demographics: free/reduced lunch, English learners, enrollment.

One row per school (``DBN``) and school year (``schoolyear``, written
``20112012``). Each school already known to the import or the store gets the
figures of its latest year:

==========================  ===================================================
attribute                   from
==========================  ===================================================
frl_percent                 ``frl_percent``, or ``fl_percent`` (free lunch only,
                            the only figure before 2009-10) where it is empty
frl_source                  the column frl_percent came from
ell_percent                 ``ell_percent``
total_enrollment            ``total_enrollment``
demographics_school_year    the year of these figures, e.g. "2011-12"
==========================  ===================================================

Empty cells (also cells of spaces) are left out. Rows for schools not known
are skipped and counted as dropped; earlier years of a known school are read
and passed over. Ignored: grade counts, special education, race and gender.
"""

from __future__ import annotations

import logging
from pathlib import Path

from partnermap.errors import LoadError, Problem
from partnermap.loaders._attributes import known_schools, note_skipped, number
from partnermap.loaders.base import FileReport, LoadContext, read_table, require_columns
from partnermap.model import ImportBatch

log = logging.getLogger(__name__)

FORMAT = "nyc-demographics"

_REQUIRED = ["DBN", "schoolyear", "frl_percent", "ell_percent", "total_enrollment"]


def sniff(first_line: str) -> bool:
    """True for a demographics header: DBN, schoolyear and frl_percent."""
    columns = {c.strip().strip('"\ufeff').lower() for c in first_line.split(",")}
    return {"dbn", "schoolyear", "frl_percent"} <= columns


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read each known school's latest demographics into attribute updates."""
    header, rows = read_table(path, delimiter=",")
    require_columns(path, header, _REQUIRED)
    columns = {h.lower(): h for h in header}
    schools = known_schools(context)
    report = FileReport(str(path), FORMAT)
    problems: list[Problem] = []
    latest: dict[str, tuple[str, int, dict[str, str]]] = {}
    skipped: dict[str, str] = {}
    for n, raw in rows:
        row = {key: raw[name] for key, name in columns.items()}
        dbn, year = row["dbn"].strip(), _school_year(path.name, n, row, problems)
        if dbn not in schools:
            skipped.setdefault(dbn, row.get("name", "").strip())
            report.dropped += 1
        elif year and (dbn not in latest or year > latest[dbn][0]):
            latest[dbn] = (year, n, row)
    updates = {
        dbn: _figures(path.name, year, n, row, problems)
        for dbn, (year, n, row) in latest.items()
    }
    if problems:
        raise LoadError(problems)
    report.counts = {"schools": len(updates)}
    note_skipped(report, path, skipped)
    log.info("read demographics of %s schools from %s", f"{len(updates):,}", path.name)
    return ImportBatch(attribute_updates=updates), report


def _school_year(
    file: str, n: int, row: dict[str, str], problems: list[Problem]
) -> str:
    """``20112012`` as ``2011-12``; a problem for anything else."""
    raw = row["schoolyear"].strip()
    if len(raw) == 8 and raw.isdigit() and int(raw[4:]) == int(raw[:4]) + 1:
        return f"{raw[:4]}-{raw[6:]}"
    problems.append(
        Problem(
            file,
            f"schoolyear {raw!r} is not of the form 20112012",
            n,
            "schoolyear",
            hint="write the two calendar years of the school year, e.g. 20112012",
        )
    )
    return ""


def _figures(
    file: str, year: str, n: int, row: dict[str, str], problems: list[Problem]
) -> dict[str, object]:
    figures: dict[str, object] = {}
    for column in ("frl_percent", "fl_percent"):
        value = number(row.get(column, ""), file, n, column, problems)
        if value is not None:
            figures["frl_percent"], figures["frl_source"] = value, column
            break
    for column in ("ell_percent", "total_enrollment"):
        value = number(row[column], file, n, column, problems)
        if value is not None:
            figures[column] = value
    figures["demographics_school_year"] = year
    return figures
