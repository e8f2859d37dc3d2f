"""One contract, two stores: every test runs against SQLite and a real Neo4j."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import networkx as nx
import pytest

from partnermap.access import ApiKey, Role
from partnermap.errors import NotFoundError, StoreError
from partnermap.graph.snapshot import Window, relationship_graph, take_snapshot
from partnermap.model import (
    ApplyResult,
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
    flows_of,
    school_year_end,
    school_year_start,
)
from partnermap.store.base import Store
from tests import tiny
from tests.store.network import (
    HOSTILE,
    SCHOOL,
    UNICODE,
    events,
    network,
    people,
    snapshot,
)

# -- apply and read back --------------------------------------------------------


def test_apply_network_reads_back(store: Store) -> None:
    result = store.apply(network())

    assert result == ApplyResult(stakeholders_added=5, interactions_added=5, version=1)
    assert store.version() == 1
    assert [s.to_dict() for s in store.iter_stakeholders()] == [
        p.to_dict() for p in sorted(people(), key=lambda p: p.id)
    ]
    assert [i.to_dict() for i in store.iter_interactions()] == [
        e.to_dict() for e in sorted(events(), key=lambda e: e.key)
    ]


def test_get_stakeholder_keeps_ids_as_text(store: Store) -> None:
    store.apply(network())

    found = store.get_stakeholder("00123")

    assert found is not None
    assert found.to_dict() == people()[0].to_dict()
    assert store.get_stakeholder("123") is None
    assert store.get_stakeholder("nobody") is None
    assert store.existing_ids(["123", "00123", "B7", "b7", "00123"]) == {"00123", "B7"}


def test_interaction_dates_come_back_as_dates(store: Store) -> None:
    store.apply(network())

    by_type = {i.type: i for i in store.iter_interactions()}

    listed = by_type[InteractionType.PARTNER_LISTED]
    assert (listed.date, listed.school_year, listed.confirmed) == (
        date(2014, 7, 1),
        "2014-15",
        False,
    )
    assert type(listed.date) is date
    assert by_type[InteractionType.PROGRAM_HOSTED].date is None
    assert by_type[InteractionType.INFORMATION_SENT].attributes == {"channel": "email"}


def test_counts(store: Store) -> None:
    assert store.counts() == {"stakeholders": 0, "interactions": 0}

    store.apply(network())

    assert store.counts() == {
        "stakeholders": 5,
        "interactions": 5,
        "kind:business": 1,
        "kind:cultural_organization": 1,
        "kind:family_group": 1,
        "kind:school": 2,
    }


def test_progress_reports_each_step(store: Store) -> None:
    calls: list[tuple[str, int, int]] = []

    store.apply(network(), progress=lambda *call: calls.append(call))

    assert calls[-1] == ("interactions", 5, 5)
    assert ("stakeholders", 5, 5) in calls


# -- idempotence and merging ----------------------------------------------------


def test_reapply_changes_nothing(store: Store) -> None:
    store.apply(network())
    before = snapshot(store)

    again = store.apply(network())

    assert again == ApplyResult(version=1)
    assert snapshot(store) == before


def test_apply_merges_attributes_and_keeps_source(store: Store) -> None:
    store.apply(network())
    renamed = Stakeholder(
        "00123", "Lincoln High School", SCHOOL, {"enrollment": 1250, "zip": "10451"}
    )

    result = store.apply(ImportBatch(stakeholders=[renamed]))

    assert result == ApplyResult(stakeholders_updated=1, version=2)
    found = store.get_stakeholder("00123")
    assert found is not None
    assert found.to_dict() == {
        "id": "00123",
        "name": "Lincoln High School",
        "kind": "school",
        "attributes": {"borough": "Bronx", "enrollment": 1250, "zip": "10451"},
        "source": "schools.csv row 2",
    }


def test_attribute_updates_merge_into_existing_stakeholders(store: Store) -> None:
    store.apply(network())
    batch = ImportBatch(
        attribute_updates={"00124": {"survey_score": 3.5}, "B7": {"sector": "retail"}}
    )

    result = store.apply(batch)

    assert result == ApplyResult(attributes_updated=1, version=2)
    found = store.get_stakeholder("00124")
    assert found is not None and found.attributes == {"survey_score": 3.5}


def test_attribute_update_for_unknown_stakeholder_is_refused(store: Store) -> None:
    store.apply(network())
    before = snapshot(store)
    batch = ImportBatch(
        stakeholders=[Stakeholder("N1", "New School", SCHOOL)],
        attribute_updates={"ghost": {"x": 1}},
    )

    with pytest.raises(
        StoreError, match="attribute update for unknown stakeholder 'ghost'"
    ):
        store.apply(batch)

    assert snapshot(store) == before


def test_duplicates_within_a_batch_count_once(store: Store) -> None:
    first = Stakeholder("S1", "Same", SCHOOL, {"a": 1})
    second = Stakeholder("S1", "Same", SCHOOL, {"b": 2})
    event = Interaction("S1", "S1", InteractionType.MEETING, date(2020, 1, 1))
    batch = ImportBatch(stakeholders=[first, second], interactions=[event, event])

    result = store.apply(batch)

    assert result == ApplyResult(
        stakeholders_added=1, stakeholders_updated=1, interactions_added=1, version=1
    )
    found = store.get_stakeholder("S1")
    assert found is not None and found.attributes == {"a": 1, "b": 2}


def test_kind_change_moves_the_stakeholder(store: Store) -> None:
    store.apply(network())

    store.apply(
        ImportBatch(
            stakeholders=[Stakeholder("C1", "Bronx Arts", StakeholderKind.NONPROFIT)]
        )
    )

    assert [
        s.id for s in store.list_stakeholders(kind=StakeholderKind.NONPROFIT)[0]
    ] == ["C1"]
    assert store.list_stakeholders(kind=StakeholderKind.CULTURAL_ORGANIZATION) == (
        [],
        0,
    )
    assert store.counts()["kind:nonprofit"] == 1
    assert "kind:cultural_organization" not in store.counts()


# -- dry run and atomicity ------------------------------------------------------


def test_dry_run_reports_the_same_and_writes_nothing(store: Store) -> None:
    store.apply(ImportBatch(stakeholders=people()[:2]))
    before = snapshot(store)
    batch = network()
    batch.stakeholders[0].attributes["zip"] = "10451"

    dry = store.apply(batch, dry_run=True)

    assert snapshot(store) == before
    assert dry == ApplyResult(
        stakeholders_added=3, stakeholders_updated=1, interactions_added=5, version=1
    )
    real = store.apply(batch)
    assert real == ApplyResult(
        stakeholders_added=3, stakeholders_updated=1, interactions_added=5, version=2
    )


def test_failed_batch_leaves_the_store_unchanged(store: Store) -> None:
    store.apply(network())
    before = snapshot(store)
    batch = ImportBatch(
        stakeholders=[Stakeholder("N1", "New School", SCHOOL)],
        interactions=[
            Interaction("N1", "00123", InteractionType.MEETING, date(2021, 5, 1)),
            Interaction("N1", "ghost", InteractionType.MEETING, date(2021, 5, 2)),
        ],
    )

    with pytest.raises(StoreError, match="stakeholder"):
        store.apply(batch)

    assert snapshot(store) == before
    assert store.get_stakeholder("N1") is None


def test_failed_dry_run_fails_the_same(store: Store) -> None:
    batch = ImportBatch(interactions=[Interaction("a", "b", InteractionType.MEETING)])

    with pytest.raises(StoreError):
        store.apply(batch, dry_run=True)

    assert snapshot(store) == (0, {"stakeholders": 0, "interactions": 0}, [], [])


# -- listing and searching ------------------------------------------------------


def test_list_stakeholders_orders_by_name_ignoring_case_then_id(store: Store) -> None:
    store.apply(network())
    store.apply(ImportBatch(stakeholders=[Stakeholder("A0", "acme corp", SCHOOL)]))

    page, total = store.list_stakeholders()

    assert total == 6
    assert [(s.name, s.id) for s in page] == [
        ("acme corp", "A0"),
        ("Acme Corp", "B7"),
        ("Bronx Arts", "C1"),
        ("lincoln Elementary", "00124"),
        ("Lincoln High", "00123"),
        ("Parents United", "F1"),
    ]


def test_list_stakeholders_filters_searches_and_pages(store: Store) -> None:
    store.apply(network())

    schools, n_schools = store.list_stakeholders(kind=SCHOOL)
    found, n_found = store.list_stakeholders(search="LINCOLN")
    middle, n_all = store.list_stakeholders(offset=1, limit=2)
    past, n_past = store.list_stakeholders(offset=10, limit=2)
    both = store.list_stakeholders(kind=SCHOOL, search="high")

    assert ([s.id for s in schools], n_schools) == (["00124", "00123"], 2)
    assert ([s.id for s in found], n_found) == (["00124", "00123"], 2)
    assert ([s.id for s in middle], n_all) == (["C1", "00124"], 5)
    assert (past, n_past) == ([], 5)
    assert ([s.id for s in both[0]], both[1]) == (["00123"], 1)
    assert store.list_stakeholders(search="nobody here") == ([], 0)


def test_search_treats_wildcards_as_text(store: Store) -> None:
    names = ["100% Kids", "100 Kids", "a_b Club", "ab Club"]
    store.apply(
        ImportBatch(
            stakeholders=[Stakeholder(f"S{i}", n, SCHOOL) for i, n in enumerate(names)]
        )
    )

    assert [s.name for s in store.list_stakeholders(search="0%")[0]] == ["100% Kids"]
    assert [s.name for s in store.list_stakeholders(search="a_b")[0]] == ["a_b Club"]


# -- time windows and neighbourhoods ---------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            None,
            None,
            {
                "partner_listed",
                "volunteering",
                "information_sent",
                "meeting",
                "program_hosted",
            },
        ),
        (
            date(2015, 3, 10),
            None,
            {"volunteering", "information_sent", "meeting", "program_hosted"},
        ),
        (None, date(2015, 3, 10), {"partner_listed", "volunteering", "program_hosted"}),
        (date(2016, 1, 6), date(2016, 2, 1), {"meeting", "program_hosted"}),
        (date(2030, 1, 1), date(2031, 1, 1), {"program_hosted"}),
    ],
)
def test_iter_interactions_window_keeps_undated(
    store: Store, start: date | None, end: date | None, expected: set[str]
) -> None:
    store.apply(network())

    got = [i.type.value for i in store.iter_interactions(start=start, end=end)]

    assert sorted(got) == sorted(expected)


def test_interactions_of_orders_undated_first_then_by_date(store: Store) -> None:
    store.apply(network())
    loop = Interaction(
        "00124", "00124", InteractionType.JOINT_PLANNING, date(2019, 1, 1)
    )
    store.apply(ImportBatch(interactions=[loop]))

    of_lincoln = [(i.type.value, i.date) for i in store.interactions_of("00123")]
    of_elementary = [(i.type.value, i.date) for i in store.interactions_of("00124")]

    assert of_lincoln == [
        ("partner_listed", date(2014, 7, 1)),
        ("volunteering", date(2015, 3, 10)),
        ("information_sent", date(2016, 1, 5)),
        ("meeting", date(2016, 2, 1)),
    ]
    assert of_elementary == [
        ("program_hosted", None),
        ("joint_planning", date(2019, 1, 1)),
    ]
    assert store.interactions_of("nobody") == []


# -- hostile and unicode text ----------------------------------------------------


def test_hostile_and_unicode_names_are_stored_as_text(store: Store) -> None:
    names = HOSTILE + UNICODE
    batch = ImportBatch(
        stakeholders=[
            Stakeholder(name, name, SCHOOL, {"note": name, name: "key"})
            for name in names
        ],
        interactions=[
            Interaction(
                names[0], names[2], InteractionType.MEETING, provenance=names[1]
            )
        ],
    )

    store.apply(batch)

    assert store.counts()["stakeholders"] == len(names)
    for name in names:
        found = store.get_stakeholder(name)
        assert found is not None
        assert (found.id, found.name, found.attributes) == (
            name,
            name,
            {"note": name, name: "key"},
        )
    [event] = store.interactions_of(names[2])
    assert (event.source, event.provenance) == (names[0], names[1])
    assert [s.name for s in store.list_stakeholders(search="MATCH (n)")[0]] == [
        HOSTILE[2]
    ]
    assert [s.name for s in store.list_stakeholders(search="Pública")[0]] == [
        UNICODE[0]
    ]


def test_ping_answers(store: Store) -> None:
    store.ping()


# -- keys, forgetting and audit ---------------------------------------------------


def _key(n: int, role: Role = Role.VIEWER, stakeholder: str | None = None) -> ApiKey:
    return ApiKey(
        f"k{n}", role, f"hash-{n}", f"2026-01-0{n}T00:00:00+00:00", stakeholder
    )


def test_api_keys_are_kept_found_and_revoked(store: Store) -> None:
    store.add_api_key(_key(2, Role.ADMIN))
    store.add_api_key(_key(1, Role.PARTNER, "F1"))

    revoked = store.revoke_api_key("k2", "2026-02-01T00:00:00+00:00")
    again = store.revoke_api_key("k2", "2026-03-01T00:00:00+00:00")

    assert (revoked, again, store.revoke_api_key("nope", "x")) == (True, True, False)
    assert store.api_keys() == [
        _key(1, Role.PARTNER, "F1"),
        ApiKey(
            "k2",
            Role.ADMIN,
            "hash-2",
            "2026-01-02T00:00:00+00:00",
            None,
            "2026-02-01T00:00:00+00:00",
        ),
    ]
    assert store.find_api_key("hash-1") == _key(1, Role.PARTNER, "F1")
    assert store.find_api_key("hash-9") is None


def test_forget_deletes_a_stakeholder_and_revokes_its_keys(store: Store) -> None:
    store.apply(network())
    store.add_api_key(_key(1, Role.PARTNER, "00123"))
    when = "2026-01-01T00:00:00+00:00"
    store.audit("key:k1", "key-use", "GET /api/stakeholders/00123/ego", when)
    store.audit("key:k1", "key-use", "GET /api/stakeholders/001234", when)
    store.audit("key:k1", "key-use", "GET /network?focus=00123", when)

    gone = store.forget("00123")

    assert gone == {
        "stakeholders": 1,
        "interactions": 4,
        "keys_revoked": 1,
        "audit_lines": 2,
    }
    assert [line["what"] for line in store.audit_log()] == [
        "GET /network?focus=[forgotten]",
        "GET /api/stakeholders/001234",
        "GET /api/stakeholders/[forgotten]/ego",
    ]
    assert store.get_stakeholder("00123") is None
    assert store.counts()["interactions"] == 1
    assert store.interactions_of("B7") == []
    assert store.version() == 2
    [key] = store.api_keys()
    assert key.stakeholder is None and key.revoked is not None
    with pytest.raises(NotFoundError):
        store.forget("00123")


def test_audit_log_is_newest_first(store: Store) -> None:
    for n in range(3):
        store.audit("admin", "import", f"file{n}.csv", f"2026-01-0{n + 1}")

    assert [line["what"] for line in store.audit_log()] == [
        "file2.csv",
        "file1.csv",
        "file0.csv",
    ]
    assert store.audit_log(offset=1, limit=1) == [
        {"at": "2026-01-02", "who": "admin", "action": "import", "what": "file1.csv"}
    ]


# -- aggregated flows -----------------------------------------------------------

NETWORK_WINDOWS = [
    Window(),
    Window(date(2015, 3, 10), None),
    Window(None, date(2015, 3, 10)),
    Window(date(2016, 1, 6), date(2016, 2, 1)),
    Window(date(2030, 1, 1), date(2031, 1, 1)),
]
TINY_WINDOWS = [
    Window(),
    Window(date(2024, 1, 1), None),
    Window(None, date(2023, 12, 31)),
    Window(date(2024, 9, 2), date(2024, 10, 2)),
]
NYC_WINDOWS = [
    Window(),
    *(
        Window(school_year_start(year), school_year_end(year))
        for year in ("2014-15", "2015-16", "2016-17")
    ),
    Window(date(2016, 1, 1), None),
]


def _exactly(g: nx.DiGraph) -> tuple[list[Any], list[Any]]:
    """Nodes and edges with every attribute, in graph order (counts in order too)."""
    edges = [(u, v, d, list(d["counts"].items())) for u, v, d in g.edges(data=True)]
    return list(g.nodes(data=True)), edges


def _assert_flows_match_events(store: Store, windows: list[Window]) -> None:
    for window in windows:
        span = {"start": window.start, "end": window.end}
        from_events = relationship_graph(
            store.iter_stakeholders(), store.iter_interactions(**span)
        )

        assert list(store.iter_flows(**span)) == flows_of(store.iter_interactions(**span))
        assert _exactly(take_snapshot(store, window).relationships) == _exactly(
            from_events
        ), window


@pytest.mark.parametrize(
    ("batch", "windows"),
    [(network, NETWORK_WINDOWS), (tiny.batch, TINY_WINDOWS)],
    ids=["network", "tiny"],
)
def test_snapshot_from_flows_equals_snapshot_from_events(
    store: Store, batch: Callable[[], ImportBatch], windows: list[Window]
) -> None:
    store.apply(batch())

    _assert_flows_match_events(store, windows)


def test_snapshot_from_flows_equals_snapshot_from_events_on_nyc(
    store: Store, nyc_batch: ImportBatch
) -> None:
    store.apply(nyc_batch)

    _assert_flows_match_events(store, NYC_WINDOWS)


def test_iter_flows_aggregates_one_row_per_type_direction_and_confirmation(
    store: Store,
) -> None:
    store.apply(tiny.batch())

    flows = {(f.source, f.target, f.type.value): f for f in store.iter_flows()}

    info = flows["school-1", "nonprofit-1", "information_sent"]
    assert (info.events, info.first, info.last) == (3, "2024-09-02", "2024-11-02")
    listed = flows["school-1", "nonprofit-1", "partner_listed"]
    assert (listed.events, listed.confirmed, listed.first) == (1, False, "2024-07-01")
    assert len(flows) == 6
    assert list(store.iter_flows(start=date(2030, 1, 1))) == []


def test_a_stakeholder_keeps_the_source_it_was_first_read_from(store: Store) -> None:
    first = Stakeholder("s1", "Lincoln High", StakeholderKind.SCHOOL, {}, "a.csv row 2")
    store.apply(ImportBatch(stakeholders=[first]))
    renamed = Stakeholder("s1", "Lincoln High", StakeholderKind.SCHOOL, {}, "copy.csv row 2")

    again = store.apply(ImportBatch(stakeholders=[renamed]))

    assert (again.stakeholders_updated, again.version) == (0, 1)
    found = store.get_stakeholder("s1")
    assert found is not None and found.source == "a.csv row 2"
