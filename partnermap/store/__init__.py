"""Stores: the embedded SQLite default and the Neo4j server store."""

from __future__ import annotations

import os
from pathlib import Path

from partnermap.errors import StoreError
from partnermap.store.base import Progress, Store

DEFAULT_STORE = "sqlite:///partnermap.db"

__all__ = ["DEFAULT_STORE", "Progress", "Store", "open_store", "resolve_url"]


def resolve_url(url: str | None) -> str:
    """The store URL to use: the argument, else PARTNERMAP_STORE, else the default."""
    return url or os.environ.get("PARTNERMAP_STORE") or DEFAULT_STORE


def open_store(url: str | None = None) -> Store:
    """Open the store a URL names.

    ``sqlite:///relative.db``, ``sqlite:////abs/path.db`` or a bare ``*.db`` path
    open the embedded store; ``neo4j://``, ``neo4j+s://`` and ``bolt://`` open
    the Neo4j store with credentials from PARTNERMAP_NEO4J_USER and
    PARTNERMAP_NEO4J_PASSWORD.
    """
    url = resolve_url(url)
    if url.startswith("sqlite:///"):
        from partnermap.store.sqlite import SQLiteStore

        return SQLiteStore(Path(url.removeprefix("sqlite:///")))
    if url.endswith(".db") and "://" not in url:
        from partnermap.store.sqlite import SQLiteStore

        return SQLiteStore(Path(url))
    if url.split("://", 1)[0] in {"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s"}:
        from partnermap.store.neo4j import Neo4jStore

        return Neo4jStore.from_url(url)
    raise StoreError(
        f"store URL {url!r} is not understood; use sqlite:///path.db or "
        "neo4j://host:7687"
    )
