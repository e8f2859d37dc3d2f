"""Families: person pseudonyms at load, forgetting, the audit log, keys on
the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from partnermap.cli import app
from partnermap.privacy import person_label, pseudo_id
from partnermap.settings import Settings
from partnermap.store import open_store

runner = CliRunner()

PEOPLE = """id,name,kind
pta,Lincoln PTA,family_group
school,Lincoln High,school
p1,Maria Lopez,person
"""
EVENTS = """source,target,type,date
p1,pta,meeting,2024-09-01
school,pta,meeting,2024-09-02
"""


def _files(folder: Path) -> list[str]:
    (folder / "stakeholders.csv").write_text(PEOPLE, encoding="utf-8")
    (folder / "interactions.csv").write_text(EVENTS, encoding="utf-8")
    return [str(folder / "stakeholders.csv"), str(folder / "interactions.csv")]


def _load(tmp_path: Path, *extra: str, salt: str | None = "s3cret") -> tuple[Path, object]:
    db = tmp_path / "p.db"
    env = {"PARTNERMAP_PSEUDONYM_SALT": salt} if salt else {}
    res = runner.invoke(app, ["load", *_files(tmp_path), "--store", str(db), *extra], env=env)
    return db, res


def test_a_person_is_pseudonymised_at_load_and_the_name_never_stored(tmp_path: Path) -> None:
    db, res = _load(tmp_path)
    assert res.exit_code == 0, res.output
    pid = pseudo_id("s3cret", "p1")
    with open_store(str(db)) as store:
        person = store.get_stakeholder(pid)
        assert person is not None and person.name == person_label(pid)
        assert store.get_stakeholder("p1") is None
        assert {i.source for i in store.interactions_of(pid)} == {pid}
    assert b"Maria" not in db.read_bytes()


def test_loading_people_without_a_salt_is_refused(tmp_path: Path) -> None:
    _, res = _load(tmp_path, salt=None)
    assert res.exit_code == 2
    assert "PARTNERMAP_PSEUDONYM_SALT" in res.output


def test_a_coordinator_may_keep_names(tmp_path: Path) -> None:
    db, res = _load(tmp_path, "--keep-person-names")
    assert res.exit_code == 0, res.output
    with open_store(str(db)) as store:
        assert store.get_stakeholder(pseudo_id("s3cret", "p1")).name == "Maria Lopez"


def test_reloading_is_idempotent(tmp_path: Path) -> None:
    db, _ = _load(tmp_path)
    with open_store(str(db)) as store:
        version = store.version()
    _, res = _load(tmp_path)
    assert res.exit_code == 0
    with open_store(str(db)) as store:
        assert store.version() == version


def test_forget_removes_a_stakeholder_its_ties_and_keys_and_the_cache_follows(
    tmp_path: Path,
) -> None:
    from partnermap.api.app import create_app

    db, _ = _load(tmp_path)
    pid = pseudo_id("s3cret", "p1")
    res = runner.invoke(app, ["keys", "create", "--role", "partner", "--stakeholder", pid,
                              "--store", str(db)])
    assert res.exit_code == 0, res.output
    secret = res.stdout.strip().splitlines()[-1]
    with TestClient(create_app(str(db), Settings(auth_required=True))) as client:
        headers = {"X-API-Key": secret}
        assert client.get(f"/api/stakeholders/{pid}", headers=headers).status_code == 200
        res = runner.invoke(app, ["forget", pid, "--store", str(db)])
        assert res.exit_code == 0, res.output
        assert "forgot" in res.output and "1 interactions deleted, 1 key(s) revoked" in res.output
        assert client.get(f"/api/stakeholders/{pid}", headers=headers).status_code == 401
    with open_store(str(db)) as store:
        assert store.get_stakeholder(pid) is None
        assert store.interactions_of(pid) == []
        assert store.counts()["interactions"] == 1
    export = tmp_path / "out"
    assert runner.invoke(app, ["export", str(export), "--store", str(db)]).exit_code == 0
    assert pid not in (export / "stakeholders.csv").read_text(encoding="utf-8")


def test_forget_an_unknown_id_fails(tmp_path: Path) -> None:
    db, _ = _load(tmp_path)
    res = runner.invoke(app, ["forget", "nobody", "--store", str(db)])
    assert res.exit_code == 2
    assert "no stakeholder with id 'nobody'" in res.output


def test_keys_list_revoke_and_audit(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    res = runner.invoke(app, ["keys", "create", "--role", "viewer", "--store", str(db)])
    key_id = res.stdout.split()[2]
    listed = runner.invoke(app, ["keys", "list", "--store", str(db)]).stdout
    assert key_id in listed and "viewer" in listed and "pm_" not in listed
    assert runner.invoke(app, ["keys", "revoke", key_id, "--store", str(db)]).exit_code == 0
    assert "revoked" in runner.invoke(app, ["keys", "list", "--store", str(db)]).stdout
    assert runner.invoke(app, ["keys", "revoke", "k-none", "--store", str(db)]).exit_code == 2
    log = runner.invoke(app, ["audit", "--store", str(db)]).stdout
    assert "key-create" in log and "key-revoke" in log


@pytest.mark.parametrize("args", [["--role", "wizard"], ["--role", "partner"],
                                  ["--role", "viewer", "--stakeholder", "x"]])
def test_keys_create_refuses_bad_roles_and_bindings(tmp_path: Path, args: list[str]) -> None:
    res = runner.invoke(app, ["keys", "create", *args, "--store", str(tmp_path / "k.db")])
    assert res.exit_code == 2


def test_serve_refuses_a_public_address_without_keys(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    res = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--store", str(db)],
                        env={"PARTNERMAP_AUTH_REQUIRED": "true"})
    assert res.exit_code == 2
    assert "the store holds none" in res.output
    res = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--store", str(db)],
                        env={"PARTNERMAP_AUTH_REQUIRED": "false"})
    assert res.exit_code == 2
    assert "refusing to serve on 0.0.0.0 without API keys" in res.output


def test_an_id_that_only_looks_like_a_pseudonym_is_pseudonymised(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,name,kind,email\nperson-alice,Alice Smith,person,a@example.org\n",
                      encoding="utf-8")
    db = tmp_path / "p.db"
    res = runner.invoke(app, ["load", str(people), "--store", str(db)])
    assert res.exit_code == 2
    assert "PARTNERMAP_PSEUDONYM_SALT" in res.output
    res = runner.invoke(app, ["load", str(people), "--store", str(db)],
                        env={"PARTNERMAP_PSEUDONYM_SALT": "s3cret"})
    assert res.exit_code == 0, res.output
    pid = pseudo_id("s3cret", "person-alice")
    with open_store(str(db)) as store:
        assert [s.id for s in store.iter_stakeholders()] == [pid]
    assert b"Alice" not in db.read_bytes() and b"example.org" not in db.read_bytes()


@pytest.mark.parametrize(("keep", "name"), [([], None), (["--keep-person-names"], "Alice Smith")])
def test_a_pseudonym_read_back_loses_its_details(
    tmp_path: Path, keep: list[str], name: str | None
) -> None:
    """A file naming a stored pseudonym (an export read back, or an upload
    over a person) keeps the id, drops the attributes, and keeps the name
    only when a coordinator asks."""
    pid = pseudo_id("s3cret", "p1")
    people = tmp_path / "people.csv"
    people.write_text(f"id,name,kind,email\n{pid},Alice Smith,person,a@example.org\n",
                      encoding="utf-8")
    db = tmp_path / "p.db"
    res = runner.invoke(app, ["load", str(people), "--store", str(db), *keep])
    assert res.exit_code == 0, res.output
    with open_store(str(db)) as store:
        person = store.get_stakeholder(pid)
    assert person is not None
    assert (person.name, person.attributes) == (name or person_label(pid), {})


@pytest.mark.parametrize("extra", [[], ["--create-missing"]])
def test_a_later_import_finds_a_person_by_the_id_it_was_loaded_with(
    tmp_path: Path, extra: list[str]
) -> None:
    """A second file naming p1 adds to the person's pseudonym, even with
    --create-missing: no placeholder named 'p1' appears."""
    db, _ = _load(tmp_path)
    pid = pseudo_id("s3cret", "p1")
    later = tmp_path / "later.csv"
    later.write_text("source,target,type,date\np1,school,feedback,2024-10-01\n",
                     encoding="utf-8")
    res = runner.invoke(app, ["load", str(later), "--store", str(db), *extra],
                        env={"PARTNERMAP_PSEUDONYM_SALT": "s3cret"})
    assert res.exit_code == 0, res.output
    assert "placeholder" not in res.output
    with open_store(str(db)) as store:
        assert store.get_stakeholder("p1") is None
        assert sorted((i.source, i.target) for i in store.interactions_of(pid)) == [
            (pid, "pta"), (pid, "school")]
    # Under another salt the reference is unknown, as any unknown id.
    res = runner.invoke(app, ["load", str(later), "--store", str(db)],
                        env={"PARTNERMAP_PSEUDONYM_SALT": "other"})
    assert res.exit_code == 2
    assert "source 'p1' is not a known stakeholder" in res.output
    assert ("if it is a person loaded earlier under that id, set "
            "PARTNERMAP_PSEUDONYM_SALT to the salt used then") in res.output
    res = runner.invoke(app, ["load", str(later), "--store", str(db), "--create-missing"])
    assert res.exit_code == 0, res.output
    assert ("placeholder stakeholder(s) of kind 'other' for unknown references "
            "(--create-missing; create_missing=true through the API): 'p1'; if it is "
            "a person loaded earlier under that id, set PARTNERMAP_PSEUDONYM_SALT to "
            "the salt used then") in " ".join(res.output.split())


def test_whatif_names_the_pseudonym_of_a_loaded_person_id(tmp_path: Path) -> None:
    db, _ = _load(tmp_path)
    res = runner.invoke(app, ["whatif", "p1", "--store", str(db)],
                        env={"PARTNERMAP_PSEUDONYM_SALT": "s3cret"})
    assert res.exit_code == 2
    assert (f"no stakeholder with id 'p1'; the person loaded under it is stored as "
            f"{pseudo_id('s3cret', 'p1')!r}") in res.output


def test_forget_finds_a_person_by_the_id_it_was_loaded_with(tmp_path: Path) -> None:
    db, _ = _load(tmp_path)
    pid = pseudo_id("s3cret", "p1")
    res = runner.invoke(app, ["forget", "p1", "--store", str(db)])
    assert res.exit_code == 2
    assert "no stakeholder with id 'p1'" in res.output
    assert "PARTNERMAP_PSEUDONYM_SALT" in res.output
    res = runner.invoke(app, ["forget", "p1", "--store", str(db)],
                        env={"PARTNERMAP_PSEUDONYM_SALT": "s3cret"})
    assert res.exit_code == 0, res.output
    assert f"forgot {pid}: 1 interactions deleted" in res.output
    with open_store(str(db)) as store:
        assert store.get_stakeholder(pid) is None
    res = runner.invoke(app, ["forget", "p1", "--store", str(db)],
                        env={"PARTNERMAP_PSEUDONYM_SALT": "s3cret"})
    assert res.exit_code == 2
    assert "nor a person loaded under it" in res.output


def test_forget_leaves_no_mention_in_the_audit_log(tmp_path: Path) -> None:
    from partnermap.api.app import create_app

    db, _ = _load(tmp_path)
    pid = pseudo_id("s3cret", "p1")
    res = runner.invoke(app, ["keys", "create", "--role", "coordinator", "--store", str(db)])
    secret = res.stdout.strip().splitlines()[-1]
    with TestClient(create_app(str(db), Settings(auth_required=True))) as client:
        res = client.get(f"/api/stakeholders/{pid}", headers={"X-API-Key": secret})
        assert res.status_code == 200
    log = runner.invoke(app, ["audit", "--store", str(db)]).stdout
    assert f"GET /api/stakeholders/{pid}" in log
    res = runner.invoke(app, ["forget", pid, "--store", str(db)])
    assert res.exit_code == 0, res.output
    assert "1 audit line(s) no longer name it" in res.output
    log = runner.invoke(app, ["audit", "--store", str(db)]).stdout
    assert pid not in log
    assert "GET /api/stakeholders/[forgotten]" in log
    assert "forget  [forgotten]: {'stakeholders': 1" in log
