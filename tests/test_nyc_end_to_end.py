"""The NYC example end to end: load into a store, find, serve.

The expected values are established two ways: by hand from the raw CSV rows
(the sample school), and by an independent union-find over the stored
interactions (components), checked against the findings and written down.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from partnermap.api.app import create_app
from partnermap.graph.findings import analyze
from partnermap.graph.snapshot import take_snapshot
from partnermap.loaders import load_files
from partnermap.store import open_store
from tests.conftest import NYC


@pytest.fixture(scope="module")
def nyc_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('nyc') / 'nyc.db'}"
    files = sorted(p for p in NYC.iterdir() if p.suffix != ".md")
    with open_store(url) as store:
        batch, _ = load_files(files, store_stakeholders=store.iter_stakeholders)
        store.apply(batch)
    return url


@pytest.fixture(scope="module")
def nyc_client(nyc_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(nyc_url)) as client:
        yield client


def _components(url: str) -> tuple[list[set[str]], set[str]]:
    """Weak components by union-find over stored interactions (not networkx)."""
    with open_store(url) as store:
        ids = [s.id for s in store.iter_stakeholders()]
        edges = [(i.source, i.target) for i in store.iter_interactions()]
    parent = {i: i for i in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[root(a)] = root(b)
    touched = {a for e in edges for a in e}
    groups: dict[str, set[str]] = {}
    for i in touched:
        groups.setdefault(root(i), set()).add(i)
    return sorted(groups.values(), key=lambda g: (-len(g), min(g))), set(ids) - touched


def test_store_holds_the_whole_example(nyc_url: str) -> None:
    with open_store(nyc_url) as store:
        counts = store.counts()
    # 437 schools: every 2014-15 DBN recurs in 2016 (SOURCE.md), which has 437.
    assert counts["kind:school"] == 437
    assert counts["stakeholders"] == 5993
    # 6,900 + 7,286 directory listings (tests/loaders) + 1,599 DYCD programs.
    assert counts["interactions"] == 6900 + 7286 + 1599


def test_findings_agree_with_an_independent_union_find(nyc_url: str) -> None:
    components, lonely = _components(nyc_url)
    with open_store(nyc_url) as store:
        found = analyze(take_snapshot(store).relationships)
    iso = found["isolated_groups"]
    assert iso["totals"]["main_component_size"] == len(components[0]) == 4636
    assert iso["totals"]["groups"] == len(components) - 1 == 398
    assert iso["totals"]["stakeholders_in_groups"] == sum(map(len, components[1:])) == 1333
    assert {m["id"] for m in iso["groups"][0]["members"]} == components[1]
    assert {s["id"] for s in iso["isolated_stakeholders"]} == lonely
    assert len(lonely) == 24


def test_one_way_counts_follow_from_the_interaction_types(nyc_url: str) -> None:
    # Directory listings flow school -> partner only; DYCD programs flow both
    # ways. So a pair is one-way exactly when it is listed and never shares a
    # program, and every one-way relationship is an unconfirmed claim.
    with open_store(nyc_url) as store:
        listed = {(i.source, i.target) for i in store.iter_interactions() if i.type.value == "partner_listed"}
        both = {
            frozenset((i.source, i.target))
            for i in store.iter_interactions()
            if i.type.value == "program_hosted"
        }
        found = analyze(take_snapshot(store).relationships)["one_way"]
    one_way = {p for p in listed if frozenset(p) not in both}
    assert found["totals"]["one_way"] == len(one_way) == 7589
    assert found["totals"]["unconfirmed_claims"] == 7589
    assert found["totals"]["mutual_pairs"] == len(both) == 1378


def test_a_school_and_its_partners_through_the_api(nyc_client: TestClient) -> None:
    # 01M292 lists the same partners in both directories (read from the CSVs):
    # cbo "The Henry Street Settlement; Asia Society; America Reads; Future
    # Project; 21st Century Grant", hospital "Gouverneur Hospital (Turning
    # Points)", higher ed "New York University", cultural "Asia Society",
    # nonprofit "Heart of America Foundation", other "United Nations".
    res = nyc_client.get("/api/stakeholders/01M292")
    assert res.status_code == 200
    body = res.json()
    assert body["name"] == "Henry Street School for International Studies"
    ties = {t["other"]["name"]: t for t in body["relationships"]}
    assert set(ties) == {
        "Henry Street Settlement",
        "Asia Society",
        "America Reads",
        "The Future Project",  # the spelling most schools use
        "21st Century Grant",
        "Gouverneur Hospital (Turning Points)",
        "New York University",
        "Heart of America Foundation",
        "United Nations",
    }
    assert {t["status"] for t in ties.values()} == {"one_way_out"}
    # Asia Society is listed in two columns in each of the two years.
    assert ties["Asia Society"]["outgoing"] == {"partner_listed": 4}
    assert ties["New York University"]["outgoing"] == {"partner_listed": 2}
    assert (ties["United Nations"]["first"], ties["United Nations"]["last"]) == (
        "2014-07-01",
        "2016-07-01",
    )


def test_api_findings_are_the_analyze_json(nyc_client: TestClient, nyc_url: str) -> None:
    with open_store(nyc_url) as store:
        found = analyze(take_snapshot(store).relationships)
    iso = nyc_client.get("/api/findings/isolated-groups").json()
    assert iso == {"window": "all time", **found["isolated_groups"]}
    one = nyc_client.get("/api/findings/one-way", params={"school_year": "2016-17"}).json()
    # In 2016-17 only the 2016 listings and the undated DYCD programs count.
    assert one["window"] == "2016-07-01..2017-06-30"
    assert all(r["first"] == "2016-07-01" for r in one["relationships"])


def test_api_lists_schools_and_searches_names(nyc_client: TestClient) -> None:
    res = nyc_client.get("/api/stakeholders", params={"kind": "school", "limit": 1})
    assert res.json()["total"] == 437
    # Five partners' names hold "St. John's University"; whichever apostrophe
    # a school typed, the university itself is one of them, once.
    found = nyc_client.get("/api/stakeholders", params={"q": "st. john's university"}).json()
    ids = [s["id"] for s in found["items"]]
    assert found["total"] == 5
    assert ids.count("org:st-johns-university") == 1


def test_network_page_holds_every_stakeholder(nyc_client: TestClient) -> None:
    res = nyc_client.get("/network")
    assert res.status_code == 200
    assert "5,993 stakeholders" in res.text
    # Past view_max_nodes (3,000) leaf partners are collapsed, and the header
    # says that its tie counts are of what is drawn.
    assert "partners collapsed" in res.text


def test_kinds_of_partners_follow_the_directory_columns(nyc_url: str) -> None:
    with open_store(nyc_url) as store:
        kinds = Counter(s.kind.value for s in store.iter_stakeholders())
    assert kinds["afterschool_provider"] == 508
    assert kinds["program_site"] == 1241
