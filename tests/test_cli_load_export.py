"""The command line's import options and the export command."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from partnermap.cli import app
from partnermap.store import open_store
from tests.test_cli import dump, write_tidy

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"


def test_create_missing_adds_placeholders_and_says_so(tmp_path: Path) -> None:
    people = write_tidy(tmp_path)[0]
    events = tmp_path / "events.csv"
    events.write_text(
        "from,to,type\n00123,Book Harvest,resources_shared\n", encoding="utf-8"
    )
    url = f"sqlite:///{tmp_path / 's.db'}"
    refused = runner.invoke(app, ["load", str(people), str(events), "--store", url])
    assert refused.exit_code == 2
    assert "pass --create-missing to add a placeholder" in refused.output
    res = runner.invoke(
        app, ["load", str(people), str(events), "--store", url, "--create-missing"]
    )
    assert res.exit_code == 0, res.output
    assert "warning: created 1 placeholder stakeholder(s) of kind 'other'" in res.output
    assert "added 4 stakeholders, 1 interactions" in res.output


def test_max_size_names_the_limit(tmp_path: Path) -> None:
    people = write_tidy(tmp_path)[0]
    res = runner.invoke(
        app,
        [
            "load",
            str(people),
            "--store",
            f"sqlite:///{tmp_path / 's.db'}",
            "--max-size",
            "0.0001",
        ],
    )
    assert res.exit_code == 2
    assert (
        "over the size limit of 0.0 MB; split the file, or raise the limit with --max-size"
        in res.output
    )


def test_max_size_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = write_tidy(tmp_path)[0]
    monkeypatch.setenv("PARTNERMAP_MAX_IMPORT_MB", "0.0001")
    res = runner.invoke(
        app, ["load", str(people), "--store", f"sqlite:///{tmp_path / 's.db'}"]
    )
    assert res.exit_code == 2
    assert "over the size limit" in res.output


def test_unknown_date_format_is_refused(tmp_path: Path) -> None:
    people = write_tidy(tmp_path)[0]
    res = runner.invoke(app, ["load", str(people), "--date-format", "julian"])
    assert res.exit_code == 2
    assert "date format 'julian' is not known; use one of iso, us, dmy," in res.output


def test_review_file_is_written_then_read(tmp_path: Path) -> None:
    files = [
        DATA / "nces/seattle_district_list.csv",
        DATA / "nces/washington_schools_sample.csv",
    ]
    review = tmp_path / "review.csv"
    url = f"sqlite:///{tmp_path / 's.db'}"
    res = runner.invoke(
        app, ["load", *map(str, files), "--store", url, "--review", str(review)]
    )
    assert res.exit_code == 0, res.output
    assert "6 borderline match(es) kept apart" in res.output
    lines = review.read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "decision,score,reason,incoming_id,incoming_name,incoming_place,known_id,"
        "known_name,known_place"
    )
    assert len(lines) == 1 + 9


@pytest.mark.parametrize(
    "target", ["out", "out.xlsx", "out.gexf", "out.graphml", "out.json"]
)
def test_export_then_load_into_an_empty_store(tmp_path: Path, target: str) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    files = write_tidy(tmp_path)
    assert (
        runner.invoke(
            app, ["load", *map(str, files), "--store", f"sqlite:///{first}"]
        ).exit_code
        == 0
    )
    res = runner.invoke(
        app, ["export", str(tmp_path / target), "--store", f"sqlite:///{first}"]
    )
    assert res.exit_code == 0, res.output
    assert res.output.startswith("exported 3 stakeholders and 2 interactions to ")
    written = res.output.split(" to ", 1)[1].strip().split(", ")
    back = runner.invoke(app, ["load", *written, "--store", f"sqlite:///{second}"])
    assert back.exit_code == 0, back.output
    assert dump(second) == dump(first)


def test_export_to_an_unknown_suffix_is_refused(tmp_path: Path) -> None:
    open_store(f"sqlite:///{tmp_path / 's.db'}").close()
    res = runner.invoke(
        app,
        [
            "export",
            str(tmp_path / "out.pdf"),
            "--store",
            f"sqlite:///{tmp_path / 's.db'}",
        ],
    )
    assert res.exit_code == 2
    assert "cannot tell the export format from 'out.pdf'" in res.output
