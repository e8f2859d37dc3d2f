"""Entity resolution on real directories: confident merges, borderline for review."""

from __future__ import annotations

import csv
from pathlib import Path

from partnermap.loaders import load_files
from partnermap.loaders.resolution import match, read_review, write_review
from tests.loaders.conftest import Loaded

DATA = Path(__file__).resolve().parents[1] / "data"
SEATTLE = [
    DATA / "nces/seattle_district_list.csv",
    DATA / "nces/washington_schools_sample.csv",
]
OMAHA = [DATA / "irs/omaha_partners.csv", DATA / "irs/eo_ne_omaha_sample.csv"]


def pairs(rows: list[object], decided: bool) -> set[tuple[str, str]]:
    return {(c.incoming_id, c.known_id) for c in rows if bool(c.decision) == decided}  # type: ignore[attr-defined]


def test_nces_enriches_the_districts_schools_in_the_same_city() -> None:
    # Real NCES rows (Seattle, plus Lincoln High and Cascadia in other cities).
    batch, reports = load_files(SEATTLE)
    nces = reports[1]
    assert pairs(nces.review, decided=True) == {
        ("530771001249", "sps-kurose"),
        ("530771003390", "sps-cascadia"),
        ("530771003719", "sps-lincoln"),  # Seattle's Lincoln High, not Tacoma's
    }
    assert pairs(nces.review, decided=False) == {
        ("530771003612", "sps-meany"),  # Edmonds S. Meany Middle School
        ("530771003618", "sps-decatur"),  # Stephen Decatur Elementary School
        ("530285003339", "sps-cascadia"),  # Ferndale
        ("530945001607", "sps-lincoln"),  # Walla Walla
        ("530870001476", "sps-lincoln"),  # Tacoma
        ("530682000995", "sps-lincoln"),  # Port Angeles
    }
    lincoln = batch.attribute_updates["sps-lincoln"]
    assert (lincoln["directory_id"], lincoln["zip"], lincoln["enrollment"]) == (
        "530771003719",
        "98103",
        1653,
    )
    assert lincoln["free_reduced_lunch_share"] == 0.117  # (151 + 43) / 1653
    assert nces.summary() == (
        "washington_schools_sample.csv (nces-schools): 22 schools, 3 enriched, 19 added, 3 merged"
    )


def test_irs_file_enriches_partners_and_lists_lookalikes() -> None:
    batch, reports = load_files(OMAHA)
    assert {sid: u["ein"] for sid, u in batch.attribute_updates.items()} == {
        "ymca": "470376586",
        "csm": "470424785",  # COLLEGE OF ST MARY
        "bgc": "470467350",
        "girls-inc": "470562184",  # GIRLS INCORPORATED OF OMAHA
    }
    assert batch.attribute_updates["bgc"]["ntee_group"] == "youth development"
    review = {
        (c.incoming_name, c.known_id) for c in reports[1].review if not c.decision
    }
    assert ("METROPOLITAN COMMUNITY COLLEGE FOUNDATION", "mcc") in review
    assert ("TEAMMATES MENTORING PROGRAM", "teammates") in review
    assert not batch.stakeholders[6:]  # unmatched exempt organizations are not added


def test_an_irs_file_alone_says_why_it_adds_nothing() -> None:
    """Loaded before the partners it describes, every row is unmatched: the
    report says so, not that the file is empty."""
    batch, [report] = load_files(OMAHA[1:])
    rows = report.counts["organizations"]
    assert (rows, report.counts["enriched"], batch.attribute_updates) == (rows, 0, {})
    assert rows > 0
    assert report.warnings == [
        f"none of the {rows:,} rows matched a stakeholder already loaded (by id or by "
        "name), so this file added nothing: load the stakeholders it describes first "
        "(a directory, a partner list), then this file"
    ]


