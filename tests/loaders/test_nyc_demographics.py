"""The NYC demographics loader: each known school's latest figures.

Expected values were read from the raw file with grep (columns DBN,
schoolyear, fl_percent, frl_percent, total_enrollment, ell_percent):

    01M292  20112012  (empty)  88.6  422  22.3
    12X682  20112012  (empty)  81.1  477  11.5

Every school of the directories found in the file has a 2011-12 row; 397
of the 1,594 DBNs in the file are in the directories (counted with the csv
module), so the 7,638 rows of the other 1,197 DBNs are skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from partnermap.errors import LoadError
from partnermap.loaders import nyc_demographics
from partnermap.loaders.base import LoadContext
from partnermap.model import ImportBatch, Stakeholder, StakeholderKind
from tests.loaders.conftest import DEMOGRAPHICS, Loaded


def test_demographics_of_two_schools(nyc_import: Loaded) -> None:
    updates = nyc_import.batch.attribute_updates
    for dbn, frl, enrollment, ell in [
        ("01M292", 88.6, 422, 22.3),
        ("12X682", 81.1, 477, 11.5),
    ]:
        figures = {
            k: updates[dbn][k]
            for k in [
                "frl_percent",
                "frl_source",
                "total_enrollment",
                "ell_percent",
                "demographics_school_year",
            ]
        }
        assert figures == {
            "frl_percent": frl,
            "frl_source": "frl_percent",
            "total_enrollment": enrollment,
            "ell_percent": ell,
            "demographics_school_year": "2011-12",
        }


def test_demographics_counts(nyc_import: Loaded) -> None:
    report = nyc_import.report(DEMOGRAPHICS)
    assert report.format == "nyc-demographics"
    assert report.counts == {"schools": 397}
    assert report.dropped == 7638
    assert len(report.warnings) == 1


def _context(*dbns: str) -> LoadContext:
    schools = [Stakeholder(d, d, StakeholderKind.SCHOOL) for d in dbns]
    return LoadContext(batch=ImportBatch(stakeholders=schools))


HEADER = "DBN,Name,schoolyear,fl_percent,frl_percent,total_enrollment,ell_percent\n"


def test_latest_year_and_free_lunch_fallback(tmp_path: Path) -> None:
    path = tmp_path / "demographics.csv"
    path.write_text(
        HEADER
        + "01A001,ONE,20072008,70.5,,300,9.9\n"
        + "01A001,ONE,20082009,71.5,   ,310,\n"
        + "01A002,TWO,20112012,,55,200,3\n",
        encoding="utf-8",
    )
    batch, report = nyc_demographics.load(path, _context("01A001"))
    assert batch.attribute_updates == {
        "01A001": {
            "frl_percent": 71.5,
            "frl_source": "fl_percent",
            "total_enrollment": 310,
            "demographics_school_year": "2008-09",
        }
    }
    assert report.dropped == 1
    assert report.details == ["skipped 01A002 'TWO': not a known school"]


def test_bad_school_year_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "demographics.csv"
    path.write_text(HEADER + "01A001,ONE,2011-12,,55,200,3\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        nyc_demographics.load(path, _context("01A001"))
    assert str(caught.value) == (
        "demographics.csv row 2 column 'schoolyear': schoolyear '2011-12' is not "
        "of the form 20112012; write the two calendar years of the school year, "
        "e.g. 20112012"
    )


def test_sniff() -> None:
    assert nyc_demographics.sniff(HEADER)
    assert not nyc_demographics.sniff("dbn\trr_p\tcom_p_11")
