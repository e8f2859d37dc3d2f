"""The finding routes on the tiny graph and the NYC example: status, then fields."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

KINDS = ["one-way", "brokers", "coverage", "need", "dormant", "communities",
         "introductions", "summary"]


@pytest.fixture(scope="module")
def nyc_client(nyc_store_url: str) -> Iterator[TestClient]:
    from partnermap.api.app import create_app

    with TestClient(create_app(nyc_store_url)) as client:
        yield client


@pytest.mark.parametrize("kind", KINDS)
def test_every_finding_route_answers_with_its_window(tiny_client: TestClient, kind: str) -> None:
    res = tiny_client.get(f"/api/findings/{kind}", params={"school_year": "2024-25"})
    assert res.status_code == 200
    assert res.json()["window"] == "2024-07-01..2025-06-30"


def test_one_way_route_marks_the_silent_side_unknown(tiny_client: TestClient) -> None:
    # nonprofit-1 never sent anything in the whole store: its side is unknown.
    (row,) = tiny_client.get("/api/findings/one-way").json()["relationships"]
    assert (row["status"], row["reason"]) == ("unknown", "never_reported")


def test_brokers_route_names_the_school(tiny_client: TestClient) -> None:
    # Lincoln High ties the PTA and Reading Partners: leaving cuts one of them off.
    body = tiny_client.get("/api/findings/brokers").json()
    assert [b["stakeholder"]["id"] for b in body["brokers"]] == ["school-1"]
    assert body["brokers"][0]["cut_off"] == [
        {"id": "nonprofit-1", "name": "Reading Partners", "kind": "nonprofit"}]


def test_coverage_takes_rules_as_toml(tiny_client: TestClient) -> None:
    rules = '[[rules]]\nid = "np"\napplies_to = ["school"]\npartner_kinds = ["nonprofit"]\n'
    body = tiny_client.get("/api/findings/coverage", params={"rules": rules}).json()
    assert body["totals"] == {"np": 0}
    res = tiny_client.get("/api/findings/coverage", params={"rules": "[[rules]]\nid = 1"})
    assert res.status_code == 422
    assert res.json()["error"] == "InvalidInputError"
    assert res.json()["detail"].startswith("rules rule 1: applies_to must list kinds from")


@pytest.mark.parametrize(
    ("path", "params"),
    [("/api/findings/one-way", {"threshold": 0.4}), ("/api/findings/one-way", {"threshold": 2}),
     ("/api/findings/dormant", {"dormant_days": -1}), ("/api/findings/dormant", {"as_of": "soon"}),
     ("/api/stakeholders/school-1/network", {"depth": 0}),
     ("/api/stakeholders/school-1/network", {"depth": 9}),
     ("/api/changes", {"from": "2014-15"}), ("/api/changes", {"from": "2014-16", "to": "2016"}),
     ("/api/changes", {"from": "2016-02-01..2016-01-01", "to": "2016"})],
)
def test_bad_parameters_are_422(tiny_client: TestClient, path: str, params: dict[str, object]) -> None:
    assert tiny_client.get(path, params=params).status_code == 422


def test_changes_in_reverse_order_are_422_with_the_order(tiny_client: TestClient) -> None:
    for path in ("/api/changes", "/changes"):
        res = tiny_client.get(path, params={"from": "2016-17", "to": "2014-15"})
        assert res.status_code == 422
        assert ("period '2016-17' starts after '2014-15'; give the earlier period "
                "first (2014-15, then 2016-17)") in html.unescape(res.text)
    # The page keeps its form, so the periods can be picked again.
    assert '<select name="from">' in res.text


@pytest.mark.parametrize("path", ["/api/stakeholders/nobody/network",
                                  "/api/stakeholders/nobody/whatif-leaves"])
def test_unknown_stakeholder_is_404(tiny_client: TestClient, path: str) -> None:
    res = tiny_client.get(path)
    assert res.status_code == 404
    assert res.json() == {"error": "NotFoundError", "detail": "no stakeholder with id 'nobody'"}


def test_network_route_gives_the_ego_network(tiny_client: TestClient) -> None:
    body = tiny_client.get("/api/stakeholders/family-1/network", params={"depth": 2}).json()
    assert [(n["id"], n["distance"]) for n in body["nodes"]] == [
        ("family-1", 0), ("school-1", 1), ("nonprofit-1", 2)]
    assert {(t["source"], t["target"]): t["status"] for t in body["ties"]} == {
        ("family-1", "school-1"): "balanced", ("school-1", "nonprofit-1"): "unknown"}


def test_whatif_route(tiny_client: TestClient) -> None:
    body = tiny_client.get("/api/stakeholders/school-1/whatif-leaves").json()
    assert body["ties_lost"] == 2
    assert body["what"] == ("if Lincoln High leaves, 1 nonprofit loses every tie to the "
                            "rest of the network")


def test_nyc_changes_route_2014_15_to_2016_17(nyc_client: TestClient) -> None:
    res = nyc_client.get("/api/changes", params={"from": "2014-15", "to": "2016-17"})
    assert res.status_code == 200
    t = res.json()["totals"]
    # Worked out from the loader's records in tests/graph/test_time.py.
    assert (t["joined"], t["dropped"], t["ended"]) == (422, 200, 450)


def test_nyc_coverage_route_lists_211_schools_without_a_business(nyc_client: TestClient) -> None:
    body = nyc_client.get("/api/findings/coverage").json()
    assert body["totals"]["business-partner"] == 211


def test_repeated_request_is_served_from_the_cache(nyc_client: TestClient) -> None:
    import time

    nyc_client.get("/api/findings/brokers")
    start = time.perf_counter()
    again = nyc_client.get("/api/findings/brokers")
    assert again.status_code == 200
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize(
    ("params", "dormant"),
    [({"as_of": "0001-01-01"}, 0), ({"as_of": "0001-01-01", "dormant_days": 36500}, 0),
     ({"as_of": "9999-12-31", "dormant_days": 36500}, "every dated tie")],
)
def test_dormancy_at_the_ends_of_the_calendar(
    tiny_client: TestClient, params: dict[str, object], dormant: object
) -> None:
    """A period reaching back before the year 1 holds no dormant tie (it was a 500)."""
    body = tiny_client.get("/api/findings/dormant", params=params).json()
    totals = body["totals"]
    expected = totals["ties"] - totals["undated"] if dormant == "every dated tie" else dormant
    assert totals["dormant"] == expected
    assert totals["ties"] - totals["undated"] > 0
    res = tiny_client.get("/api/stakeholders/school-1/network", params=params)
    assert res.status_code == 200