def test_a_review_decision_is_applied_on_the_next_load(tmp_path: Path) -> None:
    _, reports = load_files(SEATTLE)
    review = tmp_path / "review.csv"
    write_review(review, reports[1].review)
    rows = list(csv.DictReader(review.open(encoding="utf-8")))
    assert rows[0]["decision"] == ""  # borderline first, for a person to decide
    for row in rows:
        if row["incoming_id"] == "530771003618":
            row["decision"] = "merge"
        if row["incoming_id"] == "530771003719":
            row["decision"] = "separate"
    with review.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    batch, _ = load_files(SEATTLE, review=review)
    assert batch.attribute_updates["sps-decatur"]["directory_id"] == "530771003618"
    assert "sps-lincoln" not in batch.attribute_updates
    assert read_review(review)[("530771003618", "sps-decatur")] == "merge"


def test_dycd_agencies_against_the_directory_partners(nyc_import: Loaded) -> None:
    # Real data: the 2014-15 and 2016 directories' partner organizations and the
    # DYCD after-school provider agencies name many of the same organizations.
    people = nyc_import.batch.stakeholders
    agencies = [s for s in people if s.id.startswith("provider:")]
    partners = [s for s in people if s.id.startswith("org:")]
    found = match(agencies, partners)
    confident = {
        (c.incoming_name, c.known_name) for c in found.candidates if c.decision
    }
    borderline = {(c.incoming_name, c.known_name) for c in found.borderline}
    assert (len(agencies), len(confident), len(borderline)) == (508, 110, 79)
    assert ("The Childrens Aid Society", "Children's Aid Society") in confident
    assert ("Police Athletic League, Inc.", "Police Athletic League (PAL)") in confident
    assert ("Kips Bay Boys & Girls Club", "Boys and Girls Club") in borderline
    assert (
        "Goodwill Industries of Greater New York",
        "Goodwill Industries",
    ) in borderline


def test_a_second_file_spelling_a_known_organization_merges_into_it(
    tmp_path: Path,
) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,kind,city\nbgc,Boys & Girls Club of Durham,afterschool_provider,Durham\n"
        "00412,Hillside High School,school,Durham\n",
        encoding="utf-8",
    )
    kumu = tmp_path / "Elements.csv"
    kumu.write_text(
        "Label,Type,City\nBoys and Girls Clubs - Durham,Organization,Durham\n"
        "Boys & Girls Club of Durham (Raleigh office),Organization,Raleigh\n",
        encoding="utf-8",
    )
    links = tmp_path / "Connections.csv"
    links.write_text(
        "From,To,Type,Direction\nBoys and Girls Clubs - Durham,Hillside High School,"
        "Meeting,mutual\n",
        encoding="utf-8",
    )
    batch, reports = load_files([people, kumu, links])
    assert [s.id for s in batch.stakeholders] == [
        "bgc",
        "00412",
        "Boys & Girls Club of Durham (Raleigh office)",
    ]
    assert [(i.source, i.target) for i in batch.interactions] == [("bgc", "00412")]
    assert reports[1].details == [
        (
            "merged: 'Boys and Girls Clubs - Durham' [Boys and Girls Clubs - Durham] ~ "
            "'Boys & Girls Club of Durham' [bgc] score 100.0 (same name)"
        ),
        (
            "kept apart (review): 'Boys & Girls Club of Durham (Raleigh office)' [Boys & Girls "
            "Club of Durham (Raleigh office)] ~ 'Boys & Girls Club of Durham' [bgc] score 100.0 "
            "(places differ)"
        ),
    ]
    assert reports[1].warnings[-2:] == [
        (
            "merged 1 stakeholder(s) into known ones with the same name (see --verbose or "
            "--review FILE)"
        ),
        (
            "1 borderline match(es) kept apart; decide them in the review file (--review FILE) "
            "and load again"
        ),
    ]


def test_similar_spellings_merge_up_to_a_number_of_keys(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Step 2 compares keys pairwise; past MAX_FUZZY_KEYS it is left out and
    the resolution says how many keys there were."""
    from partnermap.loaders import _resolve

    counts = {"syracuse university": 2, "syracruse university": 1, "ymca": 1}
    found = _resolve.resolve(counts, {})
    assert (found.canonical["syracruse university"], found.fuzzy_skipped) == (
        "syracuse university", 0)
    monkeypatch.setattr(_resolve, "MAX_FUZZY_KEYS", 2)
    found = _resolve.resolve(counts, {})
    assert (found.canonical["syracruse university"], found.fuzzy_skipped) == (
        "syracruse university", 3)
