"""What real district spreadsheets do to an import, one small file per case."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from partnermap.errors import LoadError
from partnermap.loaders import load_files
from partnermap.loaders._tables import LEGACY_ENCODING_WARNING, read_delimited
from partnermap.model import ImportBatch

PEOPLE = "id,name,kind\n00123,Lincoln High,school\n007,Lincoln PTA,family_group\n"


def load(
    tmp_path: Path, files: dict[str, str | bytes], **options: object
) -> ImportBatch:
    paths = []
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        paths.append(path)
    batch, _ = load_files(paths, **options)  # type: ignore[arg-type]
    return batch


def problems(
    tmp_path: Path, files: dict[str, str | bytes], **options: object
) -> list[str]:
    with pytest.raises(LoadError) as caught:
        load(tmp_path, files, **options)
    return [str(p) for p in caught.value.problems]


# -- encodings and delimiters ---------------------------------------------------

TEXT = "id;name;kind\n1;Café Olé Nonprofit;nonprofit\n"


@pytest.mark.parametrize(
    "raw",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("cp1252"),
        TEXT.replace(";", "\t")
        .replace("\n", "\r\n")
        .encode("utf-16"),  # Excel "Unicode text"
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "utf-16-excel"],
)
def test_encodings_are_read(tmp_path: Path, raw: bytes) -> None:
    batch = load(tmp_path, {"people.txt": raw})
    assert [s.name for s in batch.stakeholders] == ["Café Olé Nonprofit"]


def test_a_windows_1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_bytes(TEXT.encode("cp1252"))
    batch, reports = load_files([tmp_path / "people.csv"])
    assert [s.name for s in batch.stakeholders] == ["Café Olé Nonprofit"]
    assert reports[0].warnings == [
        (
            "the file is not UTF-8, so it was read as Windows-1252 (Western European); "
            "if any name shows wrong letters, save the file as UTF-8 (in Excel: Save As, "
            "CSV UTF-8) and load it again"
        )
    ]
    (tmp_path / "utf8.csv").write_text(TEXT, encoding="utf-8")
    assert load_files([tmp_path / "utf8.csv"])[1][0].warnings == []


def test_a_file_in_another_encoding_is_refused_not_garbled(tmp_path: Path) -> None:
    text = "id;name;kind\n1;Lincoln High;school\n2;東京学園;school\n"
    assert problems(tmp_path, {"people.csv": text.encode("shift_jis")}) == [
        (
            "people.csv: line 3 holds bytes (0x93…) that are neither UTF-8 nor "
            "Windows-1252 text; save the file as UTF-8 (in Excel: Save As, CSV UTF-8) "
            "and load it again"
        )
    ]


MIXED_REFUSAL = (
    "line 3 is not UTF-8 while the rest of the file is (byte 0xeb, 'ë' in "
    "Windows-1252); save the file as UTF-8 (in Excel: Save As, CSV UTF-8), or "
    "retype the letters of that line, and load it again"
)


def test_a_utf8_file_with_one_stray_byte_is_refused_not_garbled(
    tmp_path: Path,
) -> None:
    raw = TEXT.encode() + "2;Zoë Café;nonprofit\n".encode("cp1252")
    raw += "3;Café Olé Ensemble;nonprofit\n".encode()
    assert problems(tmp_path, {"people.csv": raw}) == [f"people.csv: {MIXED_REFUSAL}"]


def test_a_utf8_file_with_a_byte_order_mark_and_a_stray_byte_is_refused(
    tmp_path: Path,
) -> None:
    raw = b"\xef\xbb\xbfid;name;kind\n1;Lincoln High;school\n2;Zo\xeb;nonprofit\n"
    assert problems(tmp_path, {"people.csv": raw}) == [f"people.csv: {MIXED_REFUSAL}"]


def test_a_windows_1252_file_with_a_chance_utf8_pair_is_still_read(
    tmp_path: Path,
) -> None:
    # "É’" is also a valid UTF-8 letter (0xc9 0x92), outnumbered by the rest.
    text = TEXT + "2;JOSÉ’S Bodega;business\n3;Zoë Crêperie;business\n"
    (tmp_path / "people.csv").write_bytes(text.encode("cp1252"))
    batch, reports = load_files([tmp_path / "people.csv"])
    assert [s.name for s in batch.stakeholders] == [
        "Café Olé Nonprofit",
        "JOSÉ’S Bodega",
        "Zoë Crêperie",
    ]
    assert reports[0].warnings == [LEGACY_ENCODING_WARNING]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_detected(tmp_path: Path, delimiter: str) -> None:
    text = 'id,name,kind\n1,"Smith, Jones & Co",business\n'.replace(",", delimiter)
    if delimiter != ",":
        text = text.replace(f'"Smith{delimiter} Jones & Co"', '"Smith, Jones & Co"')
    batch = load(tmp_path, {"people.csv": text})
    assert [(s.id, s.name) for s in batch.stakeholders] == [("1", "Smith, Jones & Co")]


def test_a_one_column_file_stays_one_column(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text(
        "name\nLincoln High; East Campus\nSmith | Jones\n", encoding="utf-8"
    )
    table = read_delimited(path)
    assert table.header == ["name"]
    assert [cells for _, cells in table.rows] == [
        ["Lincoln High; East Campus"],
        ["Smith | Jones"],
    ]


# -- headers ----------------------------------------------------------------------


def test_header_spaces_and_case_are_ignored(tmp_path: Path) -> None:
    batch = load(
        tmp_path,
        {
            "people.csv": " ID , Name ,KIND \n00123,Lincoln High,School\n007,Lincoln PTA,Family group\n",
            "events.csv": " From ,TO, Type ,When\n00123,007,Meeting,2024-09-01\n",
        },
    )
    assert [(i.source, i.target, i.type.value, i.date) for i in batch.interactions] == [
        ("00123", "007", "meeting", date(2024, 9, 1))
    ]


def test_duplicate_column_names_are_named(tmp_path: Path) -> None:
    assert problems(tmp_path, {"people.csv": "id,name,kind,name\n1,A,school,B\n"}) == [
        (
            "people.csv row 1: duplicate column names 'name'; rename the columns so that "
            "each name appears once"
        )
    ]


def test_a_title_row_above_the_header_is_skipped(tmp_path: Path) -> None:
    people = "Partners of Lincoln High 2024-25,,\n" + PEOPLE
    batch = load(tmp_path, {"people.csv": people})
    assert [s.id for s in batch.stakeholders] == ["00123", "007"]
    assert batch.stakeholders[0].source == "people.csv row 3"


def workbook(
    path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()
) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def test_hidden_and_ignored_sheets_are_skipped_and_reported(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "network.xlsx",
        {
            "Stakeholders": [
                ["id", "name", "kind"],
                ["00123", "Lincoln High", "school"],
            ],
            "Old list": [["id", "name", "kind"], ["x", "Closed School", "spaceship"]],
            "#notes": [["anything"], ["at all"]],
        },
        hidden=("Old list",),
    )
    batch, reports = load_files([path])
    assert [s.id for s in batch.stakeholders] == ["00123"]
    assert batch.stakeholders[0].source == "network.xlsx [Stakeholders] row 2"
    assert reports[0].warnings == [
        "skipped sheet 'Old list': it is hidden",
        "skipped sheet '#notes': marked to ignore",
    ]


# -- values -----------------------------------------------------------------------


def test_ids_are_text_in_a_workbook(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "ids.xlsx",
        {
            "Stakeholders": [
                ["id", "name", "kind"],
                ["00123", "Lincoln High", "school"],
                [12.0, "PS 12", "school"],
                [7, "PS 7", "school"],
            ],
            "Interactions": [["source", "target", "type"], ["00123", 12, "meeting"]],
        },
    )
    batch, _ = load_files([path])
    assert [s.id for s in batch.stakeholders] == ["00123", "12", "7"]
    assert [(i.source, i.target) for i in batch.interactions] == [("00123", "12")]


def test_only_empty_cells_are_missing(tmp_path: Path) -> None:
    batch = load(
        tmp_path,
        {
            "people.csv": "name,kind,note\nNA,nonprofit,None\nnull,other,\nNone,business,null\n"
        },
    )
    assert [(s.name, s.attributes) for s in batch.stakeholders] == [
        ("NA", {"note": "None"}),
        ("null", {}),
        ("None", {"note": "null"}),
    ]


@pytest.mark.parametrize(
    ("dates", "declared", "expected"),
    [
        (["2024-09-01", "2024-10-15"], None, [date(2024, 9, 1), date(2024, 10, 15)]),
        (["09/01/2024", "10/15/2024"], None, [date(2024, 9, 1), date(2024, 10, 15)]),
        (["01/09/2024", "15/10/2024"], None, [date(2024, 9, 1), date(2024, 10, 15)]),
        (["01/09/2024", "02/10/2024"], "dmy", [date(2024, 9, 1), date(2024, 10, 2)]),
        (["45536", "45580"], None, [date(2024, 9, 1), date(2024, 10, 15)]),
    ],
    ids=["iso", "us", "day-first-detected", "day-first-declared", "excel-serial"],
)
def test_dates_one_format_per_column(
    tmp_path: Path, dates: list[str], declared: str | None, expected: list[date]
) -> None:
    events = "source,target,type,date\n" + "".join(
        f"00123,007,meeting,{d}\n" for d in dates
    )
    batch = load(
        tmp_path, {"people.csv": PEOPLE, "events.csv": events}, date_format=declared
    )
    assert [i.date for i in batch.interactions] == expected


@pytest.mark.parametrize(
    ("dates", "warned"),
    [
        (["03/04/2024", "05/06/2024"], True),  # both ways read, differently
        (["09/01/2024", "10/15/2024"], False),  # 15 cannot be a month
        (["04/04/2024", "05/05/2024"], False),  # both ways read the same
    ],
    ids=["ambiguous", "month-first-only", "same-either-way"],
)
def test_a_column_that_reads_day_first_too_is_warned(
    tmp_path: Path, dates: list[str], warned: bool
) -> None:
    events = "source,target,type,date\n" + "".join(
        f"00123,007,meeting,{d}\n" for d in dates
    )
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "events.csv").write_text(events, encoding="utf-8")

    batch, reports = load_files([tmp_path / "people.csv", tmp_path / "events.csv"])

    assert batch.interactions[0].date == date(2024, *map(int, dates[0].split("/")[:2]))
    assert reports[1].warnings == (
        [
            (
                "dates in column 'date' were read as MM/DD/YYYY (US); every one of them "
                "also reads as DD/MM/YYYY: if they are day-first, load again with "
                "--date-format dmy"
            )
        ]
        if warned
        else []
    )


def test_a_column_mixing_date_formats_is_refused(tmp_path: Path) -> None:
    events = "source,target,type,date\n00123,007,meeting,2024-09-01\n00123,007,meeting,09/02/2024\n"
    assert problems(tmp_path, {"people.csv": PEOPLE, "events.csv": events}) == [
        (
            "events.csv row 3 column 'date': date '09/02/2024' does not match the column's "
            "format (YYYY-MM-DD); write every date of a column one way (YYYY-MM-DD is "
            "safest), or declare the format with --date-format"
        )
    ]


def test_excel_dates_and_formulas_without_saved_values(tmp_path: Path) -> None:
    from datetime import datetime

    path = workbook(
        tmp_path / "book.xlsx",
        {
            "Stakeholders": [
                ["id", "name", "kind", "score"],
                ["00123", "Lincoln High", "school", "=1+1"],
                ["007", "Lincoln PTA", "family_group", 3],
            ],
            "Interactions": [
                ["source", "target", "type", "date"],
                ["00123", "007", "meeting", datetime(2024, 9, 1)],
            ],
        },
    )
    batch, reports = load_files([path])
    assert [i.date for i in batch.interactions] == [date(2024, 9, 1)]
    assert [s.attributes for s in batch.stakeholders] == [{}, {"score": 3}]
    assert reports[0].warnings == [
        (
            "sheet 'Stakeholders': 1 formula cell(s) without a saved value (D2) read as "
            "empty; open and save the workbook in Excel or LibreOffice"
        )
    ]



def test_a_refused_workbook_names_its_unsaved_formulas(tmp_path: Path) -> None:
    """A name written as a formula the workbook never computed reads as
    empty: the refusal names the formula cell as well as the empty name."""
    path = workbook(
        tmp_path / "book.xlsx",
        {"Stakeholders": [["id", "name", "kind"], ["x1", "=1+2", "school"]]},
    )
    with pytest.raises(LoadError) as caught:
        load_files([path])
    assert [str(p) for p in caught.value.problems] == [
        (
            "book.xlsx [Stakeholders] row 2 column 'name': name is empty; "
            "give every stakeholder a name"
        ),
        (
            "book.xlsx: sheet 'Stakeholders': 1 formula cell(s) without a saved value "
            "(B2) read as empty; open and save the workbook in Excel or LibreOffice"
        ),
    ]

# -- references -----------------------------------------------------------------


def test_an_unknown_reference_suggests_the_closest_name(tmp_path: Path) -> None:
    people = "name,kind\nLincoln High,school\nReading Partners,nonprofit\n"
    events = "from,to,type\nLincon High,Reading Partners,meeting\nLincoln High,Nobody At All,meeting\n"
    assert problems(tmp_path, {"people.csv": people, "edges.csv": events}) == [
        (
            "edges.csv row 2 column 'from': from 'Lincon High' is not a known stakeholder; "
            "did you mean 'Lincoln High'?"
        ),
        (
            "edges.csv row 3 column 'to': to 'Nobody At All' is not a known stakeholder; "
            "load its stakeholders table in the same import or first, or pass "
            "--create-missing to add a placeholder (create_missing=true through the "
            "API)"
        ),
    ]


def test_create_missing_adds_reported_placeholders(tmp_path: Path) -> None:
    people = "name,kind\nLincoln High,school\n"
    events = "from,to,type\nLincoln High,Book Harvest,resources_shared\n"
    paths = [tmp_path / "people.csv", tmp_path / "edges.csv"]
    paths[0].write_text(people, encoding="utf-8")
    paths[1].write_text(events, encoding="utf-8")
    batch, reports = load_files(paths, create_missing=True)
    placeholder = batch.stakeholders[-1]
    assert (placeholder.id, placeholder.kind.value, placeholder.attributes) == (
        "Book Harvest",
        "other",
        {"placeholder": True},
    )
    assert reports[1].warnings == [
        (
            "created 1 placeholder stakeholder(s) of kind 'other' for unknown references "
            "(--create-missing; create_missing=true through the API): 'Book Harvest'"
        )
    ]


def test_a_near_miss_kind_suggests_the_right_one(tmp_path: Path) -> None:
    assert problems(tmp_path, {"people.csv": "name,kind\nLincoln,schol\n"}) == [
        "people.csv row 2 column 'kind': kind 'schol' is not known; did you mean 'school'?"
    ]


# -- all or nothing ---------------------------------------------------------------


def test_every_error_of_every_file_is_listed(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        {
            "people.csv": "name,kind\nLincoln,school\n,school\n",
            "events.xlsx": b"not a zip",
            "notes.pdf": b"%PDF",
        },
    )
    assert found == [
        (
            "events.xlsx: is not a readable XLSX workbook (not a zip file); open it in Excel "
            "or LibreOffice and save it as .xlsx"
        ),
        (
            "notes.pdf: unknown format (suffix '.pdf'); partnermap reads .csv, .tsv, .txt, "
            ".xlsx, .json, .gexf and .graphml files; export the sheet as CSV or XLSX"
        ),
    ]
    assert problems(
        tmp_path, {"people.csv": "name,kind\nLincoln,school\n,school\nX,y\n"}
    ) == [
        "people.csv row 3 column 'name': name is empty; give every stakeholder a name",
        (
            "people.csv row 4 column 'kind': kind 'y' is not known; use one of school, "
            "family_group, community_organization, afterschool_provider, program_site, "
            "business, financial_institution, higher_education, health_provider, "
            "cultural_organization, nonprofit, district_office, person, other"
        ),
    ]


def test_workbook_problems_name_the_sheet(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "book.xlsx",
        {
            "Stakeholders": [["name", "kind"], ["Lincoln", "school"]],
            "Interactions": [
                ["source", "target", "type"],
                ["Lincoln", "Lincon", "meeting"],
            ],
        },
    )
    with pytest.raises(LoadError) as caught:
        load_files([path])
    assert [str(p) for p in caught.value.problems] == [
        (
            "book.xlsx [Interactions] row 2 column 'target': target 'Lincon' is not a known "
            "stakeholder; did you mean 'Lincoln'?"
        )
    ]


# -- size -------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_with_the_limit(tmp_path: Path) -> None:
    found = problems(tmp_path, {"people.csv": PEOPLE * 100}, max_bytes=1024)
    assert found == [
        (
            "people.csv: is 0.0 MB, over the size limit of 0.0 MB; split the file, or raise "
            "the limit with --max-size (MB) or PARTNERMAP_MAX_IMPORT_MB"
        )
    ]


def test_a_zip_bomb_named_xlsx_is_refused_before_opening(tmp_path: Path) -> None:
    bomb = tmp_path / "budget.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("[Content_Types].xml", "<Types/>")
        zipped.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(LoadError) as caught:
        load_files([bomb])
    assert str(caught.value.problems[0]).startswith("budget.xlsx: unpacks ")
    assert str(caught.value.problems[0]).endswith(
        "times its size (limit 200): refused as a possible zip bomb; save the workbook "
        "again from Excel or LibreOffice"
    )
    with pytest.raises(LoadError) as caught:
        load_files([bomb], max_bytes=10 * 1024 * 1024)
    assert str(caught.value.problems[0]) == (
        "budget.xlsx: would unpack to 50.0 MB, over the size limit of 10.0 MB; split the "
        "file, or raise the limit with --max-size (MB) or PARTNERMAP_MAX_IMPORT_MB"
    )


def test_a_file_with_only_a_header_is_warned(tmp_path: Path) -> None:
    """A header-only file is read (it adds nothing) and says so; a file with
    rows does not get the warning."""
    empty = tmp_path / "edges.csv"
    empty.write_text("source,target,type,date\n", encoding="utf-8")
    people = tmp_path / "people.csv"
    people.write_text("id,name,kind\na,Adams Elementary,school\n", encoding="utf-8")
    batch, reports = load_files([people, empty])
    assert [(Path(r.path).name, r.warnings) for r in reports] == [
        ("people.csv", []),
        ("edges.csv", [
            "nothing was read from this file: it holds no data rows"
        ]),
    ]
    assert [s.id for s in batch.stakeholders] == ["a"]


def test_a_bad_or_contradicting_school_year_is_refused_by_row(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,name,kind\na,A School,school\nb,B Club,nonprofit\n",
                      encoding="utf-8")
    edges = tmp_path / "edges.csv"
    edges.write_text(
        "source,target,type,date,school_year\n"
        "a,b,meeting,,foo\n"
        "a,b,meeting,,2014-16\n"
        "a,b,meeting,2020-01-05,2014-15\n"
        "a,b,meeting,2015-06-30,2014-15\n"
        "a,b,meeting,,2099-00\n"
        "a,b,meeting,2015-01-10,9999-00\n"
        "a,b,meeting,,0000-01\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        load_files([people, edges])
    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (2, "school_year", "school year 'foo' is not of the form 2014-15"),
        (3, "school_year", "school year '2014-16' does not span two years in a row"),
        (7, "school_year", "school year '9999-00' is out of range (0001-02 to 9998-99)"),
        (8, "school_year", "school year '0000-01' is out of range (0001-02 to 9998-99)"),
        (4, "date", "date 2020-01-05 is outside school year 2014-15 "
                    "(2014-07-01 to 2015-06-30)"),
    ]
    edges.write_text(
        "source,target,type,date,school_year\n"
        "a,b,meeting,2015-06-30,2014-15\n"
        "a,b,meeting,,2099-00\n",
        encoding="utf-8",
    )
    batch, _ = load_files([people, edges])
    assert [(i.date, i.school_year) for i in batch.interactions] == [
        (date(2015, 6, 30), "2014-15"), (date(2099, 7, 1), "2099-00")]


def test_cells_right_of_the_header_are_warned(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,kind\na,A School,school\nb,B Club,nonprofit,,note\n"
        "c,C School,school,\nd,D Club,nonprofit,x\n",
        encoding="utf-8",
    )
    batch, reports = load_files([people])
    assert [s.name for s in batch.stakeholders] == [
        "A School", "B Club", "C School", "D Club"]
    assert reports[0].warnings == [
        "2 row(s) have cells right of the last named column (3 columns; first in "
        "row 3), which were not read: name that column in the header, or check "
        "for a stray delimiter in the row"
    ]


def test_a_row_refused_for_its_type_is_still_checked_for_the_rest(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,name,kind\nb,B Club,nonprofit\n", encoding="utf-8")
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target,type,date,school_year\nx0,b,meetingz,2015-13-01,2014-16\n",
                     encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_files([people, edges])
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "type"), (2, "school_year"), (2, "date"), (2, "source")]


def test_cells_under_a_column_with_no_name_are_warned(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,name,,kind\na,A School,note,school\nb,B Club,,nonprofit\n",
                      encoding="utf-8")
    batch, reports = load_files([people])
    assert [(s.id, s.attributes) for s in batch.stakeholders] == [("a", {}), ("b", {})]
    assert reports[0].warnings == [
        "1 row(s) have cells under a column with no name (column C; first in row 2), "
        "which were not read: name that column in the header"
    ]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ('{"nodes": "x", "links": 5}', [
            "g.json column 'nodes': 'nodes' is a JSON string, not a list of objects; "
            'write it as "nodes": [{...}, {...}]',
            "g.json column 'links': 'links' is a JSON number, not a list of objects; "
            'write it as "links": [{...}, {...}]']),
        ('{"nodes": [1, {"id": "a"}], "links": ["a"]}', [
            "g.json [nodes] row 1: the item is a JSON number, not an object; write each "
            'item as an object, e.g. {"id": "a", "label": "A"}',
            "g.json [links] row 1: the item is a JSON string, not an object; write each "
            'item as an object, e.g. {"id": "a", "label": "A"}']),
        ('{"nodes": [{"id": {"a": 1}}], "links": []}', [
            "g.json [nodes] row 1 column 'id': id is a JSON object, not text or a number; "
            "write it as text"]),
        ('{"elements": "x", "connections": [true]}', [
            "g.json column 'elements': 'elements' is a JSON string, not a list of objects; "
            'write it as "elements": [{...}, {...}]',
            "g.json [connections] row 1: the item is a JSON boolean, not an object; write "
            'each item as an object, e.g. {"id": "a", "label": "A"}']),
        ('{"elements": [{"label": "A", "type": "school", "attributes": "x"}], '
         '"connections": []}', [
            "g.json [elements] row 1 column 'attributes': attributes is a JSON string, not "
            'an object; write it as "attributes": {"name": "value"}']),
    ],
)
def test_json_of_the_wrong_shape_is_refused_by_item(
    tmp_path: Path, body: str, said: list[str]
) -> None:
    path = tmp_path / "g.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_files([path])
    assert [str(p) for p in caught.value.problems] == said


def test_a_date_no_school_year_can_hold_is_refused(tmp_path: Path) -> None:
    """9999-12-31, a common "no end" placeholder, would fall in school year
    9999-00, which no window can name."""
    people = tmp_path / "people.csv"
    people.write_text("id,name,kind\na,A School,school\nb,B Club,nonprofit\n",
                      encoding="utf-8")
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target,type,date\na,b,meeting,9999-12-31\na,b,meeting,"
                     "9999-06-30\na,b,meeting,0001-06-30\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_files([people, edges])
    assert [str(p) for p in caught.value.problems] == [
        f"edges.csv row {row} column 'date': date {day} is outside the school years "
        "partnermap can place it in (0001-07-01 to 9999-06-30); leave the date empty "
        "for an undated interaction"
        for row, day in ((2, "9999-12-31"), (4, "0001-06-30"))
    ]
