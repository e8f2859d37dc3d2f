"""The 2011 NYC School Survey: parent response and family-engagement scores.

A tab-separated table with one row per school (``dbn``). Each school already
known to the import or the store gets these attributes (empty cells are left
out):

==============================  =========  ===================================
attribute                       column     meaning
==============================  =========  ===================================
parent_response_rate            rr_p       share of parents who answered, %
parent_responses                N_p        number of parents who answered
parent_communication            com_p_11   parents' communication score, 0-10
parent_engagement               eng_p_11   parents' engagement score, 0-10
parent_safety                   saf_p_11   parents' safety score, 0-10
parent_academic_expectations    aca_p_11   parents' academic score, 0-10
communication_total             com_tot_11 all respondents' communication
engagement_total                eng_tot_11 all respondents' engagement
survey_school_year              -          "2010-11" (the spring 2011 survey)
==============================  =========  ===================================

Rows for schools not known (most rows: elementary and middle schools) are
skipped and counted as dropped. Ignored: student and teacher scores other
than in the totals, and the item-level answers (``p_q*``, ``t_q*``, ...).
"""

from __future__ import annotations

import logging
from pathlib import Path

from partnermap.errors import LoadError, Problem
from partnermap.loaders._attributes import known_schools, note_skipped, number
from partnermap.loaders.base import FileReport, LoadContext, read_table, require_columns
from partnermap.model import ImportBatch

log = logging.getLogger(__name__)

FORMAT = "nyc-school-survey"

SURVEY_SCHOOL_YEAR = "2010-11"

# Attribute <- column, in the order of the table in the module notes.
SURVEY_ATTRIBUTES = {
    "parent_response_rate": "rr_p",
    "parent_responses": "N_p",
    "parent_communication": "com_p_11",
    "parent_engagement": "eng_p_11",
    "parent_safety": "saf_p_11",
    "parent_academic_expectations": "aca_p_11",
    "communication_total": "com_tot_11",
    "engagement_total": "eng_tot_11",
}


def sniff(first_line: str) -> bool:
    """True for a survey header: dbn, rr_p and com_p_11, tab-separated."""
    columns = {c.strip().strip('"\ufeff').lower() for c in first_line.split("\t")}
    return {"dbn", "rr_p", "com_p_11"} <= columns


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read survey scores into attribute updates for known schools."""
    header, rows = read_table(path, delimiter="\t")
    require_columns(path, header, ["dbn", *SURVEY_ATTRIBUTES.values()])
    columns = {h.lower(): h for h in header}
    schools = known_schools(context)
    report = FileReport(str(path), FORMAT)
    problems: list[Problem] = []
    updates: dict[str, dict[str, object]] = {}
    skipped: dict[str, str] = {}
    for n, row in rows:
        dbn = row[columns["dbn"]].strip()
        if dbn not in schools:
            skipped[dbn] = row.get(columns.get("schoolname", ""), "").strip()
            report.dropped += 1
            continue
        updates[dbn] = _scores(path.name, n, row, columns, problems)
    if problems:
        raise LoadError(problems)
    report.counts = {"schools": len(updates)}
    note_skipped(report, path, skipped)
    log.info("read survey scores of %s schools from %s", f"{len(updates):,}", path.name)
    return ImportBatch(attribute_updates=updates), report


def _scores(
    file: str,
    n: int,
    row: dict[str, str],
    columns: dict[str, str],
    problems: list[Problem],
) -> dict[str, object]:
    scores: dict[str, object] = {}
    for attribute, column in SURVEY_ATTRIBUTES.items():
        value = number(row[columns[column.lower()]], file, n, column, problems)
        if value is not None:
            scores[attribute] = value
    scores["survey_school_year"] = SURVEY_SCHOOL_YEAR
    return scores
