"""The embedded store: one SQLite file, no server, crash-safe imports.

A batch is written in one transaction, so a load killed half way leaves the
file as it was (SQLite's journal rolls the unfinished transaction back on the
next open). A dry run writes inside the transaction and rolls it back, so it
reports exactly what a real load would change.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from partnermap.errors import StoreError
from partnermap.model import (
    ApplyResult,
    Direction,
    Flow,
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
    stakeholder_from_dict,
)
from partnermap.store._sqlite_access import SCHEMA as _ACCESS_SCHEMA
from partnermap.store._sqlite_access import SQLiteAccess
from partnermap.store.base import Progress, Store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stakeholders (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS stakeholders_kind ON stakeholders(kind);
CREATE INDEX IF NOT EXISTS stakeholders_name ON stakeholders(name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS interactions (
    key TEXT PRIMARY KEY,
    source TEXT NOT NULL REFERENCES stakeholders(id),
    target TEXT NOT NULL REFERENCES stakeholders(id),
    type TEXT NOT NULL,
    date TEXT,
    school_year TEXT,
    direction TEXT NOT NULL,
    confirmed INTEGER NOT NULL,
    provenance TEXT NOT NULL DEFAULT '',
    attributes TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS interactions_source ON interactions(source);
CREATE INDEX IF NOT EXISTS interactions_target ON interactions(target);
CREATE INDEX IF NOT EXISTS interactions_date ON interactions(date);
INSERT OR IGNORE INTO meta(key, value) VALUES ('version', '0');
"""

_CHUNK = 5000


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


_TYPES = {t.value: t for t in InteractionType}
_DIRECTIONS = {d.value: d for d in Direction}


def _window(start: date | None, end: date | None) -> tuple[str, tuple[str, ...]]:
    """The WHERE clause of a date window and its parameters; undated rows pass."""
    where, params = [], []
    if start is not None:
        where.append("(date IS NULL OR date >= ?)")
        params.append(start.isoformat())
    if end is not None:
        where.append("(date IS NULL OR date <= ?)")
        params.append(end.isoformat())
    return ("WHERE " + " AND ".join(where) if where else ""), tuple(params)


class SQLiteStore(SQLiteAccess, Store):
    """A store in a single SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(
                str(self.path), check_same_thread=False, isolation_level=None
            )
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 30000")
            self._db.executescript(_SCHEMA + _ACCESS_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open the SQLite store {self.path}: {exc}; check that the "
                "folder exists and is writable"
            ) from exc

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
                    cur.execute(
                        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                        "WHERE key = 'version'"
                    )
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
                "SELECT attributes FROM stakeholders WHERE id = ?", (sid,)
            ).fetchone()
            if row is None:
                raise StoreError(f"attribute update for unknown stakeholder {sid!r}")
            old = json.loads(row[0])
            new = {**old, **attrs}
            if new != old:
                cur.execute(
                    "UPDATE stakeholders SET attributes = ? WHERE id = ?",
                    (_dumps(new), sid),
                )
                result.attributes_updated += 1

        # Interactions are immutable events keyed by their content.
        total = len(batch.interactions)
        for start in range(0, total, _CHUNK):
            rows = [self._interaction_row(i) for i in batch.interactions[start:start + _CHUNK]]
            before = self._db.total_changes
            cur.executemany(
                "INSERT OR IGNORE INTO interactions(key, source, target, type, date, "
                "school_year, direction, confirmed, provenance, attributes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            "SELECT name, kind, attributes, source FROM stakeholders WHERE id = ?",
            (person.id,),
        ).fetchone()
        if row is None:
            cur.execute(
                "INSERT INTO stakeholders(id, name, kind, attributes, source) "
                "VALUES (?, ?, ?, ?, ?)",
                (
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
        new = (person.name, person.kind.value, _dumps(attrs), person.source or row[3])
        if new != (row[0], row[1], _dumps(json.loads(row[2])), row[3]):
            cur.execute(
                "UPDATE stakeholders SET name = ?, kind = ?, attributes = ?, "
                "source = ? WHERE id = ?",
                (*new, person.id),
            )
            result.stakeholders_updated += 1

    @staticmethod
    def _interaction_row(item: Interaction) -> tuple[Any, ...]:
        d = item.to_dict()
        return (
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

    @staticmethod
    def _version(cur: sqlite3.Cursor) -> int:
        return int(cur.execute("SELECT value FROM meta WHERE key='version'").fetchone()[0])

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
                "source": row[1],
                "target": row[2],
                "type": row[3],
                "date": row[4],
                "school_year": row[5],
                "direction": row[6],
                "confirmed": bool(row[7]),
                "provenance": row[8],
                "attributes": json.loads(row[9]),
            }
        )

    def get_stakeholder(self, stakeholder_id: str) -> Stakeholder | None:
        """One stakeholder by id, or None."""
        rows = self._query(
            "SELECT id, name, kind, attributes, source FROM stakeholders WHERE id = ?",
            (stakeholder_id,),
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
        where, params = [], []
        if kind is not None:
            where.append("kind = ?")
            params.append(kind.value)
        if search:
            escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("name LIKE ? ESCAPE '\\' COLLATE NOCASE")
            params.append(f"%{escaped}%")
        clause = f"WHERE {' AND '.join(where)}" if where else ""
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
                f"SELECT id FROM stakeholders WHERE id IN ({marks})", tuple(part)
            )
            found.update(r[0] for r in rows)
        return found

    def iter_stakeholders(self) -> Iterator[Stakeholder]:
        """Every stakeholder, ordered by id."""
        rows = self._query(
            "SELECT id, name, kind, attributes, source FROM stakeholders ORDER BY id"
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
        where, params = _window(start, end)
        rows = self._query(f"{sql} {where} ORDER BY key", params)
        return (self._interaction(r) for r in rows)

    def iter_flows(
        self, *, start: date | None = None, end: date | None = None
    ) -> Iterator[Flow]:
        """Interactions within [start, end] (undated ones always), aggregated
        by one GROUP BY; see :meth:`Store.iter_flows`."""
        where, params = _window(start, end)
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
            "WHERE source = ? OR target = ? ORDER BY date, key",
            (stakeholder_id, stakeholder_id),
        )
        return [self._interaction(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """Totals: stakeholders, interactions, and stakeholders per kind."""
        out = {
            "stakeholders": int(self._query("SELECT COUNT(*) FROM stakeholders")[0][0]),
            "interactions": int(self._query("SELECT COUNT(*) FROM interactions")[0][0]),
        }
        for kind, n in self._query(
            "SELECT kind, COUNT(*) FROM stakeholders GROUP BY kind ORDER BY kind"
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
        """Close the file."""
        with self._lock:
            self._db.close()
