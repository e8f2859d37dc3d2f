"""Counts of people under 5 read "fewer than 5" to viewers and partners.

The graph (people are ``person-…`` ids; ``<->`` a meeting, ``->`` one way):

    nonprofit-1 <-> school-a, school-b
    a1..a7   -> school-a         feedback, one each (2024-10-01..07)
    a1, a2  <-> school-a         a meeting each (2024-11-01, 2024-11-05)
    school-a -> a7               data shared (2025-01-10)
    a1       -> a2               information sent (a tie inside one group)
    b1..b3  <-> school-b         a meeting each (2024-10-11..13)
    c1      <-> school-a, school-b   the parent both schools share
    b1       -> c1               information sent (a tie between two groups)
    d1      <-> d2               a meeting: people tied only to people
    d1       -> a3               information sent

Viewers and partners see four groups instead of thirteen people: the seven
parents of school-a ("7 people tied to Adams Elementary"), the three of
school-b and the shared one ("fewer than 5 people tied to …" each), and d1 and d2 ("fewer than 5 people without a
partner"). A coordinator sees the thirteen people.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import networkx as nx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from partnermap.access import Role, new_key
from partnermap.graph.brokers import what_if_leaves
from partnermap.graph.findings import analyze
from partnermap.graph.reciprocity import one_way_pairs
from partnermap.graph.scope import group_people, restrict
from partnermap.graph.snapshot import relationship_graph
from partnermap.model import ImportBatch, Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K
from partnermap.privacy import person_label
from partnermap.settings import Settings
from partnermap.store import open_store


def _pid(tag: str) -> str:
    return "person-" + tag.rjust(16, "0")


A = [_pid(f"a{i}") for i in range(1, 8)]
B = [_pid(f"b{i}") for i in range(1, 4)]
C1 = _pid("c1")
D = [_pid("d1"), _pid("d2")]
PEOPLE = [*A, *B, C1, *D]
KEPT = "Maria Lopez"
"""c1's name, kept by a coordinator."""

# Group ids: "people:" and 12 hex digits of the SHA-256 of the sorted ids of
# the stakeholders the group is tied to, joined by newlines.
OF_A = "people:9011d2cc647e"  # sha256("school-a")
OF_B = "people:768d471a8679"  # sha256("school-b")
OF_AB = "people:2aa3962fd1a4"  # sha256("school-a\nschool-b")
ALONE = "people:unattached"
GROUPS = {OF_A, OF_B, OF_AB, ALONE}
ORGS = ["nonprofit-1", "school-a", "school-b"]
NAME_A = "7 people tied to Adams Elementary"
NAME_B = "fewer than 5 people tied to Baker Middle"
NAME_AB = "fewer than 5 people tied to Adams Elementary and Baker Middle"

STAKEHOLDERS = [
    Stakeholder("nonprofit-1", "Reading Partners", K.NONPROFIT),
    Stakeholder("school-a", "Adams Elementary", K.SCHOOL),
    Stakeholder("school-b", "Baker Middle", K.SCHOOL),
    *(Stakeholder(p, person_label(p), K.PERSON) for p in [*A, *B, *D]),
    Stakeholder(C1, KEPT, K.PERSON),
]
EVENTS = [
    Interaction("nonprofit-1", "school-a", T.MEETING, date(2024, 9, 1)),
    Interaction("nonprofit-1", "school-b", T.MEETING, date(2024, 9, 2)),
    *(
        Interaction(p, "school-a", T.FEEDBACK_GIVEN, date(2024, 10, i))
        for i, p in enumerate(A, 1)
    ),
    Interaction(A[0], "school-a", T.MEETING, date(2024, 11, 1)),
    Interaction(A[1], "school-a", T.MEETING, date(2024, 11, 5)),
    Interaction("school-a", A[6], T.DATA_SHARED, date(2025, 1, 10)),
    Interaction(A[0], A[1], T.INFORMATION_SENT, date(2024, 10, 20)),
    *(
        Interaction(p, "school-b", T.MEETING, date(2024, 10, 10 + i))
        for i, p in enumerate(B, 1)
    ),
    Interaction(C1, "school-a", T.MEETING, date(2024, 12, 1)),
    Interaction(C1, "school-b", T.MEETING, date(2024, 12, 2)),
    Interaction(B[0], C1, T.INFORMATION_SENT, date(2024, 12, 3)),
    Interaction(D[0], D[1], T.MEETING, date(2024, 12, 5)),
    Interaction(D[0], A[2], T.INFORMATION_SENT, date(2024, 12, 4)),
]


