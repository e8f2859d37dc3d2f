"""The command line: load, dry run, bad input, idempotency, a killed import."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from partnermap.cli import app
from partnermap.store import open_store

runner = CliRunner()

STAKEHOLDERS = """id,name,kind,borough
00123,Lincoln High,school,Bronx
pta,Lincoln PTA,family_group,Bronx
rp,Reading Partners,nonprofit,
"""
INTERACTIONS = """source,target,type,date
00123,pta,meeting,2024-09-01
00123,rp,information_sent,2024-09-02
"""


def write_tidy(folder: Path) -> list[Path]:
    people = folder / "stakeholders.csv"
    people.write_text(STAKEHOLDERS, encoding="utf-8")
    events = folder / "interactions.csv"
    events.write_text(INTERACTIONS, encoding="utf-8")
    return [people, events]


def dump(db: Path) -> list[tuple[object, ...]]:
    """Every row of every table: two equal dumps mean an unchanged store."""
    with sqlite3.connect(db) as con:
        rows: list[tuple[object, ...]] = []
        for table in ("meta", "stakeholders", "interactions"):
            rows += con.execute(f"SELECT '{table}', * FROM {table} ORDER BY 2").fetchall()
        return rows


def test_load_then_load_again_changes_nothing(tmp_path: Path) -> None:
    files = write_tidy(tmp_path)
    url = f"sqlite:///{tmp_path / 's.db'}"
    first = runner.invoke(app, ["load", *map(str, files), "--store", url])
    assert first.exit_code == 0, first.output
    assert "added 3 stakeholders, 2 interactions" in first.output
    before = dump(tmp_path / "s.db")
    again = runner.invoke(app, ["load", *map(str, files), "--store", url])
    assert again.exit_code == 0
    assert "added 0 stakeholders, 0 interactions" in again.output
    assert dump(tmp_path / "s.db") == before
    with open_store(url) as store:
        assert store.version() == 1
        assert store.get_stakeholder("00123").attributes == {"borough": "Bronx"}


def test_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    files = write_tidy(tmp_path)
    url = f"sqlite:///{tmp_path / 's.db'}"
    res = runner.invoke(app, ["load", *map(str, files), "--store", url, "--dry-run"])
    assert res.exit_code == 0
    assert "dry run: would add 3 stakeholders, 2 interactions" in res.output
    with open_store(url) as store:
        assert store.counts()["stakeholders"] == 0
        assert store.version() == 0


def test_store_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = write_tidy(tmp_path)
    monkeypatch.setenv("PARTNERMAP_STORE", f"sqlite:///{tmp_path / 'env.db'}")
    assert runner.invoke(app, ["load", *map(str, files)]).exit_code == 0
    assert (tmp_path / "env.db").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "missing.csv",
            None,
            "missing.csv: file not found at",
        ),
        (
            "network.doc",
            "PK",
            ("network.doc: unknown format (suffix '.doc'); partnermap reads .csv, .tsv, "
            ".txt, .xlsx, .json, .gexf and .graphml files; export the sheet as CSV or XLSX"),
        ),
        (
            "network.xlsx",
            "PK",
            ("network.xlsx: is not a readable XLSX workbook (not a zip file); open it in "
            "Excel or LibreOffice and save it as .xlsx"),
        ),
        (
            "people.csv",
            "name,colour\nLincoln,blue\n",
            ("people.csv row 1: looks like a stakeholders table but lacks column(s): "
            "kind; a stakeholders table needs name and kind (id is optional)"),
        ),
        (
            "colours.csv",
            "shade,colour\nLincoln,blue\n",
            ("colours.csv row 1: unknown format: the header matches none of the known "
            "layouts"),
        ),
        (
            "events.csv",
            "source,target,type\n00123,nobody,meeting\n",
            ("events.csv row 2 column 'target': target 'nobody' is not a known "
            "stakeholder; load its stakeholders table in the same import or first"),
        ),
    ],
)
def test_bad_input_is_refused_with_one_clear_line(
    tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    files = write_tidy(tmp_path)
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert runner.invoke(app, ["load", str(files[0]), "--store", url]).exit_code == 0
    before = dump(tmp_path / "s.db")
    bad = tmp_path / name
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    res = runner.invoke(app, ["load", str(bad), "--store", url])
    assert res.exit_code == 2
    assert "import refused, nothing was written" in res.output
    assert message in res.output
    assert dump(tmp_path / "s.db") == before


def test_every_problem_is_listed_not_only_the_first(tmp_path: Path) -> None:
    bad = tmp_path / "people.csv"
    bad.write_text("name,kind\nA,school\n,school\nB,spaceship\n", encoding="utf-8")
    res = runner.invoke(app, ["load", str(bad), "--store", f"sqlite:///{tmp_path / 's.db'}"])
    assert res.exit_code == 2
    assert "(2 problem(s))" in res.output
    assert "people.csv row 3 column 'name': name is empty" in res.output
    assert "people.csv row 4 column 'kind': kind 'spaceship' is not known" in res.output


def test_analyze_json_matches_the_findings(tmp_path: Path) -> None:
    files = write_tidy(tmp_path)
    url = f"sqlite:///{tmp_path / 's.db'}"
    runner.invoke(app, ["load", *map(str, files), "--store", url])
    res = runner.invoke(app, ["analyze", "--store", url, "--json"])
    assert res.exit_code == 0
    body = json.loads(res.output)
    assert body["one_way"]["totals"]["one_way"] == 1
    assert body["one_way"]["relationships"][0]["direction"] == "Lincoln High → Reading Partners"
    assert body["isolated_groups"]["totals"]["groups"] == 0
    text = runner.invoke(app, ["analyze", "--store", url]).output
    assert "One-way relationships: 1 of 3 directed ties" in text
    assert "  Lincoln High → Reading Partners: information_sent 1" in text


def test_analyze_rejects_a_bad_school_year(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["analyze", "--store", f"sqlite:///{tmp_path / 's.db'}", "--school-year", "2014"]
    )
    assert res.exit_code == 2
    assert "school year '2014' is not of the form 2014-15" in res.output


def test_analyze_rejects_a_start_after_the_end(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["analyze", "--store", f"sqlite:///{tmp_path / 's.db'}",
              "--start", "2024-09-01", "--end", "2024-06-30"]
    )
    assert res.exit_code == 2
    assert "--start 2024-09-01 is after --end 2024-06-30" in res.output


def test_killed_import_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    # A store with the tidy example, then a big import killed half way through
    # its write: the file must hold exactly what it held before.
    files = write_tidy(tmp_path)
    db = tmp_path / "s.db"
    url = f"sqlite:///{db}"
    assert runner.invoke(app, ["load", *map(str, files), "--store", url]).exit_code == 0
    before = dump(db)
    big = tmp_path / "many.csv"
    with big.open("w", encoding="utf-8") as out:
        out.write("source,target,type,date\n")
        for n in range(200_000):
            out.write(f"00123,rp,information_sent,2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "partnermap.cli", "load", str(big), "--store", url],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "writing interactions: 50,000/200,000" in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert dump(db) == before


def test_read_commands_refuse_a_store_that_is_not_there(tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    for command in (["analyze"], ["whatif", "x"], ["changes", "2014-15", "2016-17"]):
        res = runner.invoke(app, [*command, "--store", f"sqlite:///{typo}"])
        assert res.exit_code == 2
        assert f"no store at {typo}; load data first" in res.output
    assert not typo.exists()


def test_report_path_is_checked_before_anything_is_written(tmp_path: Path) -> None:
    files = write_tidy(tmp_path)
    db = tmp_path / "s.db"
    res = runner.invoke(
        app,
        ["load", *map(str, files), "--store", f"sqlite:///{db}", "--report", str(tmp_path / "no" / "r.txt")],
    )
    assert res.exit_code == 2
    assert "does not exist; create it first" in res.output
    assert not db.exists()


def test_a_long_list_of_problems_is_cut_short(tmp_path: Path) -> None:
    bad = tmp_path / "events.csv"
    bad.write_text("source,target,type\n" + "".join(f"x{i},y{i},meeting\n" for i in range(100)))
    res = runner.invoke(app, ["load", str(bad), "--store", f"sqlite:///{tmp_path / 's.db'}"])
    assert res.exit_code == 2
    assert "(200 problem(s))" in res.output
    assert "  … and 150 more; fix these first and load again" in res.output
    assert len(res.output.splitlines()) == 52


def test_serve_refuses_a_port_out_of_range(tmp_path: Path) -> None:
    res = runner.invoke(app, ["serve", "--port", "99999", "--store", f"sqlite:///{tmp_path / 's.db'}"])
    assert res.exit_code == 2
    assert "port 99999 is not between 1 and 65535" in res.output


def test_serve_refuses_a_busy_port(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = runner.invoke(app, ["serve", "--port", str(port), "--store", f"sqlite:///{tmp_path / 's.db'}"])
    assert res.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in res.output
    assert "choose another with --port" in res.output


def test_a_bad_setting_is_named_without_a_traceback(tmp_path: Path) -> None:
    files = write_tidy(tmp_path)
    res = subprocess.run(
        [sys.executable, "-m", "partnermap.cli", "load", *map(str, files), "--store", f"sqlite:///{tmp_path / 's.db'}"],
        capture_output=True,
        text=True,
        env={**os.environ, "PARTNERMAP_MAX_IMPORT_MB": "abc"},
    )
    assert res.returncode == 2
    assert res.stderr.startswith("error: setting PARTNERMAP_MAX_IMPORT_MB:")
    assert "Traceback" not in res.stderr


def test_one_id_for_two_stakeholders_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "people.csv"
    bad.write_text("id,name,kind\nd1,Alpha School,school\nd1,Beta Org,business\n")
    res = runner.invoke(app, ["load", str(bad), "--store", f"sqlite:///{tmp_path / 's.db'}"])
    assert res.exit_code == 2
    assert (
        "people.csv row 3 column 'id': id 'd1' is used again, for 'Beta Org' "
        "(business); people.csv row 2 gave it to 'Alpha School' (school)"
    ) in res.output


def test_analyze_prints_a_single_section(tmp_path: Path) -> None:
    files = write_tidy(tmp_path)
    url = f"sqlite:///{tmp_path / 's.db'}"
    runner.invoke(app, ["load", *map(str, files), "--store", url])
    res = runner.invoke(app, ["analyze", "--store", url, "--section", "isolated_groups"])
    assert res.exit_code == 0
    assert res.output.splitlines() == [
        "Findings for all time",
        "",
        "Isolated groups: 0 groups holding 0 stakeholders outside the main network of 3",
        "",
        "Isolated stakeholders (no interaction at all): 0",
    ]


def test_reference_and_type_problems_are_listed_together(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,name,kind\na,A,school\n")
    events = tmp_path / "events.csv"
    events.write_text("source,target,type\na,nobody here,meeting\na,a,hugging\n")
    res = runner.invoke(app, ["load", str(people), str(events), "--store", f"sqlite:///{tmp_path / 's.db'}"])
    assert res.exit_code == 2
    assert "(2 problem(s))" in res.output
    assert "events.csv row 3 column 'type': type 'hugging' is not known" in res.output
    assert "events.csv row 2 column 'target': target 'nobody here' is not a known" in res.output


def test_networks_keep_their_own_loads_keys_and_findings(tmp_path: Path) -> None:
    files = write_tidy(tmp_path)
    url = f"sqlite:///{tmp_path / 'two.db'}"
    south = tmp_path / "south.csv"
    south.write_text("source,target,type,date\nqt,ss,meeting,2024-09-01\n", encoding="utf-8")
    north = runner.invoke(app, ["load", *map(str, files), "--store", url, "--network", "north"])
    assert north.exit_code == 0, north.output
    other = runner.invoke(app, ["load", str(south), "--store", url, "--network", "south",
                                "--create-missing"])
    assert other.exit_code == 0, other.output

    listed = runner.invoke(app, ["networks", "--store", url, "--json"])
    assert json.loads(listed.output) == [
        {"network": "north", "stakeholders": 3, "interactions": 2, "keys": 0},
        {"network": "south", "stakeholders": 2, "interactions": 1, "keys": 0},
    ]
    key = runner.invoke(app, ["keys", "create", "--role", "partner", "--stakeholder", "qt",
                              "--store", url, "--network", "south"])
    assert key.exit_code == 0, key.output
    assert "(partner, network south, stakeholder qt)" in key.output
    wrong = runner.invoke(app, ["keys", "create", "--role", "partner", "--stakeholder", "qt",
                                "--store", url, "--network", "north"])
    assert wrong.exit_code == 2 and "no stakeholder with id 'qt'" in wrong.output
    keys = runner.invoke(app, ["keys", "list", "--store", url, "--network", "north", "--json"])
    assert json.loads(keys.output) == []
    found = runner.invoke(app, ["analyze", "--store", url, "--network", "south", "--json"])
    assert found.exit_code == 0, found.output
    assert json.loads(found.output)["isolated_groups"]["totals"]["main_component_size"] == 2
    bad = runner.invoke(app, ["analyze", "--store", url, "--network", "South!"])
    assert bad.exit_code == 2 and "network name 'South!' is not allowed" in bad.output


def test_a_mistyped_network_is_refused_not_read_as_empty(tmp_path: Path) -> None:
    files = write_tidy(tmp_path)
    url = f"sqlite:///{tmp_path / 'typo.db'}"
    assert runner.invoke(app, ["load", *map(str, files), "--store", url,
                               "--network", "alpha"]).exit_code == 0
    said = ("error: the store holds no network 'alpah' (it holds: alpha); check "
            "--network or PARTNERMAP_NETWORK, or load data into it first")
    for command in (["analyze"], ["export", str(tmp_path / "out.json")], ["audit"],
                    ["keys", "list"], ["forget", "pta"], ["whatif", "pta"],
                    ["changes", "2023", "2024"]):
        res = runner.invoke(app, [*command, "--store", url, "--network", "alpah"])
        assert (res.exit_code, res.output.strip()) == (2, said), command
    key = runner.invoke(app, ["keys", "create", "--role", "viewer", "--store", url,
                              "--network", "beta"])
    assert key.exit_code == 0
    assert ("warning: the store holds no network 'beta' (it holds: alpha); check "
            "--network or PARTNERMAP_NETWORK, or load data into it first; the key "
            "sees nothing until then") in key.output
    empty = runner.invoke(app, ["analyze", "--store", url, "--network", ""])
    assert empty.exit_code == 2 and "network name '' is not allowed" in empty.output
    listed = runner.invoke(app, ["networks", "--store", url, "--json"],
                           env={"PARTNERMAP_NETWORK": "Bad"})
    assert listed.exit_code == 0, listed.output
    assert [n["network"] for n in json.loads(listed.output)] == ["alpha", "beta"]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_demo_removes_its_temporary_store_when_stopped(tmp_path: Path, stop: int) -> None:
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "partnermap.cli", "demo", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp_path)},
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    folder = Path(first.split("sqlite:///", 1)[1].strip()).parent
    assert folder.parent == tmp_path and folder.name.startswith("partnermap-demo-")
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health") as res:
                if res.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.5)
    assert (folder / "demo.db").exists()
    proc.send_signal(stop)
    proc.wait(timeout=60)
    assert not folder.exists()


def test_analyze_dormancy_at_the_ends_of_the_calendar(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    runner.invoke(app, ["load", *map(str, write_tidy(tmp_path)), "--store", url])
    base = ["analyze", "--store", url, "--section", "dormant"]
    res = runner.invoke(app, [*base, "--json", "--as-of", "0001-01-01"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["dormant"]["totals"] == {"ties": 2, "dormant": 0, "undated": 0}
    res = runner.invoke(app, [*base, "--dormant-days", "99999999999"])
    assert res.exit_code == 2
    assert "must be between 0 and 36500" in " ".join(res.output.split())


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("lincoln high", "; 'Lincoln High' has id '00123'"),
        ("Lincoln", "; 'Lincoln High' has id '00123'; 'Lincoln PTA' has id 'pta'"),
        ("Lincon", ""),
        (" 00123 ", "; 'Lincoln High' has id '00123'"),
        ("PTA", "; 'Lincoln PTA' has id 'pta'"),
    ],
)
def test_whatif_and_keys_name_the_id_of_a_name(tmp_path: Path, given: str, hint: str) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert runner.invoke(app, ["load", *map(str, write_tidy(tmp_path)), "--store", url]
                         ).exit_code == 0
    for command in (["whatif", given], ["keys", "create", "--role", "partner",
                                        "--stakeholder", given]):
        res = runner.invoke(app, [*command, "--store", url])
        assert res.exit_code == 2
        assert f"error: no stakeholder with id {given!r}{hint}\n" in res.output


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b'[[rule]]\nname = "x"\n', "rules.toml: no [[rules]] tables; see docs/findings.md"),
        (b"not toml [[[", "rules.toml: not valid TOML"),
        (b"\xff\xfe[", "--rules"),
    ],
)
def test_analyze_refuses_a_bad_rules_file_by_name(tmp_path: Path, body: bytes, said: str) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert runner.invoke(app, ["load", *map(str, write_tidy(tmp_path)), "--store", url]
                         ).exit_code == 0
    rules = tmp_path / "rules.toml"
    rules.write_bytes(body)
    res = runner.invoke(app, ["analyze", "--store", url, "--rules", str(rules)],
                        env={"COLUMNS": "1000"})
    assert res.exit_code == 2
    assert said in res.output
    assert "rules.toml" in res.output


def test_changes_refuses_periods_in_reverse_order(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert runner.invoke(app, ["load", *map(str, write_tidy(tmp_path)), "--store", url]
                         ).exit_code == 0
    res = runner.invoke(app, ["changes", "2016-17", "2014-15", "--store", url],
                        env={"COLUMNS": "1000"})
    assert res.exit_code == 2
    assert "period '2016-17' starts after '2014-15'; give the earlier period first" in res.output
