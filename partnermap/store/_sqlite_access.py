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
from partnermap.errors import NotFoundError, StoreError
from partnermap.store.base import id_forms, redact

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    network TEXT NOT NULL DEFAULT 'main',
    role TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    stakeholder TEXT,
    created TEXT NOT NULL,
    revoked TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    network TEXT NOT NULL DEFAULT 'main',
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    what TEXT NOT NULL
);
"""

_KEY_COLUMNS = "id, role, key_hash, created, stakeholder, revoked, network"


class SQLiteAccess:
    """Keys, forgetting and audit on the store's one connection and lock."""

    _db: sqlite3.Connection
    _lock: threading.Lock
    network: str

    _query: Callable[..., list[tuple[Any, ...]]]  # SQLiteStore's locked query
    _bump: Callable[[sqlite3.Cursor], None]  # SQLiteStore's version bump

    @staticmethod
    def _key(row: tuple[Any, ...]) -> ApiKey:
        return ApiKey(row[0], Role(row[1]), row[2], row[3], row[4], row[5], row[6])

    def add_api_key(self, key: ApiKey) -> None:
        """Keep a new key of this network (its hash only)."""
        if key.network != self.network:
            raise StoreError(
                f"key {key.id} belongs to network {key.network!r}, not to this "
                f"store's network {self.network!r}"
            )
        with self._lock:
            self._db.execute(
                f"INSERT INTO api_keys({_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key.id, key.role.value, key.key_hash, key.created, key.stakeholder,
                 key.revoked, key.network),
            )

    def api_keys(self) -> list[ApiKey]:
        """Every key of this network, revoked ones included, oldest first."""
        rows = self._query(
            f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE network = ? ORDER BY created, id",
            (self.network,),
        )
        return [self._key(r) for r in rows]

    def find_api_key(self, key_hash: str) -> ApiKey | None:
        """The key with this hash in any network, revoked or not, or None."""
        rows = self._query(
            f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE key_hash = ?", (key_hash,)
        )
        return self._key(rows[0]) if rows else None

    def revoke_api_key(self, key_id: str, when: str) -> bool:
        """Revoke a key of this network; False when none has that id."""
        with self._lock:
            cur = self._db.execute(
                "UPDATE api_keys SET revoked = COALESCE(revoked, ?) "
                "WHERE id = ? AND network = ?",
                (when, key_id, self.network),
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

    def _forget(self, cur: sqlite3.Cursor, sid: str) -> dict[str, int]:
        net = self.network
        if cur.execute(
            "SELECT 1 FROM stakeholders WHERE network = ? AND id = ?", (net, sid)
        ).fetchone() is None:
            raise NotFoundError(f"no stakeholder with id {sid!r}")
        interactions = cur.execute(
            "DELETE FROM interactions WHERE network = ? AND (source = ? OR target = ?)",
            (net, sid, sid),
        ).rowcount
        cur.execute("DELETE FROM stakeholders WHERE network = ? AND id = ?", (net, sid))
        keys = cur.execute(
            "UPDATE api_keys SET revoked = COALESCE(revoked, datetime('now')), "
            "stakeholder = NULL WHERE network = ? AND stakeholder = ?",
            (net, sid),
        ).rowcount
        lines = 0
        forms = id_forms(sid)
        mentions = " OR ".join("instr(what, ?) > 0" for _ in forms)
        for n, what in cur.execute(
            f"SELECT n, what FROM audit WHERE network = ? AND ({mentions})", (net, *forms)
        ).fetchall():
            redacted = redact(what, sid)
            if redacted != what:
                cur.execute("UPDATE audit SET what = ? WHERE n = ?", (redacted, n))
                lines += 1
        self._bump(cur)
        return {
            "stakeholders": 1,
            "interactions": interactions,
            "keys_revoked": keys,
            "audit_lines": lines,
        }

    def audit(self, who: str, action: str, what: str, when: str) -> None:
        """Append one line to the audit log."""
        with self._lock:
            self._db.execute(
                "INSERT INTO audit(network, at, who, action, what) "
                "VALUES (?, ?, ?, ?, ?)",
                (self.network, when, who, action, what),
            )

    def audit_log(self, *, offset: int = 0, limit: int = 100) -> list[dict[str, str]]:
        """Audit lines, newest first."""
        rows = self._query(
            "SELECT at, who, action, what FROM audit WHERE network = ? "
            "ORDER BY n DESC LIMIT ? OFFSET ?",
            (self.network, limit, offset),
        )
        return [{"at": r[0], "who": r[1], "action": r[2], "what": r[3]} for r in rows]