def _tie(
    counts: dict[str, int], first: str, last: str, intensity: int = 2
) -> dict[str, Any]:
    events = sum(counts.values())
    return {
        "counts": counts,
        "events": events,
        "first": first,
        "last": last,
        "intensity": intensity,
        "confirmed": True,
    }


def _meeting(day: str) -> dict[str, Any]:
    return _tie({"meeting": 1}, day, day)


def _of_group(tie: dict[str, Any]) -> dict[str, Any]:
    """A tie touching a group: its event counts count people."""
    return {**tie, "masked": True}


GROUPED_TIES = {
    ("nonprofit-1", "school-a"): _meeting("2024-09-01"),
    ("school-a", "nonprofit-1"): _meeting("2024-09-01"),
    ("nonprofit-1", "school-b"): _meeting("2024-09-02"),
    ("school-b", "nonprofit-1"): _meeting("2024-09-02"),
    (OF_A, "school-a"): _of_group(
        _tie({"feedback_given": 7, "meeting": 2}, "2024-10-01", "2024-11-05")
    ),
    ("school-a", OF_A): _of_group(
        _tie({"meeting": 2, "data_shared": 1}, "2024-11-01", "2025-01-10", 3)
    ),
    (OF_B, "school-b"): _of_group(_tie({"meeting": 3}, "2024-10-11", "2024-10-13")),
    ("school-b", OF_B): _of_group(_tie({"meeting": 3}, "2024-10-11", "2024-10-13")),
    (OF_AB, "school-a"): _of_group(_meeting("2024-12-01")),
    ("school-a", OF_AB): _of_group(_meeting("2024-12-01")),
    (OF_AB, "school-b"): _of_group(_meeting("2024-12-02")),
    ("school-b", OF_AB): _of_group(_meeting("2024-12-02")),
    (OF_B, OF_AB): _of_group(
        _tie({"information_sent": 1}, "2024-12-03", "2024-12-03")
    ),
    (ALONE, OF_A): _of_group(
        _tie({"information_sent": 1}, "2024-12-04", "2024-12-04")
    ),
}


def _graph() -> nx.DiGraph:
    return relationship_graph(STAKEHOLDERS, EVENTS)


# -- the grouped graph -------------------------------------------------------


def test_group_people_makes_one_group_per_set_of_other_stakeholders() -> None:
    h = group_people(_graph())
    groups = {
        n: (d["name"], d["kind"], d["attributes"])
        for n, d in h.nodes(data=True)
        if n not in ORGS
    }
    assert groups == {
        OF_A: (NAME_A, "person", {"people": 7}),
        OF_B: (NAME_B, "person", {"people": "fewer than 5"}),
        OF_AB: (NAME_AB, "person", {"people": "fewer than 5"}),
        ALONE: (
            "fewer than 5 people without a partner",
            "person",
            {"people": "fewer than 5"},
        ),
    }
    assert list(h) == [*ORGS, OF_AB, OF_B, OF_A, ALONE]


def test_group_ids_are_hashes_of_the_stakeholders_a_group_is_tied_to() -> None:
    def digest(text: str) -> str:
        return "people:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    assert (digest("school-a"), digest("school-b"), digest("school-a\nschool-b")) == (
        OF_A,
        OF_B,
        OF_AB,
    )


