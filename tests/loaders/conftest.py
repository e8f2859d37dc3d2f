"""Fixtures for the loader tests: the bundled NYC example, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from partnermap.loaders import load_files
from partnermap.loaders.base import FileReport
from partnermap.model import ImportBatch

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "nyc"
DIRECTORY_2014 = EXAMPLES / "hs_directory.redacted.csv"
DIRECTORY_2016 = EXAMPLES / "DOE_High_School_Directory_2016.redacted.csv"
DYCD = EXAMPLES / "DYCD_after-school_programs.csv"
SURVEY = EXAMPLES / "survey_all.txt"
DEMOGRAPHICS = EXAMPLES / "demographics.csv"


@dataclass
class Loaded:
    """One import: its batch and its reports by file name."""

    batch: ImportBatch
    reports: dict[str, FileReport]

    def report(self, path: Path) -> FileReport:
        return self.reports[path.name]


@pytest.fixture(scope="session")
def nyc_import() -> Loaded:
    """All five NYC files in one import, as `partnermap load examples/nyc/*`."""
    paths = [DEMOGRAPHICS, SURVEY, DYCD, DIRECTORY_2014, DIRECTORY_2016]
    batch, reports = load_files(paths)
    return Loaded(batch, {Path(r.path).name: r for r in reports})
