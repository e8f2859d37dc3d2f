"""Several networks (districts) in one store: nothing crosses.

Every test runs against SQLite and a real Neo4j. Network "north" gets the
hand-drawn network of tests/store/network.py; "south" gets a different one
that reuses some of the same ids, so a leak would show as a wrong name, count
or edge.
"""

from __future__ import annotations

from datetime import date

import pytest

from partnermap.access import Role, new_key
from partnermap.errors import NotFoundError, StoreError
from partnermap.model import (
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
)
from partnermap.store.base import DEFAULT_NETWORK, Store, check_network
from tests.store.network import network

SCHOOL = StakeholderKind.SCHOOL


def south() -> ImportBatch:
    """Two stakeholders, one of them with an id that "north" also uses."""
    return ImportBatch(
        stakeholders=[
            Stakeholder("00123", "Southside Middle", SCHOOL, {"borough": "Queens"}),
            Stakeholder("S9", "Queens Tutors", StakeholderKind.AFTERSCHOOL_PROVIDER),
        ],
        interactions=[
            Interaction(
                "S9", "00123", InteractionType.PROGRAM_HOSTED, date(2016, 3, 1),
                provenance="south.csv row 2",
            )
        ],
    )


def two(store: Store) -> tuple[Store, Store]:
    north, other = store.for_network("north"), store.for_network("south")
    north.apply(network())
    other.apply(south())
    return north, other


def test_default_network_is_main(store: Store) -> None:
    assert store.network == DEFAULT_NETWORK == "main"
    assert store.for_network("north").network == "north"


def test_each_network_reads_only_its_own(store: Store) -> None:
    north, other = two(store)

    assert other.counts()["stakeholders"] == 2
    assert other.counts()["interactions"] == 1
    assert north.counts()["stakeholders"] == 5
    assert north.counts()["interactions"] == 5
    assert store.counts()["stakeholders"] == 0
    found = other.get_stakeholder("00123")
    assert found is not None and found.name == "Southside Middle"
    north_school = north.get_stakeholder("00123")
    assert north_school is not None and north_school.name == "Lincoln High"
    assert other.get_stakeholder("F1") is None
    assert sorted(s.id for s in other.iter_stakeholders()) == ["00123", "S9"]
    assert [(i.source, i.target) for i in other.iter_interactions()] == [("S9", "00123")]
    assert [(f.source, f.target) for f in other.iter_flows()] == [("S9", "00123")]
    assert other.existing_ids(["00123", "F1", "S9"]) == {"00123", "S9"}
    assert [s.id for s in other.list_stakeholders(search="tutor")[0]] == ["S9"]
    assert other.list_stakeholders()[1] == 2
    assert [(i.source, i.target) for i in other.interactions_of("00123")] == [
        ("S9", "00123")
    ]
    assert sorted(store.networks()) == ["north", "south"]


def test_versions_are_per_network(store: Store) -> None:
    north, other = two(store)

    assert (north.version(), other.version(), store.version()) == (1, 1, 0)
    other.apply(south())  # the same batch again changes nothing
    assert other.version() == 1
    north.forget("F1")
    assert (north.version(), other.version()) == (2, 1)


def test_an_interaction_cannot_reach_into_another_network(store: Store) -> None:
    north, other = two(store)
    batch = ImportBatch(
        interactions=[
            Interaction("S9", "F1", InteractionType.MEETING, date(2016, 4, 1),
                        provenance="x.csv row 2")
        ]
    )

    with pytest.raises(StoreError):
        other.apply(batch)
    assert other.counts()["interactions"] == 1
    assert north.counts()["interactions"] == 5


def test_forget_stays_in_its_network(store: Store) -> None:
    north, other = two(store)
    north.audit("cli", "key-use", "GET /api/stakeholders/00123", "2026-01-01T00:00:00+00:00")

    gone = other.forget("00123")

    assert gone["stakeholders"] == 1 and gone["interactions"] == 1
    assert gone["audit_lines"] == 0
    assert north.audit_log()[0]["what"] == "GET /api/stakeholders/00123"
    assert north.get_stakeholder("00123") is not None
    assert north.counts()["interactions"] == 5
    with pytest.raises(NotFoundError):
        other.forget("F1")
    assert north.get_stakeholder("F1") is not None


def test_keys_belong_to_one_network(store: Store) -> None:
    north, other = two(store)
    north_key, _ = new_key(Role.VIEWER, network="north")
    south_key, _ = new_key(Role.PARTNER, "S9", network="south")
    north.add_api_key(north_key)
    other.add_api_key(south_key)

    assert [k.id for k in north.api_keys()] == [north_key.id]
    assert [k.id for k in other.api_keys()] == [south_key.id]
    found = north.find_api_key(south_key.key_hash)  # the one cross-network read
    assert found is not None and found.network == "south" and found.stakeholder == "S9"
    assert other.revoke_api_key(north_key.id, "2026-01-01T00:00:00+00:00") is False
    found_north = north.find_api_key(north_key.key_hash)
    assert found_north is not None and found_north.revoked is None
    with pytest.raises(StoreError):
        north.add_api_key(south_key)


def test_forget_revokes_only_that_networks_keys(store: Store) -> None:
    north, other = two(store)
    north_key, _ = new_key(Role.PARTNER, "00123", network="north")
    south_key, _ = new_key(Role.PARTNER, "00123", network="south")
    north.add_api_key(north_key)
    other.add_api_key(south_key)

    assert other.forget("00123")["keys_revoked"] == 1

    after_north = north.find_api_key(north_key.key_hash)
    after_south = other.find_api_key(south_key.key_hash)
    assert after_north is not None and after_north.revoked is None
    assert after_south is not None and after_south.revoked is not None


def test_audit_lines_stay_in_their_network(store: Store) -> None:
    north, other = two(store)
    north.audit("key:k-1", "import", "north.csv", "2026-01-01T00:00:00+00:00")
    other.audit("key:k-2", "import", "south.csv", "2026-01-02T00:00:00+00:00")

    assert [a["what"] for a in north.audit_log()] == ["north.csv"]
    assert [a["what"] for a in other.audit_log()] == ["south.csv"]


@pytest.mark.parametrize("name", ["", "North", "a b", "../x", "x" * 41, "-x", "n'}) //"])
def test_bad_network_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(StoreError, match="network name"):
        store.for_network(name)
    with pytest.raises(StoreError):
        check_network(name)