def test_group_people_merges_ties_per_group_and_direction() -> None:
    h = group_people(_graph())
    assert {(u, v): d for u, v, d in h.edges(data=True)} == GROUPED_TIES


def test_group_people_leaves_the_input_graph_alone() -> None:
    g = _graph()
    group_people(g)
    assert g.edges[A[0], "school-a"]["counts"] == {"feedback_given": 1, "meeting": 1}
    assert len(g) == 16


def test_group_people_merges_dates_intensity_and_confirmation() -> None:
    g = nx.DiGraph()
    g.add_nodes_from(["p", "q"], kind="person")
    g.add_node("s", kind="school")
    g.add_edge(
        "p",
        "s",
        counts={"partner_listed": 1},
        events=1,
        first=None,
        last=None,
        intensity=1,
        confirmed=False,
    )
    g.add_edge(
        "q",
        "s",
        counts={"partner_listed": 1, "funding": 2},
        events=3,
        first="2024-01-02",
        last="2024-03-04",
        intensity=4,
        confirmed=True,
    )
    h = group_people(g)
    assert [d for _, _, d in h.edges(data=True)] == [
        {
            "counts": {"partner_listed": 2, "funding": 2},
            "events": 4,
            "first": "2024-01-02",
            "last": "2024-03-04",
            "intensity": 4,
            "confirmed": True,
            "masked": True,
        }
    ]


def test_group_people_keeps_a_graph_without_people() -> None:
    g = _graph()
    g.remove_nodes_from(PEOPLE)
    assert nx.utils.graphs_equal(group_people(g), g)
    assert len(group_people(nx.DiGraph())) == 0


def test_group_people_gives_each_other_stakeholder_its_id() -> None:
    g = nx.DiGraph([("p", "s")])
    nx.set_node_attributes(g, {"p": "person", "s": "school"}, "kind")
    g.add_node(ALONE, kind="business")
    g.add_node("q", kind="person")
    h = group_people(g)
    assert h.nodes[ALONE]["kind"] == "business"
    assert h.nodes[ALONE + "~"]["name"] == "fewer than 5 people without a partner"


def test_restrict_groups_every_window_as_the_all_time_graph() -> None:
    autumn = [e for e in EVENTS if e.date is not None and e.date < date(2024, 11, 1)]
    window = relationship_graph(STAKEHOLDERS, autumn)
    h = restrict(window, None, mask=person_label, grouping=_graph())
    assert set(h) == {*ORGS, *GROUPS}
    assert h.nodes[OF_A]["name"] == NAME_A
    assert h.edges[OF_A, "school-a"]["counts"] == {"feedback_given": 7}
    assert not h.has_edge("school-a", OF_A)


def test_restrict_of_a_partner_scope_groups_its_people_only() -> None:
    nodes = ["school-b", "nonprofit-1", "school-a", *B, C1]
    h = restrict(_graph(), nodes, mask=person_label)
    assert set(h) == {*ORGS, OF_B, OF_AB}


def test_restrict_keeps_a_partner_person_on_its_own_under_its_label() -> None:
    # c1's own key: c1 stays itself; the others group as for a viewer (b1,
    # who also wrote to c1, stays with b2 and b3: a person is no partner).
    nodes = ["school-a", "school-b", "nonprofit-1", *A, *B, C1]
    h = restrict(_graph(), nodes, mask=person_label, keep=[C1])
    assert set(h) == {*ORGS, C1, OF_A, OF_B}
    assert (h.nodes[C1]["name"], h.nodes[C1]["attributes"]) == (person_label(C1), {})
    assert (h.nodes[OF_B]["name"], h.nodes[OF_B]["attributes"]) == (
        NAME_B,
        {"people": "fewer than 5"},
    )
    assert h.edges[OF_B, C1] == _of_group(
        _tie({"information_sent": 1}, "2024-12-03", "2024-12-03")
    )


