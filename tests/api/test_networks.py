"""Several networks (districts) in one deployment: a key sees its own only.

One SQLite store holds two networks. "north" is the tiny graph of
tests/tiny.py; "south" is a different graph that reuses the id school-1 under
another name:

    south:  tutors-1 -> school-1 ("Southside Middle") <- pantry-1

Every key of south, whatever its role, gets nothing of north on any route:
no north name in any answer, a 404 for every north-only id, and its imports,
audit lines and caches stay in south. The key-less local demo sees the
configured network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from partnermap.access import Role, new_key
from partnermap.model import ImportBatch, Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K
from partnermap.settings import Settings
from partnermap.store import open_store
from tests import tiny
from tests.api.test_access import GET_ROUTES, ID_ROUTES, REQUIRED

NORTH_NAMES = ["Lincoln High", "Lincoln PTA", "Reading Partners", "Chess Club",
               "Go Club", "Lonely Org", "Self Talker"]
NORTH_ONLY_IDS = ["family-1", "nonprofit-1", "club-1", "loner"]
SOUTH_IDS = ["school-1", "tutors-1", "pantry-1"]


def south() -> ImportBatch:
    return ImportBatch(
        stakeholders=[
            Stakeholder("school-1", "Southside Middle", K.SCHOOL),
            Stakeholder("tutors-1", "Queens Tutors", K.AFTERSCHOOL_PROVIDER),
            Stakeholder("pantry-1", "Harbor Pantry", K.NONPROFIT),
        ],
        interactions=[
            Interaction("tutors-1", "school-1", T.PROGRAM_HOSTED, date(2024, 10, 1)),
            Interaction("pantry-1", "school-1", T.RESOURCES_SHARED, date(2024, 11, 2)),
        ],
    )


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    from partnermap.api.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('networks') / 'two.db'}"
    secrets: dict[str, str] = {}
    with open_store(url, "north") as north, open_store(url, "south") as other:
        north.apply(tiny.batch())
        other.apply(south())
        for role in Role:
            record, secret = new_key(
                role, "tutors-1" if role is Role.PARTNER else None, "south"
            )
            other.add_api_key(record)
            secrets[role.value] = secret
        record, secrets["north-admin"] = new_key(Role.ADMIN, network="north")
        north.add_api_key(record)
    app = create_app(url, Settings(auth_required=True, network="north"))
    with TestClient(app) as client:
        yield client, secrets


def _get(client: TestClient, path: str, key: str, sid: str) -> Any:
    url = re.sub(r"\{[^}]+\}", sid, path)
    return client.get(url, params=REQUIRED.get(path, {}),
                      headers={"X-API-Key": key}, follow_redirects=False)


@pytest.mark.parametrize(("method", "path"), GET_ROUTES)
@pytest.mark.parametrize("role", list(Role))
def test_south_keys_never_see_north(two: Any, method: str, path: str, role: Role) -> None:
    client, secrets = two
    for sid in SOUTH_IDS:
        res = _get(client, path, secrets[role.value], sid)
        assert res.status_code in (200, 307, 403), res.text
        assert [name for name in NORTH_NAMES if name in res.text] == []


@pytest.mark.parametrize(("method", "path"), [r for r in ID_ROUTES if r[0] == "GET"])
@pytest.mark.parametrize("sid", NORTH_ONLY_IDS)
def test_north_ids_are_404_for_a_south_admin(two: Any, method: str, path: str, sid: str) -> None:
    client, secrets = two
    res = _get(client, path, secrets["admin"], sid)
    assert res.status_code == 404
    if path.startswith("/api"):
        assert res.json()["detail"] == f"no stakeholder with id {sid!r}"


def test_the_shared_id_names_each_networks_own_stakeholder(two: Any) -> None:
    client, secrets = two
    south_view = _get(client, "/api/stakeholders/{id}", secrets["admin"], "school-1")
    north_view = _get(client, "/api/stakeholders/{id}", secrets["north-admin"], "school-1")
    assert south_view.json()["name"] == "Southside Middle"
    assert north_view.json()["name"] == "Lincoln High"


def test_lists_and_counts_are_per_network(two: Any) -> None:
    client, secrets = two
    items = client.get("/api/stakeholders", headers={"X-API-Key": secrets["viewer"]}).json()
    assert sorted(s["id"] for s in items["items"]) == sorted(SOUTH_IDS)
    health = client.get("/api/health", headers={"X-API-Key": secrets["admin"]}).json()
    assert (health["counts"]["stakeholders"], health["counts"]["interactions"]) == (3, 2)
    assert health["network"] == "south"
    # No people in south: a viewer gets the same totals (no tie to mask).
    viewer = client.get("/api/health", headers={"X-API-Key": secrets["viewer"]}).json()
    assert {k: viewer["counts"][k] for k in ("stakeholders", "interactions", "kind:school")} == {
        "stakeholders": 3, "interactions": 2, "kind:school": 1}
    north = client.get("/api/health", headers={"X-API-Key": secrets["north-admin"]}).json()
    assert (north["counts"]["stakeholders"], north["counts"]["interactions"]) == (7, 8)
    assert north["network"] == "north"


def test_an_import_lands_in_the_keys_network_only(tmp_path: Path) -> None:
    from partnermap.api.app import create_app

    url = f"sqlite:///{tmp_path / 'imports.db'}"
    with open_store(url, "north") as north, open_store(url, "south") as other:
        north.apply(tiny.batch())
        other.apply(south())
        record, secret = new_key(Role.COORDINATOR, network="south")
        other.add_api_key(record)
        admin, north_secret = new_key(Role.ADMIN, network="north")
        north.add_api_key(admin)
    app = create_app(url, Settings(auth_required=True, network="north"))
    body = b"source,target,type\ntutors-1,pantry-1,meeting\n"
    with TestClient(app) as client:
        before = client.get("/network.csv", headers={"X-API-Key": north_secret}).text
        res = client.post("/api/imports", params={"filename": "ties.csv"},
                          headers={"X-API-Key": secret}, content=body)
        assert res.status_code == 200, res.text
        after = client.get("/network.csv", headers={"X-API-Key": north_secret}).text
        audit = client.get("/api/audit", headers={"X-API-Key": north_secret}).json()
    with open_store(url, "north") as north, open_store(url, "south") as other:
        assert other.counts()["interactions"] == 3
        assert north.counts()["interactions"] == 8
        assert [a["action"] for a in other.audit_log()] == ["import", "key-use"]
    assert before == after
    assert [(line["who"], line["action"]) for line in audit] == [
        (f"key:{admin.id}", "key-use")
    ]


def test_a_bad_cookie_network_cannot_be_chosen(two: Any) -> None:
    # The network comes from the key alone: no header, parameter or cookie
    # of the client's names it.
    client, secrets = two
    res = client.get("/api/stakeholders/family-1", params={"network": "north"},
                     headers={"X-API-Key": secrets["admin"], "X-Network": "north"})
    assert res.status_code == 404


def test_the_local_demo_sees_the_configured_network(tmp_path: Path) -> None:
    from partnermap.api.app import create_app

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    with open_store(url, "south") as other:
        other.apply(south())
    app = create_app(url, Settings(auth_required=False, network="south"))
    with TestClient(app) as client:
        items = client.get("/api/stakeholders").json()
    assert sorted(s["id"] for s in items["items"]) == sorted(SOUTH_IDS)
