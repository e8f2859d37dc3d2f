"""Isolated groups and one-way relationships on tiny hand-drawn graphs.

The graph used throughout (arrows are flows):

    school-1 <-> family-1          a meeting: mutual
    school-1  -> nonprofit-1       information sent three times: one-way,
                                   parallel events on one pair
    school-1  -> nonprofit-1       ... and a listing, also one-way
    club-1   <-> club-2            an agreement: an isolated group of two
    club-2    -> club-2            a self-loop: never one-way
    loner                          no interaction at all: isolated stakeholder
    self-only -> self-only         only a self-loop: an isolated group of one
"""

from __future__ import annotations

from datetime import date

import networkx as nx

from partnermap.graph.components import (
    isolated_groups,
    isolated_stakeholders,
    main_component,
)
from partnermap.graph.findings import analyze, isolated_groups_finding, one_way_finding
from partnermap.graph.reciprocity import mutual_pairs, one_way_pairs
from partnermap.graph.snapshot import relationship_graph
from partnermap.model import Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K

PEOPLE = [
    Stakeholder("school-1", "Lincoln High", K.SCHOOL),
    Stakeholder("family-1", "Lincoln PTA", K.FAMILY_GROUP),
    Stakeholder("nonprofit-1", "Reading Partners", K.NONPROFIT),
    Stakeholder("club-1", "Chess Club", K.COMMUNITY_ORGANIZATION),
    Stakeholder("club-2", "Go Club", K.COMMUNITY_ORGANIZATION),
    Stakeholder("loner", "Lonely Org", K.BUSINESS),
    Stakeholder("self-only", "Self Talker", K.OTHER),
]
EVENTS = [
    Interaction("school-1", "family-1", T.MEETING, date(2024, 9, 1)),
    Interaction("school-1", "nonprofit-1", T.INFORMATION_SENT, date(2024, 9, 2), provenance="r1"),
    Interaction("school-1", "nonprofit-1", T.INFORMATION_SENT, date(2024, 10, 2), provenance="r2"),
    Interaction("school-1", "nonprofit-1", T.INFORMATION_SENT, date(2024, 11, 2), provenance="r3"),
    Interaction("school-1", "nonprofit-1", T.PARTNER_LISTED, school_year="2024-25"),
    Interaction("club-1", "club-2", T.AGREEMENT, date(2023, 1, 5)),
    Interaction("club-2", "club-2", T.MEETING, date(2023, 2, 5)),
    Interaction("self-only", "self-only", T.INFORMATION_SENT, date(2023, 2, 5)),
]


def graph() -> nx.DiGraph:
    return relationship_graph(PEOPLE, EVENTS)


def test_relationship_graph_aggregates_parallel_events_on_one_edge() -> None:
    g = graph()
    edge = g.edges["school-1", "nonprofit-1"]
    assert edge["counts"] == {"information_sent": 3, "partner_listed": 1}
    assert edge["events"] == 4
    assert (edge["first"], edge["last"]) == ("2024-07-01", "2024-11-02")
    assert edge["intensity"] == 2
    assert edge["confirmed"] is True
    assert not g.has_edge("nonprofit-1", "school-1")


def test_both_way_interaction_gives_an_edge_each_way() -> None:
    g = graph()
    assert g.edges["family-1", "school-1"]["counts"] == {"meeting": 1}
    assert g.edges["club-2", "club-1"]["counts"] == {"agreement": 1}
    assert g.edges["club-2", "club-2"]["counts"] == {"meeting": 1}
    assert g.number_of_edges() == 7


def test_one_way_pairs_excludes_mutual_pairs_and_self_loops() -> None:
    g = graph()
    assert one_way_pairs(g) == {("school-1", "nonprofit-1")}
    assert mutual_pairs(g) == {
        frozenset({"school-1", "family-1"}),
        frozenset({"club-1", "club-2"}),
    }


def test_isolated_groups_and_stakeholders() -> None:
    g = graph()
    assert main_component(g) == {"school-1", "family-1", "nonprofit-1"}
    assert isolated_groups(g) == [{"club-1", "club-2"}, {"self-only"}]
    assert isolated_stakeholders(g) == {"loner"}


def test_isolated_groups_finding_lists_members_by_name() -> None:
    found = isolated_groups_finding(graph())
    assert found["totals"] == {
        "groups": 2,
        "stakeholders_in_groups": 3,
        "isolated_stakeholders": 1,
        "main_component_size": 3,
    }
    first = found["groups"][0]
    assert [m["name"] for m in first["members"]] == ["Chess Club", "Go Club"]
    assert first["kinds"] == {"community_organization": 2}
    assert found["isolated_stakeholders"][0]["id"] == "loner"


def test_one_way_finding_gives_pair_direction_and_counts() -> None:
    found = one_way_finding(graph())
    assert found["totals"] == {
        "one_way": 1,
        "unconfirmed_claims": 0,
        "mutual_pairs": 2,
        "directed_relationships": 5,
    }
    (row,) = found["relationships"]
    assert row["source"]["id"] == "school-1"
    assert row["target"]["id"] == "nonprofit-1"
    assert row["direction"] == "Lincoln High → Reading Partners"
    assert row["counts"] == {"information_sent": 3, "partner_listed": 1}


def test_a_listing_alone_is_an_unconfirmed_claim() -> None:
    g = relationship_graph(
        PEOPLE[:3], [Interaction("school-1", "nonprofit-1", T.PARTNER_LISTED, school_year="2014-15")]
    )
    row = one_way_finding(g)["relationships"][0]
    assert row["confirmed"] is False
    assert one_way_finding(g)["totals"]["unconfirmed_claims"] == 1


def test_tie_for_largest_component_goes_to_smallest_id() -> None:
    g = nx.DiGraph([("b", "c"), ("a", "z")])
    assert main_component(g) == {"a", "z"}
    assert isolated_groups(g) == [{"b", "c"}]


def test_empty_graph_has_no_findings() -> None:
    found = analyze(nx.DiGraph())
    assert found["isolated_groups"]["groups"] == []
    assert found["isolated_groups"]["isolated_stakeholders"] == []
    assert found["isolated_groups"]["totals"]["main_component_size"] == 0
    assert found["one_way"]["relationships"] == []
    assert found["one_way"]["totals"]["directed_relationships"] == 0