def test_findings_run_on_the_grouped_graph() -> None:
    h = group_people(_graph())
    assert one_way_pairs(h) == {(OF_B, OF_AB), (ALONE, OF_A)}
    found = analyze(h)
    assert found["isolated_groups"]["totals"]["main_component_size"] == 7
    assert [r["what"] for r in found["one_way"]["relationships"]] == [
        (
            f"{NAME_B} reaches {NAME_AB} (information sent fewer than 5 times); "
            "nothing comes back"
        ),
        (
            f"fewer than 5 people without a partner reaches {NAME_A} "
            "(information sent fewer than 5 times); nothing comes back"
        ),
    ]


def test_what_if_names_groups_instead_of_counting_them_as_one_person() -> None:
    h = group_people(_graph())

    found = what_if_leaves(h, "school-a")

    assert found["what"] == (
        f"if Adams Elementary leaves, {NAME_A}, fewer than 5 people without a partner "
        "lose every tie to the rest of the network"
    )


# -- through the API -----------------------------------------------------------

KEYS = {
    "viewer": (Role.VIEWER, None),
    "coordinator": (Role.COORDINATOR, None),
    "partner": (Role.PARTNER, "nonprofit-1"),
    "partner-b": (Role.PARTNER, "school-b"),
    "parent": (Role.PARTNER, C1),
}
MASKED = ["viewer", "partner", "partner-b"]
"""Keys that see no person (the parent's key sees itself)."""
REQUIRED = {"/api/changes": {"from": "2023", "to": "2024"}}


@pytest.fixture(scope="module")
def keyed(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    from partnermap.api.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('people') / 'people.db'}"
    secrets = {}
    with open_store(url) as store:
        store.apply(
            ImportBatch(stakeholders=list(STAKEHOLDERS), interactions=list(EVENTS))
        )
        for label, (role, stakeholder) in KEYS.items():
            record, secrets[label] = new_key(role, stakeholder)
            store.add_api_key(record)
    with TestClient(create_app(url, Settings(auth_required=True))) as client:
        yield client, secrets


def _get(client: TestClient, key: str, path: str, **params: Any) -> Any:
    return client.get(
        path, params=params, headers={"X-API-Key": key}, follow_redirects=False
    )


def _get_routes() -> list[str]:
    from partnermap.api.app import create_app

    app = create_app("sqlite:///:memory:", Settings(auth_required=True))
    found, todo = [], list(app.routes)
    while todo:
        route = todo.pop()
        inner = getattr(route, "original_router", None)
        if inner is not None:
            todo += inner.routes
        elif isinstance(route, APIRoute) and "GET" in route.methods:
            found.append(route.path)
    return sorted(found)


def test_viewer_lists_groups_of_people_never_people(keyed: Any) -> None:
    client, secrets = keyed
    page = _get(client, secrets["viewer"], "/api/stakeholders", limit=500).json()
    assert page["total"] == 7
    assert [(s["id"], s["name"]) for s in page["items"]] == [
        (OF_A, NAME_A),
        ("school-a", "Adams Elementary"),
        ("school-b", "Baker Middle"),
        (OF_AB, NAME_AB),
        (OF_B, NAME_B),
        (ALONE, "fewer than 5 people without a partner"),
        ("nonprofit-1", "Reading Partners"),
    ]
    group = next(s for s in page["items"] if s["id"] == OF_B)
    assert (group["kind"], group["attributes"], group["source"]) == (
        "person",
        {"people": "fewer than 5"},
        "",
    )


def test_list_filters_and_pages_groups_like_stakeholders(keyed: Any) -> None:
    client, secrets = keyed
    key = secrets["viewer"]
    people = _get(client, key, "/api/stakeholders", kind="person").json()
    assert (people["total"], {s["id"] for s in people["items"]}) == (4, GROUPS)
    few = _get(client, key, "/api/stakeholders", q="fewer than 5").json()
    assert (few["total"], {s["id"] for s in few["items"]}) == (3, GROUPS - {OF_A})
    page = _get(
        client, key, "/api/stakeholders", kind="person", offset=3, limit=2
    ).json()
    assert (page["total"], [s["id"] for s in page["items"]]) == (4, [ALONE])
    assert _get(client, key, "/api/stakeholders", q="maria").json()["total"] == 0


