"""Sign-in sheets: meetings among attendees, loaded again, and refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnermap.errors import LoadError
from partnermap.loaders import load_files
from partnermap.store import open_store

DATA = Path(__file__).resolve().parents[1] / "data"
SIGN_IN = DATA / "attendance" / "sign_in.csv"
TITLE, HEADER, *ATTENDEES = SIGN_IN.read_text(encoding="utf-8").splitlines()
UNKNOWN = (
    "is not a known stakeholder; load its stakeholders table in the same import "
    "or first, or pass --create-missing to add a placeholder "
    "(create_missing=true through the API)"
)


def sheet(tmp_path: Path, rows: list[str], name: str = "sign_in.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([TITLE, HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def load_into(url: str, path: Path) -> int:
    """Load one sheet as `partnermap load --create-missing`; interactions added."""
    with open_store(url) as store:
        batch, _ = load_files(
            [path], store_stakeholders=store.iter_stakeholders, create_missing=True
        )
        return store.apply(batch).interactions_added


def test_a_reordered_sign_in_sheet_adds_no_meetings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'att.db'}"
    assert load_into(url, SIGN_IN) == 4
    assert load_into(url, sheet(tmp_path, ATTENDEES[::-1], "reversed.csv")) == 0


def test_a_cumulative_sign_in_sheet_adds_only_the_new_pairs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'att.db'}"
    later = "Family engagement night,10/03/2024,Book Harvest"
    assert load_into(url, SIGN_IN) == 4
    assert load_into(url, sheet(tmp_path, [*ATTENDEES[::-1], later])) == 3
    with open_store(url) as store:
        added = {
            (i.source, i.target)
            for i in store.iter_interactions()
            if "Book Harvest" in (i.source, i.target)
        }
    assert added == {
        ("Book Harvest", "Boys & Girls Club of Durham"),
        ("Book Harvest", "Hillside High School"),
        ("Book Harvest", "Lincoln Community Health Center"),
    }


def test_meeting_ends_are_in_id_order_and_provenance_names_both_rows(
    tmp_path: Path,
) -> None:
    reversed_sheet = sheet(tmp_path, ATTENDEES[::-1])
    batch, _ = load_files([DATA / "tidy/stakeholders.csv", reversed_sheet])
    assert {(i.source, i.target, i.provenance) for i in batch.interactions} == {
        ("00412", "dtcc", "sign_in.csv row 3+4"),
        ("bgc", "lincoln", "sign_in.csv row 5+6"),
        ("00412", "lincoln", "sign_in.csv row 5+7"),
        ("00412", "bgc", "sign_in.csv row 6+7"),
    }


def test_unknown_attendees_are_reported_once_each_at_their_own_row() -> None:
    with pytest.raises(LoadError) as caught:
        load_files([SIGN_IN])
    rows = [
        (3, "Hillside High School"),
        (4, "Boys & Girls Club of Durham"),
        (5, "Lincoln Community Health Center"),
        (6, "Hillside High School"),
        (7, "Durham Technical Community College"),
    ]
    assert [str(p) for p in caught.value.problems] == [
        f"sign_in.csv row {n} column 'Organization': Organization {name!r} {UNKNOWN}"
        for n, name in rows
    ]


def test_an_unknown_attendee_id_is_reported_at_its_own_row(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,kind\np10,Hillside High School,school\np11,Book Harvest,nonprofit\n",
        encoding="utf-8",
    )
    rows = ["Breakfast,2024-11-14,p10", "Breakfast,2024-11-14,p11"]
    rows += ["Breakfast,2024-11-14,p12"]
    with pytest.raises(LoadError) as caught:
        load_files([people, sheet(tmp_path, rows)])
    assert [str(p) for p in caught.value.problems] == [
        f"sign_in.csv row 5 column 'Organization': Organization 'p12' {UNKNOWN}"
    ]


def test_placeholders_name_the_attendees_own_rows() -> None:
    batch, reports = load_files([SIGN_IN], create_missing=True)
    assert [(s.id, s.source) for s in batch.stakeholders] == [
        ("Hillside High School", "sign_in.csv row 3"),
        ("Boys & Girls Club of Durham", "sign_in.csv row 4"),
        ("Lincoln Community Health Center", "sign_in.csv row 5"),
        ("Durham Technical Community College", "sign_in.csv row 7"),
    ]
    assert reports[0].counts == {
        "events": 2,
        "attendances": 5,
        "meetings": 4,
    }
