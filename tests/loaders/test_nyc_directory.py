"""The NYC High School Directory loader, on the bundled files and on tricky text.

How the expected numbers were established (independently of the loader):

- schools: rows counted with Python's csv module (435 in 2014-15, 437 in
  2016), as in examples/nyc/SOURCE.md.
- schools listing no partner: the tests below recompute, with the csv module,
  the schools whose eight partner cells are all empty (23 in 2014-15 and 21
  in 2016, as SOURCE.md says) and add the schools whose non-empty cells are
  all prose, found by reading them: 17K548 (three paragraphs about
  F.Y.R.E ZONE, Roundabout Theatre and One To World) and 29Q243 (three
  sentences: "North Shore-LIJ Health System ... provide students with ...",
  "Hofstra University ... will help ensure ...", "Institute for Student
  Achievement (ISA) supports ..."), and in 2016 also 06M211 (four sentences
  "Inwood Community Services provides ...", "NY Presbyterian Hospital is one
  of our Founding Partners ...", ...).
- the five partners listed by most schools: counted by splitting every
  school's partner cells on , ; : & and the word "and", dropping parenthesised
  parts and a leading "The", and counting the schools with a piece spelled as
  the partner (e.g. "new york university" or "nyu"). That gives, in 2014-15,
  NYU 83, Lehman 63, Columbia 59, Hunter 55, St. John's 51; the differences
  with the loader were read row by row and are the loader's rules at work:
  NYU +02M316, +02M407, +02M500 ("New York University - Leonard N. Stern
  School of Business", a program after a dash or in parentheses) -09X231 (in
  a prose sentence) -17K546 ("High School Law Institute at Columbia University
  and New York University" is one name); Lehman -07X221 ("CUNY Lehman
  College" is its own name) -09X231 (prose) +10X243 ("Lehman College - GEAR
  UP"); Columbia +06M463 (after prose: "..., Columbia University and City
  College of New York") +30Q555 ("Columbia University - Teachers College")
  -07X522 (bare "Columbia"); Hunter -04M555 ("Hunter College and City College
  student teachers" is prose); St. John's +11X455 ("St. Johns University (Law
  & Government)").
- distinct partners (3,388 and 3,607), listings, merged and dropped: the
  loader's counts, checked by reading the whole list of partner names and
  the report details of both files; for scale, naive splitting on , and ;
  gives 4,204 and 4,484 distinct strings (SOURCE.md).
- the sample schools' partner sets were written from their raw cells by hand
  (the raw text is quoted next to each).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from partnermap.errors import LoadError
from partnermap.loaders import load_files, nyc_directory
from partnermap.loaders._partner_names import (
    acronym_of,
    clean_text,
    partner_id,
    partner_key,
    split_joined,
    split_partners,
)
from partnermap.model import InteractionType, StakeholderKind
from tests.loaders.conftest import DIRECTORY_2014, DIRECTORY_2016, Loaded

COLUMNS = list(nyc_directory.PARTNER_COLUMNS)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _listed(loaded: Loaded, year: str) -> dict[str, set[str]]:
    """Schools listing each partner id in one school year."""
    out: dict[str, set[str]] = {}
    for item in loaded.batch.interactions:
        if item.type is InteractionType.PARTNER_LISTED and item.school_year == year:
            out.setdefault(item.target, set()).add(item.source)
    return out


def _partners_of(loaded: Loaded, dbn: str, year: str) -> set[tuple[str, str]]:
    return {
        (i.attributes["column"], i.target)
        for i in loaded.batch.interactions
        if i.source == dbn and i.school_year == year
    }


# -- the bundled files ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "counts", "merged", "dropped"),
    [
        (DIRECTORY_2014, (435, 25, 3388, 6900), 636, 137),
        (DIRECTORY_2016, (437, 24, 3607, 7286), 783, 169),
    ],
)
def test_load_directory_counts(
    nyc_import: Loaded,
    path: Path,
    counts: tuple[int, int, int, int],
    merged: int,
    dropped: int,
) -> None:
    report = nyc_import.report(path)
    assert report.format == "nyc-hs-directory"
    assert report.counts == {
        "schools": counts[0],
        "schools listing no partner": counts[1],
        "partners": counts[2],
        "partner listings": counts[3],
    }
    assert (report.merged, report.dropped) == (merged, dropped)
    assert len(report.warnings) == 1


@pytest.mark.parametrize(
    ("path", "year", "all_prose"),
    [
        (DIRECTORY_2014, "2014-15", {"17K548", "29Q243"}),
        (DIRECTORY_2016, "2016-17", {"06M211", "17K548", "29Q243"}),
    ],
)
def test_schools_listing_no_partner(
    nyc_import: Loaded, path: Path, year: str, all_prose: set[str]
) -> None:
    rows = _rows(path)
    empty = {r["dbn"] for r in rows if not any(r[c].strip() for c in COLUMNS)}
    listing = {s for schools in _listed(nyc_import, year).values() for s in schools}
    assert {r["dbn"] for r in rows} - listing == empty | all_prose
    assert len(empty) == {"2014-15": 23, "2016-17": 21}[year]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            "2014-15",
            [
                ("org:new-york-university", 84),
                ("org:lehman-college", 62),
                ("org:columbia-university", 60),
                ("org:hunter-college", 54),
                ("org:st-johns-university", 52),
            ],
        ),
        (
            "2016-17",
            [
                ("org:new-york-university", 88),
                ("org:lehman-college", 63),
                ("org:columbia-university", 59),
                ("org:hunter-college", 53),
                ("org:st-johns-university", 53),
            ],
        ),
    ],
)
def test_top_five_partners(
    nyc_import: Loaded, year: str, expected: list[tuple[str, int]]
) -> None:
    listed = _listed(nyc_import, year)
    top = sorted(listed, key=lambda p: (-len(listed[p]), p))[:5]
    assert [(p, len(listed[p])) for p in top] == expected


def test_top_partners_names_and_kinds(nyc_import: Loaded) -> None:
    known = {s.id: s for s in nyc_import.batch.stakeholders}
    assert known["org:st-johns-university"].name == "St. John's University"
    assert known["org:new-york-university"].name == "New York University"
    assert known["org:new-york-university"].kind is StakeholderKind.HIGHER_EDUCATION


def test_sample_school_with_inc_splits(nyc_import: Loaded) -> None:
    # 13K265 partner_cultural, 2014-15: "Alvin Ailey American Dance Theater,
    # Rotunda Gallery, Inc., Creative Outlet, Inc., Carnegie Hall, Jazz-A-Matazz,
    # Inc., Manhattan Class Company (MCC), Wingspan, Inc., Caroline’s Comedy
    # Club, American Place Theatre, Il Piccolo, Brooklyn Academy of Music, VH1
    # Save the Music, The Weill Music Institute at Carnegie Hall"
    cultural = {
        p for c, p in _partners_of(nyc_import, "13K265", "2014-15") if c == COLUMNS[3]
    }
    assert cultural == {
        partner_id(k)
        for k in [
            "alvin ailey american dance theater",
            "rotunda gallery",
            "creative outlet",
            "carnegie hall",
            "jazz a matazz",
            "manhattan class company",
            "wingspan",
            "carolines comedy club",
            "american place theater",
            "il piccolo",
            "brooklyn academy of music",
            "vh1 save the music",
            "weill music institute at carnegie hall",
        ]
    }


def test_sample_school_with_lost_apostrophes(nyc_import: Loaded) -> None:
    # 28Q440, 2016: partner_highered "Columbia University, Queens College, Baruch
    # College, St. John  s University, Sophie Davis School of Biomedical
    # Education, York College, Adelphi University, LaGuardia Community College,
    # Queensborough Community College, DeVry University"; partner_nonprofit
    # "Federation Employment and Guidance Services, Inc. (FEGS), Queens County
    # District Attorney  s (DA) Office, Jewish Child Care Association, Queens
    # Child Guidance Center, Coalition for Asian American Children/Families,
    # Forestdale Inc., Forest Hills YMHA, YMCA"
    found = _partners_of(nyc_import, "28Q440", "2016-17")
    highered = {p for c, p in found if c == "partner_highered"}
    nonprofit = {p for c, p in found if c == "partner_nonprofit"}
    assert highered == {
        "org:columbia-university",
        "org:queens-college",
        "org:baruch-college",
        "org:st-johns-university",
        "org:sophie-davis-school-of-biomedical-education",
        "org:york-college",
        "org:adelphi-university",
        "org:laguardia-community-college",
        "org:queensborough-community-college",
        "org:devry-university",
    }
    assert nonprofit == {
        "org:federation-employment-and-guidance-services",
        "org:queens-county-district-attorneys-office",
        "org:jewish-child-care-association",
        "org:queens-child-guidance-center",
        "org:coalition-for-asian-american-children-and-families",
        "org:forestdale",
        "org:forest-hills-ymha",
        "org:ymca",
    }
    assert len(found) == 3 + 1 + 10 + 8 + 1


def test_sample_school_with_prose_lists_nothing(nyc_import: Loaded) -> None:
    # 17K548, 2014-15: partner_cbo, partner_cultural and partner_nonprofit are
    # paragraphs ("F.Y.R.EZONE (Finding Your Rhythm thru Education) is an
    # entertainment company built on ..."); the other five cells are empty.
    assert _partners_of(nyc_import, "17K548", "2014-15") == set()
    details = nyc_import.report(DIRECTORY_2014).details
    assert "dropped prose in 17K548 partner_cbo (486 characters)" in details
    assert "dropped prose in 17K548 partner_nonprofit (483 characters)" in details


def test_sample_school_with_people_and_a_law_firm(nyc_import: Loaded) -> None:
    # 01M539 partner_cultural, 2014-15: "VH1, Dancing Classrooms, Center for Arts
    # Education, New Museum, School of Visual Arts, The Jazz Standard, New York
    # State School Music Associations, American Choral Directors Association;
    # Visiting Artists: <four people>"
    cultural = {
        p for c, p in _partners_of(nyc_import, "01M539", "2014-15") if c == COLUMNS[3]
    }
    assert cultural == {
        "org:vh1",
        "org:dancing-classrooms",
        "org:center-for-arts-education",
        "org:new-museum",
        "org:school-of-visual-arts",
        "org:jazz-standard",
        "org:new-york-state-school-music-association",
        "org:american-choral-directors-association",
    }
    # 18K642 partner_cbo ends "..., Law Firm: McDermott, Will, and Emery".
    cbo = {
        p for c, p in _partners_of(nyc_import, "18K642", "2014-15") if c == COLUMNS[0]
    }
    assert "org:mcdermott-will-and-emery" in cbo
    assert {"org:will", "org:emery", "org:mcdermott"}.isdisjoint(cbo)


def test_no_personal_names_in_records_or_details(nyc_import: Loaded) -> None:
    report = nyc_import.report(DIRECTORY_2014)
    line = (
        "dropped 4 names after 'Visiting Artists' in 01M539 partner_cultural (people)"
    )
    assert line in report.details
    text = " ".join(report.details) + " ".join(
        s.name for s in nyc_import.batch.stakeholders
    )
    assert "Marsalis" not in text
    attributes = " ".join(str(s.attributes) for s in nyc_import.batch.stakeholders)
    assert re.search(r"[\w.+-]+@[\w-]+\.\w", attributes) is None  # no e-mail


def test_school_attributes() -> None:
    # 01M292 in 2014-15: Location 1 "220 Henry Street\nNew York, NY 10002\n
    # (40.71376394700047, -73.98526003999967)", total_students 323. Loaded on
    # its own: in one import with 2016 the newer directory's values win.
    batch, _ = load_files([DIRECTORY_2014])
    first = next(s for s in batch.stakeholders if s.id == "01M292")
    assert first.attributes["directory_year"] == "2014-15"
    assert first.kind is StakeholderKind.SCHOOL
    assert first.name == "Henry Street School for International Studies"
    assert first.attributes["latitude"] == 40.71376394700047
    assert first.attributes["longitude"] == -73.98526003999967
    assert first.attributes["zip"] == "10002"
    assert first.attributes["borough"] == "Manhattan"
    assert first.attributes["total_students"] == 323
    assert first.source == "hs_directory.redacted.csv row 163"


def test_ids_agree_across_years(nyc_import: Loaded) -> None:
    in_2014 = set(_listed(nyc_import, "2014-15"))
    in_2016 = set(_listed(nyc_import, "2016-17"))
    assert len(in_2014 & in_2016) == 3189
    # "St. John's University" (2014-15) and "St. John  s University" (2016).
    assert "org:st-johns-university" in in_2014 & in_2016
    details = nyc_import.report(DIRECTORY_2016).details
    assert "merged 'St. John  s University' into \"St. John's University\"" in details


def test_listing_interaction(nyc_import: Loaded) -> None:
    item = next(
        i
        for i in nyc_import.batch.interactions
        if i.source == "01M292"
        and i.target == "org:asia-society"
        and i.school_year == "2014-15"
    )
    assert item.type is InteractionType.PARTNER_LISTED
    assert item.confirmed is False
    assert item.attributes in (
        {"column": "partner_cbo"},
        {"column": "partner_cultural"},
    )
    assert item.provenance == "hs_directory.redacted.csv row 163"


# -- small hand-made files -----------------------------------------------------

_HEADER = ["dbn", "school_name", *COLUMNS, "Location 1"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(_HEADER)
        writer.writerows(rows)
    return path


def _row(dbn: str, name: str, **cells: str) -> list[str]:
    return [dbn, name, *(cells.get(c, "") for c in COLUMNS), ""]


def test_kind_is_the_most_frequent_column_ties_by_column_order(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "directory.csv",
        [
            _row("01A001", "One", partner_cbo="Asia Society", partner_other="Pencil"),
            _row("01A002", "Two", partner_cultural="Asia Society"),
            _row("01A003", "Three", partner_cultural="The Asia Society"),
            _row("01A004", "Four", partner_nonprofit="PENCIL"),
        ],
    )
    batch, (report,) = load_files([path])
    kinds = {s.id: s.kind for s in batch.stakeholders}
    assert kinds["org:asia-society"] is StakeholderKind.CULTURAL_ORGANIZATION
    assert kinds["org:pencil"] is StakeholderKind.NONPROFIT  # 1-1: nonprofit first
    assert (
        "kind of 'Asia Society': cultural organization "
        "(partner_cbo 1, partner_cultural 2)"
    ) in report.details
    assert report.counts["partners"] == 2


def test_duplicate_and_empty_dbn_are_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "directory.csv",
        [_row("01A001", "One"), _row("01A001", "Again"), _row("", "Nameless")],
    )
    with pytest.raises(LoadError) as caught:
        load_files([path])
    assert [str(p) for p in caught.value.problems] == [
        (
            "directory.csv row 3 column 'dbn': dbn '01A001' is also on row 2; "
            "keep one row per school"
        ),
        "directory.csv row 4 column 'dbn': dbn is empty; give every school its DBN",
    ]


def test_unknown_directory_year_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "directory.csv"
    path.write_text("dbn,school_name," + ",".join(COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(LoadError, match="cannot tell the directory's school year"):
        load_files([path])


def test_sniff() -> None:
    assert nyc_directory.sniff("\ufeffdbn,school_name,boro,partner_cbo,partner_other")
    assert not nyc_directory.sniff("id,name,kind")


# -- splitting and normalising -------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Literacy, Inc., The Door", ["Literacy, Inc.", "The Door"]),
        (
            "Federation Employment and Guidance Services, Inc. (FEGS), YMCA",
            ["Federation Employment and Guidance Services, Inc. (FEGS)", "YMCA"],
        ),
        (
            "Cravath, Swaine & Moore LLP; Deloitte",
            ["Cravath, Swaine & Moore LLP", "Deloitte"],
        ),
        ("Simpson Thatcher & Barlett, LLP", ["Simpson Thatcher & Barlett, LLP"]),
        ("St. John  s University, N/A, etc.", ["St. John's University"]),
        (
            "Partnerships: Brooklyn College, Pace University",
            ["Brooklyn College", "Pace University"],
        ),
        ("Medgar Evers College: College Now", ["Medgar Evers College"]),
        ("Lehman College - Gaining Early Awareness (GEAR UP)", ["Lehman College"]),
        ("Visiting Artists: Ann Person, Bo Person; Carnegie Hall", ["Carnegie Hall"]),
        (
            "Kingsborough CC (College Now, Marine Center), Bard",
            ["Kingsborough CC", "Bard"],
        ),
        (
            "Museum of Modern Art (MoMA), and Jazz at Lincoln Center.",
            ["Museum of Modern Art (MoMA)", "Jazz at Lincoln Center"],
        ),
        (
            "East Side House (ESH) (provides services for students in Advisory)",
            ["East Side House (ESH)"],
        ),
        ("N/A", []),
        ("none", []),
        ("various", []),
        (
            "In 2002, Roundabout Theatre was selected by the DOE to help design, develop, and operate the school.",
            [],
        ),
        (
            "Ghetto Film School, our partner organization, based in the South Bronx, has been recognized.",
            ["Ghetto Film School"],
        ),
        ("We have partnerships with City Kids, Art for Progress", ["Art for Progress"]),
        (
            "Achieving Change in our Neighborhood (Teen ACTION)",
            ["Achieving Change in our Neighborhood (Teen ACTION)"],
        ),
        ("Hunter College. We also have an Art Internship Program.", ["Hunter College"]),
        (
            "Edward. J. Malloy Initiative, Scholars at Work",
            ["Edward. J. Malloy Initiative", "Scholars at Work"],
        ),
    ],
)
def test_split_partners(cell: str, names: list[str]) -> None:
    assert split_partners(cell).names == names


def test_split_partners_reports_what_it_drops() -> None:
    split = split_partners("N/A; Visiting Artists: Ann Person, Bo Person")
    assert [(d.text, d.reason) for d in split.dropped] == [
        ("N/A", "not a name"),
        ("2 names after 'Visiting Artists'", "people"),
    ]


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (
            [
                "St. John's University",
                "St. John  s University",
                "St. John’s University",
                "Saint John's University",
                "St. Johns   University",
                "ST. JOHN'S UNIVERSITY (SJU)",
            ],
            "st johns university",
        ),
        (["The Door", "the door", "THE DOOR."], "door"),
        (["Literacy, Inc.", "Literacy Inc", "Literacy, Inc"], "literacy"),
        (
            ["Theatre Development Fund", "Theater Development Fund (TDF)"],
            "theater development fund",
        ),
        (
            ["Bill & Melinda Gates Foundation", "Bill and Melinda Gates Foundation"],
            "bill and melinda gates foundation",
        ),
        (["NY Cares", "New York Cares"], "new york cares"),
        (["Pencil.org", "PENCIL"], "pencil"),
    ],
)
def test_partner_key(spellings: list[str], key: str) -> None:
    assert {partner_key(s) for s in spellings} == {key}


def test_partner_id_is_readable_and_deterministic() -> None:
    assert (
        partner_id(partner_key("St. John  s University")) == "org:st-johns-university"
    )
    assert partner_id(partner_key("AT&T")) == "org:at-and-t"


def test_clean_text_and_acronyms() -> None:
    assert clean_text("Teachers   College") == "Teachers' College"
    assert acronym_of("Police Athletic League (PAL)") == "PAL"
    assert acronym_of("Rotunda Gallery (BRIC)") is None  # not its initials
    assert acronym_of("Fordham University (Plato)") is None


def test_split_joined_uses_the_file_vocabulary() -> None:
    vocabulary = {"mercy college", "john jay college", "boys"}
    assert split_joined("Mercy College & John Jay College", vocabulary) == [
        "Mercy College",
        "John Jay College",
    ]
    assert split_joined("Boys and Girls Club", vocabulary) == ["Boys and Girls Club"]