def test_partner_lists_the_groups_of_its_neighbourhood(keyed: Any) -> None:
    client, secrets = keyed
    page = _get(client, secrets["partner-b"], "/api/stakeholders").json()
    assert (page["total"], {s["id"] for s in page["items"]}) == (
        5,
        {*ORGS, OF_B, OF_AB},
    )


@pytest.mark.parametrize("path", _get_routes())
@pytest.mark.parametrize("who", MASKED)
def test_masked_keys_never_see_a_person(keyed: Any, path: str, who: str) -> None:
    client, secrets = keyed
    for sid in ("school-b", OF_AB, C1):
        url = re.sub(r"\{[^}]+\}", sid, path)
        text = _get(client, secrets[who], url, **REQUIRED.get(path, {})).text
        # A 404 names the id asked for, and only that one.
        assert [p for p in PEOPLE if p in text and p != sid] == []
        assert [p for p in PEOPLE if person_label(p) in text] == []
        assert KEPT not in text


def test_coordinator_sees_the_people_as_they_are(keyed: Any) -> None:
    client, secrets = keyed
    key = secrets["coordinator"]
    people = _get(client, key, "/api/stakeholders", kind="person", limit=500).json()
    assert (people["total"], {s["id"] for s in people["items"]}) == (13, set(PEOPLE))
    assert _get(client, key, f"/api/stakeholders/{C1}").json()["name"] == KEPT
    assert _get(client, key, f"/api/stakeholders/{OF_A}").status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("coordinator", {"stakeholders": 16, "kind:person": 13, "interactions": 21}),
        # Groups of 7, 3, 1 and 2: the 7, plus at least one in each other.
        ("viewer", {"stakeholders": 7, "kind:person": "at least 10", "kind:people_group": 4}),
        # school-a's reach: the 7, c1's group and d1, d2's group.
        ("partner", {"stakeholders": 6, "kind:person": "at least 9", "kind:people_group": 3}),
        (
            "partner-b",
            {"stakeholders": 5, "kind:person": "at least 2", "kind:people_group": 2},
        ),
    ],
)
def test_health_counts_people_and_lists_groups(
    keyed: Any, who: str, expected: Any
) -> None:
    """An exact total of people less the groups of 5 or more would give the
    small groups away (13 - 7 = 6 in three groups; with two groups of one it
    would name them), and so would a total of events less the shown ones."""
    client, secrets = keyed
    counts = _get(client, secrets[who], "/api/health").json()["counts"]
    assert {k: counts[k] for k in expected} == expected
    assert ("kind:people_group" in counts) == (who != "coordinator")
    assert ("interactions" in counts) == (who == "coordinator")
    assert counts["kind:school"] == 2


# These need GET routes to answer a group's id and refuse a person's own id
# (partnermap/api/deps.py visible).


def test_viewer_reads_a_group_by_its_id(keyed: Any) -> None:
    client, secrets = keyed
    res = _get(client, secrets["viewer"], f"/api/stakeholders/{OF_A}")
    assert res.status_code == 200
    found = res.json()
    assert (found["name"], found["kind"], found["attributes"]) == (
        NAME_A,
        "person",
        {"people": 7},
    )
    assert [
        (r["other"]["id"], r["outgoing"], r["incoming"], r["status"])
        for r in found["relationships"]
    ] == [
        (
            "school-a",
            {"feedback_given": 7, "meeting": "fewer than 5"},
            {"meeting": "fewer than 5", "data_shared": "fewer than 5"},
            "mutual",
        ),
        (ALONE, {}, {"information_sent": "fewer than 5"}, "one_way_in"),
    ]


