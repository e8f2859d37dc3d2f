"""The Neo4j store: a database server that analysts can also query with Cypher.

The graph in Neo4j
------------------
One database holds several networks (districts). Every node and relationship
partnermap writes carries a ``network`` property, its network's name
(``"main"`` unless told otherwise), and every query partnermap runs filters on
it, so the same stakeholder id in two networks is two nodes.

- A stakeholder is a node ``(:Stakeholder:<Kind> {network, id, name, kind,
  source, attributes, ...})``. ``<Kind>`` is one label per kind, written in
  CamelCase (``School``, ``FamilyGroup``, ``AfterschoolProvider``: see
  ``KIND_LABELS``); ``kind`` holds the same as text (``"family_group"``).
  ``attributes`` is the whole attribute map as JSON text, which is what
  partnermap reads back. Each attribute whose value is text, a number, a
  boolean or a list of one of those is also copied onto the node under its own
  name (``s.enrollment``), so that ``WHERE s.borough = 'Bronx'`` works;
  attributes named like a core property (network, id, name, kind, source,
  attributes) are only in the JSON.
- An interaction is a relationship from source to target, both of one
  network, whose type is the interaction type in capitals (``PARTNER_LISTED``,
  ``MEETING``: see ``REL_TYPES``), with ``network``, ``key`` (the idempotency
  key), ``date`` (a Neo4j Date, or absent), ``school_year``, ``direction``
  (``one_way`` or ``both``), ``confirmed``, ``provenance`` (file and row) and,
  when it has any, ``attributes`` (JSON text) with the same copies as on
  nodes.
- One ``(:PartnermapMeta {name: "partnermap", network, version})`` node per
  network holds that network's version. API keys are ``(:PartnermapApiKey
  {id, network, role, key_hash, created, stakeholder, revoked})`` nodes
  (hashes only) and the audit log is ``(:PartnermapAudit {network, n, at, who,
  action, what})`` nodes.
- Constraints, created when the store opens: ``(network, id)`` of
  ``Stakeholder``, ``(name, network)`` of ``PartnermapMeta``, ``(network, n)``
  of ``PartnermapAudit`` and ``(network, key)`` of each relationship type are
  unique, and so are ``PartnermapApiKey.id`` and ``.key_hash`` across all
  networks. Indexes: ``Stakeholder.kind`` and ``Stakeholder.name``.

For example, the schools of network ``nyc`` that list a business partner that
never confirmed::

    MATCH (s:School {network: 'nyc'})-[r:PARTNER_LISTED]->(b:Business)
    WHERE NOT r.confirmed AND r.date >= date('2015-07-01')
    RETURN s.name, b.name, r.provenance

A database written before networks existed is moved into network ``"main"``
when a store first opens it: everything of partnermap's without a ``network``
gets ``"main"``, and the old single-property constraints are replaced.

Interaction keys written before they were made of content and occurrence (see
:data:`partnermap.model.KEY_SCHEME`) are rekeyed once when a store opens the
database, as :func:`partnermap.model.rekeyed` says: interactions that now name
one event are merged into the first. The
``(:PartnermapMeta {name: "interaction_keys", network: "*", scheme})`` node
records that it is done; the work is planned onto the relationships first
(``partnermap_rekey``) and applied in batches, so a rekey cut short is finished
by the next open.

How imports are written
-----------------------
A batch is one transaction: all of it or none of it. The transaction first
takes a write lock on its network's meta node, so imports into one network run
one after another, like SQLite's ``BEGIN IMMEDIATE``, while imports into
different networks do not wait for each other; the unique constraint and
``MERGE`` on network and id would keep one node per stakeholder even without
it. Look-ups by network and id and by network and key carry
``USING INDEX SEEK`` hints: inside a transaction that has written, the planner
otherwise may scan a whole index once per row. Stakeholders are merged on
their id (name, kind and source replaced, attributes merged), interactions are
created in ``UNWIND`` chunks when their key is new. A dry run, and a batch
that changes nothing, roll back. Transient errors (deadlocks, a leader switch,
a server restart) are retried by the driver's managed transactions. As one
transaction, an import needs server memory for all of it: about 4 GB of
transaction memory per million interactions (Neo4j allows 70% of its heap).

Values are converted at the boundary: numpy and pandas scalars become Python
ones, NaN and NaT become null, dates in attributes become ISO text, dates of
interactions become Neo4j Dates and come back as Python dates. Queries take
parameters only; labels and relationship types are spelled from the
vocabulary in :mod:`partnermap.model`, never from input.

Not supported: passwords in the store URL (use PARTNERMAP_NEO4J_PASSWORD),
choosing a database other than the server's default, edits made directly with
Cypher to the attribute copies (partnermap reads the JSON), and nodes or
relationships created directly with Cypher without a ``network``: partnermap
does not see them (only the one-time move of an old database gives them
``"main"``).
"""

from __future__ import annotations

import copy
import json
import logging
import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlsplit

import neo4j
from neo4j.exceptions import (
    AuthError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from partnermap.access import ApiKey, Role
from partnermap.errors import NotFoundError, StoreError
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
)
from partnermap.store.base import (
    DEFAULT_NETWORK,
    Progress,
    Store,
    check_network,
    id_forms,
    redact,
)

log = logging.getLogger(__name__)

USER_VARIABLE = "PARTNERMAP_NEO4J_USER"
PASSWORD_VARIABLE = "PARTNERMAP_NEO4J_PASSWORD"

KIND_LABELS: dict[StakeholderKind, str] = {
    kind: "".join(part.capitalize() for part in kind.value.split("_"))
    for kind in StakeholderKind
}
"""The node label of each stakeholder kind: ``family_group`` -> ``FamilyGroup``."""

REL_TYPES: dict[InteractionType, str] = {t: t.value.upper() for t in InteractionType}
"""The relationship type of each interaction type: ``meeting`` -> ``MEETING``."""

_TYPE_OF_REL = {rel: t for t, rel in REL_TYPES.items()}
_DIRECTIONS = {d.value: d for d in Direction}
_ALL_RELS = "|".join(REL_TYPES.values())
_NODE_CORE = frozenset({"network", "id", "name", "kind", "source", "attributes"})
_REL_CORE = frozenset(
    {
        "network",
        "key",
        "date",
        "school_year",
        "direction",
        "confirmed",
        "provenance",
        "attributes",
    }
)
_META = "partnermap"
_AUDIT_COUNTER = "audit"

