"""The 2011 NYC School Survey loader: parent scores for known schools.

Expected values were read from the raw tab-separated file with awk (columns
10 rr_p, 13 N_p, 17 saf_p_11, 18 com_p_11, 19 eng_p_11, 20 aca_p_11,
30 com_tot_11, 31 eng_tot_11):

    "01M292"  39  151  7.8  7.7  7.4  7.6  6.2  6.6
    "02M047"  30   43  8.9  7.7  7.9  8.1  6.7  7.5

The file has 455 schools, all in districts 01-09; 138 of them are in the
High School Directories (counted by intersecting the dbn columns with the
csv module), so 317 rows are skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from partnermap.errors import LoadError
from partnermap.loaders import load_files, nyc_school_attributes
from partnermap.loaders.base import LoadContext
from partnermap.model import ImportBatch, Stakeholder, StakeholderKind
from tests.loaders.conftest import SURVEY, Loaded


def test_survey_scores_of_two_schools(nyc_import: Loaded) -> None:
    updates = nyc_import.batch.attribute_updates
    assert {
        k: updates["01M292"][k] for k in nyc_school_attributes.SURVEY_ATTRIBUTES
    } == {
        "parent_response_rate": 39,
        "parent_responses": 151,
        "parent_communication": 7.7,
        "parent_engagement": 7.4,
        "parent_safety": 7.8,
        "parent_academic_expectations": 7.6,
        "communication_total": 6.2,
        "engagement_total": 6.6,
    }
    assert updates["02M047"]["parent_response_rate"] == 30
    assert updates["02M047"]["parent_responses"] == 43
    assert updates["02M047"]["parent_communication"] == 7.7
    assert updates["02M047"]["parent_engagement"] == 7.9
    assert updates["02M047"]["communication_total"] == 6.7
    assert updates["02M047"]["survey_school_year"] == "2010-11"


def test_survey_counts_and_skipped_rows(nyc_import: Loaded) -> None:
    report = nyc_import.report(SURVEY)
    assert report.format == "nyc-school-survey"
    assert report.counts == {"schools": 138}
    assert report.dropped == 317
    assert report.warnings == [
        (
            "survey_all.txt: skipped 317 rows of 317 schools that are not in the map "
            "(most are elementary and middle schools); load a list of those schools "
            "first to keep their figures"
        )
    ]
    assert "skipped 01M015 'P.S. 015 Roberto Clemente': not a known school" in (
        report.details
    )


def _context(*dbns: str) -> LoadContext:
    schools = [Stakeholder(d, d, StakeholderKind.SCHOOL) for d in dbns]
    return LoadContext(batch=ImportBatch(stakeholders=schools))


def test_empty_cells_are_left_out_and_bad_numbers_refused(tmp_path: Path) -> None:
    columns = ["dbn", *nyc_school_attributes.SURVEY_ATTRIBUTES.values()]
    path = tmp_path / "survey.txt"
    path.write_text(
        "\t".join(columns)
        + "\n01A001\t60\t90\t\t7.5\t8.0\t8.1\t7.0\t7.2\n"
        + "01A002\tabout half\t\t\t\t\t\t\t\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        nyc_school_attributes.load(path, _context("01A001", "01A002"))
    assert [str(p) for p in caught.value.problems] == [
        (
            "survey.txt row 3 column 'rr_p': 'about half' is not a number; "
            "write a number such as 42 or 7.5, or leave the cell empty"
        )
    ]
    batch, _ = nyc_school_attributes.load(path, _context("01A001"))
    assert "parent_communication" not in batch.attribute_updates["01A001"]
    assert batch.attribute_updates["01A001"]["parent_engagement"] == 7.5


def test_survey_alone_updates_nothing() -> None:
    batch, (report,) = load_files([SURVEY])
    assert batch.attribute_updates == {}
    assert report.dropped == 455


def test_sniff() -> None:
    assert nyc_school_attributes.sniff(
        "dbn\tbn\tschoolname\trr_s\trr_t\trr_p\tcom_p_11"
    )
    assert not nyc_school_attributes.sniff("dbn,rr_p,com_p_11")
