"""The NYC example in both stores: the same records, findings and API answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from partnermap.api.app import create_app
from partnermap.graph.findings import analyze
from partnermap.graph.snapshot import Window, take_snapshot
from partnermap.model import ImportBatch, school_year_end, school_year_start
from partnermap.store import open_store
from partnermap.store.neo4j import Neo4jStore
from tests.store.conftest import wipe

ROUTES = [
    "/api/health",
    "/api/stakeholders?limit=500",
    "/api/stakeholders?kind=school&search=high&offset=20&limit=50",
    "/api/findings/summary",
    "/api/findings/isolated-groups",
    "/api/findings/one-way",
    "/api/findings/brokers",
    "/api/findings/coverage",
    "/network.csv",
]


@pytest.fixture(scope="module")
def nyc_neo4j(neo4j_url: str, nyc_batch: ImportBatch) -> Iterator[Neo4jStore]:
    """A Neo4j store holding the NYC example, once for this module."""
    wipe(neo4j_url)
    with Neo4jStore.from_url(neo4j_url) as store:
        store.loaded = store.apply(nyc_batch)  # type: ignore[attr-defined]
        yield store


def _answers(url: str, routes: list[str]) -> dict[str, Any]:
    with TestClient(create_app(url)) as client:
        out: dict[str, Any] = {}
        for route in routes:
            response = client.get(route)
            body = (
                response.json()
                if "json" in response.headers["content-type"]
                else response.text
            )
            if route == "/api/health":
                body.pop("store")  # the kind of store, which is what differs
            out[route] = (response.status_code, body)
        return out


@pytest.mark.neo4j
def test_nyc_example_reads_the_same_from_both_stores(
    nyc_store_url: str, nyc_neo4j: Neo4jStore
) -> None:
    neo4j_store, loaded = nyc_neo4j, nyc_neo4j.loaded  # type: ignore[attr-defined]

    with open_store(nyc_store_url) as sqlite:
        assert loaded.interactions_added == sqlite.counts()["interactions"]
        assert neo4j_store.counts() == sqlite.counts()
        assert [s.to_dict() for s in neo4j_store.iter_stakeholders()] == [
            s.to_dict() for s in sqlite.iter_stakeholders()
        ]
        assert [i.to_dict() for i in neo4j_store.iter_interactions()] == [
            i.to_dict() for i in sqlite.iter_interactions()
        ]
        year = Window(school_year_start("2015-16"), school_year_end("2015-16"))
        for window in (None, year):
            ours = analyze(take_snapshot(neo4j_store, window).relationships)
            theirs = analyze(take_snapshot(sqlite, window).relationships)
            assert ours == theirs


@pytest.mark.neo4j
def test_nyc_example_gives_the_same_api_answers(
    nyc_store_url: str, nyc_neo4j: Neo4jStore
) -> None:
    with open_store(nyc_store_url) as sqlite:
        first = next(iter(sqlite.iter_stakeholders())).id
    routes = [
        *ROUTES,
        f"/api/stakeholders/{first}",
        f"/api/stakeholders/{first}/network",
    ]

    ours = _answers(nyc_neo4j.url, routes)
    theirs = _answers(nyc_store_url, routes)

    assert {r: status for r, (status, _) in ours.items()} == dict.fromkeys(routes, 200)
    for route in routes:
        assert ours[route] == theirs[route], route