# The planner uses the index on (network, id) for one network's stakeholders
# only when the query also asks for the id, and likewise for relationships.
_OF_NETWORK = "s.network = $network AND s.id IS NOT NULL"
_A_OF_NETWORK = "a.network = $network AND a.id IS NOT NULL"
_R_OF_NETWORK = "r.network = $network AND r.key IS NOT NULL"

_OLD_CONSTRAINTS = (
    "stakeholder_id",
    "partnermap_meta_name",
    "audit_n",
    *(f"{rel.lower()}_key" for rel in REL_TYPES.values()),
)
"""The single-property constraints of a database made before networks."""

_STAKEHOLDER_CHUNK = 5_000
_INTERACTION_CHUNK = 20_000

_KEYS = "interaction_keys"
_ALL_NETWORKS = "*"
"""The network of the marker of the key scheme, which holds for all of them."""
_REKEY = "partnermap_rekey"
"""The property that holds a relationship's planned key ('' to delete it)."""
_REKEY_CHUNK = 10_000

_T = TypeVar("_T")


class _Rollback(Exception):
    """Raised inside a write transaction to roll it back and hand out a result."""

    def __init__(self, result: ApplyResult) -> None:
        super().__init__("rollback")
        self.result = result


# -- values at the boundary ---------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-ready copy: no numpy, pandas, NaN, dates or tuples."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if type(value).__module__.startswith(("numpy", "pandas")):
        return _numpy_or_pandas(value)
    return str(value)


def _numpy_or_pandas(value: Any) -> Any:
    # pandas.NaT and pandas.NA say they are null through their own types.
    if type(value).__name__ in {"NaTType", "NAType"}:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    return str(value)


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _copies(attributes: dict[str, Any], core: frozenset[str]) -> dict[str, Any]:
    """Attributes Neo4j can hold as properties; None for those it cannot."""
    out: dict[str, Any] = {}
    for name, value in attributes.items():
        if not name or name in core:
            continue
        out[name] = value if _is_property(value) else None
    return out


def _is_property(value: Any) -> bool:
    if isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list) and value:
        kinds = {type(v) for v in value}
        return len(kinds) == 1 and kinds <= {str, bool, int, float}
    return False


# -- the store ------------------------------------------------------------------


