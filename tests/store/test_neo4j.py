"""What only the Neo4j store has: its schema, concurrency, restarts, credentials."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import neo4j
import pytest

from partnermap.errors import StoreError
from partnermap.model import (
    KEY_SCHEME,
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
    number_occurrences,
)
from partnermap.store import open_store
from partnermap.store.neo4j import (
    KIND_LABELS,
    PASSWORD_VARIABLE,
    REL_TYPES,
    USER_VARIABLE,
    Neo4jStore,
)
from tests.store.conftest import ROOT, unavailable
from tests.store.network import network

SCHOOL = StakeholderKind.SCHOOL


@pytest.fixture
def cypher(neo4j_url: str) -> Iterator[Any]:
    """Run a Cypher query on the test server; returns its records."""
    auth = (os.environ.get(USER_VARIABLE) or "neo4j", os.environ[PASSWORD_VARIABLE])
    with neo4j.GraphDatabase.driver(neo4j_url, auth=auth) as driver:

        def run(query: str, **params: Any) -> list[neo4j.Record]:
            return driver.execute_query(query, params).records

        yield run


# -- opening ---------------------------------------------------------------------


def test_open_without_password_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)

    with pytest.raises(StoreError, match=f"set {PASSWORD_VARIABLE}"):
        open_store("neo4j://127.0.0.1:7687")


def test_open_refuses_credentials_in_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, "irrelevant")

    with pytest.raises(StoreError, match="must not carry credentials"):
        open_store("bolt://neo4j:secret@127.0.0.1:7687")


def test_open_unreachable_server_fails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, "irrelevant")

    with pytest.raises(StoreError, match="cannot be reached"):
        open_store("bolt://127.0.0.1:1")


@pytest.mark.neo4j
def test_open_with_wrong_password_names_the_variables(neo4j_url: str) -> None:
    with pytest.raises(
        StoreError, match=f"check {USER_VARIABLE} and {PASSWORD_VARIABLE}"
    ):
        Neo4jStore(neo4j_url, ("neo4j", "not-the-password"))


# -- schema ------------------------------------------------------------------------


@pytest.mark.neo4j
def test_schema_makes_ids_and_keys_unique(neo4j_store: Neo4jStore, cypher: Any) -> None:
    rows = cypher(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
        "RETURN type, labelsOrTypes[0] AS on, properties AS p"
    )
    indexes = cypher("SHOW INDEXES YIELD name RETURN collect(name) AS names")

    unique = {(r["type"], r["on"], tuple(r["p"])) for r in rows}
    assert ("UNIQUENESS", "Stakeholder", ("network", "id")) in unique
    assert {
        ("RELATIONSHIP_UNIQUENESS", rel, ("network", "key"))
        for rel in REL_TYPES.values()
    } <= unique
    assert ("UNIQUENESS", "Stakeholder", ("id",)) not in unique
    assert {"stakeholder_kind", "stakeholder_name"} <= set(indexes[0]["names"])
    cypher("CREATE (:Stakeholder {network: 'main', id: 'twin'})")
    cypher("CREATE (:Stakeholder {network: 'other', id: 'twin'})")
    with pytest.raises(neo4j.exceptions.ConstraintError):
        cypher("CREATE (:Stakeholder {network: 'main', id: 'twin'})")


@pytest.mark.neo4j
def test_open_moves_a_database_from_before_networks_into_main(
    neo4j_url: str, neo4j_store: Neo4jStore, cypher: Any
) -> None:
    cypher("MATCH (n) DETACH DELETE n")
    for old in (
        "stakeholder_id IF NOT EXISTS FOR (s:Stakeholder) REQUIRE s.id",
        "partnermap_meta_name IF NOT EXISTS FOR (m:PartnermapMeta) REQUIRE m.name",
        "meeting_key IF NOT EXISTS FOR ()-[r:MEETING]-() REQUIRE r.key",
    ):
        cypher(f"CREATE CONSTRAINT {old} IS UNIQUE")
    cypher(
        "CREATE (:PartnermapMeta {name: 'partnermap', version: 3}) "
        "CREATE (:PartnermapMeta {name: 'audit', audit_lines: 1}) "
        "CREATE (:Stakeholder:School {id: 'S1', name: 'Old High', kind: 'school'})"
        "-[:MEETING {key: 'k1', direction: 'one_way', confirmed: true}]->"
        "(:Stakeholder:School {id: 'S2', name: 'Old Middle', kind: 'school'}) "
        "CREATE (:PartnermapApiKey {id: 'k-1', role: 'viewer', key_hash: 'h', "
        "created: '2025-01-01'}) "
        "CREATE (:PartnermapAudit {n: 1, at: '2025-01-01', who: 'cli', "
        "action: 'import', what: 'old.csv'})"
    )

    with Neo4jStore.from_url(neo4j_url) as store:
        assert store.version() == 3
        assert store.counts()["stakeholders"] == 2
        assert [(i.source, i.target) for i in store.interactions_of("S1")] == [
            ("S1", "S2")
        ]
        assert [k.id for k in store.api_keys()] == ["k-1"]
        assert [a["what"] for a in store.audit_log()] == ["old.csv"]
        assert store.networks() == ["main"]
        names = cypher("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS n")
        assert not {"stakeholder_id", "partnermap_meta_name", "meeting_key"} & set(
            names[0]["n"]
        )
        store.for_network("north").apply(
            ImportBatch(stakeholders=[Stakeholder("S1", "New North", SCHOOL)])
        )
    [left] = cypher(
        "RETURN COUNT { (x) WHERE x.network IS NULL } AS nodes, "
        "COUNT { ()-[r]->() WHERE r.network IS NULL } AS rels"
    )
    assert (left["nodes"], left["rels"]) == (0, 0)


def _meeting(provenance: str = "", occurrence: int = 0) -> Interaction:
    return Interaction(
        "o1",
        "s1",
        InteractionType.MEETING,
        date(2016, 3, 1),
        "2015-16",
        provenance=provenance,
        occurrence=occurrence,
    )


def _old_meetings(cypher: Any, rows: list[tuple[str, str]]) -> None:
    """A database as a store wrote it before content keys: two schools and a
    meeting between them for each (key, provenance), and no rekey marker."""
    cypher("MATCH (n) DETACH DELETE n")
    cypher(
        "UNWIND ['o1', 's1'] AS id CREATE (:Stakeholder:School {network: 'main', "
        "id: id, name: id, kind: 'school', source: '', attributes: '{}'})"
    )
    cypher(
        "MATCH (a:Stakeholder {id: 'o1'}), (b:Stakeholder {id: 's1'}) "
        "UNWIND $rows AS row CREATE (a)-[:MEETING {network: 'main', key: row[0], "
        "date: date('2016-03-01'), school_year: '2015-16', direction: 'both', "
        "confirmed: true, provenance: row[1]}]->(b)",
        rows=rows,
    )


def _stored(cypher: Any) -> list[tuple[str, str]]:
    rows = cypher("MATCH ()-[r]->() RETURN r.key AS key, r.provenance AS p")
    return sorted((r["key"], r["p"]) for r in rows)


def _batch_of(provenances: list[str]) -> ImportBatch:
    """The batch a load of those rows makes, numbered per file."""
    items = [_meeting(p) for p in provenances]
    for file in {p.split(" row ")[0] for p in provenances}:
        number_occurrences([i for i in items if i.provenance.startswith(file)])
    people = [Stakeholder(sid, sid, SCHOOL) for sid in ("o1", "s1")]
    return ImportBatch(stakeholders=people, interactions=items)


OLD_FILES = ["a.csv row 3", "b.csv row 7", "c.csv row 2", "c.csv row 9"]


@pytest.mark.neo4j
def test_open_rekeys_old_interactions_to_content_keys(
    neo4j_url: str, neo4j_store: Neo4jStore, cypher: Any
) -> None:
    # The same meeting in a.csv, again in b.csv, and twice in c.csv.
    _old_meetings(cypher, [(f"k{n}", p) for n, p in enumerate(OLD_FILES, 1)])

    with Neo4jStore.from_url(neo4j_url) as store:
        found = sorted((i.key, i.provenance) for i in store.iter_interactions())
        again = store.apply(_batch_of(OLD_FILES))

    # a.csv and b.csv each hold it once, so they are one event; c.csv holds two.
    assert found == sorted(
        [(_meeting().key, "a.csv row 3"), (_meeting(occurrence=1).key, "c.csv row 9")]
    )
    assert again.interactions_added == 0
    [marker] = cypher(
        "MATCH (m:PartnermapMeta {name: 'interaction_keys'}) "
        "RETURN m.network AS network, m.scheme AS scheme, m.planned AS planned"
    )
    assert dict(marker) == {"network": "*", "scheme": KEY_SCHEME, "planned": None}
    [left] = cypher(
        "RETURN COUNT { ()-[r]->() WHERE r.partnermap_rekey IS NOT NULL } AS n"
    )
    assert left["n"] == 0


@pytest.mark.neo4j
def test_open_rekeys_keys_that_change_places(
    neo4j_url: str,
    neo4j_store: Neo4jStore,
    cypher: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Row 9 holds the key row 2 is given, and gets the next one. One
    # relationship a transaction, row 2 first (its new key sorts first): it
    # must not take the key before row 9 has left it.
    _old_meetings(cypher, [("k3", "c.csv row 2"), (_meeting().key, "c.csv row 9")])
    monkeypatch.setattr("partnermap.store.neo4j._REKEY_CHUNK", 1)

    Neo4jStore.from_url(neo4j_url).close()

    assert _stored(cypher) == sorted(
        [(_meeting().key, "c.csv row 2"), (_meeting(occurrence=1).key, "c.csv row 9")]
    )


@pytest.mark.neo4j
@pytest.mark.parametrize("cut", range(12))
def test_open_finishes_a_rekey_cut_short(
    neo4j_url: str,
    neo4j_store: Neo4jStore,
    cypher: Any,
    monkeypatch: pytest.MonkeyPatch,
    cut: int,
) -> None:
    _old_meetings(cypher, [(f"k{n}", p) for n, p in enumerate(OLD_FILES, 1)])
    # One relationship a batch: 4 of the plan, planned, 2 deletes, 2 moves away,
    # 2 new keys, done.
    monkeypatch.setattr("partnermap.store.neo4j._REKEY_CHUNK", 1)
    write = Neo4jStore._write
    calls = iter(range(100))

    def cut_short(self: Neo4jStore, work: Any, action: str) -> Any:
        if next(calls) == cut:
            raise StoreError("the server went away")
        return write(self, work, action)

    with monkeypatch.context() as patch:
        patch.setattr(Neo4jStore, "_write", cut_short)
        with pytest.raises(StoreError, match="went away"):
            Neo4jStore.from_url(neo4j_url)
    Neo4jStore.from_url(neo4j_url).close()

    assert _stored(cypher) == sorted(
        [(_meeting().key, "a.csv row 3"), (_meeting(occurrence=1).key, "c.csv row 9")]
    )


@pytest.mark.neo4j
def test_open_marks_a_fresh_database_rekeyed(
    neo4j_store: Neo4jStore, cypher: Any
) -> None:
    [marker] = cypher(
        "MATCH (m:PartnermapMeta {name: 'interaction_keys'}) RETURN m.scheme AS s"
    )

    assert marker["s"] == KEY_SCHEME


@pytest.mark.neo4j
def test_for_network_shares_the_driver_and_leaves_it_open(
    neo4j_store: Neo4jStore,
) -> None:
    north = neo4j_store.for_network("north")

    north.close()

    neo4j_store.ping()
    assert north.network == "north" and neo4j_store.network == "main"


@pytest.mark.neo4j
def test_graph_reads_naturally_in_cypher(neo4j_store: Neo4jStore, cypher: Any) -> None:
    neo4j_store.apply(network())

    [school] = cypher(
        "MATCH (s:School {id: '00123'}) "
        "RETURN labels(s) AS labels, s.name AS name, s.borough AS borough, "
        "s.enrollment AS enrollment"
    )
    [listed] = cypher(
        "MATCH (:School {id: '00123'})-[r:PARTNER_LISTED]->(b:Business) "
        "RETURN r.date AS date, r.school_year AS year, r.confirmed AS confirmed, "
        "r.direction AS direction, r.provenance AS provenance"
    )

    assert sorted(school["labels"]) == ["School", "Stakeholder"]
    assert (school["name"], school["borough"], school["enrollment"]) == (
        "Lincoln High",
        "Bronx",
        1200,
    )
    assert dict(listed) == {
        "date": neo4j.time.Date(2014, 7, 1),
        "year": "2014-15",
        "confirmed": False,
        "direction": "one_way",
        "provenance": "hs_directory.csv row 2",
    }
    assert KIND_LABELS[StakeholderKind.FAMILY_GROUP] == "FamilyGroup"


@pytest.mark.neo4j
def test_kind_change_swaps_the_label(neo4j_store: Neo4jStore, cypher: Any) -> None:
    neo4j_store.apply(network())

    neo4j_store.apply(
        ImportBatch(
            stakeholders=[Stakeholder("C1", "Bronx Arts", StakeholderKind.NONPROFIT)]
        )
    )

    [row] = cypher("MATCH (s {id: 'C1'}) RETURN labels(s) AS labels")
    assert sorted(row["labels"]) == ["Nonprofit", "Stakeholder"]


@pytest.mark.neo4j
def test_values_are_converted_at_the_boundary(
    neo4j_store: Neo4jStore, cypher: Any
) -> None:
    attributes = {
        "missing": float("nan"),
        "opened": date(1998, 9, 1),
        "grades": (9, 10, 11, 12),
        "contact": {"name": "Front office"},
        "mixed": [1, "two"],
        "share": 0.82,
    }
    neo4j_store.apply(
        ImportBatch(stakeholders=[Stakeholder("S1", "School", SCHOOL, attributes)])
    )

    found = neo4j_store.get_stakeholder("S1")
    [row] = cypher("MATCH (s:Stakeholder {id: 'S1'}) RETURN properties(s) AS p")

    assert found is not None
    assert found.attributes == {
        "missing": None,
        "opened": "1998-09-01",
        "grades": [9, 10, 11, 12],
        "contact": {"name": "Front office"},
        "mixed": [1, "two"],
        "share": 0.82,
    }
    copies = {k: v for k, v in row["p"].items() if k in attributes}
    assert copies == {"opened": "1998-09-01", "grades": [9, 10, 11, 12], "share": 0.82}


# -- concurrency ---------------------------------------------------------------------


@pytest.mark.neo4j
def test_concurrent_overlapping_imports_make_one_node_per_stakeholder(
    neo4j_url: str, neo4j_store: Neo4jStore, cypher: Any
) -> None:
    shared = [Stakeholder(f"S{i:03d}", f"Shared {i}", SCHOOL) for i in range(60)]
    common = Interaction("S000", "S001", InteractionType.MEETING, date(2020, 1, 1))

    def batch(worker: int) -> ImportBatch:
        own = [Stakeholder(f"W{worker}-{i}", f"Own {i}", SCHOOL) for i in range(10)]
        links = [
            Interaction(
                p.id, shared[i].id, InteractionType.MEETING, provenance=f"w{worker}"
            )
            for i, p in enumerate(own)
        ]
        return ImportBatch(stakeholders=shared + own, interactions=[common, *links])

    stores = [Neo4jStore.from_url(neo4j_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(len(stores)) as pool:
            results = list(pool.map(lambda w: stores[w].apply(batch(w)), range(4)))
    finally:
        for store in stores:
            store.close()

    [dupes] = cypher(
        "MATCH (s:Stakeholder) WITH s.id AS id, count(*) AS n WHERE n > 1 "
        "RETURN count(id) AS ids"
    )
    assert dupes["ids"] == 0
    assert neo4j_store.counts()["stakeholders"] == 60 + 40
    assert neo4j_store.counts()["interactions"] == 1 + 40
    assert sum(r.stakeholders_added for r in results) == 100
    assert sorted(r.version for r in results) == [1, 2, 3, 4]


@pytest.mark.neo4j
def test_imports_into_two_networks_each_keep_their_own_order(
    neo4j_store: Neo4jStore,
) -> None:
    def batch(worker: int) -> ImportBatch:
        people = [
            Stakeholder(f"S{i}", f"School {i} of {worker}", SCHOOL) for i in range(3)
        ]
        meeting = Interaction(
            "S0", "S1", InteractionType.MEETING, date(2020, 1, 1 + worker)
        )
        return ImportBatch(stakeholders=people, interactions=[meeting])

    stores = [neo4j_store.for_network(n) for n in ("north", "north", "south", "south")]
    with ThreadPoolExecutor(len(stores)) as pool:
        results = list(pool.map(lambda w: stores[w].apply(batch(w)), range(4)))

    assert sorted(r.version for r in results[:2]) == [1, 2]
    assert sorted(r.version for r in results[2:]) == [1, 2]
    assert [
        neo4j_store.for_network(n).counts()["interactions"] for n in ("north", "south")
    ] == [2, 2]
    assert neo4j_store.networks() == ["north", "south"]


# -- restarts ------------------------------------------------------------------------


def _script(*args: str) -> None:
    subprocess.run(
        ["bash", str(ROOT / ".ci" / "neo4j.sh"), *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture
def restartable(neo4j_url: str) -> str:
    """The test server, when .ci/neo4j.sh started it and so can restart it."""
    port = urlsplit(neo4j_url).port or 7687
    status = subprocess.run(
        ["bash", str(ROOT / ".ci" / "neo4j.sh"), "status"],
        check=False,
        capture_output=True,
        text=True,
    )
    if status.returncode != 0 or str(port) != os.environ.get("NEO4J_BOLT_PORT", "7687"):
        unavailable(
            f"the Neo4j at {neo4j_url} was not started by .ci/neo4j.sh with this "
            "environment, so the restart test cannot restart it"
        )
    return neo4j_url


@pytest.mark.neo4j
def test_store_answers_after_the_server_restarts(
    restartable: str, neo4j_store: Neo4jStore
) -> None:
    neo4j_store.apply(network())

    _script("stop")
    try:
        with pytest.raises(StoreError, match="cannot be reached"):
            neo4j_store.ping()
        # A query gives up after RETRY_S (5 s), not the driver's 30 s.
        with pytest.raises(StoreError, match="check that the server is running"):
            neo4j_store.counts()
    finally:
        _script("start")
        _script("wait")

    neo4j_store.ping()
    assert neo4j_store.counts()["interactions"] == 5
    more = ImportBatch(stakeholders=[Stakeholder("N1", "After the restart", SCHOOL)])
    assert neo4j_store.apply(more).version == 2
