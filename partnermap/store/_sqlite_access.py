"""API keys, deletions and the audit log of the SQLite store.

Kept apart from :mod:`partnermap.store.sqlite` so that the system of record's
import path reads on its own; :class:`SQLiteStore` mixes this in. Every query
takes its values as parameters, never as text built into the SQL.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from partnermap.access import ApiKey, Role
from partnermap.errors import NotFoundError

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    stakeholder TEXT,
    created TEXT NOT NULL,
    revoked TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    what TEXT NOT NULL
);
"""

_KEY_COLUMNS = "id, role, key_hash, created, stakeholder, revoked"


class SQLiteAccess:
    """Keys, forgetting and audit on the store's one connection and lock."""

    _db: sqlite3.Connection
    _lock: threading.Lock

    _query: Callable[..., list[tuple[Any, ...]]]  # SQLiteStore's locked query

    @staticmethod
    def _key(row: tuple[Any, ...]) -> ApiKey:
        return ApiKey(row[0], Role(row[1]), row[2], row[3], row[4], row[5])

    def add_api_key(self, key: ApiKey) -> None:
        """Keep a new key (its hash only)."""
        with self._lock:
            self._db.execute(
                f"INSERT INTO api_keys({_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (key.id, key.role.value, key.key_hash, key.created, key.stakeholder,
                 key.revoked),
            )

    def api_keys(self) -> list[ApiKey]:
        """Every key, revoked ones included, oldest first."""
        rows = self._query(f"SELECT {_KEY_COLUMNS} FROM api_keys ORDER BY created, id")
        return [self._key(r) for r in rows]

    def find_api_key(self, key_hash: str) -> ApiKey | None:
        """The key with this hash, revoked or not, or None."""
        rows = self._query(
            f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE key_hash = ?", (key_hash,)
        )
        return self._key(rows[0]) if rows else None

    def revoke_api_key(self, key_id: str, when: str) -> bool:
        """Revoke a key; False when no key has that id."""
        with self._lock:
            cur = self._db.execute(
                "UPDATE api_keys SET revoked = COALESCE(revoked, ?) WHERE id = ?",
                (when, key_id),
            )
            return cur.rowcount > 0

    def forget(self, stakeholder_id: str) -> dict[str, int]:
        """Delete a stakeholder and its interactions, revoke keys bound to it,
        in one transaction that bumps the version."""
        with self._lock:
            cur = self._db.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                found = self._forget(cur, stakeholder_id)
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
        return found

    @staticmethod
    def _forget(cur: sqlite3.Cursor, sid: str) -> dict[str, int]:
        if cur.execute("SELECT 1 FROM stakeholders WHERE id = ?", (sid,)).fetchone() is None:
            raise NotFoundError(f"no stakeholder with id {sid!r}")
        interactions = cur.execute(
            "DELETE FROM interactions WHERE source = ? OR target = ?", (sid, sid)
        ).rowcount
        cur.execute("DELETE FROM stakeholders WHERE id = ?", (sid,))
        keys = cur.execute(
            "UPDATE api_keys SET revoked = COALESCE(revoked, datetime('now')), "
            "stakeholder = NULL WHERE stakeholder = ?",
            (sid,),
        ).rowcount
        cur.execute(
            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'"
        )
        return {"stakeholders": 1, "interactions": interactions, "keys_revoked": keys}

    def audit(self, who: str, action: str, what: str, when: str) -> None:
        """Append one line to the audit log."""
        with self._lock:
            self._db.execute(
                "INSERT INTO audit(at, who, action, what) VALUES (?, ?, ?, ?)",
                (when, who, action, what),
            )

    def audit_log(self, *, offset: int = 0, limit: int = 100) -> list[dict[str, str]]:
        """Audit lines, newest first."""
        rows = self._query(
            "SELECT at, who, action, what FROM audit ORDER BY n DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [{"at": r[0], "who": r[1], "action": r[2], "what": r[3]} for r in rows]