class Neo4jStore(Store):
    """A store in a Neo4j 5 database, through the official driver.

    Parameters
    ----------
    url
        ``neo4j://``, ``neo4j+s://``, ``bolt://`` or ``bolt+s://`` address.
    auth
        User and password.
    network
        The network this object reads and writes (see :meth:`for_network`).
    """

    def __init__(
        self, url: str, auth: tuple[str, str], network: str = DEFAULT_NETWORK
    ) -> None:
        self.network = check_network(network)
        parts = urlsplit(url)
        if parts.username or parts.password:
            raise StoreError(
                "the Neo4j store URL must not carry credentials; set "
                f"{USER_VARIABLE} and {PASSWORD_VARIABLE} instead"
            )
        self.url = url
        self._owns_driver = True
        try:
            self._driver = neo4j.GraphDatabase.driver(
                url,
                auth=auth,
                notifications_min_severity="OFF",
                max_transaction_retry_time=RETRY_S,
            )
        except (DriverError, Neo4jError, ValueError) as exc:
            raise StoreError(f"cannot open the Neo4j store {url}: {exc}") from exc
        try:
            # Fail at once when nothing answers; queries would retry for 30 s.
            self.ping()
            self._ensure_schema()
        except StoreError:
            self._driver.close()
            raise

    @classmethod
    def from_url(cls, url: str, network: str = DEFAULT_NETWORK) -> Neo4jStore:
        """Open the store at ``url`` with credentials from the environment."""
        password = os.environ.get(PASSWORD_VARIABLE)
        if not password:
            raise StoreError(
                f"the Neo4j store {url} needs a password: set {PASSWORD_VARIABLE} "
                f"(and {USER_VARIABLE} if the user is not neo4j)"
            )
        user = os.environ.get(USER_VARIABLE) or "neo4j"
        return cls(url, (user, password), network)

    def for_network(self, network: str) -> Neo4jStore:
        """This store bound to another network, on the same driver.

        Closing the returned object leaves the driver open; closing the
        object that opened it closes it for all.
        """
        other = copy.copy(self)
        other.network = check_network(network)
        other._owns_driver = False
        return other

    def networks(self) -> list[str]:
        """The networks that hold a stakeholder or a key, sorted by name.

        Notes
        -----
        The stakeholders' networks are read by skipping along the index on
        (network, id), one seek per network, so the cost does not grow with
        the number of stakeholders.
        """

        def work(tx: neo4j.ManagedTransaction) -> list[str]:
            found: list[str] = []
            while True:
                record = tx.run(
                    "MATCH (s:Stakeholder) USING INDEX s:Stakeholder(network, id) "
                    "WHERE s.network > $after AND s.id IS NOT NULL "
                    "RETURN s.network AS n ORDER BY s.network LIMIT 1",
                    after=found[-1] if found else "",
                ).single()
                if record is None:
                    break
                found.append(record["n"])
            keys = tx.run(
                "MATCH (k:PartnermapApiKey) WHERE k.network IS NOT NULL "
                "RETURN collect(DISTINCT k.network) AS n"
            ).single(strict=True)
            return sorted(set(found) | set(keys["n"]))

        return self._read(work, "list its networks")

    # -- sessions and errors ---------------------------------------------------

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except AuthError as exc:
            raise StoreError(
                f"Neo4j store {self.url}: cannot {action}: the server refused the "
                f"login; check {USER_VARIABLE} and {PASSWORD_VARIABLE}"
            ) from exc
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreError(
                f"Neo4j store {self.url}: cannot {action}: {exc}; check that the "
                "server is running and answers at that address"
            ) from exc
        except (DriverError, Neo4jError) as exc:
            raise StoreError(f"Neo4j store {self.url}: cannot {action}: {exc}") from exc

    def _read(self, work: Callable[[neo4j.ManagedTransaction], _T], action: str) -> _T:
        with self._errors(action), self._driver.session() as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[neo4j.ManagedTransaction], _T], action: str) -> _T:
        with self._errors(action), self._driver.session() as session:
            return session.execute_write(work)

    def _ensure_schema(self) -> None:
        statements = {
            "stakeholder_network_id": "CREATE CONSTRAINT stakeholder_network_id "
            "IF NOT EXISTS FOR (s:Stakeholder) REQUIRE (s.network, s.id) IS UNIQUE",
            "partnermap_meta_name_network": "CREATE CONSTRAINT "
            "partnermap_meta_name_network IF NOT EXISTS "
            "FOR (m:PartnermapMeta) REQUIRE (m.name, m.network) IS UNIQUE",
            "api_key_id": "CREATE CONSTRAINT api_key_id IF NOT EXISTS "
            "FOR (k:PartnermapApiKey) REQUIRE k.id IS UNIQUE",
            "api_key_hash": "CREATE CONSTRAINT api_key_hash IF NOT EXISTS "
            "FOR (k:PartnermapApiKey) REQUIRE k.key_hash IS UNIQUE",
            "audit_network_n": "CREATE CONSTRAINT audit_network_n IF NOT EXISTS "
            "FOR (a:PartnermapAudit) REQUIRE (a.network, a.n) IS UNIQUE",
            "stakeholder_kind": "CREATE INDEX stakeholder_kind IF NOT EXISTS "
            "FOR (s:Stakeholder) ON (s.kind)",
            "stakeholder_name": "CREATE INDEX stakeholder_name IF NOT EXISTS "
            "FOR (s:Stakeholder) ON (s.name)",
        }
        for rel in REL_TYPES.values():
            name = f"{rel.lower()}_network_key"
            statements[name] = (
                f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                f"FOR ()-[r:{rel}]-() REQUIRE (r.network, r.key) IS UNIQUE"
            )
        with self._errors("create its constraints"):
            existing, _, _ = self._driver.execute_query(
                "SHOW INDEXES YIELD name RETURN collect(name) AS names",
                routing_=neo4j.RoutingControl.READ,
            )
            names = set(existing[0]["names"])
            self._migrate(names)
            missing = [q for n, q in statements.items() if n not in names]
            for statement in missing:
                self._driver.execute_query(statement)
            if missing:
                self._driver.execute_query("CALL db.awaitIndexes(300)")
            self._driver.execute_query(
                "MERGE (m:PartnermapMeta {name: $name, network: $network}) "
                "ON CREATE SET m.version = 0",
                name=_META,
                network=self.network,
            )
        self._rekey()

    def _migrate(self, names: set[str]) -> None:
        """Move a database made before networks into the default network.

        Such a database has a meta node without ``network`` (every store
        opened made one) or the old single-property constraints. Everything
        of partnermap's without a network gets the default one, in batches;
        the meta nodes go last and the old constraints after them, so a move
        cut short is finished by the next open.
        """
        [old] = self._driver.execute_query(
            "MATCH (m:PartnermapMeta) WHERE m.network IS NULL RETURN count(m) AS n",
            routing_=neo4j.RoutingControl.READ,
        ).records
        dropped = [n for n in _OLD_CONSTRAINTS if n in names]
        if not old["n"] and not dropped:
            return
        # Batches need an auto-commit transaction: session.run, not a managed one.
        with self._driver.session() as session:
            for match in (
                "MATCH (x:Stakeholder)",
                f"MATCH ()-[x:{_ALL_RELS}]->()",
                "MATCH (x:PartnermapApiKey)",
                "MATCH (x:PartnermapAudit)",
                "MATCH (x:PartnermapMeta)",
            ):
                session.run(
                    f"{match} WHERE x.network IS NULL CALL (x) "
                    "{ SET x.network = $network } IN TRANSACTIONS OF 10000 ROWS",
                    network=DEFAULT_NETWORK,
                ).consume()
        for name in dropped:
            self._driver.execute_query(f"DROP CONSTRAINT {name} IF EXISTS")

    def _rekey(self) -> None:
        """Give interactions stored before keys left out the file name and row
        their content keys (see :func:`partnermap.model.rekeyed`), once.

        Notes
        -----
        The new keys are computed from every interaction of every network,
        held in memory as the readers hold them, and written onto the
        relationships as a plan; then, in batches of 10,000, merged
        duplicates are deleted, changed keys are moved to a temporary value
        and then to the new one (so that no two relationships of a type share
        a key on the way), and the marker is set last. A later open finishes
        a rekey cut short; stores opening it at once queue batch by batch on
        the marker. A fresh database only gets the marker.
        """
        with self._errors("rekey its interactions"):
            [marker] = self._driver.execute_query(
                "OPTIONAL MATCH (m:PartnermapMeta {name: $name, network: $network}) "
                "RETURN m.scheme AS scheme, m.planned AS planned",
                name=_KEYS,
                network=_ALL_NETWORKS,
                routing_=neo4j.RoutingControl.READ,
            ).records
        if marker["scheme"] == KEY_SCHEME:
            return
        if marker["planned"] != KEY_SCHEME:
            self._plan_rekey()
        self._apply_rekey()
        self._write(_rekey_done, "rekey its interactions")

    def _plan_rekey(self) -> None:
        rows = self._read(_stored_for_rekey, "read interactions to rekey")
        plan = _rekey_plan(rows)
        for start in range(0, len(plan), _REKEY_CHUNK):
            part = plan[start : start + _REKEY_CHUNK]
            # Another store that planned first is applying its (same) plan.
            if not self._write(partial(_write_plan, plan=part), "plan the rekey"):
                return
        self._write(_rekey_planned, "plan the rekey")
        total = sum(len(rels) for _, rels in rows)
        if total:
            dropped = sum(1 for row in plan if not row[2])
            log.info(
                "rekeying %s of %s stored interactions to content keys, merging %s",
                f"{len(plan) - dropped:,}",
                f"{total:,}",
                f"{dropped:,}",
            )

    def _apply_rekey(self) -> None:
        # In the order of the new keys, so that every run takes the same steps.
        pending = self._read(
            lambda tx: tx.run(
                f"MATCH ()-[r:{_ALL_RELS}]->() WHERE r.{_REKEY} IS NOT NULL "
                f"RETURN elementId(r), r.key, r.{_REKEY} ORDER BY r.{_REKEY}"
            ).values(),
            "read the planned rekey",
        )
        steps = (
            (_REKEY_DROP, [eid for eid, _, new in pending if not new]),
            (_REKEY_AWAY, [eid for eid, old, new in pending if new and new != old]),
            (_REKEY_SET, [eid for eid, _, new in pending if new]),
        )
        for query, ids in steps:
            for start in range(0, len(ids), _REKEY_CHUNK):
                part = ids[start : start + _REKEY_CHUNK]
                self._write(
                    partial(_rekey_step, query=query, ids=part),
                    "rekey its interactions",
                )

    # -- writing ---------------------------------------------------------------

    def apply(
        self,
        batch: ImportBatch,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
    ) -> ApplyResult:
        """Write a batch in one transaction; roll it back on error or dry run."""
        people = [self._checked_stakeholder(s) for s in batch.stakeholders]
        events = batch.interactions
        updates = {str(k): _plain(dict(v)) for k, v in batch.attribute_updates.items()}

        def work(tx: neo4j.ManagedTransaction) -> ApplyResult:
            try:
                job = _Import(tx, self.network, people, events, updates, progress)
                return job.run(dry_run)
            except TransientError as exc:
                if "MemoryPoolOutOfMemoryError" not in (exc.code or ""):
                    raise
                # Transient to Neo4j, but the same import would fail again.
                raise StoreError(
                    f"the import of {len(events):,} interactions does not fit in "
                    "one Neo4j transaction on this server; give the server more "
                    "heap (dbms.memory.transaction.total.max is 70% of it) or "
                    "import the files in parts"
                ) from exc

        try:
            return self._write(work, "apply the import")
        except _Rollback as rollback:
            rollback.result.version = self.version()
            return rollback.result

    @staticmethod
    def _checked_stakeholder(person: Stakeholder) -> dict[str, Any]:
        try:
            kind = StakeholderKind(person.kind)
        except ValueError as exc:
            raise StoreError(
                f"stakeholder {person.id!r} has kind {person.kind!r}, which is not "
                f"one of {', '.join(k.value for k in StakeholderKind)}"
            ) from exc
        return {
            "id": str(person.id),
            "name": str(person.name),
            "kind": kind.value,
            "attributes": _plain(dict(person.attributes)),
            "source": str(person.source or ""),
        }

    # -- reading ---------------------------------------------------------------

    def version(self) -> int:
        """The number of applied batches that changed something."""

        def work(tx: neo4j.ManagedTransaction) -> int:
            record = tx.run(
                "MATCH (m:PartnermapMeta {name: $name, network: $network}) "
                "RETURN m.version AS v",
                name=_META,
                network=self.network,
            ).single()
            return int(record["v"]) if record else 0

        return self._read(work, "read its version")

    def get_stakeholder(self, stakeholder_id: str) -> Stakeholder | None:
        """One stakeholder by id, or None."""

        def work(tx: neo4j.ManagedTransaction) -> list[list[Any]]:
            return tx.run(
                "MATCH (s:Stakeholder {network: $network, id: $id}) "
                f"RETURN {_NODE_FIELDS}",
                network=self.network,
                id=str(stakeholder_id),
            ).values()

        rows = self._read(work, "read a stakeholder")
        return _stakeholder(rows[0]) if rows else None

    def list_stakeholders(
        self,
        *,
        kind: StakeholderKind | None = None,
        search: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[list[Stakeholder], int]:
        """A page of stakeholders ordered by name then id, and the total count.

        Names are ordered ignoring case; ``search`` matches any part of the
        name, ignoring case.
        """
        where = [_OF_NETWORK]
        params: dict[str, Any] = {"network": self.network}
        if kind is not None:
            where.append("s.kind = $kind")
            params["kind"] = StakeholderKind(kind).value
        if search:
            where.append("toLower(s.name) CONTAINS toLower($search)")
            params["search"] = search
        clause = f"WHERE {' AND '.join(where)}"
        page = "SKIP $offset" + (" LIMIT $limit" if limit >= 0 else "")
        params.update(offset=max(0, offset), limit=limit)

        def work(tx: neo4j.ManagedTransaction) -> tuple[int, list[list[Any]]]:
            total = tx.run(
                f"MATCH (s:Stakeholder) {clause} RETURN count(s) AS n", params
            ).single()
            rows = tx.run(
                f"MATCH (s:Stakeholder) {clause} RETURN {_NODE_FIELDS} "
                f"ORDER BY toLower(s.name), s.id {page}",
                params,
            ).values()
            return int(total["n"]) if total else 0, rows

        total, rows = self._read(work, "list stakeholders")
        return [_stakeholder(r) for r in rows], total

    def existing_ids(self, ids: list[str]) -> set[str]:
        """The subset of ids that are stakeholders in the store."""
        unique = list(dict.fromkeys(str(i) for i in ids))
        return self._read(
            lambda tx: _existing(tx, self.network, unique), "look up stakeholder ids"
        )

    def iter_stakeholders(self) -> Iterator[Stakeholder]:
        """Every stakeholder, ordered by id."""

        def work(tx: neo4j.ManagedTransaction) -> list[list[Any]]:
            return tx.run(
                f"MATCH (s:Stakeholder) WHERE {_OF_NETWORK} RETURN {_NODE_FIELDS} "
                "ORDER BY s.id",
                network=self.network,
            ).values()

        rows = self._read(work, "read stakeholders")
        return (_stakeholder(r) for r in rows)

    def iter_interactions(
        self, *, start: date | None = None, end: date | None = None
    ) -> Iterator[Interaction]:
        """Every interaction within [start, end]; undated ones always.

        Notes
        -----
        The rows are read in one transaction and held in memory before the
        first one is handed out, as the SQLite store does, so no session stays
        open while the caller iterates. They come one record per source
        stakeholder, which the driver unpacks far faster than one record per
        interaction, and are put in key order here.
        """
        query = (
            f"MATCH (a:Stakeholder) WHERE {_A_OF_NETWORK} CALL (a) {{ "
            f"MATCH (a)-[r:{_ALL_RELS}]->(b:Stakeholder) {_window_clause(start, end)} "
            f"RETURN collect([{_REL_FIELDS}]) AS rows }} "
            "WITH a, rows WHERE rows <> [] RETURN a.id, rows"
        )

        def work(tx: neo4j.ManagedTransaction) -> list[list[Any]]:
            return tx.run(query, network=self.network, start=start, end=end).values()

        flat = [
            (row, source)
            for source, rows in self._read(work, "read interactions")
            for row in rows
        ]
        flat.sort(key=lambda pair: pair[0][0])
        return (_interaction(source, row) for row, source in flat)

    def iter_flows(
        self, *, start: date | None = None, end: date | None = None
    ) -> Iterator[Flow]:
        """Interactions within [start, end] (undated ones always), aggregated
        in Cypher; see :meth:`Store.iter_flows`.

        Notes
        -----
        As in :meth:`iter_interactions`, the rows come one record per source
        stakeholder and are put in order here (by each flow's smallest key).
        """
        query = (
            f"MATCH (a:Stakeholder) WHERE {_A_OF_NETWORK} CALL (a) {{ "
            f"MATCH (a)-[r:{_ALL_RELS}]->(b:Stakeholder) {_window_clause(start, end)} "
            "WITH b.id AS target, type(r) AS rel, r.direction AS direction, "
            "coalesce(r.confirmed, false) AS confirmed, count(*) AS events, "
            "min(r.date) AS first, max(r.date) AS last, min(r.key) AS key "
            "RETURN collect([key, target, rel, direction, confirmed, events, "
            "toString(first), toString(last)]) AS rows } "
            "WITH a, rows WHERE rows <> [] RETURN a.id, rows"
        )

        def work(tx: neo4j.ManagedTransaction) -> list[list[Any]]:
            return tx.run(query, network=self.network, start=start, end=end).values()

        flat = [
            (row, source)
            for source, rows in self._read(work, "read flows")
            for row in rows
        ]
        flat.sort(key=lambda pair: pair[0][0])
        return (
            Flow(source, row[1], _TYPE_OF_REL[row[2]], _DIRECTIONS[row[3]], *row[4:])
            for row, source in flat
        )

    def interactions_of(self, stakeholder_id: str) -> list[Interaction]:
        """Every interaction with the stakeholder as source or target."""
        query = (
            "MATCH (s:Stakeholder {network: $network, id: $id}) "
            "CALL (s) { "
            f"MATCH (s)-[r:{_ALL_RELS} {{network: $network}}]->(:Stakeholder) "
            "RETURN r "
            f"UNION MATCH (:Stakeholder)-[r:{_ALL_RELS} {{network: $network}}]->(s) "
            "RETURN r } "
            "WITH r, startNode(r) AS a, endNode(r) AS b "
            f"RETURN a.id, [{_REL_FIELDS}] ORDER BY r.date IS NOT NULL, r.date, r.key"
        )

        def work(tx: neo4j.ManagedTransaction) -> list[list[Any]]:
            return tx.run(query, network=self.network, id=str(stakeholder_id)).values()

        rows = self._read(work, "read interactions")
        return [_interaction(source, row) for source, row in rows]

    def counts(self) -> dict[str, int]:
        """Totals of this network: stakeholders, interactions, and stakeholders
        per kind.

        Notes
        -----
        The interactions are counted in this network's part of the key index
        of each type, about a second per million interactions; Neo4j's count
        store, which answers at once, cannot count one network.
        """

        def work(tx: neo4j.ManagedTransaction) -> dict[str, int]:
            out = {
                "stakeholders": _count(
                    tx, "(s:Stakeholder)", _OF_NETWORK, self.network
                ),
                "interactions": sum(
                    _count(tx, f"()-[r:{rel}]->()", _R_OF_NETWORK, self.network)
                    for rel in REL_TYPES.values()
                ),
            }
            for kind, n in tx.run(
                f"MATCH (s:Stakeholder) WHERE {_OF_NETWORK} "
                "RETURN s.kind AS kind, count(*) AS n ORDER BY kind",
                network=self.network,
            ).values():
                out[f"kind:{kind}"] = int(n)
            return out

        return self._read(work, "count its records")

    # -- keys, forgetting and audit ----------------------------------------------

    def add_api_key(self, key: ApiKey) -> None:
        """Keep a new key (its hash only); it must be of this store's network."""
        if key.network != self.network:
            raise StoreError(
                f"API key {key.id!r} is for network {key.network!r}, not "
                f"{self.network!r}; add it through the store of its network"
            )
        self._write(
            lambda tx: tx.run(
                "CREATE (k:PartnermapApiKey {id: $id, network: $network, role: $role, "
                "key_hash: $hash, created: $created, stakeholder: $stakeholder, "
                "revoked: $revoked})",
                id=key.id,
                network=self.network,
                role=Role(key.role).value,
                hash=key.key_hash,
                created=key.created,
                stakeholder=key.stakeholder,
                revoked=key.revoked,
            ).consume(),
            "keep an API key",
        )

    def api_keys(self) -> list[ApiKey]:
        """Every key of this network, revoked ones included, oldest first."""
        rows = self._read(
            lambda tx: tx.run(
                "MATCH (k:PartnermapApiKey {network: $network}) "
                f"RETURN {_KEY_FIELDS} ORDER BY k.created, k.id",
                network=self.network,
            ).values(),
            "read API keys",
        )
        return [_api_key(r) for r in rows]

    def find_api_key(self, key_hash: str) -> ApiKey | None:
        """The key with this hash in any network, revoked or not, or None."""
        rows = self._read(
            lambda tx: tx.run(
                f"MATCH (k:PartnermapApiKey {{key_hash: $hash}}) RETURN {_KEY_FIELDS}",
                hash=key_hash,
            ).values(),
            "read an API key",
        )
        return _api_key(rows[0]) if rows else None

    def revoke_api_key(self, key_id: str, when: str) -> bool:
        """Revoke a key of this network; False when none has that id."""
        record = self._write(
            lambda tx: tx.run(
                "OPTIONAL MATCH (k:PartnermapApiKey {id: $id, network: $network}) "
                "SET k.revoked = coalesce(k.revoked, $when) "
                "RETURN k IS NOT NULL AS found",
                id=key_id,
                network=self.network,
                when=when,
            ).single(strict=True),
            "revoke an API key",
        )
        return bool(record["found"])

    def forget(self, stakeholder_id: str) -> dict[str, int]:
        """Delete a stakeholder of this network and its interactions, revoke
        this network's keys bound to it, in one transaction that bumps the
        network's version."""

        def work(tx: neo4j.ManagedTransaction) -> dict[str, int]:
            _lock(tx, self.network)
            record = tx.run(
                "MATCH (s:Stakeholder {network: $network, id: $id}) "
                f"OPTIONAL MATCH (s)-[r:{_ALL_RELS}]-() "
                "WITH s, count(DISTINCT r) AS interactions "
                "DETACH DELETE s RETURN interactions",
                network=self.network,
                id=stakeholder_id,
            ).single()
            if record is None:
                raise NotFoundError(f"no stakeholder with id {stakeholder_id!r}")
            keys = tx.run(
                "MATCH (k:PartnermapApiKey {network: $network, stakeholder: $id}) "
                "SET k.revoked = coalesce(k.revoked, $now), k.stakeholder = null "
                "RETURN count(k) AS n",
                network=self.network,
                id=stakeholder_id,
                now=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            ).single(strict=True)
            mentions = tx.run(
                "MATCH (a:PartnermapAudit {network: $network}) "
                "WHERE any(form IN $forms WHERE a.what CONTAINS form) "
                "RETURN a.n, a.what",
                network=self.network,
                forms=id_forms(stakeholder_id),
            ).values()
            lines = [
                {"n": n, "what": redact(what, stakeholder_id)}
                for n, what in mentions
                if redact(what, stakeholder_id) != what
            ]
            tx.run(
                "UNWIND $lines AS line "
                "MATCH (a:PartnermapAudit {network: $network, n: line.n}) "
                "SET a.what = line.what",
                network=self.network,
                lines=lines,
            ).consume()
            tx.run(
                "MATCH (m:PartnermapMeta {name: $name, network: $network}) "
                "SET m.version = m.version + 1",
                name=_META,
                network=self.network,
            ).consume()
            return {
                "stakeholders": 1,
                "interactions": int(record["interactions"]),
                "keys_revoked": int(keys["n"]),
                "audit_lines": len(lines),
            }

        return self._write(work, "forget a stakeholder")

    def audit(self, who: str, action: str, what: str, when: str) -> None:
        """Append one line to this network's audit log."""
        self._write(
            lambda tx: tx.run(
                "MERGE (c:PartnermapMeta {name: $counter, network: $network}) "
                "SET c.audit_lines = coalesce(c.audit_lines, 0) + 1 "
                "CREATE (:PartnermapAudit {network: $network, n: c.audit_lines, "
                "at: $at, who: $who, action: $action, what: $what})",
                counter=_AUDIT_COUNTER,
                network=self.network,
                at=when,
                who=who,
                action=action,
                what=what,
            ).consume(),
            "write the audit log",
        )

    def audit_log(self, *, offset: int = 0, limit: int = 100) -> list[dict[str, str]]:
        """This network's audit lines, newest first."""
        page = "SKIP $offset" + (" LIMIT $limit" if limit >= 0 else "")
        rows = self._read(
            lambda tx: tx.run(
                "MATCH (a:PartnermapAudit {network: $network}) "
                f"RETURN a.at, a.who, a.action, a.what ORDER BY a.n DESC {page}",
                network=self.network,
                offset=max(0, offset),
                limit=limit,
            ).values(),
            "read the audit log",
        )
        return [{"at": r[0], "who": r[1], "action": r[2], "what": r[3]} for r in rows]

    def ping(self) -> None:
        """Raise StoreError when the server cannot be reached."""
        with self._errors("be reached"):
            self._driver.verify_connectivity()

    def close(self) -> None:
        """Close the driver and its connections, if this object opened it."""
        if self._owns_driver:
            self._driver.close()


_NODE_FIELDS = "s.id, s.name, s.kind, s.attributes, s.source"
_REL_FIELDS = (
    "r.key, b.id, type(r), toString(r.date), r.school_year, r.direction, "
    "r.confirmed, r.provenance, r.attributes"
)
_KEY_FIELDS = "k.id, k.role, k.key_hash, k.created, k.stakeholder, k.revoked, k.network"


RETRY_S = 5.0
"""How long a transaction is retried on a transient error or a lost server
(the driver's default is 30 s): long enough for a leader switch or a lock
wait, short enough that a request to a server that is down answers 503 in
seconds, not in a minute."""


def _window_clause(start: date | None, end: date | None) -> str:
    """The WHERE clause of ``r`` in $network and a date window ($start, $end);
    undated ones pass the window."""
    where = ["r.network = $network"]
    if start is not None:
        where.append("(r.date IS NULL OR r.date >= $start)")
    if end is not None:
        where.append("(r.date IS NULL OR r.date <= $end)")
    return f"WHERE {' AND '.join(where)}"


def _api_key(row: list[Any]) -> ApiKey:
    return ApiKey(
        row[0], Role(row[1]), row[2], row[3], row[4], row[5], row[6] or DEFAULT_NETWORK
    )


def _lock(tx: neo4j.ManagedTransaction, network: str) -> None:
    """Take the network's write lock: writers of its graph queue here, writers
    of other networks do not wait."""
    tx.run(
        "MERGE (m:PartnermapMeta {name: $name, network: $network}) "
        "ON CREATE SET m.version = 0 SET m.lock = NOT coalesce(m.lock, false)",
        name=_META,
        network=network,
    ).consume()


def _count(tx: neo4j.ManagedTransaction, pattern: str, where: str, network: str) -> int:
    """How many matches of a pattern there are in a network."""
    record = tx.run(
        f"MATCH {pattern} WHERE {where} RETURN count(*) AS n",
        network=network,
    ).single(strict=True)
    return int(record["n"])


def _stakeholder(row: list[Any]) -> Stakeholder:
    return Stakeholder(
        id=row[0],
        name=row[1],
        kind=StakeholderKind(row[2]),
        attributes=json.loads(row[3]) if row[3] else {},
        source=row[4] or "",
    )


def _interaction(source: str, row: list[Any]) -> Interaction:
    """An interaction from its source and a row of ``_REL_FIELDS``."""
    return Interaction(
        source,
        row[1],
        _TYPE_OF_REL[row[2]],
        date.fromisoformat(row[3]) if row[3] else None,
        row[4],
        _DIRECTIONS[row[5]],
        bool(row[6]),
        row[7] or "",
        json.loads(row[8]) if row[8] else {},
        stored_key=row[0],
    )


# The rekey works on relationships by element id, each batch under the lock of
# the marker, and only on those that still carry a plan, so that a batch run
# twice, or by two stores, changes nothing the second time.
_BY_ID = "UNWIND $ids AS id MATCH ()-[r]->() WHERE elementId(r) = id AND "
_REKEY_DROP = f"{_BY_ID} r.{_REKEY} = '' DELETE r"
_REKEY_AWAY = (
    f"{_BY_ID} r.{_REKEY} <> '' AND r.key <> r.{_REKEY} "
    f"SET r.key = 'rekey-' + r.{_REKEY}"
)
_REKEY_SET = f"{_BY_ID} r.{_REKEY} <> '' SET r.key = r.{_REKEY} REMOVE r.{_REKEY}"


def _keys_marker(tx: neo4j.ManagedTransaction) -> neo4j.Record:
    """Lock the marker of the key scheme; its scheme and planned scheme."""
    return tx.run(
        "MERGE (m:PartnermapMeta {name: $name, network: $network}) "
        "SET m.lock = NOT coalesce(m.lock, false) "
        "RETURN m.scheme AS scheme, m.planned AS planned",
        name=_KEYS,
        network=_ALL_NETWORKS,
    ).single(strict=True)


def _stored_for_rekey(tx: neo4j.ManagedTransaction) -> list[list[Any]]:
    """Every interaction of every network: its source id and a row of element
    id, network, planned key and ``_REL_FIELDS``."""
    return tx.run(
        f"MATCH (a:Stakeholder) CALL (a) {{ "
        f"MATCH (a)-[r:{_ALL_RELS}]->(b:Stakeholder) WHERE r.network IS NOT NULL "
        f"RETURN collect([elementId(r), r.network, r.{_REKEY}, {_REL_FIELDS}]) "
        "AS rows } WITH a, rows WHERE rows <> [] RETURN a.id, rows"
    ).values()


def _rekey_plan(rows: list[list[Any]]) -> list[list[str]]:
    """``[element id, stored key, new key]`` of each relationship whose key
    changes, the new key '' for those merged into another, from the rows of
    :func:`_stored_for_rekey`."""
    found = [
        (rel[0], rel[1], rel[2], _interaction(source, rel[3:]))
        for source, rels in rows
        for rel in rels
    ]
    stored = {id(item): item.key for *_, item in found}
    kept = [(network, item) for _, network, _, item in found]
    fresh = {id(item): item.key for _, item in rekeyed(kept)}
    plan = []
    for eid, _, pending, item in found:
        new = fresh.get(id(item), "")
        # A plan left by a rekey cut short is replaced, even where it keeps a key.
        if new != stored[id(item)] or pending is not None:
            plan.append([eid, stored[id(item)], new])
    return plan


def _write_plan(tx: neo4j.ManagedTransaction, plan: list[list[str]]) -> bool:
    """Write part of a plan; False when a plan is already complete."""
    marker = _keys_marker(tx)
    if KEY_SCHEME in (marker["scheme"], marker["planned"]):
        return False
    tx.run(
        "UNWIND $plan AS row MATCH ()-[r]->() WHERE elementId(r) = row[0] "
        f"AND r.key = row[1] SET r.{_REKEY} = row[2]",
        plan=plan,
    ).consume()
    return True


def _rekey_planned(tx: neo4j.ManagedTransaction) -> None:
    if _keys_marker(tx)["scheme"] != KEY_SCHEME:
        tx.run(
            "MATCH (m:PartnermapMeta {name: $name, network: $network}) "
            "SET m.planned = $scheme",
            name=_KEYS,
            network=_ALL_NETWORKS,
            scheme=KEY_SCHEME,
        ).consume()


def _rekey_step(tx: neo4j.ManagedTransaction, query: str, ids: list[str]) -> None:
    _keys_marker(tx)
    tx.run(query, ids=ids).consume()


def _rekey_done(tx: neo4j.ManagedTransaction) -> None:
    _keys_marker(tx)
    tx.run(
        "MATCH (m:PartnermapMeta {name: $name, network: $network}) "
        "SET m.scheme = $scheme REMOVE m.planned",
        name=_KEYS,
        network=_ALL_NETWORKS,
        scheme=KEY_SCHEME,
    ).consume()


def _existing(tx: neo4j.ManagedTransaction, network: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), _STAKEHOLDER_CHUNK):
        part = ids[start : start + _STAKEHOLDER_CHUNK]
        found.update(
            r[0]
            for r in tx.run(
                "UNWIND $ids AS id MATCH (s:Stakeholder) "
                "USING INDEX SEEK s:Stakeholder(network, id) "
                "WHERE s.network = $network AND s.id = id RETURN s.id",
                network=network,
                ids=part,
            ).values()
        )
    return found


