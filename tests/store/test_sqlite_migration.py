"""A SQLite store written before networks opens with its data in network main."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from partnermap.store.sqlite import SQLiteStore

# The layout of a store file written by partnermap before networks existed.
OLD_LAYOUT = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE stakeholders (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}', source TEXT NOT NULL DEFAULT '');
CREATE INDEX stakeholders_kind ON stakeholders(kind);
CREATE INDEX stakeholders_name ON stakeholders(name COLLATE NOCASE);
CREATE TABLE interactions (
    key TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES stakeholders(id),
    target TEXT NOT NULL REFERENCES stakeholders(id), type TEXT NOT NULL,
    date TEXT, school_year TEXT, direction TEXT NOT NULL, confirmed INTEGER NOT NULL,
    provenance TEXT NOT NULL DEFAULT '', attributes TEXT NOT NULL DEFAULT '{}');
CREATE INDEX interactions_source ON interactions(source);
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY, role TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
    stakeholder TEXT, created TEXT NOT NULL, revoked TEXT);
CREATE TABLE audit (
    n INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL,
    action TEXT NOT NULL, what TEXT NOT NULL);
INSERT INTO meta VALUES ('version', '3');
INSERT INTO stakeholders VALUES ('s1', 'Lincoln High', 'school', '{}', 'a.csv row 2');
INSERT INTO stakeholders VALUES ('o1', 'Bronx Arts', 'cultural_organization', '{}', '');
INSERT INTO interactions VALUES ('k1', 'o1', 's1', 'meeting', '2016-03-01', '2015-16',
    'both', 1, 'a.csv row 3', '{}');
INSERT INTO api_keys VALUES ('k-1', 'viewer', 'abc', NULL, '2026-01-01T00:00:00+00:00', NULL);
INSERT INTO audit(at, who, action, what) VALUES ('2026-01-01', 'local', 'import', 'a.csv');
"""


def test_an_old_store_moves_into_network_main(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_LAYOUT)

    store = SQLiteStore(path)

    assert store.version() == 3
    assert store.counts() == {"stakeholders": 2, "interactions": 1,
                              "kind:cultural_organization": 1, "kind:school": 1}
    assert [(i.source, i.target, str(i.date)) for i in store.iter_interactions()] == [
        ("o1", "s1", "2016-03-01")
    ]
    key = store.find_api_key("abc")
    assert key is not None and (key.id, key.network) == ("k-1", "main")
    assert [a["what"] for a in store.audit_log()] == ["a.csv"]
    assert store.networks() == ["main"]
    other = store.for_network("south")
    assert (other.version(), other.counts()["stakeholders"]) == (0, 0)
    store.close()

    reopened = SQLiteStore(path)  # a second open finds nothing left to move
    assert reopened.version() == 3 and reopened.counts()["interactions"] == 1
    reopened.close()


def test_old_keys_become_content_keys(tmp_path: Path) -> None:
    from datetime import date

    from partnermap.model import Interaction, InteractionType

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_LAYOUT)
        # The same meeting again in another file, and twice more in a third.
        for key, prov in [("k2", "b.csv row 7"), ("k3", "c.csv row 2"), ("k4", "c.csv row 9")]:
            db.execute(
                "INSERT INTO interactions VALUES (?, 'o1', 's1', 'meeting', '2016-03-01', "
                "'2015-16', 'both', 1, ?, '{}')",
                (key, prov),
            )

    store = SQLiteStore(path)

    content = Interaction("o1", "s1", InteractionType.MEETING, date(2016, 3, 1), "2015-16")
    second = Interaction("o1", "s1", InteractionType.MEETING, date(2016, 3, 1), "2015-16",
                         occurrence=1)
    found = sorted((i.key, i.provenance) for i in store.iter_interactions())
    # a.csv and b.csv each hold it once, so they are one event; c.csv holds two.
    assert found == sorted([(content.key, "a.csv row 3"), (second.key, "c.csv row 9")])
    store.close()
