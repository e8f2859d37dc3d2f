"""Network survey responses: each unknown respondent or partner reported once."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnermap.errors import LoadError
from partnermap.loaders import load_files

RESPONSES = Path(__file__).resolve().parents[1] / "data" / "survey" / "responses.csv"
HILLSIDE, BGC = "Hillside High School", "Boys & Girls Club of Durham"


def test_each_unknown_cell_is_reported_once_at_its_row_and_column() -> None:
    with pytest.raises(LoadError) as caught:
        load_files([RESPONSES])
    cells = [
        (2, "Respondent", HILLSIDE),
        (2, "Partner", BGC),
        (3, "Respondent", HILLSIDE),
        (3, "Partner", "Durham Technical Community College"),
        (4, "Respondent", BGC),
        (4, "Partner", HILLSIDE),
        (5, "Respondent", BGC),
        (5, "Partner", "Lincoln Community Health Center"),
        (6, "Respondent", "Lakewood Elementary PTA"),
    ]
    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (row, column, f"{column} {name!r} is not a known stakeholder")
        for row, column, name in cells
    ]
