"""The embedded store: one SQLite file, no server, crash-safe imports.

A batch is written in one transaction, so a load killed half way leaves the
file as it was (SQLite's journal rolls the unfinished transaction back on the
next open). A dry run writes inside the transaction and rolls it back, so it
reports exactly what a real load would change.
"""

from __future__ import annotations

import copy
import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from partnermap.errors import StoreError
from partnermap.model import (
    KEY_SCHEME,
    ApplyResult,
    Direction,
    Flow,
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
    rekeyed,
    stakeholder_from_dict,
)
from partnermap.store._sqlite_access import SCHEMA as _ACCESS_SCHEMA
from partnermap.store._sqlite_access import SQLiteAccess
from partnermap.store.base import DEFAULT_NETWORK, Progress, Store, check_network

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stakeholders (
    network TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (network, id)
);
CREATE INDEX IF NOT EXISTS stakeholders_kind ON stakeholders(network, kind);
CREATE INDEX IF NOT EXISTS stakeholders_name
    ON stakeholders(network, name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS interactions (
    network TEXT NOT NULL,
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    type TEXT NOT NULL,
    date TEXT,
    school_year TEXT,
    direction TEXT NOT NULL,
    confirmed INTEGER NOT NULL,
    provenance TEXT NOT NULL DEFAULT '',
    attributes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (network, key),
    FOREIGN KEY (network, source) REFERENCES stakeholders(network, id),
    FOREIGN KEY (network, target) REFERENCES stakeholders(network, id)
);
CREATE INDEX IF NOT EXISTS interactions_source ON interactions(network, source);
CREATE INDEX IF NOT EXISTS interactions_target ON interactions(network, target);
CREATE INDEX IF NOT EXISTS interactions_date ON interactions(network, date);
"""

_MIGRATE_TO_NETWORKS = """
CREATE TABLE stakeholders_new (
    network TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}', source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (network, id)
);
INSERT INTO stakeholders_new SELECT 'main', id, name, kind, attributes, source
    FROM stakeholders;
CREATE TABLE interactions_new (
    network TEXT NOT NULL, key TEXT NOT NULL, source TEXT NOT NULL,
    target TEXT NOT NULL, type TEXT NOT NULL, date TEXT, school_year TEXT,
    direction TEXT NOT NULL, confirmed INTEGER NOT NULL,
    provenance TEXT NOT NULL DEFAULT '', attributes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (network, key),
    FOREIGN KEY (network, source) REFERENCES stakeholders(network, id),
    FOREIGN KEY (network, target) REFERENCES stakeholders(network, id)
);
INSERT INTO interactions_new SELECT 'main', key, source, target, type, date,
    school_year, direction, confirmed, provenance, attributes FROM interactions;