@pytest.mark.parametrize("who", MASKED)
def test_masked_keys_get_a_404_for_a_person_id(keyed: Any, who: str) -> None:
    client, secrets = keyed
    res = _get(client, secrets[who], f"/api/stakeholders/{C1}")
    assert res.status_code == 404
    assert res.json()["detail"] == f"no stakeholder with id {C1!r}"


def test_partner_gets_a_404_for_a_group_outside_its_view(keyed: Any) -> None:
    client, secrets = keyed
    assert (
        _get(client, secrets["partner-b"], f"/api/stakeholders/{OF_A}").status_code
        == 404
    )
    assert (
        _get(client, secrets["partner-b"], f"/api/stakeholders/{OF_B}").status_code
        == 200
    )


def test_profile_page_of_a_group(keyed: Any) -> None:
    client, secrets = keyed
    res = _get(client, secrets["partner"], f"/stakeholders/{OF_A}")
    assert res.status_code == 200
    assert "7 people" in res.text and "Adams Elementary" in res.text


def test_a_partner_key_of_a_person_sees_itself_under_its_label(keyed: Any) -> None:
    client, secrets = keyed
    found = _get(client, secrets["parent"], f"/api/stakeholders/{C1}").json()
    assert (found["name"], found["attributes"]) == (person_label(C1), {})
    page = _get(client, secrets["parent"], "/api/stakeholders", kind="person").json()
    assert [s["id"] for s in page["items"] if s["id"] in PEOPLE] == [C1]
    assert (
        _get(client, secrets["parent"], f"/api/stakeholders/{A[0]}").status_code == 404
    )


# -- event counts on ties of groups ---------------------------------------------
# Three parents signing in to one meeting give their group's tie three
# meetings: such counts under 5 read "fewer than 5" too, wherever shown.

FEW = "fewer than 5"


def test_relationships_of_a_stakeholder_mask_small_counts_of_groups(
    keyed: Any,
) -> None:
    client, secrets = keyed
    found = _get(client, secrets["viewer"], "/api/stakeholders/school-b").json()
    assert [
        (r["other"]["id"], r["outgoing"], r["incoming"]) for r in found["relationships"]
    ] == [
        ("nonprofit-1", {"meeting": 1}, {"meeting": 1}),
        (OF_AB, {"meeting": FEW}, {"meeting": FEW}),
        (OF_B, {"meeting": FEW}, {"meeting": FEW}),
    ]


def test_a_coordinator_sees_each_persons_events(keyed: Any) -> None:
    client, secrets = keyed
    found = _get(client, secrets["coordinator"], "/api/stakeholders/school-b").json()
    assert {
        r["other"]["id"]: r["outgoing"] for r in found["relationships"]
    } == {"nonprofit-1": {"meeting": 1}, B[0]: {"meeting": 1}, B[1]: {"meeting": 1},
          B[2]: {"meeting": 1}, C1: {"meeting": 1}}


def test_network_csv_masks_small_counts_of_groups(keyed: Any) -> None:
    client, secrets = keyed
    rows = _get(client, secrets["viewer"], "/network.csv").text.splitlines()
    # 7 feedback and 2 meetings: a total of 9 would give the meetings away.
    assert f"{OF_A},{NAME_A},person,school-a,Adams Elementary,school,mutual,at least 8," \
        f"feedback_given=7;meeting={FEW},2024-10-01,2024-11-05" in rows
    assert f"school-a,Adams Elementary,school,{OF_A},{NAME_A},person,mutual,at least 2," \
        f"data_shared={FEW};meeting={FEW},2024-11-01,2025-01-10" in rows
    assert "school-b,Baker Middle,school,nonprofit-1,Reading Partners,nonprofit," \
        "mutual,1,meeting=1,2024-09-02,2024-09-02" in rows


