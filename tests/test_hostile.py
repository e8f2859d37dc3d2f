"""Hostile input, each a test: script, formulas, injection, long strings,
deep JSON, oversized uploads and escaping file names. XML entity bombs and
zip bombs are refused by the loaders (tests/loaders/test_formats.py and
test_robustness.py)."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from partnermap.export import export_store
from partnermap.model import Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K
from partnermap.settings import Settings
from partnermap.store import open_store
from tests import tiny

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","x")'
INJECTIONS = [
    "x' OR '1'='1",
    "'; DROP TABLE stakeholders; --",
    '" OR 1=1 //',
    "}) MATCH (n) DETACH DELETE n //",
    "%_\\",
]


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    from partnermap.api.app import create_app

    batch = tiny.batch()
    batch.stakeholders += [
        Stakeholder("evil", SCRIPT, K.NONPROFIT, {"note": SCRIPT, "cmd": FORMULA}),
        Stakeholder("formula", FORMULA, K.BUSINESS, {}, source=FORMULA),
    ]
    batch.interactions += [
        Interaction("school-1", "evil", T.MEETING, date(2024, 9, 3),
                    attributes={"event": SCRIPT}),
        Interaction("formula", "evil", T.FUNDING, date(2024, 9, 4), provenance=FORMULA),
    ]
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    with open_store(url) as store:
        store.apply(batch)
    settings = Settings(auth_required=False, max_import_mb=0.01)
    with TestClient(create_app(url, settings)) as client:
        yield client, url


@pytest.mark.parametrize(
    "path",
    ["/network", "/stakeholders/evil", "/stakeholders/school-1", "/findings", "/report",
     "/changes", "/stakeholders/formula"],
)
def test_script_in_names_attributes_and_events_is_text_on_pages(hostile: Any, path: str) -> None:
    client, _ = hostile
    res = client.get(path)
    assert res.status_code == 200
    assert SCRIPT not in res.text


def test_script_is_plain_json_text_in_the_api(hostile: Any) -> None:
    client, _ = hostile
    res = client.get("/api/stakeholders/evil")
    assert res.headers["content-type"] == "application/json"
    assert (res.json()["name"], res.json()["attributes"]["note"]) == (SCRIPT, SCRIPT)


def test_network_csv_neutralises_every_formula(hostile: Any) -> None:
    client, _ = hostile
    rows = list(csv.reader(client.get("/network.csv").text.splitlines()))
    cells = [c for row in rows for c in row]
    assert FORMULA not in cells and "'" + FORMULA in cells


def test_tidy_csv_export_neutralises_formulas_and_loads_back(tmp_path: Path, hostile: Any) -> None:
    _, url = hostile
    with open_store(url) as store:
        written = export_store(store, tmp_path / "out", None)
    cells = [c for p in written for row in csv.reader(p.open(encoding="utf-8")) for c in row]
    assert [c for c in cells if c and c[0] in "=+-@"] == []
    assert "'" + FORMULA in cells
    from partnermap.loaders import load_files

    batch, _ = load_files(written)
    names = {s.id: s.name for s in batch.stakeholders}
    assert names["formula"] == FORMULA


def test_xlsx_export_writes_no_formula_cell(tmp_path: Path, hostile: Any) -> None:
    import openpyxl

    _, url = hostile
    with open_store(url) as store:
        (path,) = export_store(store, tmp_path / "kumu.xlsx", None)
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert "'" + FORMULA in {c.value for c in cells}


@pytest.mark.parametrize("value", INJECTIONS + ["x" * 20_000])
def test_injection_and_long_strings_through_every_parameter(hostile: Any, value: str) -> None:
    client, url = hostile
    for path in ["/api/stakeholders/{v}", "/api/stakeholders/{v}/network",
                 "/api/stakeholders/{v}/whatif-leaves", "/stakeholders/{v}"]:
        assert client.get(path.format(v=value)).status_code == 404
    for path, name in [("/api/stakeholders", "q"), ("/network", "focus"),
                       ("/network", "borough"), ("/api/changes", "from"),
                       ("/api/findings/coverage", "rules"), ("/login", "next")]:
        assert client.get(path, params={name: value}).status_code in (200, 422)
    with open_store(url) as store:
        assert store.counts()["stakeholders"] == 9


def test_a_search_is_never_a_pattern(hostile: Any) -> None:
    client, _ = hostile
    assert client.get("/api/stakeholders", params={"q": "%"}).json()["total"] == 0
    assert client.get("/api/stakeholders", params={"q": "' OR 1=1 --"}).json()["total"] == 0


def test_an_oversized_upload_is_413_naming_the_limit(hostile: Any) -> None:
    client, _ = hostile
    res = client.post("/api/imports", params={"filename": "big.csv"},
                      content=b"id,name,kind\n" + b"a,b,school\n" * 2000)
    assert res.status_code == 413
    assert res.json()["detail"] == (
        "the upload is over the limit of 0.01 MB (PARTNERMAP_MAX_IMPORT_MB); split "
        "the file or raise the limit"
    )


def test_chunked_upload_without_length_is_cut_at_the_limit(hostile: Any) -> None:
    client, _ = hostile

    def body() -> Iterator[bytes]:
        yield b"id,name,kind\n"
        for _ in range(2000):
            yield b"a,b,school\n"

    res = client.post("/api/imports", params={"filename": "big.csv"}, content=body())
    assert res.status_code == 413


@pytest.mark.parametrize(
    ("name", "saved"),
    [("../../../tmp/escape.csv", "escape.csv"), ("..\\..\\win.csv", "win.csv"),
     ("/etc/cron.d/x.csv", "x.csv"), (".hidden.csv", "hidden.csv"),
     ("a b;rm -rf.csv", "a_b_rm_-rf.csv")],
)
def test_uploaded_file_names_cannot_escape(hostile: Any, name: str, saved: str) -> None:
    client, _ = hostile
    res = client.post("/api/imports", params={"filename": name},
                      content=b"source,target,type\nschool-1,loner,meeting\n")
    assert res.status_code == 200, res.text
    assert res.json()["file"] == saved
    assert not Path("/tmp/escape.csv").exists()


def test_an_upload_name_without_suffix_is_422(hostile: Any) -> None:
    client, _ = hostile
    res = client.post("/api/imports", params={"filename": "../.."}, content=b"x")
    assert res.status_code == 422


def test_deeply_nested_json_upload_is_422(hostile: Any) -> None:
    client, _ = hostile
    res = client.post("/api/imports", params={"filename": "deep.json"},
                      content=b"[" * 5000 + b"]" * 5000)
    assert res.status_code == 422
    assert "nested too deeply" in res.json()["detail"]


def test_garbage_upload_is_422_and_changes_nothing(hostile: Any) -> None:
    client, url = hostile
    res = client.post("/api/imports", params={"filename": "x.xlsx"}, content=b"PK\x03\x04junk")
    assert res.status_code == 422
    with open_store(url) as store:
        assert store.counts()["stakeholders"] == 9


def test_store_file_holds_values_as_data_not_sql(hostile: Any) -> None:
    _, url = hostile
    db = sqlite3.connect(url.removeprefix("sqlite:///"))
    assert db.execute("SELECT name FROM stakeholders WHERE id='evil'").fetchone() == (SCRIPT,)


CONTROL = "Lincoln\x01\x0bHigh\x00"
"""A name with control characters: XML (GEXF, GraphML) cannot hold them."""


def test_control_characters_are_replaced_at_load_and_said(tmp_path: Path) -> None:
    from partnermap.loaders import load_files

    people = tmp_path / "people.csv"
    people.write_text(f"id,name,kind,note\nc1,{CONTROL},school,a\x1fb\nc2,Ok,school,fine\n",
                      encoding="utf-8")
    batch, [report] = load_files([people])
    assert [(s.name, s.attributes) for s in batch.stakeholders] == [
        ("Lincoln  High", {"note": "a b"}), ("Ok", {"note": "fine"})]
    assert report.warnings == [
        (
            "replaced control characters (which exports cannot hold) by spaces in 2 "
            "value(s): people.csv row 2 (name), people.csv row 2 (attribute 'note')"
        )
    ]


def test_a_name_of_control_characters_only_is_refused(tmp_path: Path) -> None:
    from partnermap.errors import LoadError
    from partnermap.loaders import load_files

    people = tmp_path / "people.csv"
    people.write_text("id,name,kind\nc1,Ok,school\nc2,\x00\x00,school\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_files([people])
    assert str(caught.value) == (
        "people.csv row 3: the name holds only control characters; "
        "type the name again in the spreadsheet"
    )


def test_an_id_or_name_too_long_to_index_is_refused_by_row(tmp_path: Path) -> None:
    """Neo4j's index takes about 8 kB a value: both stores refuse more than
    1,000 characters in an id or a name, at load, whatever the store."""
    from partnermap.errors import LoadError
    from partnermap.loaders import load_files

    people = tmp_path / "people.csv"
    people.write_text(f"id,name,kind\nL1,{'B' * 20_000},business\n{'x' * 1_001},Ok,school\n"
                      f"L3,{'é' * 1_000},school\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_files([people])
    assert [str(p) for p in caught.value.problems] == [
        f"people.csv row {row}: the {field} is {n} characters long, more than the 1,000 "
        "an id or a name may hold; shorten it; a long description belongs in a column of "
        "its own"
        for row, field, n in ((2, "name", "20,000"), (3, "id", "1,001"))
    ]


@pytest.mark.parametrize("extra", [[], ["--create-missing"]])
def test_a_reference_with_a_control_character_finds_the_stakeholder(
    tmp_path: Path, extra: list[str]
) -> None:
    """'A<VT>1' in an interactions file is stored as 'A 1': it ties to the
    school stored under 'A 1', in a later import or the same one, and
    --create-missing makes no placeholder that would overwrite the school."""
    from typer.testing import CliRunner

    from partnermap.cli import app

    people = tmp_path / "people.csv"
    people.write_text("id,name,kind\nA 1,Adams Elementary,school\nb1,Baker Middle,school\n",
                      encoding="utf-8")
    edges = tmp_path / "edges.csv"
    edges.write_text('source,target,type\n"A\x0b1",b1,meeting\n', encoding="utf-8")
    runner = CliRunner()
    for files in ([people], [edges]), ([people, edges],):
        url = f"sqlite:///{tmp_path / f'c{len(files)}.db'}"
        for group in files:
            res = runner.invoke(app, ["load", *map(str, group), "--store", url, *extra])
            assert res.exit_code == 0, res.output
            assert "placeholder" not in res.output
        with open_store(url) as store:
            assert [(s.id, s.name, s.kind.value) for s in store.iter_stakeholders()] == [
                ("A 1", "Adams Elementary", "school"), ("b1", "Baker Middle", "school")]
            assert [(i.source, i.target) for i in store.interactions_of("b1")] == [
                ("A 1", "b1")]


@pytest.mark.parametrize("name", ["out.gexf", "out.graphml"])
def test_xml_exports_of_an_older_store_with_control_characters_read_back(
    tmp_path: Path, name: str
) -> None:
    """A store written before loaders cleaned values may hold them."""
    from partnermap.loaders import load_files

    batch = tiny.batch()
    batch.stakeholders.append(Stakeholder("ctl", CONTROL, K.SCHOOL, {"note": "a\x00b"}))
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with open_store(url) as store:
        store.apply(batch)
        (path,) = export_store(store, tmp_path / name, None)
    back, _ = load_files([path])
    found = {s.id: s for s in back.stakeholders}["ctl"]
    assert (found.name, found.attributes["note"]) == ("Lincoln  High", "a b")


def test_the_pages_gexf_of_control_characters_is_xml(tmp_path: Path) -> None:
    from xml.etree.ElementTree import fromstring

    from partnermap.api.app import create_app

    batch = tiny.batch()
    batch.stakeholders.append(Stakeholder("ctl", CONTROL, K.SCHOOL))
    batch.interactions.append(Interaction("ctl", "school-1", T.MEETING, date(2024, 9, 5)))
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with open_store(url) as store:
        store.apply(batch)
    with TestClient(create_app(url, Settings(auth_required=False))) as client:
        text = client.get("/network.gexf").text
    labels = [n.get("label") for n in fromstring(text).iter() if n.tag.endswith("node")]
    assert "Lincoln  High " in labels