def _checked_interaction(item: Interaction) -> tuple[str, list[Any]]:
    """The relationship type and the row that writes one interaction.

    A row is ``[source, target, key, date, school_year, direction, confirmed,
    provenance, extra]``, a list rather than a map because it packs several
    times faster; ``extra`` holds the attribute JSON and copies, or None.
    """
    try:
        rel = REL_TYPES[InteractionType(item.type)]
    except ValueError as exc:
        raise StoreError(
            f"interaction type {item.type!r} is not one of "
            f"{', '.join(t.value for t in InteractionType)}"
        ) from exc
    assert item.direction is not None
    attributes = _plain(dict(item.attributes))
    extra = None
    if attributes:
        extra = {**_copies(attributes, _REL_CORE), "attributes": _dumps(attributes)}
    return rel, [
        str(item.source),
        str(item.target),
        item.key,
        item.date,
        item.school_year,
        Direction(item.direction).value,
        bool(item.confirmed),
        item.provenance or "",
        extra,
    ]


class _Import:
    """One import inside one write transaction."""

    def __init__(
        self,
        tx: neo4j.ManagedTransaction,
        network: str,
        people: list[dict[str, Any]],
        events: list[Interaction],
        updates: dict[str, dict[str, Any]],
        progress: Progress | None,
    ) -> None:
        self.tx = tx
        self.network = network
        self.people = people
        self.events = events
        self.updates = updates
        self.progress = progress
        self.result = ApplyResult()
        self.empty_types: set[str] = set()

    def run(self, dry_run: bool) -> ApplyResult:
        # Imports into one network queue on its meta node's lock.
        _lock(self.tx, self.network)
        known = self._stakeholders()
        # A type with no relationship in this network yet needs no look-up of
        # its keys: only this transaction can add some, and it skips keys it
        # has seen.
        self.empty_types = {rel for rel in REL_TYPES.values() if not self._has_any(rel)}
        self._interactions(known)
        if not self.result.changed or dry_run:
            raise _Rollback(self.result)
        record = self.tx.run(
            "MATCH (m:PartnermapMeta {name: $name, network: $network}) "
            "SET m.version = m.version + 1 RETURN m.version AS v",
            name=_META,
            network=self.network,
        ).single(strict=True)
        self.result.version = int(record["v"])
        return self.result

    def _has_any(self, rel: str) -> bool:
        return (
            self.tx.run(
                f"MATCH ()-[r:{rel}]->() USING INDEX SEEK r:{rel}(network, key) "
                f"WHERE {_R_OF_NETWORK} RETURN r.key LIMIT 1",
                network=self.network,
            ).single()
            is not None
        )

    # Stakeholders and attribute updates are folded in Python against what the
    # store holds, exactly as the SQLite store does row by row, then the final
    # state of each changed stakeholder is written once.
    def _stakeholders(self) -> set[str]:
        ids = list(dict.fromkeys([p["id"] for p in self.people] + list(self.updates)))
        stored = {
            row[0]: {
                "name": row[1],
                "kind": row[2],
                "attributes": row[3],
                "source": row[4],
            }
            for row in self._stored(ids)
        }
        state = {sid: dict(rec) for sid, rec in stored.items()}
        total = len(self.people)
        for n, person in enumerate(self.people, 1):
            self._upsert(state, person)
            if self.progress and (n % _STAKEHOLDER_CHUNK == 0 or n == total):
                self.progress("stakeholders", n, total)
        for sid, attrs in self.updates.items():
            if sid not in state:
                raise StoreError(f"attribute update for unknown stakeholder {sid!r}")
            old = json.loads(state[sid]["attributes"])
            new = {**old, **attrs}
            if new != old:
                state[sid]["attributes"] = _dumps(new)
                self.result.attributes_updated += 1
        changed = [
            {"id": sid, **rec} for sid, rec in state.items() if stored.get(sid) != rec
        ]
        self._write_stakeholders(changed)
        return set(state)

    def _stored(self, ids: list[str]) -> list[list[Any]]:
        rows: list[list[Any]] = []
        for start in range(0, len(ids), _STAKEHOLDER_CHUNK):
            rows.extend(
                self.tx.run(
                    "UNWIND $ids AS id MATCH (s:Stakeholder) "
                    "USING INDEX SEEK s:Stakeholder(network, id) "
                    f"WHERE s.network = $network AND s.id = id RETURN {_NODE_FIELDS}",
                    network=self.network,
                    ids=ids[start : start + _STAKEHOLDER_CHUNK],
                ).values()
            )
        for row in rows:
            row[3] = _dumps(json.loads(row[3]) if row[3] else {})
            row[4] = row[4] or ""
        return rows

    def _upsert(self, state: dict[str, dict[str, Any]], person: dict[str, Any]) -> None:
        old = state.get(person["id"])
        if old is None:
            state[person["id"]] = {
                "name": person["name"],
                "kind": person["kind"],
                "attributes": _dumps(person["attributes"]),
                "source": person["source"],
            }
            self.result.stakeholders_added += 1
            return
        new = {
            "name": person["name"],
            "kind": person["kind"],
            "attributes": _dumps(
                {**json.loads(old["attributes"]), **person["attributes"]}
            ),
            "source": old["source"] or person["source"],
        }
        if new != old:
            state[person["id"]] = new
            self.result.stakeholders_updated += 1

    def _write_stakeholders(self, changed: list[dict[str, Any]]) -> None:
        for kind, label in KIND_LABELS.items():
            rows = [
                {
                    "id": rec["id"],
                    "props": {
                        **_copies(json.loads(rec["attributes"]), _NODE_CORE),
                        "name": rec["name"],
                        "kind": rec["kind"],
                        "source": rec["source"],
                        "attributes": rec["attributes"],
                    },
                }
                for rec in changed
                if rec["kind"] == kind.value
            ]
            others = ":".join(v for k, v in KIND_LABELS.items() if k is not kind)
            for start in range(0, len(rows), _STAKEHOLDER_CHUNK):
                self.tx.run(
                    "UNWIND $rows AS row "
                    "MERGE (s:Stakeholder {network: $network, id: row.id}) "
                    f"SET s += row.props, s:{label} REMOVE s:{others}",
                    network=self.network,
                    rows=rows[start : start + _STAKEHOLDER_CHUNK],
                ).consume()

    # Interactions are immutable events keyed by their content: a key already in
    # the store, or earlier in the batch, is skipped.
    def _interactions(self, known: set[str]) -> None:
        seen: set[str] = set()
        total = len(self.events)
        for start in range(0, total, _INTERACTION_CHUNK):
            chunk = [
                _checked_interaction(e)
                for e in self.events[start : start + _INTERACTION_CHUNK]
            ]
            self._check_ends(chunk, known)
            by_rel: dict[str, list[list[Any]]] = {}
            for rel, row in chunk:
                if row[2] not in seen:
                    seen.add(row[2])
                    by_rel.setdefault(rel, []).append(row)
            for rel, rows in by_rel.items():
                self._create(rel, rows)
            if self.progress:
                self.progress(
                    "interactions", min(start + _INTERACTION_CHUNK, total), total
                )

    def _check_ends(self, chunk: list[tuple[str, list[Any]]], known: set[str]) -> None:
        ends = {row[0] for _, row in chunk} | {row[1] for _, row in chunk}
        unknown = ends - known
        if unknown:
            known.update(_existing(self.tx, self.network, sorted(unknown)))
        for _, row in chunk:
            for end, sid in (("source", row[0]), ("target", row[1])):
                if sid not in known:
                    raise StoreError(
                        f"interaction from {row[7] or 'the batch'} refers to {end} "
                        f"{sid!r}, which is not a stakeholder of network "
                        f"{self.network!r} in the store or the batch; load its "
                        "stakeholders first"
                    )

    def _stored_keys(self, rel: str, keys: list[str]) -> set[str]:
        if rel in self.empty_types:
            return set()
        rows = self.tx.run(
            f"UNWIND $keys AS k MATCH ()-[r:{rel}]->() "
            f"USING INDEX SEEK r:{rel}(network, key) "
            "WHERE r.network = $network AND r.key = k RETURN r.key",
            network=self.network,
            keys=keys,
        ).values()
        return {r[0] for r in rows}

    def _create(self, rel: str, rows: list[list[Any]]) -> None:
        stored = self._stored_keys(rel, [row[2] for row in rows])
        plain = [row[:8] for row in rows if row[2] not in stored and row[8] is None]
        rich = [row for row in rows if row[2] not in stored and row[8] is not None]
        for part, extra in ((plain, ""), (rich, "SET r += row[8] ")):
            if not part:
                continue
            record = self.tx.run(
                "UNWIND $rows AS row "
                "MATCH (a:Stakeholder) USING INDEX SEEK a:Stakeholder(network, id) "
                "WHERE a.network = $network AND a.id = row[0] "
                "MATCH (b:Stakeholder) USING INDEX SEEK b:Stakeholder(network, id) "
                "WHERE b.network = $network AND b.id = row[1] "
                f"CREATE (a)-[r:{rel} {{network: $network, key: row[2], "
                "date: row[3], school_year: row[4], direction: row[5], "
                f"confirmed: row[6], provenance: row[7]}}]->(b) {extra}"
                "RETURN count(r) AS n",
                network=self.network,
                rows=part,
            ).single(strict=True)
            if record["n"] != len(part):
                raise StoreError(
                    f"{len(part) - record['n']} {rel} interactions lost an end "
                    "while they were written; run the import again"
                )
            self.result.interactions_added += len(part)