def test_network_gexf_weighs_only_ties_it_may_count(keyed: Any) -> None:
    import xml.etree.ElementTree as ET

    client, secrets = keyed
    root = ET.fromstring(_get(client, secrets["viewer"], "/network.gexf").text)
    edges = {
        (e.get("source"), e.get("target")): e.get("weight")
        for e in root.iter() if e.tag.endswith("}edge")
    }
    assert (edges[OF_A, "school-a"], edges["school-a", OF_A]) == (None, None)
    assert (edges[OF_B, "school-b"], edges["nonprofit-1", "school-b"]) == (None, "1")


def test_ego_network_masks_small_counts_of_groups(keyed: Any) -> None:
    client, secrets = keyed
    found = _get(
        client, secrets["partner-b"], "/api/stakeholders/school-b/network", depth=1
    ).json()
    assert [
        (t["source"], t["target"], t["out_events"], t["back_events"])
        for t in found["ties"]
    ] == [
        ("nonprofit-1", "school-b", 1, 1),
        (OF_AB, "school-b", FEW, FEW),
        (OF_B, OF_AB, FEW, 0),
        (OF_B, "school-b", FEW, FEW),
    ]


def test_changes_mask_small_counts_of_pairs_with_groups(keyed: Any) -> None:
    client, secrets = keyed
    found = _get(client, secrets["viewer"], "/api/changes", **{"from": "2023", "to": "2024"})
    # In 2024: b1..b3 met Baker Middle once each, both ways (3 + 3 events,
    # each shown as "fewer than 5", so not 6); the shared parent met Adams
    # Elementary once (1 + 1).
    after = {tuple(r["pair"]): r["after"]["events"] for r in found.json()["new"]}
    assert (after[OF_B, "school-b"], after[OF_AB, "school-a"]) == ("at least 2", "at least 2")
    assert after["nonprofit-1", "school-a"] == 2


def test_a_lopsided_pair_with_a_group_shows_no_share(keyed: Any) -> None:
    """Adams' parents send 7 feedback and 2 meetings (9), Adams sends them
    2 meetings and 1 data shared (3): 9 / 12 = 0.75, lopsided at 0.7. The
    share would give the small counts away."""
    client, secrets = keyed
    rows = {
        who: _get(client, secrets[who], "/api/findings/one-way", threshold=0.7).json()
        for who in ("viewer", "coordinator")
    }
    [shown] = [r for r in rows["viewer"]["balance"]["lopsided"]
               if r["source"]["id"] == OF_A]
    assert {k: shown[k] for k in ("out_events", "back_events", "share", "out_by_channel",
                                  "back_by_channel", "what")} == {
        "out_events": "at least 8",
        "back_events": "at least 2",
        "share": None,
        "out_by_channel": {"feedback": 7, "joint": FEW},
        "back_by_channel": {"joint": FEW, "shared_work": FEW},
        "what": f"{NAME_A} sends most of the pair's events",
    }
    assert [(r["out_events"], r["back_events"], r["share"])
            for r in rows["coordinator"]["balance"]["lopsided"]] == []


def test_pages_mask_small_counts_of_groups(keyed: Any) -> None:
    client, secrets = keyed
    key = secrets["viewer"]
    profile = _get(client, key, "/stakeholders/school-b").text
    assert f"Meeting {FEW}" in profile and "Meeting 3" not in profile
    network = _get(client, key, "/network").text
    assert f'["meeting","{FEW}"]' in network
    findings = _get(client, key, "/findings").text
    assert f"Information sent {FEW}" in findings
    changes = _get(client, key, "/changes", **{"from": "2023", "to": "2024"}).text
    assert f"{FEW} events" in changes


def test_kinds_count_a_group_of_people_as_a_group(keyed: Any) -> None:
    client, secrets = keyed
    key = secrets["viewer"]
    found = _get(client, key, "/api/findings/communities").json()["communities"]
    kinds = [c["kinds"] for c in found]
    assert sum(k.get("people_group", 0) for k in kinds) == len(GROUPS)
    assert [k for k in kinds if "person" in k] == []
    report = _get(client, key, "/report").text
    assert "Group of people: 4" in report and "Person" not in report
