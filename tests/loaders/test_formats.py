"""Every input format on its realistic sample under tests/data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from partnermap.errors import LoadError
from partnermap.loaders import detect_format, load_files
from partnermap.model import ImportBatch

DATA = Path(__file__).resolve().parents[1] / "data"


def edges(batch: ImportBatch) -> list[tuple[object, ...]]:
    return [
        (
            i.source,
            i.target,
            i.type.value,
            i.direction.value if i.direction else None,
            i.date,
        )
        for i in batch.interactions
    ]


def kinds(batch: ImportBatch) -> dict[str, str]:
    return {s.id: s.kind.value for s in batch.stakeholders}


@pytest.mark.parametrize(
    ("path", "format"),
    [
        ("tidy/stakeholders.csv", "tidy"),
        ("tidy/interactions.csv", "tidy"),
        ("kumu/Elements.csv", "kumu"),
        ("kumu/Connections.csv", "kumu"),
        ("kumu/project.json", "kumu"),
        ("gephi/nodes.csv", "gephi"),
        ("gephi/edges.csv", "gephi"),
        ("gexf/gephi-1.1.gexf", "gexf"),
        ("gexf/gephi-1.2.gexf", "gexf"),
        ("gexf/gephi-1.3.gexf", "gexf"),
        ("graphml/yed.graphml", "graphml"),
        ("graphml/gephi.graphml", "graphml"),
        ("graphml/networkx.graphml", "graphml"),
        ("survey/responses.csv", "network-survey"),
        ("attendance/sign_in.csv", "attendance"),
        ("nces/washington_schools_sample.csv", "nces-schools"),
        ("irs/eo_ne_omaha_sample.csv", "irs-eo-bmf"),
    ],
)
def test_detect_format_from_content(path: str, format: str) -> None:
    assert detect_format(DATA / path).FORMAT == format


def test_tidy_files_in_any_order_with_names_as_references() -> None:
    batch, _ = load_files(
        [DATA / "tidy/interactions.csv", DATA / "tidy/stakeholders.csv"]
    )
    assert edges(batch)[4] == (
        "lincoln",
        "00412",
        "resources_shared",
        "one_way",
        date(2024, 11, 1),
    )
    assert batch.stakeholders[0].attributes == {"city": "Durham", "zip": "27707"}


def test_kumu_csv_splits_targets_and_tags() -> None:
    batch, reports = load_files(
        [DATA / "kumu/Elements.csv", DATA / "kumu/Connections.csv"]
    )
    assert edges(batch) == [
        (
            "Boys & Girls Club of Durham",
            "Hillside High School",
            "program_hosted",
            "both",
            None,
        ),
        (
            "Boys & Girls Club of Durham",
            "Lakewood Elementary",
            "program_hosted",
            "both",
            None,
        ),
        ("Book Harvest", "Lakewood Elementary", "resources_shared", "one_way", None),
        (
            "Hillside High School",
            "Durham Technical Community College",
            "agreement",
            "both",
            None,
        ),
        (
            "Book Harvest",
            "Boys & Girls Club of Durham",
            "partner_listed",
            "one_way",
            None,
        ),
    ]
    assert batch.stakeholders[0].attributes == {
        "Description": "Grades 9-12",
        "tags": ["title i", "east"],
    }
    assert reports[1].warnings == [
        "1 unknown type value(s) read as 'partner_listed': 'Referral'"
    ]


def test_kumu_json_blueprint() -> None:
    batch, _ = load_files([DATA / "kumu/project.json"])
    assert kinds(batch) == {
        "el-1": "school",
        "el-2": "nonprofit",
        "el-3": "family_group",
    }
    assert batch.stakeholders[0].attributes == {
        "enrollment": 1480,
        "tags": ["title i", "east"],
    }
    assert edges(batch) == [
        ("el-2", "el-1", "resources_shared", "one_way", None),
        ("el-3", "el-1", "meeting", "both", date(2024, 10, 2)),
    ]


def test_gephi_tables_type_is_direction() -> None:
    batch, reports = load_files([DATA / "gephi/edges.csv", DATA / "gephi/nodes.csv"])
    assert kinds(batch) == {
        "s1": "school",
        "s2": "school",
        "o1": "community_organization",
        "o2": "nonprofit",
    }
    assert edges(batch) == [
        ("o1", "s1", "program_hosted", "both", None),
        ("o2", "s2", "resources_shared", "one_way", None),
        ("s1", "o2", "partner_listed", "one_way", None),
    ]
    assert reports[1].warnings == [
        "1 unknown type value(s) read as 'partner_listed': '(empty)'"
    ]


@pytest.mark.parametrize("version", ["1.1", "1.2", "1.3"])
def test_gexf_versions(version: str) -> None:
    batch, _ = load_files([DATA / f"gexf/gephi-{version}.gexf"])
    assert batch.stakeholders[0].attributes == {"enrollment": 1480, "frl_share": 0.62}
    assert kinds(batch) == {
        "s1": "school",
        "o1": "afterschool_provider",
        "o2": "community_organization",
    }
    assert edges(batch) == [
        ("o1", "s1", "program_hosted", "both", None),
        ("o2", "s1", "resources_shared", "one_way", None),
    ]


def test_an_xml_entity_bomb_is_refused() -> None:
    with pytest.raises(LoadError) as caught:
        load_files([DATA / "gexf/entity-bomb.gexf"])
    assert str(caught.value) == (
        "entity-bomb.gexf: refused: the XML declares entities (EntitiesForbidden), which "
        "can expand without limit (an entity-expansion bomb); export the graph again from "
        "Gephi, yEd or networkx; their files declare no entities"
    )


def test_an_xml_entity_bomb_in_a_workbook_is_refused_as_such(tmp_path: Path) -> None:
    import zipfile

    import openpyxl

    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "name", "kind"])
    book.active.append(["a", "A", "school"])
    book.save(plain)
    bomb = tmp_path / "bomb.xlsx"
    entities = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(bomb, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?>' + entities + data.replace(b">A<", b">&b;<")
            zout.writestr(item, data)
    with pytest.raises(LoadError) as caught:
        load_files([bomb])
    assert str(caught.value) == (
        "bomb.xlsx: refused: its XML declares entities, which can expand without limit "
        "(an entity-expansion bomb); open it in Excel or LibreOffice and save it as .xlsx"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("yed.graphml", [("n1", "n0", "feedback_given", "one_way", None)]),
        ("gephi.graphml", [("o1", "s1", "meeting", "both", None)]),
        (
            "networkx.graphml",
            [
                ("00412", "bgc", "feedback_given", "one_way", date(2024, 10, 15)),
                ("bgc", "00412", "program_hosted", "one_way", date(2024, 9, 3)),
            ],
        ),
    ],
)
def test_graphml_from_yed_gephi_networkx(
    name: str, expected: list[tuple[object, ...]]
) -> None:
    batch, _ = load_files([DATA / "graphml" / name])
    assert edges(batch) == expected
    assert batch.stakeholders[0].name == "Hillside High School"


def test_survey_records_who_answered() -> None:
    batch, reports = load_files(
        [DATA / "tidy/stakeholders.csv", DATA / "survey/responses.csv"]
    )
    assert (
        reports[1].summary()
        == "responses.csv (network-survey): 3 respondents, 4 named partners"
    )
    assert set(batch.attribute_updates) == {"00412", "bgc", "pta-00318"}
    first = batch.interactions[0]
    assert (
        first.source,
        first.target,
        first.type.value,
        first.confirmed,
        first.attributes,
    ) == (
        "00412",
        "bgc",
        "partner_listed",
        False,
        {"frequency": 4, "trust": 5, "value": 5},
    )


def test_sign_in_sheet_becomes_meetings_among_attendees() -> None:
    batch, _ = load_files(
        [DATA / "tidy/stakeholders.csv", DATA / "attendance/sign_in.csv"]
    )
    assert {
        (i.source, i.target, i.date, i.attributes["event"]) for i in batch.interactions
    } == {
        ("00412", "bgc", date(2024, 10, 3), "Family engagement night"),
        ("00412", "lincoln", date(2024, 10, 3), "Family engagement night"),
        ("bgc", "lincoln", date(2024, 10, 3), "Family engagement night"),
        ("00412", "dtcc", date(2024, 11, 14), "Partner breakfast"),
    }
    assert {i.direction.value for i in batch.interactions if i.direction} == {"both"}
