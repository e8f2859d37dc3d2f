"""Stores: the embedded SQLite default and the Neo4j server store."""

from __future__ import annotations

import os
from pathlib import Path

from partnermap.errors import StoreError
from partnermap.store.base import DEFAULT_NETWORK, Progress, Store, check_network

DEFAULT_STORE = "sqlite:///partnermap.db"

__all__ = [
    "DEFAULT_STORE",
    "Progress",
    "Store",
    "open_store",
    "resolve_network",
    "resolve_url",
]


def resolve_url(url: str | None) -> str:
    """The store URL to use: the argument, else PARTNERMAP_STORE, else the default."""
    return url or os.environ.get("PARTNERMAP_STORE") or DEFAULT_STORE


def resolve_network(network: str | None) -> str:
    """The network to use: the argument (even an empty one, which
    :func:`~partnermap.store.base.check_network` then refuses), else
    PARTNERMAP_NETWORK, else main."""
    if network is not None:
        return network
    return os.environ.get("PARTNERMAP_NETWORK") or DEFAULT_NETWORK


def open_store(url: str | None = None, network: str | None = None) -> Store:
    """Open the store a URL names, bound to one network (district).

    The network is the argument, else $PARTNERMAP_NETWORK, else ``main``.

    ``sqlite:///relative.db``, ``sqlite:////abs/path.db`` or a bare ``*.db`` path
    open the embedded store; ``neo4j://``, ``neo4j+s://`` and ``bolt://`` open
    the Neo4j store with credentials from PARTNERMAP_NEO4J_USER and
    PARTNERMAP_NEO4J_PASSWORD.
    """
    url = resolve_url(url)
    name = check_network(resolve_network(network))
    if url.startswith("sqlite:///"):
        from partnermap.store.sqlite import SQLiteStore

        return SQLiteStore(Path(url.removeprefix("sqlite:///")), name)
    if url.endswith(".db") and "://" not in url:
        from partnermap.store.sqlite import SQLiteStore

        return SQLiteStore(Path(url), name)
    if url.split("://", 1)[0] in {"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s"}:
        from partnermap.store.neo4j import Neo4jStore

        return Neo4jStore.from_url(url, network=name)
    raise StoreError(
        f"store URL {url!r} is not understood; use sqlite:///path.db or "
        "neo4j://host:7687"
    )
