"""Store fixtures: a fresh, empty store of each kind.

The Neo4j store runs against a real server named by PARTNERMAP_TEST_NEO4J_URL
(for example bolt://127.0.0.1:7687) with PARTNERMAP_NEO4J_PASSWORD; every test
starts from an empty database. Without a server the Neo4j tests are skipped
with the reason, except under CI=true, where they fail: CI never skips them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from partnermap.errors import StoreError
from partnermap.store.base import Store
from partnermap.store.neo4j import PASSWORD_VARIABLE, USER_VARIABLE, Neo4jStore
from partnermap.store.sqlite import SQLiteStore

URL_VARIABLE = "PARTNERMAP_TEST_NEO4J_URL"
ROOT = Path(__file__).resolve().parents[2]
HOW_TO_START = (
    "start it with `bash .ci/neo4j.sh start && bash .ci/neo4j.sh wait` "
    f"(needs Java 17 and Maven; set {PASSWORD_VARIABLE} first), then set "
    f"{URL_VARIABLE}=bolt://127.0.0.1:7687"
)


def unavailable(reason: str) -> None:
    """Skip with the reason; under CI=true, fail instead."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the Neo4j tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_url() -> str:
    """The URL of a Neo4j server that answers, or a skip with the reason."""
    url = os.environ.get(URL_VARIABLE)
    if not url:
        unavailable(f"Neo4j not running: {URL_VARIABLE} is not set; {HOW_TO_START}")
    if not os.environ.get(PASSWORD_VARIABLE):
        unavailable(
            f"Neo4j not running: {PASSWORD_VARIABLE} is not set; {HOW_TO_START}"
        )
    try:
        Neo4jStore.from_url(url).close()
    except StoreError as exc:
        unavailable(f"Neo4j not running at {url}: {exc}; {HOW_TO_START}")
    return str(url)


def wipe(url: str) -> None:
    """Delete every node and relationship; constraints and indexes stay."""
    auth = (os.environ.get(USER_VARIABLE) or "neo4j", os.environ[PASSWORD_VARIABLE])
    with (
        neo4j.GraphDatabase.driver(url, auth=auth) as driver,
        driver.session() as session,
    ):
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


@pytest.fixture
def neo4j_store(neo4j_url: str) -> Iterator[Neo4jStore]:
    """A Neo4j store over an emptied database."""
    wipe(neo4j_url)
    store = Neo4jStore.from_url(neo4j_url)
    yield store
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty store of each kind."""
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j_store")
        return
    sqlite = SQLiteStore(tmp_path / "store.db")
    yield sqlite
    sqlite.close()