DROP TABLE interactions;
DROP TABLE stakeholders;
ALTER TABLE stakeholders_new RENAME TO stakeholders;
ALTER TABLE interactions_new RENAME TO interactions;
UPDATE meta SET key = 'version:main' WHERE key = 'version';
"""
"""Moves a store written before networks into network ``main``, in one
transaction (foreign keys are off while the tables are rebuilt)."""

_CHUNK = 5000


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


_TYPES = {t.value: t for t in InteractionType}
_DIRECTIONS = {d.value: d for d in Direction}


def _window(
    network: str, start: date | None, end: date | None
) -> tuple[str, tuple[str, ...]]:
    """The WHERE clause of a network's date window and its parameters;
    undated rows pass."""
    where, params = ["network = ?"], [network]
    if start is not None:
        where.append("(date IS NULL OR date >= ?)")
        params.append(start.isoformat())
    if end is not None:
        where.append("(date IS NULL OR date <= ?)")
        params.append(end.isoformat())
    return "WHERE " + " AND ".join(where), tuple(params)


class SQLiteStore(SQLiteAccess, Store):
    """A store in a single SQLite file; every row carries its network."""

    def __init__(self, path: Path, network: str = DEFAULT_NETWORK) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self.network = check_network(network)
        self._owner = True
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(
                str(self.path), check_same_thread=False, isolation_level=None
            )
            self._db.execute("PRAGMA busy_timeout = 30000")
            self._migrate()
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.executescript(_SCHEMA + _ACCESS_SCHEMA)
            self._rekey()
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open the SQLite store {self.path}: {exc}; check that the "
                "folder exists and is writable"
            ) from exc

    def _migrate(self) -> None:
        """Bring a store written before networks into network ``main``."""
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(stakeholders)")}
        if not columns or "network" in columns:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for statement in _MIGRATE_TO_NETWORKS.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            for table in ("api_keys", "audit"):
                if self._db.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                    (table,),
                ).fetchone():
                    self._db.execute(
                        f"ALTER TABLE {table} ADD COLUMN network TEXT NOT NULL "
                        "DEFAULT 'main'"
                    )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _rekey(self) -> None:
        """Give interactions stored before keys left out the file name and row
        their content keys (see :func:`partnermap.model.rekeyed`), once."""
        done = self._db.execute(
            "SELECT value FROM meta WHERE key = 'interaction_keys'"
        ).fetchone()
        if done and done[0] == KEY_SCHEME:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            rows = self._db.execute(
                "SELECT network, key, source, target, type, date, school_year, "
                "direction, confirmed, provenance, attributes FROM interactions"
            ).fetchall()
            if rows:
                fresh = rekeyed([(r[0], self._interaction(r[1:])) for r in rows])
                self._db.execute("DELETE FROM interactions")
                self._db.executemany(
                    "INSERT OR IGNORE INTO interactions(network, key, source, target, "
                    "type, date, school_year, direction, confirmed, provenance, "
                    "attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [self._row(net, item) for net, item in fresh],
                )
            self._db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('interaction_keys', ?)",
                (KEY_SCHEME,),
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def for_network(self, network: str) -> SQLiteStore:
        """This store bound to another network, on the same connection."""
        view = copy.copy(self)
        view.network = check_network(network)
        view._owner = False
        return view

    def networks(self) -> list[str]:
        """Networks holding a stakeholder or a key, sorted."""
        rows = self._query(
            "SELECT network FROM stakeholders UNION SELECT network FROM api_keys "
            "ORDER BY 1"
        )
        return [r[0] for r in rows]

    # -- writing -----------------------------------------------------------

    def apply(
        self,
        batch: ImportBatch,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
    ) -> ApplyResult:
        """Write a batch in one transaction; roll it back on error or dry run."""
        with self._lock:
            cur = self._db.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                result = self._write(cur, batch, progress)
                if result.changed:
                    self._bump(cur)
                result.version = self._version(cur)
                if dry_run:
                    cur.execute("ROLLBACK")
                    result.version = self._version(cur)
                else:
                    cur.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                # The only constraint a valid batch can break: a foreign key.
                cur.execute("ROLLBACK")
                raise StoreError(
                    "an interaction refers to a stakeholder that is not in the "
                    f"store or the batch ({exc}); load its stakeholders first"
                ) from exc
            except BaseException:
                cur.execute("ROLLBACK")
                raise
        return result

    def _write(
        self, cur: sqlite3.Cursor, batch: ImportBatch, progress: Progress | None
    ) -> ApplyResult:
        result = ApplyResult()

        # Stakeholders first: interactions reference them.
        total = len(batch.stakeholders)
        for n, person in enumerate(batch.stakeholders, 1):
            self._upsert_stakeholder(cur, person, result)
            if progress and (n % _CHUNK == 0 or n == total):
                progress("stakeholders", n, total)

        # Attribute updates merge into stakeholders that must already exist.
        for sid, attrs in batch.attribute_updates.items():
            row = cur.execute(
                "SELECT attributes FROM stakeholders WHERE network = ? AND id = ?",
                (self.network, sid),
            ).fetchone()
            if row is None:
                raise StoreError(f"attribute update for unknown stakeholder {sid!r}")
            old = json.loads(row[0])
            new = {**old, **attrs}
            if new != old:
                cur.execute(
                    "UPDATE stakeholders SET attributes = ? WHERE network = ? AND id = ?",
                    (_dumps(new), self.network, sid),
                )
                result.attributes_updated += 1

        # Interactions are immutable events keyed by their content.
        total = len(batch.interactions)
        for start in range(0, total, _CHUNK):
            rows = [self._interaction_row(i) for i in batch.interactions[start:start + _CHUNK]]
            before = self._db.total_changes
            cur.executemany(
                "INSERT OR IGNORE INTO interactions(network, key, source, target, "
                "type, date, school_year, direction, confirmed, provenance, "
                "attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            result.interactions_added += self._db.total_changes - before
            if progress:
                progress("interactions", min(start + _CHUNK, total), total)
        return result

    def _upsert_stakeholder(
        self, cur: sqlite3.Cursor, person: Stakeholder, result: ApplyResult
    ) -> None:
        row = cur.execute(
            "SELECT name, kind, attributes, source FROM stakeholders "
            "WHERE network = ? AND id = ?",
            (self.network, person.id),
        ).fetchone()
        if row is None:
            cur.execute(
                "INSERT INTO stakeholders(network, id, name, kind, attributes, source) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    self.network,
                    person.id,
                    person.name,
                    person.kind.value,
                    _dumps(person.attributes),
                    person.source,
                ),
            )
            result.stakeholders_added += 1
            return
        attrs = {**json.loads(row[2]), **person.attributes}
        # The source is where the stakeholder was first read: a renamed copy
        # of a file changes nothing.
        new = (person.name, person.kind.value, _dumps(attrs), row[3] or person.source)
        if new != (row[0], row[1], _dumps(json.loads(row[2])), row[3]):
            cur.execute(
                "UPDATE stakeholders SET name = ?, kind = ?, attributes = ?, "
                "source = ? WHERE network = ? AND id = ?",
                (*new, self.network, person.id),
            )
            result.stakeholders_updated += 1

    def _interaction_row(self, item: Interaction) -> tuple[Any, ...]:
        return self._row(self.network, item)

    @staticmethod
    def _row(network: str, item: Interaction) -> tuple[Any, ...]:
        d = item.to_dict()
        return (
            network,
            d["key"],
            d["source"],
            d["target"],
            d["type"],
            d["date"],
            d["school_year"],
            d["direction"],
            int(d["confirmed"]),
            d["provenance"],
            _dumps(d["attributes"]),
        )

    # -- reading -----------------------------------------------------------

    def _version(self, cur: sqlite3.Cursor) -> int:
        row = cur.execute(
            "SELECT value FROM meta WHERE key = ?", ("version:" + self.network,)
        ).fetchone()
        return int(row[0]) if row else 0

    def _bump(self, cur: sqlite3.Cursor) -> None:
        """Add one to this network's version (inside the caller's transaction)."""
        cur.execute(
            "INSERT INTO meta(key, value) VALUES (?, '1') ON CONFLICT(key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            ("version:" + self.network,),
        )

    def version(self) -> int:
        """The number of applied batches that changed something."""
        with self._lock:
            return self._version(self._db.cursor())

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    @staticmethod
    def _stakeholder(row: tuple[Any, ...]) -> Stakeholder:
        return stakeholder_from_dict(
            {
                "id": row[0],
                "name": row[1],
                "kind": row[2],
                "attributes": json.loads(row[3]),
                "source": row[4],
            }
        )

    @staticmethod
    def _interaction(row: tuple[Any, ...]) -> Interaction:
        return Interaction.from_dict(
            {
                "key": row[0],
                "source": row[1],
                "target": row[2],
                "type": row[3],
                "date": row[4],
                "school_year": row[5],
                "direction": row[6],
                "confirmed": bool(row[7]),
                "provenance": row[8],
                "attributes": json.loads(row[9]),
            },
            keep_key=True,
        )

    def get_stakeholder(self, stakeholder_id: str) -> Stakeholder | None:
        """One stakeholder by id, or None."""
        rows = self._query(
            "SELECT id, name, kind, attributes, source FROM stakeholders "
            "WHERE network = ? AND id = ?",
            (self.network, stakeholder_id),
        )
        return self._stakeholder(rows[0]) if rows else None

    def list_stakeholders(
        self,
        *,
        kind: StakeholderKind | None = None,
        search: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[list[Stakeholder], int]:
        """A page of stakeholders ordered by name then id, and the total count."""
        where, params = ["network = ?"], [self.network]
        if kind is not None:
            where.append("kind = ?")
            params.append(kind.value)
        if search:
            escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("name LIKE ? ESCAPE '\\' COLLATE NOCASE")
            params.append(f"%{escaped}%")
        clause = f"WHERE {' AND '.join(where)}"
        total = self._query(f"SELECT COUNT(*) FROM stakeholders {clause}", tuple(params))
        rows = self._query(
            "SELECT id, name, kind, attributes, source FROM stakeholders "
            f"{clause} ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [self._stakeholder(r) for r in rows], int(total[0][0])

    def existing_ids(self, ids: list[str]) -> set[str]:
        """The subset of ids that are stakeholders in the store."""
        found: set[str] = set()
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 500):
            part = unique[start:start + 500]
            marks = ",".join("?" * len(part))
            rows = self._query(
                f"SELECT id FROM stakeholders WHERE network = ? AND id IN ({marks})",
                (self.network, *part),
            )
            found.update(r[0] for r in rows)
        return found

    def iter_stakeholders(self) -> Iterator[Stakeholder]:
        """Every stakeholder, ordered by id."""
        rows = self._query(
            "SELECT id, name, kind, attributes, source FROM stakeholders "
            "WHERE network = ? ORDER BY id",
            (self.network,),
        )
        return (self._stakeholder(r) for r in rows)

    def iter_interactions(
        self, *, start: date | None = None, end: date | None = None
    ) -> Iterator[Interaction]:
        """Every interaction within [start, end]; undated ones always."""
        sql = (
            "SELECT key, source, target, type, date, school_year, direction, "
            "confirmed, provenance, attributes FROM interactions"
        )
        where, params = _window(self.network, start, end)
        rows = self._query(f"{sql} {where} ORDER BY key", params)
        return (self._interaction(r) for r in rows)

    def iter_flows(
        self, *, start: date | None = None, end: date | None = None
    ) -> Iterator[Flow]:
        """Interactions within [start, end] (undated ones always), aggregated
        by one GROUP BY; see :meth:`Store.iter_flows`."""
        where, params = _window(self.network, start, end)
        rows = self._query(
            "SELECT source, target, type, direction, confirmed, COUNT(*), "
            f"MIN(date), MAX(date) FROM interactions {where} "
            "GROUP BY source, target, type, direction, confirmed ORDER BY MIN(key)",
            params,
        )
        types, directions = _TYPES, _DIRECTIONS
        return (
            Flow(s, t, types[k], directions[d], bool(c), n, first, last)
            for s, t, k, d, c, n, first, last in rows
        )

    def interactions_of(self, stakeholder_id: str) -> list[Interaction]:
        """Every interaction with the stakeholder as source or target."""
        rows = self._query(
            "SELECT key, source, target, type, date, school_year, direction, "
            "confirmed, provenance, attributes FROM interactions "
            "WHERE network = ? AND (source = ? OR target = ?) ORDER BY date, key",
            (self.network, stakeholder_id, stakeholder_id),
        )
        return [self._interaction(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """Totals: stakeholders, interactions, and stakeholders per kind."""
        net = (self.network,)
        out = {
            "stakeholders": int(
                self._query("SELECT COUNT(*) FROM stakeholders WHERE network = ?", net)[0][0]
            ),
            "interactions": int(
                self._query("SELECT COUNT(*) FROM interactions WHERE network = ?", net)[0][0]
            ),
        }
        for kind, n in self._query(
            "SELECT kind, COUNT(*) FROM stakeholders WHERE network = ? "
            "GROUP BY kind ORDER BY kind",
            net,
        ):
            out[f"kind:{kind}"] = int(n)
        return out

    def ping(self) -> None:
        """Raise StoreError when the file cannot be read."""
        try:
            self._query("SELECT 1")
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite store {self.path} cannot be read: {exc}") from exc

    def close(self) -> None:
        """Close the file; a view from :meth:`for_network` leaves it open."""
        if not self._owner:
            return
        with self._lock:
            self._db.close()
